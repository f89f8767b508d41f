/* libgdbt-cxxnames.so: freestanding (-nostdlib), built with -fcf-protection=full so that it carries the
 * x86 IBT and SHSTK property; symbols with C++ (mangled) names: elf::counter (thread-local) and
 * elf::bump(int), called through the PLT (a JUMP_SLOT relocation naming it). */
__thread int counter __asm__("_ZN3elf7counterE") = 5;
int bump(int x) __asm__("_ZN3elf4bumpEi");
int bump(int x) { return counter += x; }
int call_bump(void) { return bump(1); }
int *counter_addr(void) { return &counter; }
