/* TLS in every model across the program and its libraries: local-exec (the program's own variables,
 * .tdata and .tbss), initial-exec (a library's variable from the program; a library's own IE variable),
 * general- and local-dynamic in a library (or TLSDESC with -mtls-dialect=gnu2), dynamic TLS in a dlopened
 * library, and every block again in a second thread. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern __thread int lib_gd;      /* defined in libtlsa.so: initial-exec from the program */
__thread int exe_le = 42;        /* local-exec, .tdata */
__thread long exe_tbss[4];       /* local-exec, .tbss */
int lib_sum(void);
int lib_ie_get(void);
static int (*dyn_get)(int);

static void report(const char *who)
{
	exe_tbss[3] += 3;
	printf("%s: exe_le=%d exe_tbss=%ld lib_gd=%d lib_sum=%d lib_ie=%d dyn=%d\n", who, exe_le, exe_tbss[3], lib_gd,
	       lib_sum(), lib_ie_get(), dyn_get(5));
	exe_le++;
	lib_gd += 10;
}

static void *thread(void *arg)
{
	report(arg);
	report(arg);
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc;
	char path[4096];
	const char *slash = strrchr(argv[0], '/');
	snprintf(path, sizeof path, "%.*slibtlsdyn.so", slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
	void *h = dlopen(path, RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	dyn_get = (int (*)(int))dlsym(h, "dyn_get");
	report("main");
	pthread_t t;
	pthread_create(&t, 0, thread, "thread");
	pthread_join(t, 0);
	report("main");
	dlclose(h);
	return 0;
}
