const char *const lib_names[] = { "one", "two", "three", "four", "five", 0 };
int lib_counter = 10;
static int add(int x) { return x + 100; }
static int add_again(int x) { return x + 100; } /* foldable */
static int (*const ops[])(int) = { add, add_again };
int lib_fn(int x) { return ops[0](x) + ops[1](x); }
int *lib_counter_addr(void) { return &lib_counter; }
