#!/bin/bash
# lddebug.sh ELFLD DIR: LD_DEBUG compared with glibc's loader. Each case runs a program of DIR natively and
# under elfld-run with the same environment; stdout, exit status and the debug output must agree once
# normalized as follows (each normalization is something that must differ):
#  1. the "     PID:\t" prefix: the pids differ -> "PID:\t";
#  2. files: the addresses on the "dynamic:"/"entry:" lines (where things were mapped) -> ADDR (the size
#     and phnum stay);
#  3. statistics: the numbers (cycles are elfld's own; the lookup counts include ld.so's own below), and a
#     percentage's leading zero (glibc prints "( .3%)" as ".N" after the first, elfld "0.3");
#  3b. tls (2.43): the TCB addresses and thread ids of ld.so's and libc's TCB lines (where each thread's
#      TCB was allocated, which thread);
#  4. glibc 2.36's ld.so relocates itself against libc (_dl_catch_exception & co., "binding file
#     /lib64/ld-linux-x86-64.so.2 ... to libc.so.6"); elfld, which is that ld.so, has nothing of its own to
#     relocate: those lookups and bindings are taken out of the native output (2.41+ has none).
# LD_DEBUG_OUTPUT: the file FILE.PID of each run is compared the same way.
set -u
elfld=$(realpath "$1") dir=$(realpath "$2")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
rtld=/lib64/ld-linux-x86-64.so.2

# the symbols of the system ld.so's own symbolic relocations (what its own relocation looks up; 2.36: its
# PLT slots for _dl_catch_exception & co., which libc may interpose)
own=$(readelf -r -W "$rtld" | awk '$3 ~ /^R_X86_64_/ && $3 != "R_X86_64_RELATIVE" && $5 != "" { sub(/@.*/, "", $5); print $5 }' | tr '\n' '|')
normalize() { # FILE: the normalized text on stdout
	sed -E -e 's/^ *[0-9]+:\t/PID:\t/' \
		-e '/^PID:\t  (dynamic|  entry):/s/0x[0-9a-f]{16}/ADDR/g' \
		-e '/(cycles|number of)/s/[0-9]+/N/g' -e 's/\(N?\.N%\)/(N.N%)/' \
		-e '/^PID:\t(TCB|TLS TCB|Thread starting)/{s/0x[0-9a-f]+/ADDR/g;s/TID=[0-9]+/TID=N/g}' "$1" |
		awk -v own="|$own" -v rtld="$rtld" '
			/binding file / && index($0, "binding file " rtld " [0] to ") { next }
			/symbol=/ { s = $0; sub(/.*symbol=/, "", s); sub(/;.*/, "", s); if (own != "|" && index(own, "|" s "|")) next }
			{ print }'
}

