#!/bin/bash
# hwcaps.sh ELFLD PROGRAM LIBDIR: glibc-hwcaps subdirectories (and, before glibc 2.37, the legacy hwcap
# ones) searched in every directory as glibc does, with ld.so's --glibc-hwcaps-prepend and
# --glibc-hwcaps-mask. LIBDIR holds the variants libhw-VARIANT.so; each case lays some of them out in a
# fresh directory (as libhw.so, in the subdirectory named) and runs PROGRAM with LD_LIBRARY_PATH there,
# natively (through /lib64/ld-linux-x86-64.so.2 when the case has options) and under elfld-run: the same
# variant must be found (stdout, stderr, status), whatever this CPU supports, after the same tries
# (LD_DEBUG=libs: the search paths and the files tried, in order). Then --list-hwcaps against what
# ld.so --help says of the subdirectories.
set -u
elfld=$1 prog=$2 libs=$3
rtld=/lib64/ld-linux-x86-64.so.2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 as_interp=
result() { # NAME WHY (empty: ok) WHAT
	if [ -z "$2" ]; then
		pass=$((pass + 1)); echo "ok   $1: $3"
	else
		fail=$((fail + 1)); echo "FAIL $1: $2"
	fi
}
. "$(dirname "$0")/hwcaps_lib.sh"
# case_ NAME [OPTION LIST]... SUBDIR=VARIANT...: ld.so's options, passed to elfld-run in turn as
# --OPTION=LIST and as two words (ld.so's form); a VARIANT left empty makes the subdirectory only
case_() {
	local name=$1 d=$tmp/$RANDOM$RANDOM; shift
	local -a opts eopts
	hw_layout "$d" "$@"
	local -a native=("$prog")
	(( ${#opts[@]} )) && native=("$rtld" "${opts[@]}" "$prog")
	LD_LIBRARY_PATH=$d "${native[@]}" >"$tmp/n.out" 2>"$tmp/n.err"; local n=$?
	LD_LIBRARY_PATH=$d "$elfld" ${as_interp:+--as-interp} "${eopts[@]}" "$prog" >"$tmp/e.out" 2>"$tmp/e.err"; local e=$?
	LD_DEBUG=libs LD_LIBRARY_PATH=$d "${native[@]}" >/dev/null 2>"$tmp/n.dbg"
	LD_DEBUG=libs LD_LIBRARY_PATH=$d "$elfld" ${as_interp:+--as-interp} "${eopts[@]}" "$prog" >/dev/null 2>"$tmp/e.dbg"
	tries "$tmp/n.dbg" >"$tmp/n.tries"; tries "$tmp/e.dbg" >"$tmp/e.tries"
	local why=""
	cmp -s "$tmp/n.out" "$tmp/e.out" && cmp -s "$tmp/n.err" "$tmp/e.err" && [ "$n" = "$e" ] && [ -s "$tmp/n.out" ] ||
		why="native ($n) $(cat "$tmp/n.out" "$tmp/n.err" | tr '\n' ' '), elfld ($e) $(cat "$tmp/e.out" "$tmp/e.err" | tr '\n' ' ')"
	grep -q 'trying file=' "$tmp/n.tries" && cmp -s "$tmp/n.tries" "$tmp/e.tries" ||
		why="$why LD_DEBUG=libs tries differ: $(diff "$tmp/n.tries" "$tmp/e.tries" | head -12)"
	result "$name${opts[*]:+ (${as_interp:+--as-interp }${eopts[*]})}" "$why" "$(cat "$tmp/e.out"), $(grep -c 'trying file=' "$tmp/e.tries") files tried"
}
all=(.=base glibc-hwcaps/x86-64-v2=v2 glibc-hwcaps/x86-64-v3=v3 glibc-hwcaps/x86-64-v4=v4)
case_ "the directory alone" .=base
case_ "glibc-hwcaps/x86-64-v2 before the directory" .=base glibc-hwcaps/x86-64-v2=v2
case_ "the best level this CPU has" "${all[@]}"
case_ "a level above the CPU's, or not (v4 only)" .=base glibc-hwcaps/x86-64-v4=v4
case_ "legacy x86_64 subdirectory (used before glibc 2.37)" .=base x86_64=legacy
case_ "legacy tls/x86_64 against glibc-hwcaps v2" .=base tls/x86_64=legacy glibc-hwcaps/x86-64-v2=v2
case_ "an unknown glibc-hwcaps name is not searched" .=base glibc-hwcaps/x86-64-v9=v4

# --glibc-hwcaps-mask: only the built-in names it lists (exact names, ':' separated, empty ones skipped)
case_ "mask: v2 only" --glibc-hwcaps-mask x86-64-v2 "${all[@]}"
case_ "mask: v3 and v2" --glibc-hwcaps-mask x86-64-v3:x86-64-v2 "${all[@]}"
case_ "mask: empty, none searched" --glibc-hwcaps-mask "" "${all[@]}" x86_64=legacy
case_ "mask: a pattern is a name, not a glob" --glibc-hwcaps-mask 'x86-64-v*' "${all[@]}"
case_ "mask: a bracket pattern neither" --glibc-hwcaps-mask 'x86-64-v[234]' "${all[@]}"
case_ "mask: empty names and unknown ones" --glibc-hwcaps-mask ::x86-64-v9::x86-64-v3: "${all[@]}"
case_ "mask: the last one given counts" --glibc-hwcaps-mask x86-64-v2 --glibc-hwcaps-mask x86-64-v3 "${all[@]}"
# --glibc-hwcaps-prepend: glibc-hwcaps/NAME for each name, first, in its order
case_ "prepend: one name" --glibc-hwcaps-prepend pre1 "${all[@]}" glibc-hwcaps/pre1=pre1
case_ "prepend: several, in order" --glibc-hwcaps-prepend absent:pre2:pre1 "${all[@]}" glibc-hwcaps/pre1=pre1 glibc-hwcaps/pre2=pre2
case_ "prepend: empty" --glibc-hwcaps-prepend "" "${all[@]}" glibc-hwcaps/pre1=pre1
case_ "prepend: empty names skipped" --glibc-hwcaps-prepend ::pre1: "${all[@]}" glibc-hwcaps/pre1=pre1
case_ "prepend: a name twice, its directory there but empty" --glibc-hwcaps-prepend pre1:pre1 "${all[@]}" glibc-hwcaps/pre1=
case_ "prepend: a built-in name goes first" --glibc-hwcaps-prepend x86-64-v2 "${all[@]}"
case_ "prepend: a name with a slash" --glibc-hwcaps-prepend ../sub .=base sub=pre2 glibc-hwcaps/other=
case_ "prepend and mask together" --glibc-hwcaps-prepend pre2 --glibc-hwcaps-mask "" .=base glibc-hwcaps/x86-64-v3=v3 glibc-hwcaps/pre1=pre1
case_ "prepend missing, mask to v3" --glibc-hwcaps-mask x86-64-v3 --glibc-hwcaps-prepend pre1 "${all[@]}"
# the options handed on to the interpreter-mode elfld (ELFLD_OPTIONS; where no mount namespace can be
# made, elfld-run loads the program itself, with the same options)
as_interp=1 case_ "prepend and mask through --as-interp" --glibc-hwcaps-prepend pre1 --glibc-hwcaps-mask x86-64-v2 "${all[@]}" glibc-hwcaps/pre1=
as_interp=1 case_ "an empty mask through --as-interp" --glibc-hwcaps-prepend pre2 --glibc-hwcaps-mask "" "${all[@]}" glibc-hwcaps/pre1=pre1

# --list-hwcaps: ld.so --help's "Subdirectories of glibc-hwcaps directories" (and, before 2.37, "Legacy
# HWCAP subdirectories") section, with the same options
list_case() { # OPTION LIST...
	"$rtld" "$@" --help 2>&1 | sed -n '/^Subdirectories of glibc-hwcaps/,$p' >"$tmp/n.list"
	"$elfld" "$@" --list-hwcaps >"$tmp/e.list" 2>&1
	local why=""
	[ -s "$tmp/n.list" ] && cmp -s "$tmp/n.list" "$tmp/e.list" || why="differs: $(diff "$tmp/n.list" "$tmp/e.list" | head -12)"
	result "--list-hwcaps $*" "$why" "the same $(wc -l <"$tmp/e.list") lines as ld.so --help's"
}
list_case
list_case --glibc-hwcaps-mask x86-64-v3
list_case --glibc-hwcaps-mask ""
list_case --glibc-hwcaps-prepend a::b --glibc-hwcaps-mask x86-64-v4:x86-64-v2:other
echo "$pass passed, $fail failed"
[ $fail = 0 ]
