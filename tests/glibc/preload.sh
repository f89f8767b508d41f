#!/bin/bash
# preload.sh ELFLD PRELOAD-LIB PROG: preloading as glibc does it, compared with native runs (stdout, stderr,
# exit status).
#  - LD_PRELOAD with a missing library and a file that is not ELF: glibc's ERROR line for each, the rest
#    preloaded, the program runs;
#  - /etc/ld.so.preload (comments, several names, a missing one), read by the loader at every start: the
#    test writes one in a private mount namespace (a copy of /etc bound over /etc), so nothing else on the
#    machine sees it; once it is written only the two runs are started (every program would preload it).
#    Needs root or user namespaces; otherwise skipped (status 77: ctest reports it skipped, not passed;
#    CI runs as root).
set -u
elfld=$1 lib=$2 prog=$3
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# two runs in a subshell that execs the program: nothing else sees LD_PRELOAD
run() { # name, command...
	local name=$1; shift
	("$@" >"$tmp/$name.out" 2>"$tmp/$name.err"); echo $? >"$tmp/$name.rc"
}
check() { # what
	local bad=0
	for x in out err rc; do cmp -s "$tmp/n.$x" "$tmp/e.$x" || { echo "FAIL $1: $x differs"; diff "$tmp/n.$x" "$tmp/e.$x" | head -8; bad=1; }; done
	grep -q "preloaded library's constructor" "$tmp/e.out" || { echo "FAIL $1: the library was not preloaded"; bad=1; }
	grep -q "cannot be preloaded" "$tmp/e.err" || { echo "FAIL $1: no ERROR line for the missing library"; bad=1; }
	[ $bad = 0 ] && echo "ok   $1: $(wc -l <"$tmp/e.err") ERROR lines, status $(cat "$tmp/e.rc"), as natively"
	return $bad
}
run n env LD_PRELOAD="libnope.so:/etc/passwd:$lib" "$prog"
run e env LD_PRELOAD="libnope.so:/etc/passwd:$lib" "$elfld" "$prog"
# (env is loaded natively in both runs: its own two ERROR lines appear in both)
check "LD_PRELOAD=libnope.so:/etc/passwd:LIB" || fail=1

ns=(unshare -m); [ "$(id -u)" = 0 ] || ns=(unshare -rm)
if ! "${ns[@]}" true 2>/dev/null; then echo "SKIP /etc/ld.so.preload: no private mount namespace here (needs root or user namespaces, and / a mount point: not in a plain chroot)"; exit 77; fi
cp -a /etc "$tmp/etc" 2>/dev/null
"${ns[@]}" bash -c '
	mount --bind "$1/etc" /etc || exit 2
	printf "# preloads for the elfld test\n%s  libnope-from-file.so\n# end\n" "$2" >/etc/ld.so.preload
	"$4" >"$1/n.out" 2>"$1/n.err"; echo $? >"$1/n.rc"
	"$3" "$4" >"$1/e.out" 2>"$1/e.err"; echo $? >"$1/e.rc"' - "$tmp" "$lib" "$elfld" "$prog" || { echo "FAIL namespace set-up"; fail=1; }
check "/etc/ld.so.preload with a comment, the library and a missing one" || fail=1
[ $fail = 0 ] && echo "2 passed, 0 failed" || echo "some failed"
exit $fail
