/* Versioned symbols: the default version of vfoo (VERS_2), the old one (VERS_1) by .symver, a symbol of
 * the base version only, and a versioned variable. */
#include <stdio.h>
int vfoo(void);
int vfoo_old(void);
__asm__(".symver vfoo_old,vfoo@VERS_1");
int vbar(void);
extern int vdata;
int main(void)
{
	printf("vfoo=%d vfoo@VERS_1=%d vbar=%d vdata=%d\n", vfoo(), vfoo_old(), vbar(), vdata);
	return 0;
}
