/* RTLD_DEEPBIND: a dlopened library that defines who(), as the program does (exported with -rdynamic).
 * Opened normally its call binds to the program's (the global scope comes first); with RTLD_DEEPBIND to
 * its own. dlsym(RTLD_DEFAULT) is the global scope in both. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
const char *who(void) { return "the program's who"; }
int main(void)
{
	int modes[] = { RTLD_NOW, RTLD_NOW | RTLD_DEEPBIND };
	for (int i = 0; i < 2; i++) {
		void *h = dlopen(DEEP_LIB, modes[i]);
		if (!h) {
			printf("dlopen: %s\n", dlerror());
			return 1;
		}
		const char *(*call)(void) = (const char *(*)(void))dlsym(h, "call_who");
		const char *(*viadlsym)(void) = (const char *(*)(void))dlsym(h, "dlsym_who");
		printf("%s: call -> %s; dlsym(RTLD_DEFAULT) -> %s\n", i ? "RTLD_DEEPBIND" : "plain", call(), viadlsym());
		dlclose(h);
	}
	return 0;
}
