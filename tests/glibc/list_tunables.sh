#!/bin/bash
# list_tunables.sh ELFLD: `elfld-run --list-tunables` prints what `ld.so --list-tunables` prints: every
# tunable in ld.so's order with its value and bounds, the CPU cache ones as this machine's CPU sets them,
# with no GLIBC_TUNABLES and with some set.
set -u
elfld=$1 ldso=/lib64/ld-linux-x86-64.so.2
fail=0
for t in "" "glibc.malloc.arena_max=3:glibc.pthread.mutex_spin_count=7:glibc.malloc.perturb=999"; do
	n=$(env GLIBC_TUNABLES="$t" $ldso --list-tunables 2>&1)
	e=$(env GLIBC_TUNABLES="$t" "$elfld" --list-tunables 2>&1)
	if [ "$n" = "$e" ] && [ "$(echo "$e" | wc -l)" -gt 20 ]; then
		echo "ok   GLIBC_TUNABLES='$t': $(echo "$e" | wc -l) tunables as ld.so lists them"
	else
		echo "FAIL GLIBC_TUNABLES='$t'"; diff <(echo "$n") <(echo "$e") | head; fail=1
	fi
done
[ $fail = 0 ] && echo "2 passed, 0 failed"
exit $fail
