/* gdbt-views: a glibc program for checksec, xinfo, telescope and the width of the tables. Built with
 * _FORTIFY_SOURCE (calls __snprintf_chk, __printf_chk), a stack protector, BIND_NOW and DT_RPATH; uses
 * libgdbt-cxxnames.so. msgp -> msg -> "telescope-target" is a pointer chain. */
#include <stdio.h>
#include <string.h>

int call_bump(void);
int *counter_addr(void);

static const char *msg = "telescope-target";
const char **msgp = &msg;

__attribute__((noinline)) void checkpoint(void) { __asm__ volatile("" ::: "memory"); }

int main(int argc, char **argv)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", argv[0]);
	int b = call_bump();
	printf("views: bump=%#x &counter=%p &msgp=%p argc=%#x\n", b, (void *)counter_addr(), (void *)&msgp, argc);
	fflush(stdout);
	checkpoint();
	return strlen(buf) == 0;
}
