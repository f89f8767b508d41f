#!/bin/bash
# jmprel_none.sh ELFLD PROG: R_X86_64_NONE in DT_JMPREL. glibc refuses it when it binds lazily (its default:
# "unexpected PLT reloc type 0x00", status 127) and accepts it with LD_BIND_NOW=1; elfld must do the same.
set -u
elfld=$1 prog=$2
fail=0
"$prog" >/dev/null 2>/tmp/jn.$$; n=$?
"$elfld" "$prog" >/dev/null 2>/tmp/je.$$; e=$?
[ $n = 127 ] && [ $e = 127 ] || { echo "FAIL exit status: native $n, elfld $e (both must be 127)"; fail=1; }
grep -q "unexpected PLT reloc type 0x00" /tmp/jn.$$ || { echo "FAIL native message: $(cat /tmp/jn.$$)"; fail=1; }
grep -q "^elfld: $prog: unexpected PLT reloc type 0x00" /tmp/je.$$ || { echo "FAIL elfld message: $(cat /tmp/je.$$)"; fail=1; }
rm -f /tmp/jn.$$ /tmp/je.$$
[ $fail = 0 ] && echo "ok   refused as glibc refuses it (status 127, unexpected PLT reloc type 0x00)"
LD_BIND_NOW=1 "$(dirname "$0")/compare.sh" "$elfld" "$prog" | sed 's/^/     /' || { echo "FAIL with LD_BIND_NOW=1"; fail=1; }
[ $fail = 0 ] && echo "2 passed, 0 failed" || echo "some failed"
exit $fail
