/* libdyntls.so: a TLS counter, for dlopen-tls. */
#include <stdio.h>
__thread int value = 41;
__attribute__((constructor)) static void hello(void) { puts("libdyntls loaded"); }
__attribute__((destructor)) static void bye(void) { puts("libdyntls unloaded"); }
int next_value(void) { return ++value; }
