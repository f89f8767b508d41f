/* Destructors at exit of libraries that were dlopened and never dlclosed (glibc's _dl_fini runs them, in
 * the right order with the program's and the start-up libraries'): two libraries opened in turn, a third
 * opened and closed (its destructor runs at dlclose, not again at exit). */
#include <dlfcn.h>
#include <stdio.h>
__attribute__((destructor)) static void dtor(void) { printf("program: destructor\n"); }
int main(void)
{
	const char *names[] = { DLFINI_DIR "/libdlfini_a.so", DLFINI_DIR "/libdlfini_b.so", DLFINI_DIR "/libdlfini_c.so" };
	void *h[3];
	for (int i = 0; i < 3; i++)
		if (!(h[i] = dlopen(names[i], RTLD_NOW))) {
			printf("dlopen: %s\n", dlerror());
			return 1;
		}
	printf("dlclose c: %d\n", dlclose(h[2]));
	printf("main returns\n");
	return 0;
}
