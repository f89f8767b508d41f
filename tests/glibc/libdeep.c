/* deepbind's library: which who() do its call and its dlsym find? */
#define _GNU_SOURCE
#include <dlfcn.h>
const char *who(void) { return "the library's who"; }
const char *call_who(void) { return who(); }
const char *dlsym_who(void) { return ((const char *(*)(void))dlsym(RTLD_DEFAULT, "who"))(); }
