/* A preloaded library: says so from its constructor. */
#include <stdio.h>
__attribute__((constructor)) static void ctor(void) { printf("preloaded library's constructor\n"); }
