#!/bin/bash
# pldd.sh ELFLD PROG: `pldd PID` of PROG (which blocks once its objects are loaded) run natively, under
# elfld and under elfld --as-interp: the same lines (the program's path, then every object in glibc's
# order) and exit status, the PID replaced. Under plain elfld the first line names elfld-run, which is what
# the kernel ran (/proc/PID/exe, as /proc/self/exe; docs/glibc.md): it must be that and nothing else.
set -u
elfld=$1 prog=$(readlink -f "$2")
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
export LC_ALL=C
command -v pldd >/dev/null || { echo "SKIP: no pldd here (glibc's libc-bin)"; exit 77; }

# run NAME [ELFLD-ARGS...]: start PROG (natively without arguments), wait until it is ready, pldd it
run() {
	local name=$1; shift
	"$@" "$prog" >"$tmp/$name.prog" 2>&1 &
	local pid=$! i
	pids+=("$pid")
	for i in $(seq 200); do
		grep -q '^ready' "$tmp/$name.prog" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	grep -q '^ready' "$tmp/$name.prog" || { echo "FAIL $name: the program did not start:"; cat "$tmp/$name.prog"; exit 1; }
	pldd "$pid" >"$tmp/$name.out" 2>&1
	echo "status $?" >>"$tmp/$name.out"
	# --as-interp runs the program in a mount namespace of its own. Seen from outside it, in a chroot,
	# /proc/PID/exe carries the chroot's path (the kernel's path stops at that namespace's root, not at
	# ours): the same prefix as /proc/PID/root, which is what it is then compared without.
	local root
	root=$(readlink "/proc/$pid/root")
	if [[ $root != / && $(head -1 "$tmp/$name.out") == "$pid:	$root$prog" ]]; then
		echo "note $name: /proc/PID/exe is seen as $root$prog from here (a chroot's path)"
		sed -i "1s|.*|$pid:	$prog|" "$tmp/$name.out"
	fi
	sed -i "s|^$pid:|PID:|" "$tmp/$name.out"
	kill "$pid"; wait "$pid" 2>/dev/null
}

run native
if grep -q 'cannot attach' "$tmp/native.out"; then
	# pldd ptrace-attaches the process; the program allows any tracer (PR_SET_PTRACER_ANY, which covers
	# Yama's ptrace_scope 1), so only a stricter policy refuses it, and then no pldd can be compared here.
	scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo "none (no Yama)")
	echo "SKIP: pldd cannot ptrace a process here even natively (Yama ptrace_scope: $scope; uid $(id -u)):"
	cat "$tmp/native.out"
	exit 77
fi
run elfld "$elfld"
run as-interp "$elfld" --as-interp

fail=0
n=$(grep -vc '^status\|^PID:' "$tmp/native.out")
[[ $(head -1 "$tmp/native.out") == "PID:	$prog" && $n -ge 5 ]] ||
	{ echo "FAIL native pldd did not list the program and its objects:"; cat "$tmp/native.out"; fail=1; }
self=$(readlink -f "$elfld")
if [[ $(head -1 "$tmp/elfld.out") == "PID:	$self" ]]; then
	sed -i "1s|.*|PID:	$prog|" "$tmp/elfld.out"
fi
for m in elfld as-interp; do
	if cmp -s "$tmp/native.out" "$tmp/$m.out"; then
		echo "ok   $m: $n objects, as natively"
	else
		echo "FAIL $m: pldd's output differs from native (< native, > $m):"
		diff "$tmp/native.out" "$tmp/$m.out"
		fail=1
	fi
done
cat "$tmp/native.out"
[[ $fail == 0 ]] && echo "2 passed, 0 failed" || echo "some failed"
exit $fail
