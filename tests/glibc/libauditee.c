/* Libraries for the glibc-audit test: libauditee.so (needed by the program), libauditee2.so (dlopened). */
#include <stdio.h>
#ifdef SECOND
int auditee2_value(void) { return 2; }
#else
__thread int auditee_tls = 7; /* the program reads it initial-exec: a static block, though loaded after the
			       * audit modules set up the thread pointer */
int auditee_which(void) { return 1; }
int auditee_add(int a, int b) { return a + b; }
double auditee_scale(double x, double y) { return x * y; }
#endif
