/* A library loaded into several link-map namespaces (dlmopen.c): each copy has its own data, its own
 * thread-local variable and its own libc (whose malloc and stdio are separate from the program's). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int counter;
static __thread int tls_counter = 100;
static const char *who = "?";

__attribute__((constructor)) static void ctor(void)
{
	Dl_info di;
	dladdr((void *)ctor, &di);
	printf("ctor of %s\n", strrchr(di.dli_fname, '/') + 1);
	fflush(stdout);
}

__attribute__((destructor)) static void dtor(void)
{
	printf("dtor: %s counter=%d tls=%d\n", who, counter, tls_counter);
	fflush(stdout); /* this copy's libc has its own stdout buffer */
}

void set_who(const char *w) { who = w; }
int bump(void) { return ++counter * 1000 + ++tls_counter; }
int *counter_addr(void) { return &counter; }
int *tls_addr(void) { return &tls_counter; }
void *libc_malloc(void) { return (void *)malloc; }
void *libc_stdout(void) { return stdout; }

/* The namespace this copy runs in, as dlinfo says, and what the global scope of that namespace answers. */
long my_namespace(void)
{
	Dl_info di;
	struct link_map *lm;
	dladdr1((void *)my_namespace, &di, (void **)&lm, RTLD_DL_LINKMAP);
	void *h = dlopen(di.dli_fname, RTLD_NOW | RTLD_NOLOAD);
	Lmid_t id = -9;
	if (!h || dlinfo(h, RTLD_DI_LMID, &id) != 0)
		return -8;
	dlclose(h);
	return (long)id;
}

/* dlsym(RTLD_DEFAULT) from inside: only this namespace is searched (the program's symbols are not there). */
int sees_default(const char *name) { return dlsym(RTLD_DEFAULT, name) != NULL; }

/* dlopen from a library in a namespace loads into that namespace (glibc's __LM_ID_CALLER). */
long dlopen_inside(const char *file)
{
	void *h = dlopen(file, RTLD_NOW);
	if (!h) {
		printf("dlopen inside: %s\n", dlerror());
		return -1;
	}
	Lmid_t id = -9;
	dlinfo(h, RTLD_DI_LMID, &id);
	return (long)id;
}

/* dl_iterate_phdr from inside a namespace lists that namespace (ld.so included, as a proxy). */
static int list_one(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	const char *n = info->dlpi_name, *b = strrchr(n, '/');
	printf("  object %s%s\n", b ? b + 1 : *n ? n : "(program)", info->dlpi_tls_modid ? " (TLS)" : "");
	return 0;
}
void list_objects(void)
{
	dl_iterate_phdr(list_one, 0);
	fflush(stdout);
}
