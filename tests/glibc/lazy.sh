#!/bin/bash
# lazy.sh ELFLD PROGRAM: lazy binding compared with glibc's (lazy.c says what each mode does). Each case
# runs natively and under elfld-run with the same environment: stdout, stderr and status must agree;
# elfld's --bind-now must give what LD_BIND_NOW=1 gives natively.
set -u
elfld=$1 prog=$2
dir=$(dirname "$prog")
missing=$dir/lazy-missing
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
# case NAME "ENV..." "ELFLD-OPTIONS" ARGS...: native with ENV, elfld with ENV and ELFLD-OPTIONS
case_() {
	local name=$1 envs=$2 opts=$3; shift 3
	(cd "$dir" && env $envs timeout 60 "$prog" "$@" >"$tmp/n.out" 2>"$tmp/n.err"); local n=$?
	(cd "$dir" && env $envs timeout 60 "$elfld" $opts "$prog" "$@" >"$tmp/e.out" 2>"$tmp/e.err"); local e=$?
	local why=""
	cmp -s "$tmp/n.out" "$tmp/e.out" || why="stdout differs: $(diff "$tmp/n.out" "$tmp/e.out" | head -6)"
	if [[ -n ${own_error:-} ]]; then # elfld's start-up error has its own form: elfld: FILE: reason
		grep -q "^elfld: .*undefined symbol: $own_error" "$tmp/e.err" || why="$why no elfld error naming $own_error: $(cat "$tmp/e.err")"
		grep -q "undefined symbol: $own_error" "$tmp/n.err" || why="$why glibc did not refuse it: $(cat "$tmp/n.err")"
	else
		cmp -s "$tmp/n.err" "$tmp/e.err" || why="$why stderr differs: $(diff "$tmp/n.err" "$tmp/e.err" | head -6)"
	fi
	[[ $n == "$e" ]] || why="$why status native $n, elfld $e"
	[[ -s $tmp/n.out || -s $tmp/n.err ]] || why="$why (the native run printed nothing)"
	if [[ -z $why ]]; then
		pass=$((pass + 1)); echo "ok   $name (status $n): $(head -c 300 "$tmp/e.out" | tr '\n' '|')"
	else
		fail=$((fail + 1)); echo "FAIL $name: $why"
	fi
}
case_ "lazy: the slot points into the PLT until the first call" "" "" slots
case_ "LD_BIND_NOW=1: bound before main" "LD_BIND_NOW=1" "" slots
case_ "LD_BIND_NOT=1: bound at each call, never written" "LD_BIND_NOT=1" "" slots
case_ "--bind-now is LD_BIND_NOW=1" "LD_BIND_NOW=1" "--bind-now" slots
case_ "16 threads race a first call" "" "" threads
case_ "vector arguments through a first call (resolvers that wipe them)" "" "" vector
case_ "a missing function never called" "LD_LIBRARY_PATH=$missing" "" missing
case_ "a missing function called: symbol lookup error" "LD_LIBRARY_PATH=$missing" "" missing call
own_error=lazy_missing case_ "a missing function with LD_BIND_NOW=1: refused before main" \
	"LD_LIBRARY_PATH=$missing LD_BIND_NOW=1" "" missing
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
