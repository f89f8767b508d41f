#!/bin/bash
# audit.sh ELFLD DIR: LD_AUDIT (rtld-audit(7)) compared with the native loader: stdout, stderr and exit
# status of DIR/audit run with DIR/libauditmod.so, a module that prints every callback it gets (names, not
# addresses): la_version, la_objsearch, la_objopen, la_activity, la_symbind64 (lazy, LD_BIND_NOW, dlsym, an
# address changed), la_preinit, la_objclose; la_version refusing or asking too much; modules that cannot
# be loaded (missing, no la_version, not ELF); two modules; dlopen/dlsym/dlerror in a module's
# constructor; la_objsearch renaming and refusing a library; dlmopen (into a module's namespace, then a new
# one, closed); elfld's --audit; a program naming modules (DT_AUDIT, DT_DEPAUDIT); ldd; LD_DEBUG;
# la_pltenter/la_pltexit (libauditplt.so: arguments, return values, a changed address, a C++ exception
# through the trampoline); sotruss.
# Normalized: the pid of glibc's ERROR and LD_DEBUG lines, and hexadecimal numbers where they are
# addresses (ldd's list, LD_DEBUG, sotruss's arguments).
set -u
elfld=$1 dir=$2
cd "$dir" || exit 1
export LD_LIBRARY_PATH=$dir # (the modules' own libc search then marks the same directories missing)
mod=$dir/libauditmod.so
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 prog=audit
norm() { sed -E 's/^ *[0-9]+:\t/PID:\t/' "$1" | if [[ ${hexerr:-} ]]; then sed -E 's/0x[0-9a-f]+/0x./g'; else cat; fi; }
case_() { # name, env assignments..., --, args...
	local name=$1; shift
	local envs=() opts=()
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done; shift
	while [[ $# -gt 0 && $1 == --audit* ]]; do opts+=("$1"); shift; done
	local nenv=("${envs[@]}")
	if [[ ${#opts[@]} -gt 0 ]]; then nenv+=("LD_AUDIT=${opts[0]#--audit=}"); fi
	env "${nenv[@]}" ./$prog "$@" >"$tmp/n.out" 2>"$tmp/n.err"; local n=$?
	env "${envs[@]}" "$elfld" "${opts[@]}" ./$prog "$@" >"$tmp/e.out" 2>"$tmp/e.err"; local e=$?
	local bad=0
	if [[ ${addrs:-} ]]; then sed -i -E 's/\(0x[0-9a-f]+\)/(ADDR)/' "$tmp/n.out" "$tmp/e.out"; fi # (ldd's list)
	cmp -s "$tmp/n.out" "$tmp/e.out" || { echo "FAIL $name: stdout differs"; diff "$tmp/n.out" "$tmp/e.out" | head -10; bad=1; }
	diff <(norm "$tmp/n.err") <(norm "$tmp/e.err") >"$tmp/d" || { echo "FAIL $name: stderr differs"; head -20 "$tmp/d"; bad=1; }
	[[ $n == "$e" ]] || { echo "FAIL $name: exit status native $n, elfld $e"; bad=1; }
	[[ -s $tmp/n.err ]] || { echo "FAIL $name: nothing on stderr natively: nothing was audited"; bad=1; }
	if [[ $bad == 0 ]]; then echo "ok   $name ($(wc -l <"$tmp/e.err") lines on stderr, status $e)"; pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
case_ "lazy bindings"                     "LD_AUDIT=$mod" --
case_ "LD_BIND_NOW"                       "LD_AUDIT=$mod" LD_BIND_NOW=1 --
case_ "la_symbind64 changes an address"   "LD_AUDIT=$mod" AUDIT_ALT=1 --
case_ "la_version returns 0"              "LD_AUDIT=$mod" AUDIT_VERSION=0 --
case_ "la_version asks for version 99"    "LD_AUDIT=$mod" AUDIT_VERSION=99 --
case_ "modules that cannot be loaded"     "LD_AUDIT=/nonexistent/x.so:libm.so.6:/etc/passwd::$mod" --
case_ "two modules"                       "LD_AUDIT=$mod:$mod" --
case_ "dlopen, dlsym, dlerror in a module's constructor" "LD_AUDIT=$mod" AUDIT_CTOR=1 --
case_ "every la_objsearch, two modules"   LD_AUDIT=libauditmod.so:libauditmod.so AUDIT_ALLSEARCH=1 -- dlmopen
case_ "la_objsearch renames a library"    "LD_AUDIT=$mod" AUDIT_REDIRECT=1 -- libauditee-missing.so
case_ "la_objsearch refuses a library"    "LD_AUDIT=$mod:$mod" AUDIT_REDIRECT=1 -- libauditee-refused.so
case_ "dlmopen and the module's namespace" "LD_AUDIT=$mod" -- dlmopen
case_ "dlmopen, dlclose of the namespace"  "LD_AUDIT=$mod" -- dlmopen close
case_ "elfld-run --audit"                 X=1 -- "--audit=$mod"
prog=audit-dt case_ "DT_AUDIT and DT_DEPAUDIT"     X=1 --
addrs=1 case_ "LD_TRACE_LOADED_OBJECTS (ldd)"    "LD_AUDIT=$mod" LD_TRACE_LOADED_OBJECTS=1 --
hexerr=1 case_ "LD_DEBUG=files,libs"          "LD_AUDIT=$mod" LD_DEBUG=files,libs --
plt=$dir/libauditplt.so
case_ "la_pltenter and la_pltexit"        "LD_AUDIT=$plt" --
case_ "la_pltenter changes the address"   "LD_AUDIT=$plt" AUDIT_ALT=1 --
case_ "PLT hooks and LD_BIND_NOW"         "LD_AUDIT=$plt" LD_BIND_NOW=1 --
case_ "PLT hooks, two modules"            "LD_AUDIT=$plt:$mod" --
prog=audit-throw case_ "C++ exception through la_pltexit's frame" "LD_AUDIT=$plt" --
# sotruss (glibc's script: LD_AUDIT=sotruss-lib.so, then exec of its arguments) traces calls under elfld as
# natively: `sotruss elfld-run PROG` against `sotruss PROG`; the arguments it prints are addresses.
if command -v sotruss >/dev/null; then
	for o in "" -e; do
		sotruss $o ./audit >"$tmp/n.out" 2>"$tmp/n.err"; n=$?
		sotruss $o "$elfld" ./audit >"$tmp/e.out" 2>"$tmp/e.err"; e=$?
		hex() { sed -E 's/0x[0-9a-f]+/0x./g' "$1"; }
		if cmp -s "$tmp/n.out" "$tmp/e.out" && diff <(hex "$tmp/n.err") <(hex "$tmp/e.err") && [[ $n == "$e" && -s $tmp/n.err ]]; then
			echo "ok   sotruss $o ($(wc -l <"$tmp/e.err") calls traced)"; pass=$((pass + 1))
		else
			echo "FAIL sotruss $o (status $n, $e)"; diff <(hex "$tmp/n.err") <(hex "$tmp/e.err") | head; fail=$((fail + 1))
		fi
	done
else
	echo "(no sotruss here: not compared)"
fi
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