# case NAME "ENV..." PROGRAM ARGS...
case_() {
	local name=$1 envs=$2 prog=$3; shift 3
	rm -rf "$tmp/n" "$tmp/e"; mkdir "$tmp/n" "$tmp/e"
	# (env after timeout: only the program sees LD_DEBUG)
	(cd "$dir" && timeout 60 env ${envs//@OUT@/$tmp/n/out} "$dir/$prog" "$@" >"$tmp/n.out" 2>"$tmp/n.err"); local n=$?
	(cd "$dir" && timeout 60 env ${envs//@OUT@/$tmp/e/out} "$elfld" "$dir/$prog" "$@" >"$tmp/e.out" 2>"$tmp/e.err"); local e=$?
	local why=""
	cmp -s "$tmp/n.out" "$tmp/e.out" || why="stdout differs: $(diff "$tmp/n.out" "$tmp/e.out" | head -8)"
	normalize "$tmp/n.err" >"$tmp/n.norm"; normalize "$tmp/e.err" >"$tmp/e.norm"
	cmp -s "$tmp/n.norm" "$tmp/e.norm" || why="$why stderr differs: $(diff "$tmp/n.norm" "$tmp/e.norm" | head -12)"
	if [[ $envs == *@OUT@* ]]; then
		local nf=("$tmp"/n/out.*) ef=("$tmp"/e/out.*)
		[[ ${#nf[@]} == 1 && -f ${nf[0]} && ${#ef[@]} == 1 && -f ${ef[0]} ]] ||
			why="$why LD_DEBUG_OUTPUT: files native ${nf[*]##*/}, elfld ${ef[*]##*/}"
		[[ ${ef[0]##*/} =~ ^out\.[0-9]+$ ]] || why="$why LD_DEBUG_OUTPUT: not FILE.PID: ${ef[0]##*/}"
		if [[ -z $why ]]; then
			normalize "${nf[0]}" >"$tmp/n.norm"; normalize "${ef[0]}" >"$tmp/e.norm"
			[[ -s $tmp/n.norm ]] || why="$why (the native LD_DEBUG_OUTPUT file is empty)"
			cmp -s "$tmp/n.norm" "$tmp/e.norm" || why="$why LD_DEBUG_OUTPUT differs: $(diff "$tmp/n.norm" "$tmp/e.norm" | head -12)"
		fi
	fi
	[[ $n == "$e" ]] || why="$why status native $n, elfld $e"
	[[ -s $tmp/n.err || -s $tmp/n.out || $envs == *@OUT@* ]] || why="$why (the native run printed nothing)"
	if [[ -z $why ]]; then
		pass=$((pass + 1)); echo "ok   $name (status $n, $(wc -l <"$tmp/n.norm") debug lines)"
	else
		fail=$((fail + 1)); echo "FAIL $name: $why"
	fi
}

case_ help "LD_DEBUG=help" hello
case_ help-among-others "LD_DEBUG=libs,help" hello
case_ unknown "LD_DEBUG=nonsense" hello
case_ unknown-and-known "LD_DEBUG=libs,,bogus:reloc" hello
for c in libs files reloc bindings symbols versions scopes statistics all; do
	case_ "$c-hello" "LD_DEBUG=$c" hello
done
# lazy: a library found through the program's RUNPATH; bindings at the first call (lazy binding)
for c in libs files bindings symbols reloc all; do
	case_ "$c-lazy" "LD_DEBUG=$c" lazy
done
case_ bind-now-bindings "LD_DEBUG=bindings LD_BIND_NOW=1" lazy
# a search through LD_LIBRARY_PATH (the directory exists, the library is not there) and the default paths
case_ libs-library-path "LD_DEBUG=libs LD_LIBRARY_PATH=$dir/hw:/nonexistent" lazy
case_ separators "LD_DEBUG=files:bindings,symbols" hello
# dlopen, dlclose and destructors: dynamically loaded by, opening, closing, calling fini
case_ dlopen-files "LD_DEBUG=files" dlfini
case_ dlopen-all "LD_DEBUG=libs,files,reloc,bindings,symbols,versions,statistics" dlfini
# dlmopen: namespace numbers, ld.so's proxy in each namespace, relocation dependencies, lookup errors,
# a failed dlopen undone, static TLS given back
case_ dlmopen-files-libs "LD_DEBUG=files,libs" dlmopen
# tls: 2.43's TCB lines (ld.so's and libc's, threads created and joined); before 2.43 glibc's warning
case_ tls-threads "LD_DEBUG=tls" threads
# a dlopen's scopes (the new object's, then each of its search list's, "add ... to global scope"), with
# RTLD_DEEPBIND and dlopen inside constructors and destructors
for p in dlfini deepbind dlnest; do
	case_ "scopes-$p" "LD_DEBUG=scopes" $p
done
case_ output-file "LD_DEBUG=libs,files LD_DEBUG_OUTPUT=@OUT@" hello
case_ output-file-bindings "LD_DEBUG=bindings LD_DEBUG_OUTPUT=@OUT@" lazy
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
