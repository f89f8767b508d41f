/* Calls into a library with text relocations. */
#include "nolibc.h"
int textrel_sum(void);
static int textrel_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	out("sum=");
	outn((unsigned long)textrel_sum());
	out("\n");
	return 0;
}
NOLIBC_START(textrel_main)
