/* COPY relocations: the program's own copies of a library's variables (a PIE compiled with -fpie uses
 * them too). ext_grown is bigger in the library the program runs with than in the one it was linked
 * with (glibc copies the smaller size and says so on stderr), ext_shrunk smaller (copied silently), and
 * ext_tail's st_size (56) runs past the end of its library's writable segment, which holds 4 of them. */
#include <stdio.h>

extern int ext_var;
extern int ext_grown[4];
extern int ext_shrunk[8];
extern int ext_tail[14];
int lib_read(void);

int main(void)
{
	printf("ext_var=%d lib_read=%d\n", ext_var, lib_read());
	ext_var = 7;
	ext_grown[3] = 30;
	printf("ext_var=%d lib_read=%d\n", ext_var, lib_read());
	for (int i = 0; i < 4; i++)
		printf("grown[%d]=%d ", i, ext_grown[i]);
	for (int i = 0; i < 8; i++)
		printf("shrunk[%d]=%d ", i, ext_shrunk[i]);
	printf("\ntail[0]=%d\n", ext_tail[0]);
	return 0;
}
