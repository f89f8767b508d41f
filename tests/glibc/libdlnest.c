/* Built twice: NEST_OUTER (dlopens the inner library in its constructor, dlcloses it in its destructor,
 * which runs inside the program's dlclose) and the inner one. */
#include <dlfcn.h>
#include <stdio.h>
#ifdef NEST_OUTER
static void *inner;
static int (*inner_value)(void);
__attribute__((constructor)) static void open_inner(void)
{
	inner = dlopen(NEST_DIR "/libdlnest_inner.so", RTLD_NOW | RTLD_LOCAL);
	inner_value = inner ? (int (*)(void))dlsym(inner, "inner_value") : 0;
}
__attribute__((destructor)) static void close_inner(void)
{
	if (inner && dlclose(inner))
		printf("dlclose(inner) failed: %s\n", dlerror());
}
int outer_value(void) { return inner_value ? 100 + inner_value() : -1; }
#else
static __thread int calls;
int inner_value(void) { return ++calls; }
#endif
