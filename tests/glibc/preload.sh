#!/bin/bash
# preload.sh ELFLD PRELOAD-LIB PROG: preloading as glibc does it, compared with native runs (stdout, stderr,
# exit status).
#  - LD_PRELOAD with a missing library and a file that is not ELF: glibc's ERROR line for each, the rest
#    preloaded, the program runs;
#  - /etc/ld.so.preload (comments, several names, a missing one), read by the loader at every start: the
#    two runs are in a small root of their own (chroot: the program, the library, elfld-run, ld.so and the
#    libraries they need), whose etc/ld.so.preload the test writes, so nothing else on the machine sees it;
#    it works in a plain chroot too (where a private mount namespace cannot be made). Needs root or user
#    namespaces (unshare -r); otherwise skipped (status 77: ctest reports it skipped, not passed; CI runs as
#    root).
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

root=$tmp/root
mkdir -p "$root/etc" "$root/t"
for f in "$prog" "$lib"; do # the files and what they need, where the loaders look for them
	for d in $(ldd "$f" | grep -oE '/[^ ]+'); do mkdir -p "$root$(dirname "$d")"; cp -L "$d" "$root$d"; done
done
cp "$prog" "$root/t/prog"; cp "$lib" "$root/t/$(basename "$lib")"; cp "$elfld" "$root/t/elfld-run"
printf "# preloads for the elfld test\n%s  libnope-from-file.so\n# end\n" "/t/$(basename "$lib")" >"$root/etc/ld.so.preload"
ns=(); [ "$(id -u)" = 0 ] || ns=(unshare -r)
inroot() { "${ns[@]}" chroot "$root" "$@"; }
if ! inroot /t/elfld-run --version >/dev/null 2>"$tmp/chroot.err"; then
	echo "SKIP /etc/ld.so.preload: cannot chroot here (needs root or user namespaces): $(cat "$tmp/chroot.err")"; exit 77
fi
run n inroot /t/prog
run e inroot /t/elfld-run /t/prog
check "/etc/ld.so.preload with a comment, the library and a missing one" || fail=1
[ $fail = 0 ] && echo "2 passed, 0 failed" || echo "some failed"
exit $fail
