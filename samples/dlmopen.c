/* dlmopen (glibc): the same library in two link-map namespaces. Each namespace gets its own copy of it and
 * of libc (data, TLS module, malloc), while dlopen in the program's namespace shares the one it has.
 * Watch it in the TUI (objects pane: "[ns 1]") or with --trace (each object's namespace). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
typedef int (*bump_fn)(void);
typedef void *(*which_fn)(void);
int main(int argc, char **argv)
{
	const char *lib = argc > 1 ? argv[1] : "libnscount.so";
	void *a = dlopen(lib, RTLD_NOW), *b = dlopen(lib, RTLD_NOW), *c = dlmopen(LM_ID_NEWLM, lib, RTLD_NOW);
	if (!a || !c) {
		printf("%s\n", dlerror());
		return 1;
	}
	Lmid_t na, nc;
	dlinfo(a, RTLD_DI_LMID, &na);
	dlinfo(c, RTLD_DI_LMID, &nc);
	bump_fn ba = (bump_fn)dlsym(a, "bump"), bc = (bump_fn)dlsym(c, "bump");
	printf("dlopen twice: the same handle: %s (namespace %ld)\n", a == b ? "yes" : "no", (long)na);
	printf("dlmopen(LM_ID_NEWLM): namespace %ld, its own copy: %s\n", (long)nc, a != c ? "yes" : "no");
	int x = ba(), y = ba(), z = bc();
	printf("bump: %d %d in namespace 0, %d in namespace %ld (separate counters)\n", x, y, z, (long)nc);
	printf("its own libc: %s\n", ((which_fn)dlsym(c, "which_malloc"))() != (void *)malloc ? "yes" : "no");
	return 0;
}
