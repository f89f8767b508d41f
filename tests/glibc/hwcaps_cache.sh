#!/bin/bash
# hwcaps_cache.sh ELFLD PROGRAM LIBDIR: /etc/ld.so.cache's glibc-hwcaps entries taken as glibc takes them
# (search_cache: of the entries for a name, the glibc-hwcaps one of the best priority among the
# subdirectories searched, whose ISA level the CPU has; else the plain one; before 2.37 a legacy hwcap
# entry the CPU supports), with --glibc-hwcaps-prepend/--glibc-hwcaps-mask changing the priorities.
# Each case lays variants of LIBDIR's libhw-VARIANT.so out in a fresh directory (as hwcaps.sh does), has
# ldconfig make a cache of it (and of the system's directories), and runs PROGRAM, which finds libhw.so
# only through the cache, natively (through /lib64/ld-linux-x86-64.so.2 when the case has options) and
# under elfld-run: same stdout, stderr, status, and the same LD_DEBUG=libs tries.
# The loaders read /etc/ld.so.cache and nothing else: the runs are in a small root of their own (chroot),
# the program, elfld-run, ld.so, libc, env and the layouts, where `ldconfig -r` writes etc/ld.so.cache, so
# nothing on the machine is touched and it works in a plain chroot too (where a private mount namespace
# cannot be made). Needs root, or user namespaces (unshare -r); otherwise skipped (status 77: ctest
# reports it skipped, not passed).
set -u
elfld=$1 prog=$2 libs=$3
PATH=$PATH:/usr/sbin:/sbin
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
ns=(); [ "$(id -u)" = 0 ] || ns=(unshare -r)
command -v ldconfig >/dev/null && command -v chroot >/dev/null || { echo "SKIP: no ldconfig or chroot here"; exit 77; }
mkdir -p "$root"/{lib64,lib/x86_64-linux-gnu,etc,t}
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cp -L /lib/x86_64-linux-gnu/libc.so.6 "$root/lib/x86_64-linux-gnu/"
cp "$prog" "$root/prog"; cp "$elfld" "$root/elfld-run"; cp "$(command -v env)" "$root/env"
inroot() { "${ns[@]}" chroot "$root" /env "$@"; }
if ! inroot >/dev/null 2>"$tmp/chroot.err"; then
	echo "SKIP: cannot chroot here (needs root or user namespaces): $(cat "$tmp/chroot.err")"; exit 77
