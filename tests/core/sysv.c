/* Calls into libsysv.so, whose only hash table is a SysV one (tests/core/libsysv.c). */
#include <stdio.h>
int sysv_f10(int), sysv_f47(int), sysv_f85(int), sysv_f63(int);
extern int sysv_data;
int main(void)
{
	printf("%d %d %d %d %d\n", sysv_f10(1), sysv_f47(2), sysv_f85(3), sysv_f63(4), sysv_data);
	return 0;
}
