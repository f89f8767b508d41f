/* /proc/self/exe, AT_EXECFN, argv[0], program_invocation_name: native under --as-interp. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <errno.h>
int main(int c, char **v){ (void)c; char b[512]; ssize_t n = readlink("/proc/self/exe", b, sizeof b-1); b[n>0?n:0]=0; printf("exe=%s execfn=%s argv0=%s pin=%s\n", b, (char*)getauxval(AT_EXECFN), v[0], program_invocation_name); return 0; }
