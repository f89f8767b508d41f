/* Only .tbss, no .tdata, in the program and in its library: mold puts such a PT_TLS (p_filesz 0) and
 * the start of PT_GNU_RELRO a few bytes below the first writable PT_LOAD; lld puts it where no PT_LOAD is. */
#include <stdio.h>
__thread int tb;
extern __thread short lib_tb;
int lib_tb_bump(void);
int main(void)
{
	tb += 5;
	lib_tb += 2;
	printf("tb=%d lib_tb=%d bump=%d\n", tb, lib_tb, lib_tb_bump());
	return 0;
}
