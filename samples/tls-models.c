/* Freestanding program with TLS in every model, against libtlsa.so and libtlsdesc.so, no libc.
 * Prints values (deterministic) and checks addresses: the same variable reached through different models
 * must have one address, alignments must hold, .tbss must be zero. Exit status: argv[1] if given. */
#include "nolibc.h"
__thread int prog_le = 42;                                      /* local-exec */
__thread char prog_big[16] __attribute__((aligned(64))) = "P"; /* aligned block in the program */
extern __thread long lib_ie __attribute__((tls_model("initial-exec")));
int lib_gd_get(void), lib_ld_get(void), lib_bss_get(void), desc_get(void);
long *lib_ie_addr(void);
char *lib_big_addr(void);
int *desc_addr(void);
static int fails;
static void check(const char *what, int ok)
{
	out(ok ? "ok   " : "FAIL ");
	out(what);
	out("\n");
	fails += !ok;
}
static int tp_main(int argc, char **argv)
{
	unsigned long tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	out("prog_le=");
	outn((unsigned long)prog_le);
	out(" lib_ie=");
	outn((unsigned long)lib_ie);
	out(" gd=");
	outn((unsigned long)lib_gd_get());
	outn((unsigned long)lib_gd_get());
	out(" ld=");
	outn((unsigned long)lib_ld_get());
	out(" desc=");
	outn((unsigned long)desc_get());
	outn((unsigned long)desc_get());
	out("\n");
	check("IE and GD agree on lib_ie's address", lib_ie_addr() == &lib_ie);
	check("static TLS below the thread pointer", (unsigned long)&prog_le < tp && (unsigned long)&lib_ie < tp);
	check("4096-aligned TLS block in the library", ((unsigned long)lib_big_addr() & 4095) == 0);
	check("64-aligned TLS block in the program", ((unsigned long)prog_big & 63) == 0);
	check("library .tdata image copied", lib_big_addr()[0] == 'a' && prog_big[0] == 'P');
	check(".tbss zeroed", lib_bss_get() == 0);
	check("TLSDESC address is in this thread's TLS", (unsigned long)desc_addr() < tp);
	check("tcb->self is the thread pointer", *(unsigned long *)(tp + 16) == tp);
	int st = 0;
	if (argc > 1)
		for (const char *p = argv[1]; *p; p++)
			st = st * 10 + (*p - '0');
	return fails ? 1 : st;
}
NOLIBC_START(tp_main)
