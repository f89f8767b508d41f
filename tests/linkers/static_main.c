/* A static-pie (or static) program: its own start-up code relocates it (RELATIVE, IRELATIVE) and sets
 * up its TLS; elfld maps it and enters it. */
#include <stdio.h>
#include <string.h>
__thread int st_tls = 11;
__thread char st_tbss[32];
static int twice(int x) { return 2 * x; }
static void *resolve(void) { return (void *)twice; }
int st_ifn(int) __attribute__((ifunc("resolve")));
static const char *const words[] = { "static", "pie", "program" };
int main(void)
{
	st_tbss[31] = 4;
	size_t n = 0;
	for (int i = 0; i < 3; i++)
		n += strlen(words[i]);
	printf("tls=%d tbss=%d ifunc=%d words=%zu\n", st_tls, st_tbss[31], st_ifn(21), n);
	return 0;
}
