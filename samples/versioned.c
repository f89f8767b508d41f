/* Symbol versions: this program calls both versions of libver.so's `greet`: the default (VER_2) by
 * name, the old one through a .symver reference to greet@VER_1. `readelf -V samples/versioned` shows
 * what it needs; `elfld-run --trace=relocs` shows which definition each slot got. */
#include "nolibc.h"
const char *greet(void);
const char *greet_old(void);
__asm__(".symver greet_old, greet@VER_1");
static int versioned_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	out("default: ");
	out(greet());
	out("\nold:     ");
	out(greet_old());
	out("\n");
	return 0;
}
NOLIBC_START(versioned_main)
