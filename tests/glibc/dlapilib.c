/* The libraries of dlapi.c, one source built several times (tests/glibc/CMakeLists.txt picks the part):
 *   LIB_TLS       libdlapi_tls.so      GD-model __thread variable, a function, a data object
 *   LIB_NOTLS     libdlapi_notls.so    nothing thread-local
 *   LIB_GLOB      libdlapi_glob.so     defines glob_fn/glob_var
 *   LIB_NEEDGLOB  libdlapi_needglob.so uses glob_fn/glob_var without depending on libdlapi_glob.so
 *   LIB_LAZY      libdlapi_lazy.so     calls a function nothing defines (linked -z lazy)
 *   LIB_COUNTER   libdlapi_nodel.so, libdlapi_del.so, libdlapi_nodel2.so: constructor and call counters
 *   LIB_CTOR_A/B/C libdlapi_ctora.so (needs ctorc, then ctorb), ctorb (needs ctorc), ctorc */
#include <stdio.h>

#if defined LIB_TLS
__thread int tls_counter = 7;
int lib_data = 5;
int lib_fn(int x) { return x * 3 + lib_data; }
int tls_next(void) { return tls_counter++; }
int *tls_addr(void) { return &tls_counter; }

#elif defined LIB_NOTLS
int notls_fn(void) { return 1; }

#elif defined LIB_GLOB
int glob_var = 40;
int glob_fn(void) { return 2; }

#elif defined LIB_NEEDGLOB
extern int glob_var;
int glob_fn(void);
int needglob_fn(void) { return glob_fn() + glob_var; }

#elif defined LIB_LAZY
void undefined_fn(void);
int lazy_ok(void) { return 3; }
void lazy_bad(void) { undefined_fn(); }

#elif defined LIB_COUNTER
static int ctor_runs, calls;
__attribute__((constructor)) static void ctor(void) { ctor_runs++; }
int counter_ctors(void) { return ctor_runs; }
int counter_calls(void) { return ++calls; }

#elif defined LIB_CTOR_A || defined LIB_CTOR_B || defined LIB_CTOR_C
#if defined LIB_CTOR_A
#define N "a"
#elif defined LIB_CTOR_B
#define N "b"
#else
#define N "c"
int c_fn(void) { return 99; }
#endif
__attribute__((constructor)) static void ctor(void) { printf("  ctor %s\n", N); }
__attribute__((destructor)) static void dtor(void) { printf("  dtor %s\n", N); }
#else
#error "which library?"
#endif
