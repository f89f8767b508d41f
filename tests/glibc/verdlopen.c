/* dlopen of a library whose FOO_2 requirement is not met: RTLD_LAZY and RTLD_NOW both fail, dlerror says
 * which version, which library and who requires it. */
#include <dlfcn.h>
#include <stdio.h>
int main(void)
{
	int modes[] = { RTLD_LAZY, RTLD_NOW };
	for (int i = 0; i < 2; i++) {
		void *h = dlopen(VERNEED_LIB, modes[i]);
		printf("%s: %s\n", i ? "RTLD_NOW" : "RTLD_LAZY", h ? "opened" : dlerror());
	}
	return 0;
}
