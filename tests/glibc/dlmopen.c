/* dlmopen: link-map namespaces, compared with glibc's loader. Each namespace has its own copy of a library
 * (data, TLS, its own libc), dlinfo(RTLD_DI_LMID) names it, dlopen from inside stays inside, namespaces
 * are reused once empty, and the errors are glibc's. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIB DLMOPEN_DIR "/libdlmopen.so"
#define LIB2 DLMOPEN_DIR "/libdlmopen2.so"

int only_in_the_program = 1; /* exported (-rdynamic): dlsym(RTLD_DEFAULT) finds it from namespace 0 only */

static long lmid(void *h)
{
	Lmid_t id = -9;
	if (dlinfo(h, RTLD_DI_LMID, &id) != 0)
		printf("dlinfo: %s\n", dlerror());
	return (long)id;
}

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (!p) {
		printf("dlsym %s: %s\n", name, dlerror());
		exit(1);
	}
	return p;
}

static void *open_in(Lmid_t ns, const char *file, int mode)
{
	void *h = dlmopen(ns, file, mode);
	if (!h)
		printf("dlmopen(%ld, %s, %#x): %s\n", (long)ns, file ? strrchr(file, '/') + 1 : "NULL", mode, dlerror());
	return h;
}

static int list_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	const char *n = info->dlpi_name, *b = strrchr(n, '/');
	printf("  object %s%s\n", b ? b + 1 : *n ? n : "(program)", info->dlpi_tls_modid ? " (TLS)" : "");
	return 0;
}

static void *in_thread(void *bump)
{
	return (void *)(long)((int (*)(void))bump)();
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0); /* the libraries' copies of libc write to the same file */
	void *h0 = dlopen(LIB, RTLD_NOW);
	void *h1 = open_in(LM_ID_NEWLM, LIB, RTLD_NOW);
	void *h2 = open_in(LM_ID_NEWLM, LIB, RTLD_LAZY);
	if (!h0 || !h1 || !h2)
		return 1;
	void *h[3] = { h0, h1, h2 };
	printf("namespaces: %ld %ld %ld; handles distinct: %d\n", lmid(h0), lmid(h1), lmid(h2), h0 != h1 && h1 != h2);
	int (*bump[3])(void);
	for (int i = 0; i < 3; i++) {
		bump[i] = (int (*)(void))sym(h[i], "bump");
		((void (*)(const char *))sym(h[i], "set_who"))(i == 0 ? "ns0" : i == 1 ? "ns1" : "ns2");
	}
	printf("bumps: %d %d %d %d\n", bump[0](), bump[1](), bump[1](), bump[2]());
	printf("own data: %d, own TLS: %d\n", sym(h0, "counter") != sym(h1, "counter") && sym(h1, "counter") != sym(h2, "counter"),
	       ((int *(*)(void))sym(h0, "tls_addr"))() != ((int *(*)(void))sym(h1, "tls_addr"))());
	printf("own libc: malloc %d, stdout %d; namespace 0 uses the program's: %d\n",
	       ((void *(*)(void))sym(h1, "libc_malloc"))() != (void *)malloc,
	       ((void *(*)(void))sym(h1, "libc_stdout"))() != (void *)stdout,
	       ((void *(*)(void))sym(h0, "libc_malloc"))() == (void *)malloc);
	for (int i = 0; i < 3; i++)
		printf("copy %d: dlinfo from inside says %ld, sees the program's symbol: %d\n", i,
		       ((long (*)(void))sym(h[i], "my_namespace"))(),
		       ((int (*)(const char *))sym(h[i], "sees_default"))("only_in_the_program"));

	/* A thread: each copy's TLS starts from its own image in it. */
	pthread_t t;
	void *r;
	pthread_create(&t, 0, in_thread, (void *)bump[1]);
	pthread_join(t, &r);
	printf("ns1 bump in a new thread: %ld\n", (long)r);

	/* Into an existing namespace: its copy of libdlmopen.so satisfies the dependency-free lookup. */
	void *h1b = open_in(lmid(h1), LIB2, RTLD_NOW);
	if (h1b)
		printf("second library in namespace %ld bumps ns1's copy: %d\n", lmid(h1b),
		       ((int (*)(void))sym(h1b, "second_bump"))());
	printf("NOLOAD in ns1 finds h1: %d, in ns0 finds h0: %d\n", open_in(lmid(h1), LIB, RTLD_NOW | RTLD_NOLOAD) == h1,
	       open_in(LM_ID_BASE, LIB, RTLD_NOW | RTLD_NOLOAD) == h0);
	dlclose(h1);
	dlclose(h0);
	printf("dlopen from inside namespace 1 loads into: %ld\n",
	       ((long (*)(const char *))sym(h1, "dlopen_inside"))(LIB2));

	/* glibc's errors */
	open_in(7, LIB, RTLD_NOW);
	open_in(-5, LIB, RTLD_NOW);
	open_in(LM_ID_NEWLM, NULL, RTLD_NOW);
	open_in(LM_ID_NEWLM, LIB, RTLD_NOW | RTLD_GLOBAL);
	open_in(LM_ID_NEWLM, DLMOPEN_DIR "/no-such-library.so", RTLD_NOW);

	printf("objects:\n");
	dl_iterate_phdr(list_object, 0);
	printf("objects seen from namespace 1:\n");
	((void (*)(void))sym(h1, "list_objects"))();

	/* Close namespace 2 completely: the next LM_ID_NEWLM reuses it. */
	dlclose(h2);
	void *h3 = open_in(LM_ID_NEWLM, LIB, RTLD_NOW);
	void *h4 = open_in(LM_ID_NEWLM, LIB2, RTLD_NOW); /* needs bump: not in a new namespace */
	printf("after closing namespace 2, a new one is: %ld; %s\n", h3 ? lmid(h3) : -1, h4 ? "LIB2 alone loaded" : "LIB2 alone failed");
	printf("objects:\n");
	dl_iterate_phdr(list_object, 0);
	if (h3)
		((void (*)(const char *))sym(h3, "set_who"))("ns2 again");

	/* As many namespaces as the static TLS surplus allows each its libc (glibc.rtld.nns), then glibc's error. */
	void *more[16];
	int n = 0;
	while (n < 16 && (more[n] = open_in(LM_ID_NEWLM, LIB, RTLD_NOW)))
		printf("namespace %ld\n", lmid(more[n++]));
	while (n > 0)
		dlclose(more[--n]);
	void *again = open_in(LM_ID_NEWLM, LIB, RTLD_NOW);
	printf("after closing them: namespace %ld\n", again ? lmid(again) : -1);
	return 0; /* destructors of what is still open: ns1 (h1b keeps it), ns2; glibc's order */
}
