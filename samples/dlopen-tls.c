/* dlopen of a library with thread-local storage (glibc): the library gets a TLS module id at dlopen time,
 * its block is allocated on first use in each thread (__tls_get_addr), and dlclose really unloads it. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
typedef int (*next_fn)(void);
static void *in_thread(void *f) { return (void *)(long)((next_fn)f)(); }
int main(int argc, char **argv)
{
	const char *lib = argc > 1 ? argv[1] : "libdyntls.so";
	void *h = dlopen(lib, RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	next_fn next = (next_fn)dlsym(h, "next_value");
	int a = next(), b = next();
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, in_thread, (void *)next);
	pthread_join(t, &r);
	printf("main thread: %d %d; new thread: %ld (its own copy)\n", a, b, (long)r);
	dlclose(h);
	printf("after dlclose, RTLD_NOLOAD finds it: %s\n", dlopen(lib, RTLD_NOW | RTLD_NOLOAD) ? "yes" : "no");
	return 0;
}
