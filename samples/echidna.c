/* echidna: thread-local storage with no libc at all, in the spirit of the "elk" series' echidna.
 * FOO lives in this program's TLS block (local-exec: a fixed offset from %fs), BAR in libbar.so's block,
 * reached initial-exec (the loader writes BAR's offset from the thread pointer into the GOT with an
 * R_X86_64_TPOFF64 relocation). Variant II: both blocks sit below the thread pointer, the TCB at %fs:0.
 * Run `elfld-run --trace=tls samples/echidna` to see the layout, `--addresses` to print it here. */
#include "nolibc.h"
__thread int FOO = 10;
extern __thread int BAR __attribute__((tls_model("initial-exec")));
static void hex(unsigned long v)
{
	char b[19] = "0x";
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	b[18] = 0;
	out(b);
}
static int echidna_main(int argc, char **argv)
{
	out("FOO = ");
	outn((unsigned long)FOO);
	out(", BAR = ");
	outn((unsigned long)BAR);
	out("\n");
	FOO += 1, BAR += 2;
	out("FOO + 1 = ");
	outn((unsigned long)FOO);
	out(", BAR + 2 = ");
	outn((unsigned long)BAR);
	out("\n");
	if (argc > 1 && argv[1][0] == '-') {
		unsigned long tp;
		__asm__("mov %%fs:0, %0" : "=r"(tp));
		out("thread pointer ");
		hex(tp);
		out("\n&FOO           ");
		hex((unsigned long)&FOO);
		out(" (tp - ");
		outn(tp - (unsigned long)&FOO);
		out(")\n&BAR           ");
		hex((unsigned long)&BAR);
		out(" (tp - ");
		outn(tp - (unsigned long)&BAR);
		out(")\n");
	}
	return 0;
}
NOLIBC_START(echidna_main)
