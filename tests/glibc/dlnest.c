/* dlopen/dlclose from inside constructors and destructors: the outer library's constructor dlopens the
 * inner one, its destructor dlcloses it; done 200 times, then checked with RTLD_NOLOAD. */
#include <dlfcn.h>
#include <stdio.h>
int main(void)
{
	for (int i = 0; i < 200; i++) {
		void *h = dlopen(NEST_DIR "/libdlnest_outer.so", RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			printf("dlopen: %s\n", dlerror());
			return 1;
		}
		int (*f)(void) = (int (*)(void))dlsym(h, "outer_value");
		if (i == 0)
			printf("outer_value() = %d\n", f());
		dlclose(h);
	}
	printf("outer still loaded: %d\n", dlopen(NEST_DIR "/libdlnest_outer.so", RTLD_NOW | RTLD_NOLOAD) != 0);
	printf("inner still loaded: %d\n", dlopen(NEST_DIR "/libdlnest_inner.so", RTLD_NOW | RTLD_NOLOAD) != 0);
	return 0;
}
