#include <stddef.h>
static int plus_one(int x) { return x + 1; }
static int plus_two(int x) { return x + 2; }
static volatile int choose = 1;
static void *resolve_lib(void) { return choose ? (void *)plus_two : (void *)plus_one; }
int lib_ifn(int) __attribute__((ifunc("resolve_lib")));
/* The library compares the program's pointer with its own view of the IFUNC's address. */
int lib_call_ptr(int (*f)(int), int x) { return f(x) * 10 + (f == lib_ifn); }
