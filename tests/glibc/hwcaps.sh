#!/bin/bash
# hwcaps.sh ELFLD PROGRAM LIBDIR: glibc-hwcaps subdirectories (and, before glibc 2.37, the legacy hwcap
# ones) searched in every directory as glibc does. LIBDIR holds the variants libhw-VARIANT.so; each case lays
# some of them out in a fresh directory (as libhw.so, in the subdirectory named) and runs PROGRAM with
# LD_LIBRARY_PATH there, natively and under elfld-run: the same variant must be found (stdout, stderr,
# status), whatever this CPU supports.
set -u
elfld=$1 prog=$2 libs=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
case_() { # case_ NAME SUBDIR=VARIANT...
	local name=$1 d=$tmp/$RANDOM$RANDOM; shift
	mkdir -p "$d"
	for spec in "$@"; do
		mkdir -p "$d/${spec%%=*}"
		cp "$libs/libhw-${spec#*=}.so" "$d/${spec%%=*}/libhw.so"
	done
	LD_LIBRARY_PATH=$d "$prog" >"$tmp/n.out" 2>"$tmp/n.err"; local n=$?
	LD_LIBRARY_PATH=$d "$elfld" "$prog" >"$tmp/e.out" 2>"$tmp/e.err"; local e=$?
	if cmp -s "$tmp/n.out" "$tmp/e.out" && cmp -s "$tmp/n.err" "$tmp/e.err" && [ "$n" = "$e" ] && [ -s "$tmp/n.out" ]; then
		pass=$((pass + 1)); echo "ok   $name: $(cat "$tmp/e.out")"
	else
		fail=$((fail + 1)); echo "FAIL $name: native ($n) $(cat "$tmp/n.out" "$tmp/n.err" | tr '\n' ' '), elfld ($e) $(cat "$tmp/e.out" "$tmp/e.err" | tr '\n' ' ')"
	fi
}
case_ "the directory alone" .=base
case_ "glibc-hwcaps/x86-64-v2 before the directory" .=base glibc-hwcaps/x86-64-v2=v2
case_ "the best level this CPU has" .=base glibc-hwcaps/x86-64-v2=v2 glibc-hwcaps/x86-64-v3=v3 glibc-hwcaps/x86-64-v4=v4
case_ "a level above the CPU's, or not (v4 only)" .=base glibc-hwcaps/x86-64-v4=v4
case_ "legacy x86_64 subdirectory (used before glibc 2.37)" .=base x86_64=legacy
case_ "legacy tls/x86_64 against glibc-hwcaps v2" .=base tls/x86_64=legacy glibc-hwcaps/x86-64-v2=v2
case_ "an unknown glibc-hwcaps name is not searched" .=base glibc-hwcaps/x86-64-v9=v4
echo "$pass passed, $fail failed"
[ $fail = 0 ]
