/* A plain glibc program: libc.so.6 binds to elfld's ld-linux-x86-64.so.2 (docs/glibc.md). */
#include <stdio.h>
int main(void)
{
	printf("hello, world\n");
	return 0;
}
