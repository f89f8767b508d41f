/* A non-PIE (ET_EXEC, at 0x400000) freestanding program: fixed addresses must load, COPY relocations
 * must bring the library's data into the program, and the library must then see the program's copy. */
#include "nolibc.h"
extern int copy_value;
extern const char copy_text[];
int copy_get(void);
static int exec_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	out("copy_value=");
	outn((unsigned long)copy_value);
	out(" text=");
	out(copy_text);
	copy_value = 99;
	out(" library sees=");
	outn((unsigned long)copy_get());
	out(((unsigned long)&exec_main >> 20) == 4 ? " at 0x4xxxxx\n" : " not at 0x400000\n");
	return 0;
}
NOLIBC_START(exec_main)
