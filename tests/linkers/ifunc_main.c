/* IFUNC: a library's (called through the PLT, and its address taken: the program's canonical PLT entry
 * outside a PIE), the program's own (IRELATIVE), and pointers to both in data. */
#include <stdio.h>

int lib_ifn(int);
static int twice(int x) { return 2 * x; }
static int thrice(int x) { return 3 * x; }
static void *resolve_exe(void) { return sizeof(long) == 8 ? (void *)thrice : (void *)twice; }
int exe_ifn(int) __attribute__((ifunc("resolve_exe")));
int (*const table[])(int) = { lib_ifn, exe_ifn };
int lib_call_ptr(int (*)(int), int);

int main(void)
{
	int (*volatile p)(int) = lib_ifn;
	printf("lib_ifn=%d exe_ifn=%d table=%d,%d ptr=%d same=%d lib_sees=%d\n", lib_ifn(5), exe_ifn(5), table[0](7),
	       table[1](7), p(9), p == table[0], lib_call_ptr(lib_ifn, 11));
	return 0;
}
