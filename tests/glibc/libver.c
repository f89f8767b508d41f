/* libver, built twice: ver2/ defines foo1@FOO_1 and foo2@FOO_2, ver1/ only foo1@FOO_1. Programs are
 * linked against ver2 and run with ver1 (RUNPATH), so FOO_2 is missing at run time. */
int foo1(void) { return 1; }
#ifdef VER2
int foo2(void) { return 2; }
#endif
