/* Linked with --unresolved-symbols=ignore-all: `missing` leaves an R_X86_64_NONE in DT_JMPREL. */
#include <stdio.h>
void missing(void);
int main(int argc, char **argv) { (void)argv; puts("hello"); if (argc > 5) missing(); return 0; }