fi
pass=0 fail=0 n=0
. "$(dirname "$0")/hwcaps_lib.sh"
# case_ NAME [OPTION LIST]... SUBDIR=VARIANT...: as hwcaps.sh's, the layout in /t/dN of the root
case_() {
	local name=$1 din=/t/d$((n += 1)); local d=$root$din; shift
	local -a opts eopts
	hw_layout "$d" "$@"
	echo "$din" >"$root/etc/ld.so.conf"
	if ! "${ns[@]}" ldconfig -r "$root" -X 2>"$tmp/ldconfig.err"; then
		fail=$((fail + 1)); echo "FAIL $name: ldconfig: $(cat "$tmp/ldconfig.err")"; return
	fi
	local entries; entries=$(ldconfig -p -C "$root/etc/ld.so.cache" | grep -c '^	libhw\.so ')
	local -a native=(/prog)
	(( ${#opts[@]} )) && native=(/lib64/ld-linux-x86-64.so.2 "${opts[@]}" /prog)
	inroot "${native[@]}" >"$tmp/n.out" 2>"$tmp/n.err"; local rn=$?
	inroot /elfld-run "${eopts[@]}" /prog >"$tmp/e.out" 2>"$tmp/e.err"; local re=$?
	inroot LD_DEBUG=libs "${native[@]}" >/dev/null 2>"$tmp/n.dbg"
	inroot LD_DEBUG=libs /elfld-run "${eopts[@]}" /prog >/dev/null 2>"$tmp/e.dbg"
	tries "$tmp/n.dbg" >"$tmp/n.tries"; tries "$tmp/e.dbg" >"$tmp/e.tries"
	local why=""
	cmp -s "$tmp/n.out" "$tmp/e.out" && cmp -s "$tmp/n.err" "$tmp/e.err" && [ "$rn" = "$re" ] && [ -s "$tmp/n.out" ] ||
		why="native ($rn) $(cat "$tmp/n.out" "$tmp/n.err" | tr '\n' ' '), elfld ($re) $(cat "$tmp/e.out" "$tmp/e.err" | tr '\n' ' ')"
	grep -q "trying file=$din/" "$tmp/n.tries" && cmp -s "$tmp/n.tries" "$tmp/e.tries" ||
		why="$why LD_DEBUG=libs tries differ: $(diff "$tmp/n.tries" "$tmp/e.tries" | head -12)"
	if [ -z "$why" ]; then
		pass=$((pass + 1)); echo "ok   $name${opts[*]:+ (${eopts[*]})}: $(cat "$tmp/e.out") ($entries libhw.so entries in the cache)"
	else
		fail=$((fail + 1)); echo "FAIL $name${opts[*]:+ (${eopts[*]})}: $why"
	fi
}
all=(.=base glibc-hwcaps/x86-64-v2=v2 glibc-hwcaps/x86-64-v3=v3 glibc-hwcaps/x86-64-v4=v4)
case_ "the plain entry alone" .=base
case_ "the best level this CPU has" "${all[@]}"
case_ "v2 and the plain entry" .=base glibc-hwcaps/x86-64-v2=v2
case_ "v4 only, above the CPU's level or not" .=base glibc-hwcaps/x86-64-v4=v4
case_ "a glibc-hwcaps entry only" glibc-hwcaps/x86-64-v2=v2
case_ "a name not searched" .=base glibc-hwcaps/pre1=pre1
case_ "an ISA level no CPU has (isa9 in v3)" .=base glibc-hwcaps/x86-64-v2=v2 glibc-hwcaps/x86-64-v3=isa9
case_ "legacy x86_64 entry (taken before glibc 2.37)" .=base x86_64=legacy
case_ "legacy tls/x86_64 entry against v2" .=base tls/x86_64=legacy glibc-hwcaps/x86-64-v2=v2
case_ "mask: v2 only" --glibc-hwcaps-mask x86-64-v2 "${all[@]}"
case_ "mask: v3 and v4" --glibc-hwcaps-mask x86-64-v3:x86-64-v4 "${all[@]}"
case_ "mask: empty" --glibc-hwcaps-mask "" "${all[@]}"
case_ "mask: empty, a legacy entry" --glibc-hwcaps-mask "" "${all[@]}" x86_64=legacy
case_ "mask: a pattern is a name" --glibc-hwcaps-mask 'x86-64-v*' "${all[@]}"
case_ "prepend: one name" --glibc-hwcaps-prepend pre1 "${all[@]}" glibc-hwcaps/pre1=pre1
case_ "prepend: the priority is the list's order, not the names'" --glibc-hwcaps-prepend pre2:pre1 "${all[@]}" glibc-hwcaps/pre1=pre1 glibc-hwcaps/pre2=pre2
case_ "prepend: a name the cache lacks" --glibc-hwcaps-prepend absent:pre1 .=base glibc-hwcaps/x86-64-v2=v2 glibc-hwcaps/pre1=pre1
case_ "prepend: empty" --glibc-hwcaps-prepend "" "${all[@]}" glibc-hwcaps/pre1=pre1
case_ "prepend: a built-in name" --glibc-hwcaps-prepend x86-64-v2 "${all[@]}"
case_ "prepend: its ISA level no CPU has" --glibc-hwcaps-prepend pre1 .=base glibc-hwcaps/x86-64-v2=v2 glibc-hwcaps/pre1=isa9
case_ "prepend and mask" --glibc-hwcaps-prepend pre2 --glibc-hwcaps-mask x86-64-v2 "${all[@]}" glibc-hwcaps/pre1=pre1
echo "$pass passed, $fail failed"
[ $fail = 0 ]
