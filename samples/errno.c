/* errno the way glibc does it: a thread-local `my_errno` in liberrno.so, which this program reaches
 * initial-exec (R_X86_64_TPOFF64 in the program's GOT). The library's syscall wrapper stores the error
 * there; the program reads it after a failing open. */
#include "nolibc.h"
extern __thread int my_errno __attribute__((tls_model("initial-exec")));
long my_open(const char *path);
static int errno_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	long fd = my_open("/nonexistent/file");
	out("open returned ");
	out(fd < 0 ? "-1" : "a descriptor");
	out(", my_errno = ");
	outn((unsigned long)my_errno);
	out(my_errno == 2 ? " (ENOENT)\n" : "\n");
	return 0;
}
NOLIBC_START(errno_main)
