/* gdbt-dlopen (a glibc program): dlopen a library with TLS (a dynamic TLS module: its block comes from
 * __tls_get_addr, reached through the DTV), then dlclose it. Usage: gdbt-dlopen LIBRARY */
#include <dlfcn.h>
#include <stdio.h>

__attribute__((noinline)) void after_dlopen(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline)) void after_dlclose(void) { __asm__ volatile("" ::: "memory"); }

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	void *h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	int *(*f)(void) = (int *(*)(void))dlsym(h, "dyn_addr");
	int *p = f();
	printf("dlopen: DYN=%d &DYN=%p\n", *p, (void *)p);
	fflush(stdout);
	after_dlopen();
	dlclose(h);
	after_dlclose();
	return 0;
}
