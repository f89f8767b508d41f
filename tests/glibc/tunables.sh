#!/bin/bash
# tunables.sh ELFLD PROG: PROG (tests/glibc/tunables.c) under various tunable settings, natively and under
# elfld: stdout, stderr (glibc's warnings about bad settings) and exit status must be the same.
set -u
elfld=$1 prog=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
cases=(
	""
	"GLIBC_TUNABLES=glibc.malloc.perturb=65:glibc.malloc.arena_max=1:glibc.pthread.rseq=0"
	"MALLOC_PERTURB_=66 MALLOC_ARENA_MAX=1"
	"MALLOC_PERTURB_=66 GLIBC_TUNABLES=glibc.malloc.perturb=0x43"
	"GLIBC_TUNABLES=glibc.malloc.perturb=0x43 MALLOC_PERTURB_=66"
	"GLIBC_TUNABLES=glibc.malloc.perturb=300:glibc.malloc.arena_max=1"
	"GLIBC_TUNABLES=glibc.malloc.perturb=zz:glibc.no.such=1:glibc.malloc.arena_max=1"
	"GLIBC_TUNABLES=glibc.malloc.perturb"
	"GLIBC_TUNABLES=glibc.malloc.perturb=1=2"
	"GLIBC_TUNABLES=:glibc.pthread.rseq=0:"
	"GLIBC_TUNABLES=glibc.malloc.perturb=010:glibc.malloc.arena_max=0x1"
)
for c in "${cases[@]}"; do
	read -ra vars <<<"$c"
	env "${vars[@]}" "$prog" >"$tmp/n.out" 2>"$tmp/n.err"; n=$?
	env "${vars[@]}" "$elfld" "$prog" >"$tmp/e.out" 2>"$tmp/e.err"; e=$?
	if cmp -s "$tmp/n.out" "$tmp/e.out" && cmp -s "$tmp/n.err" "$tmp/e.err" && [ $n = $e ] && [ -s "$tmp/n.out" ]; then
		echo "ok   ${c:-(no tunables)}: $(tr '\n' ' ' <"$tmp/e.out")$(head -c 60 "$tmp/e.err")"
		pass=$((pass + 1))
	else
		echo "FAIL ${c:-(no tunables)}: status native $n, elfld $e"
		diff "$tmp/n.out" "$tmp/e.out"; diff "$tmp/n.err" "$tmp/e.err"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
