/* Requires foo2@FOO_2 from libver.so, which finds the FOO_1-only libver at run time: glibc stops before
 * main ("version `FOO_2' not found (required by PROG)", status 1). As a library (libverneed.so), dlopen
 * fails with the same words, RTLD_LAZY or not. */
#include <stdio.h>
int foo1(void);
int foo2(void);
#ifdef VERNEED_LIB
int verneed_call(void) { return foo2(); }
#else
int main(int argc, char **argv)
{
	(void)argv;
	printf("foo1 %d\n", foo1());
	if (argc > 5) /* never: the reference alone must stop the start-up */
		printf("foo2 %d\n", foo2());
	return 0;
}
#endif
