/* GLOB_DAT and JUMP_SLOT relocations write S, the symbol's address, whatever r_addend holds (psABI; glibc
 * ignores it). binutils 2.44's -z mark-plt, which glibc 2.39+ links its own libraries with, stores the PLT
 * entry's address there. This program's addends are set to 0x4000 after linking (set_addends.py), so a
 * loader that adds them calls and reads 16 KiB past the right place. */
#include <stdio.h>
int addend_func(int);
extern int addend_var;
int (*volatile fp)(int) = addend_func; /* GLOB_DAT (a function pointer in a PIE) */
int main(void)
{
	printf("call %d\n", addend_func(1)); /* JUMP_SLOT */
	printf("pointer %d\n", fp(2));
	printf("var %d\n", addend_var);      /* GLOB_DAT (or COPY) */
	return 0;
}
