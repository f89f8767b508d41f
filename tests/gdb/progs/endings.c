/* How a program ends, for gdb-endings: `crash` (SIGSEGV in crash_here, with TLS live), `kill` (SIGKILL
 * from itself, as if killed from outside), `big` (5,000,000 bytes of output, then status 3). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__thread int tls_counter = 5;

__attribute__((noinline)) static void crash_here(volatile int *p)
{
	*p = tls_counter;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "crash") == 0) {
		printf("about to crash\n");
		fflush(stdout);
		crash_here(0);
	} else if (strcmp(mode, "kill") == 0) {
		printf("about to be killed\n");
		fflush(stdout);
		kill(getpid(), SIGKILL);
	} else if (strcmp(mode, "big") == 0) {
		char line[101];
		memset(line, 'x', 99);
		line[99] = '\n';
		line[100] = 0;
		for (int i = 0; i < 50000; i++)
			fputs(line, stdout);
		return 3;
	}
	return 0;
}
