/* libctora.so: needs libctorb.so, so it is initialized after it and finalized before it. */
#include "nolibc.h"
void ctorb(void);
__attribute__((constructor)) static void a_init(void) { out("libctora constructor\n"); }
__attribute__((destructor)) static void a_fini(void) { out("libctora destructor\n"); }
void ctora(void) { ctorb(); }
