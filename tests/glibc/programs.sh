#!/bin/bash
# Ordinary Debian programs doing real work under elfld, compared with native runs (output + exit status).
set -u
elfld=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
seq 1 2000 | shuf --random-source=<(yes) >"$tmp/nums"
pass=0 fail=0
check() {
  local prog
  prog=$(command -v -- "$1") || { echo "FAIL $1 not installed (.ci/run installs it)"; fail=$((fail+1)); return; }
  shift
  local n e
  n=$(cd "$tmp" && timeout 30 "$prog" "$@" 2>&1; echo "rc=$?")
  e=$(cd "$tmp" && timeout 30 "$elfld" "$prog" "$@" 2>&1; echo "rc=$?")
  if [[ "$n" == "$e" ]]; then pass=$((pass+1)); echo "ok   $prog $*"
  else fail=$((fail+1)); echo "FAIL $prog $*"; diff <(echo "$n") <(echo "$e") | head -10; fi
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
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
