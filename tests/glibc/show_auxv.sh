#!/bin/bash
# show_auxv.sh ELFLD PROG: LD_SHOW_AUXV=1 prints the program's auxiliary vector in glibc's format, natively
# and under elfld: the same lines in the same order, addresses masked (they move from run to run).
set -u
elfld=$1 prog=$2
mask() { sed -E 's/0x[0-9a-f]+/0xN/; s/^(AT_EXECFN: *).*/\1PATH/'; }
n=$(LD_SHOW_AUXV=1 "$prog" | mask)
e=$(LD_SHOW_AUXV=1 "$elfld" "$prog" | mask)
if [ -n "$n" ] && [ "$n" = "$e" ] && echo "$e" | grep -q '^AT_PHDR:'; then
	echo "ok   $(echo "$e" | wc -l) lines as natively"; echo "1 passed, 0 failed"
else
	echo "FAIL"; diff <(echo "$n") <(echo "$e"); echo "0 passed, 1 failed"; exit 1
fi
