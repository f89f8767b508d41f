/* libnscount.so: a counter and a thread-local counter, for the dlmopen sample. Each namespace that loads it
 * has its own copy of both (and of libc, whose malloc this copy calls). */
#include <stdlib.h>
int count;
__thread int tls_count = 100;
int bump(void) { return ++count + ++tls_count; }
void *which_malloc(void) { return (void *)malloc; }
