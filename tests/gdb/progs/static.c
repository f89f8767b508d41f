/* gdbt-static, gdbt-static-pie: glibc programs linked -static / -static-pie. elfld maps them and jumps
 * to their entry; their own libc relocates them (IRELATIVE, and RELATIVE for static-pie) and sets up TLS.
 * Prints its TLS facts, then calls checkpoint(). */
#include <stdio.h>
#include <string.h>

__thread int st_tls = 0x51;
__thread char st_name[16] = "static-tls";
__thread long st_bss;
struct pt { int x, y; };
__thread struct pt st_pt = { 3, 4 };
__thread int st_counter __asm__("_ZN3elf7counterE") = 5; /* a C++ name: elf::counter */

__attribute__((noinline)) void checkpoint(void) { __asm__ volatile("" ::: "memory"); }

int main(int argc, char **argv)
{
	void *tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	st_tls += argc;
	st_bss = 0x7b55;
	st_counter++;
	printf("static: st_tls=%#x &st_tls=%p st_bss=%#lx &st_pt=%p tp=%p main=%p len=%#zx\n", st_tls, (void *)&st_tls,
	       st_bss, (void *)&st_pt, tp, (void *)main, strlen(argv[0]));
	fflush(stdout);
	checkpoint();
	return 0;
}
