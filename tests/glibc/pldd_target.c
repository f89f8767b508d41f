/* pldd-target: blocks with its objects loaded (libraries needed at start-up, one dlopened) until killed,
 * for `pldd PID` (pldd.sh). Any process may ptrace it: under Yama's ptrace_scope 1 only an ancestor could,
 * and pldd is not one. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argv;
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	if (!dlopen(LIBDL, RTLD_NOW)) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	printf("ready %.3f\n", cos((double)argc)); /* libm, needed for cos */
	fflush(stdout);
	for (;;)
		pause();
}
