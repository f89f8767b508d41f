/* The smallest glibc program: libc's start-up through elfld (stdout, stderr, exit status). */
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("hello from %s with %d args\n", argv[0], argc);
	fprintf(stderr, "to stderr\n");
	return 42;
}
