/* Freestanding hello: prints its arguments and the number of environment variables it got, exits with
 * argv[1] (exit status pass-through). No libraries, no TLS. */
#include "nolibc.h"
static int hello_main(int argc, char **argv)
{
	out("hello");
	for (int i = 1; i < argc; i++) {
		out(" ");
		out(argv[i]);
	}
	char **envp = argv + argc + 1;
	int n = 0;
	while (envp[n])
		n++;
	out(n > 0 ? " env:yes\n" : " env:no\n");
	int st = 0;
	if (argc > 1)
		for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
			st = st * 10 + (*p - '0');
	return st;
}
NOLIBC_START(hello_main)
