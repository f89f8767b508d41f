/* The glibc-audit test's program (audit.sh runs it with LD_AUDIT=libauditmod.so natively and under elfld):
 * calls into libauditee.so through its PLT, dlopens libauditee2.so (or argv[1]), dlsyms, dlcloses.
 * `audit dlmopen [close]`: dlmopen into the audit module's namespace (refused) and into a new one (then
 * dlclosed). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int auditee_which(void);
int auditee_add(int, int);
double auditee_scale(double, double);
extern __thread int auditee_tls;

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "dlmopen") == 0) { /* namespace 1 is the audit module's */
		void *h = dlmopen(1, "libauditee2.so", RTLD_NOW);
		printf("dlmopen(1): %s\n", h ? "loaded" : dlerror());
		h = dlmopen(LM_ID_NEWLM, "libauditee2.so", RTLD_NOW);
		printf("dlmopen(LM_ID_NEWLM): %s\n", h ? "loaded" : dlerror());
		if (argc > 2 && h) { /* and closed again: the namespace goes away */
			int (*v)(void) = (int (*)(void))dlsym(h, "auditee2_value");
			printf("auditee2_value %d\n", v ? v() : -1);
			dlclose(h);
		}
		return 0;
	}
	printf("which %d\n", auditee_which());
	printf("add %d\n", auditee_add(2, 3));
	printf("which again %d\n", auditee_which());
	printf("scale %g\n", auditee_scale(1.5, 4.0));
	printf("tls %d\n", auditee_tls++);
	printf("tls %d\n", auditee_tls);
	void *h = dlopen(argc > 1 ? argv[1] : "libauditee2.so", RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	int (*v)(void) = (int (*)(void))dlsym(h, "auditee2_value");
	printf("auditee2_value %d\n", v ? v() : -1);
	dlclose(h);
	fflush(stdout);
	return 0;
}
