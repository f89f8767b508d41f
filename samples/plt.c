/* plt: lazy binding, step by step. The program is linked -z lazy (as most Debian programs are), so its
 * calls into libc go through the PLT and each GOT slot is bound at the first call.
 *
 *   build/bin/elfld-run --trace=bindings build/samples/plt      one line per first call
 *   gdb -x gdbext/elfld.py --args build/bin/elfld-run build/samples/plt
 *     (gdb) break main / run / elfld got plt                    the slots, pending
 *     (gdb) step                                                into puts, through the resolver
 *     (gdb) elfld got plt                                       puts bound, strlen still pending
 *   build/bin/elfld-tui build/samples/plt                       relocs pane (3): pending -> bound
 * docs/walkthrough-gdb.md ("A first call through the PLT") follows it through. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	puts("first call of puts: PLT -> PLT0 -> _dl_runtime_resolve -> _dl_fixup -> puts");
	puts("second call of puts: PLT -> puts, through the slot the first call wrote");
	if (argc > 1) /* strlen's slot stays pending unless an argument is given */
		printf("strlen(argv[1]) = %zu\n", strlen(argv[1]));
	return 0;
}
