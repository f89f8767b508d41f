/* gdbt-echidna: the elk series' TLS sample, freestanding. FOO lives in the program's TLS block,
 * BAR and bar_errno in libgdbt-tlsbar.so's. Prints values and addresses, then calls checkpoint(). */
#include "rt.h"
__thread int FOO = 0xf00;
__thread long foo_tbss;
extern __thread int BAR;
extern __thread int bar_errno;
int *bar_addr(void);
int get_bar(void);
void set_bar_errno(int e);

__attribute__((noinline)) void checkpoint(void) { __asm__ volatile("" ::: "memory"); }

int main(int argc, char **argv)
{
	struct line l = { .n = 0 };
	(void)argv;
	FOO += argc;           /* 0xf01 with no arguments */
	foo_tbss = 0x7b55;
	set_bar_errno(42);
	ln_str(&l, "echidna:");
	ln_kv(&l, "FOO", (unsigned)FOO);
	ln_kv(&l, "&FOO", (uintptr_t)&FOO);
	ln_kv(&l, "foo_tbss", (unsigned long)foo_tbss);
	ln_kv(&l, "BAR", (unsigned)get_bar());
	ln_kv(&l, "&BAR", (uintptr_t)bar_addr());
	ln_kv(&l, "&BAR(ie)", (uintptr_t)&BAR);
	ln_kv(&l, "bar_errno", (unsigned)bar_errno);
	ln_kv(&l, "&bar_errno", (uintptr_t)&bar_errno);
	ln_kv(&l, "tp", rt_tp());
	ln_kv(&l, "canary", rt_canary());
	ln_end(&l);
	checkpoint();
	return 0;
}
