#!/bin/bash
# compare.sh ELFLD [ELFLD-OPTIONS...] PROGRAM [ARGS...]: run PROGRAM natively and under elfld; stdout,
# stderr and exit status must be identical (the program's path appears the same way in both).
set -u
elfld=$1; shift
opts=()
while [[ $# -gt 0 && $1 == --* ]]; do opts+=("$1"); shift; done
prog=$1; shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$(dirname "$prog")"
timeout 60 "$prog" "$@" >"$tmp/n.out" 2>"$tmp/n.err"; n=$?
timeout 60 "$elfld" "${opts[@]}" "$prog" "$@" >"$tmp/e.out" 2>"$tmp/e.err"; e=$?
fail=0
cmp -s "$tmp/n.out" "$tmp/e.out" || { echo "FAIL stdout differs:"; diff "$tmp/n.out" "$tmp/e.out" | head -20; fail=1; }
cmp -s "$tmp/n.err" "$tmp/e.err" || { echo "FAIL stderr differs:"; diff "$tmp/n.err" "$tmp/e.err" | head -20; fail=1; }
[[ $n == "$e" ]] || { echo "FAIL exit status native $n, elfld $e"; fail=1; }
[[ -s $tmp/n.out || -s $tmp/n.err ]] || { echo "FAIL the program printed nothing: nothing was compared"; fail=1; }
echo "$(basename "$prog"): native exit $n, elfld exit $e, $(wc -l <"$tmp/e.out") stdout lines"
[[ $fail == 0 ]] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
