/* Initializer order. The loader runs this program's DT_PREINIT_ARRAY first, then the libraries'
 * DT_INIT and DT_INIT_ARRAY, dependencies before dependents (libctorb before libctora, which needs it).
 * The program's own constructors are its start-up code's job (glibc's __libc_start_main); this program has
 * no libc, so its _start calls them. At exit, the finalizer the loader passed in %rdx runs the program's
 * DT_FINI_ARRAY and then the libraries' in reverse order (as glibc's _dl_fini). */
#include "nolibc.h"
void ctora(void);
static void preinit(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	out("preinit (program's DT_PREINIT_ARRAY)\n");
}
__attribute__((section(".preinit_array"), used)) static void (*preinit_entry)(int, char **, char **) = preinit;
__attribute__((constructor)) static void prog_ctor(void) { out("program constructor (run by _start)\n"); }
__attribute__((destructor)) static void prog_dtor(void) { out("program destructor\n"); }
extern void (*__init_array_start[])(void) __attribute__((visibility("hidden")));
extern void (*__init_array_end[])(void) __attribute__((visibility("hidden")));
static int ctors_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
		(*f)();
	out("main\n");
	ctora();
	return 0;
}
NOLIBC_START(ctors_main)
