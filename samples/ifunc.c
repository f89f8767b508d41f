/* An IFUNC: `checksum` is chosen at load time by a resolver (STT_GNU_IFUNC). Because this program is
 * position-independent and the symbol is local, the linker emits R_X86_64_IRELATIVE: the loader calls
 * the resolver, after every other relocation, and stores the address it returns. */
#include "nolibc.h"
static unsigned long sum_simple(const char *s)
{
	unsigned long h = 0;
	while (*s)
		h += (unsigned char)*s++;
	return h;
}
static unsigned long sum_unrolled(const char *s)
{
	unsigned long h = 0;
	for (; s[0] && s[1]; s += 2)
		h += (unsigned char)s[0] + (unsigned char)s[1];
	if (*s)
		h += (unsigned char)*s;
	return h;
}
static int resolver_calls;
static const char *chosen;
static unsigned long (*resolve_checksum(void))(const char *)
{
	resolver_calls++;
	unsigned a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	chosen = (d & (1u << 26)) ? "unrolled" : "simple"; /* SSE2: always there on x86-64 */
	return (d & (1u << 26)) ? sum_unrolled : sum_simple;
}
unsigned long checksum(const char *s) __attribute__((ifunc("resolve_checksum")));
static int ifunc_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	out("resolver called ");
	outn((unsigned long)resolver_calls);
	out(" time(s); checksum(\"elfld\") = ");
	outn(checksum("elfld"));
	out(" (");
	out(chosen);
	out(" version)\n");
	return 0;
}
NOLIBC_START(ifunc_main)
