#!/bin/bash
# ldd.sh ELFLD MISSING-PROG STATIC-PROG LIBRARY: what ldd asks of the loader, against glibc's own loader.
#  - LD_TRACE_LOADED_OBJECTS=1 PROG: the objects in glibc's format (a missing library "=> not found"),
#    status 0, the program not run; addresses are masked (they move from run to run);
#  - --verify FILE: 0 for a program, 2 for a library, 1 for a static program or a file that is not ELF;
#  - ldd itself run under elfld-run --as-interp, where elfld is the /lib64/ld-linux-x86-64.so.2 ldd runs;
#  - ldd -u (LD_DEBUG=unused): the direct dependencies nothing binds to, status 1 if there are any.
set -u
elfld=$1 missing=$2 static=$3 library=$4 unused=$5
ldso=/lib64/ld-linux-x86-64.so.2
pass=0 fail=0
mask() { sed -E 's/0x[0-9a-f]{8,}/0xADDR/g'; }
same() { # what, native output, elfld output
	if [ "$2" = "$3" ]; then echo "ok   $1"; pass=$((pass + 1)); else
		echo "FAIL $1"; diff <(echo "$2") <(echo "$3") | head -10; fail=$((fail + 1)); fi
}
for p in /bin/ls "$missing"; do
	n=$(LD_TRACE_LOADED_OBJECTS=1 "$p" 2>&1 | mask; echo "status ${PIPESTATUS[0]}")
	e=$(LD_TRACE_LOADED_OBJECTS=1 "$elfld" "$p" 2>&1 | mask; echo "status ${PIPESTATUS[0]}")
	same "LD_TRACE_LOADED_OBJECTS=1 $(basename "$p")" "$n" "$e"
done
echo "$e" | grep -q 'libver.so => not found' || { echo "FAIL the missing library is not listed as not found"; fail=$((fail + 1)); }
lib=$(ldd /bin/ls | awk '/libc.so.6/ {print $3}')
for f in /bin/ls "$lib" "$library" "$static" /etc/passwd /nonexistent; do
	$ldso --verify "$f" >/dev/null 2>&1; n=$?
	"$elfld" --verify "$f" >/dev/null 2>&1; e=$?
	same "--verify $f: status $n" "$n" "$e"
done
for p in /bin/ls "$missing"; do
	same "ldd $(basename "$p") under elfld-run --as-interp" "$(ldd "$p" 2>&1 | mask; echo "status $?")" \
		"$("$elfld" --as-interp /bin/bash /usr/bin/ldd "$p" 2>&1 | mask; echo "status $?")"
done
for p in /bin/ls "$unused"; do
	n=$(LD_TRACE_LOADED_OBJECTS=1 LD_DEBUG=unused "$p" 2>&1; echo "status $?")
	same "LD_DEBUG=unused $(basename "$p")" "$n" \
		"$(LD_TRACE_LOADED_OBJECTS=1 LD_DEBUG=unused "$elfld" "$p" 2>&1; echo "status $?")"
	same "ldd -u $(basename "$p") under elfld-run --as-interp" "$(ldd -u "$p" 2>&1; echo "status $?")" \
		"$("$elfld" --as-interp /bin/bash /usr/bin/ldd -u "$p" 2>&1; echo "status $?")"
done
echo "$n" | grep -q 'libdltest.so' || { echo "FAIL ldd -u names no unused library: nothing was compared"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ $fail = 0 ]
