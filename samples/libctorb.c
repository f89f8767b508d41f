/* libctorb.so: an old-style DT_INIT function (-Wl,-init) as well as a constructor (DT_INIT_ARRAY). */
#include "nolibc.h"
void b_init_old(void) { out("libctorb DT_INIT\n"); }
__attribute__((constructor)) static void b_init(void) { out("libctorb constructor\n"); }
__attribute__((destructor)) static void b_fini(void) { out("libctorb destructor\n"); }
void ctorb(void) {}
