#!/bin/bash
# Ordinary Debian programs doing real work under elfld, compared with native runs (output + exit status).
# Packages: see .ci/run; tclsh needs the Debian package `tcl` (.ci/run must install it). clang-tidy is
# not a CI package: it is checked only where it is installed.
set -u
elfld=$1
[[ $elfld == */* && $elfld != /* ]] && elfld=$PWD/$elfld  # the runs happen in $tmp
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
seq 1 2000 | shuf --random-source=<(yes) >"$tmp/nums"
pass=0 fail=0
# check PROG ARGS...: run natively, then under elfld, both in $tmp; output and exit status must be the same.
# before='shell commands' check ...: run those (natively, in $tmp) before each of the two runs, so both
# start from the same state (for programs that change files).
check() {
  local prog
  prog=$(command -v -- "$1") || { echo "FAIL $1 not installed (.ci/run installs it)"; fail=$((fail+1)); return; }
  shift
  local n e setup=${before:-:} shown="$*"
  shown=${shown//$'\n'/ }
  n=$(cd "$tmp" && eval "$setup" && timeout 30 "$prog" "$@" 2>&1; echo "rc=$?")
  e=$(cd "$tmp" && eval "$setup" && timeout 30 "$elfld" "$prog" "$@" 2>&1; echo "rc=$?")
  if [[ "$n" == "$e" ]]; then pass=$((pass+1)); echo "ok   $prog $shown"
  else fail=$((fail+1)); echo "FAIL $prog $shown"; diff <(echo "$n") <(echo "$e") | head -10; fi
}
check ls -la /usr/share/doc/coreutils
check sort -n "$tmp/nums"
check sha256sum "$tmp/nums"
check date -d @0 -u
check readelf -hW /bin/ls
check objdump -f /bin/ls
check /usr/bin/python3 -c 'import threading, json, ctypes; t = threading.Thread(target=print, args=(json.dumps([1, 2]),)); t.start(); t.join(); f = ctypes.CDLL("libm.so.6").floor; f.restype = f.argtypes = None; f.restype = ctypes.c_double; f.argtypes = [ctypes.c_double]; print(f(2.5))'
check perl -e 'print join(",", map { $_ * 2 } 1..5), "\n"'
check cmake --version
check gdb --version
check tmux -V
check awk 'BEGIN { print 6 * 7 }'
check tar --version
check grep -c root /etc/passwd
check git --version

# Heavier workloads. gcc: only the driver runs under elfld (it execs cc1, as, collect2/ld natively).
cat >"$tmp/prog.c" <<'EOF'
#include <math.h>
#include <stdio.h>
static int unused_helper(void) { return 1; }
int main(int argc, char **argv) {
  double s = 0;
  for (int i = 1; i <= argc * 10; i++) s += sqrt(i);
  printf("argc=%d sum=%.6f last=%s\n", argc, s, argv[argc - 1]);
  return argc == 2 ? 0 : 4;
}
EOF
check gcc -Wall -O2 -S -o - prog.c
before='rm -f prog' check gcc -Wall -O2 -o prog prog.c -lm
check "$tmp/prog" x
check "$tmp/prog" x y
# git: fixed identity, dates and configuration (an empty HOME, no ~/.gitconfig, no /etc/gitconfig).
mkdir "$tmp/home"; unset XDG_CONFIG_HOME
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_COUNT=1 \
       GIT_CONFIG_KEY_0=init.defaultBranch GIT_CONFIG_VALUE_0=main \
       GIT_AUTHOR_NAME=elfld GIT_AUTHOR_EMAIL=elfld@example.org GIT_AUTHOR_DATE='2001-02-03T04:05:06Z' \
       GIT_COMMITTER_NAME=elfld GIT_COMMITTER_EMAIL=elfld@example.org GIT_COMMITTER_DATE='2001-02-03T04:05:06Z'
before='rm -rf repo' check git init -q repo
check git -C repo status --short
before='rm -rf repo && git init -q repo && echo a >repo/a && mkdir repo/d && echo b >repo/d/b && echo c >repo/c'
check git -C repo status --short
before="$before && git -C repo add a d" check git -C repo commit -m first
check git -C repo log --format='%H %an %ad %s' --date=iso-strict --stat
unset before
check bash -c '
  for i in 1 2 3 4 5; do echo $((i * i)); done | sort -rn | tr "\n" " "; echo
  (cd / && pwd; exit 3); echo "subshell rc=$?"
  x=$(echo lower | tr a-z A-Z); echo "$x ${#x}"
  declare -A m=([b]=2 [a]=1); for k in $(printf "%s\n" "${!m[@]}" | sort); do echo "$k=${m[$k]}"; done
  n=0; while read -r w; do n=$((n + ${#w})); done < <(printf "%s\n" alpha beta gamma); echo "chars=$n"
  f() { local v=$1; [[ $v == g* ]] && echo "glob $v"; return 7; }; f go; echo "f rc=$?"
  printf "%05.1f|%-4s|%x\n" 3.14159 ab 255; set -o pipefail; false | true; echo "pipefail rc=$?"'
check perl -e 'use POSIX; print floor(2.5), " ", ceil(2.5), " ", strftime("%Y-%m-%d %H:%M:%S %A %j", gmtime(1000000000)), " ", fmod(7, 3), "\n"'
cat >"$tmp/script.tcl" <<'EOF'
proc fib {n} { expr {$n < 2 ? $n : [fib [expr {$n - 1}]] + [fib [expr {$n - 2}]]} }
puts "fib(20) = [fib 20]"
foreach w {gamma alpha beta} { lappend l [string toupper $w] }
puts [lsort $l]
set d [dict create a 1 b 2]; dict incr d a 10; puts $d
puts [clock format 1000000000 -gmt 1 -format {%Y-%m-%d %H:%M:%S %A}]
puts [format %.4f [expr {sqrt(2)}]]
puts [regsub -all {[aeiou]} "elfld loads tcl" _]
package require msgcat; puts "msgcat [package present msgcat]"
EOF
check tclsh "$tmp/script.tcl"
check gdb -batch -nx -ex 'python print(1+1)' -ex 'python import sys; print(sys.version_info[0])'
check /usr/bin/python3 -c 'import sqlite3
c = sqlite3.connect(":memory:")
c.execute("create table t (k integer primary key, v text)")
c.executemany("insert into t (v) values (?)", [(str(i * i),) for i in range(1000)])
print(c.execute("select count(*), sum(k), max(length(v)), group_concat(v) from t where k < 6").fetchone())
print(c.execute("select v from t order by v desc limit 3").fetchall())'
if command -v clang-tidy >/dev/null; then check clang-tidy --version; else echo "skip clang-tidy (not installed)"; fi
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
