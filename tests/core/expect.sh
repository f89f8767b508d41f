#!/bin/bash
# expect.sh ELFLD STATUS EXPECTED PROGRAM [ARGS]: PROGRAM under elfld prints EXPECTED on stdout, nothing on
# stderr, and exits with STATUS. (For freestanding programs that use __tls_get_addr the system loader
# cannot be the reference: without libc it fails to initialise its own malloc.)
set -u
elfld=$1 status=$2 expected=$3; shift 3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
timeout 20 "$elfld" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
fail=0
diff -u "$expected" "$tmp/out" || { echo "FAIL stdout differs from $expected"; fail=1; }
[ -s "$tmp/err" ] && { echo "FAIL unexpected stderr:"; cat "$tmp/err"; fail=1; }
[ "$rc" = "$status" ] || { echo "FAIL exit status $rc, want $status"; fail=1; }
[ $fail = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
