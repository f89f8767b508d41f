#!/bin/bash
# A library with DT_TEXTREL loads (with elfld's warning on stderr) and its code computes the right sum.
set -u
elfld=$1 prog=$2
readelf -d "$(dirname "$prog")/libtextrel.so" | grep -q TEXTREL || { echo "FAIL libtextrel.so has no DT_TEXTREL"; echo "0 passed, 1 failed"; exit 1; }
out=$("$elfld" --trace=warnings "$prog" 2>/tmp/textrel.$$); rc=$?
err=$(cat /tmp/textrel.$$); rm -f /tmp/textrel.$$
if [ "$rc" = 0 ] && [ "$out" = "sum=10" ] && [[ $err == *"has text relocations"* ]]; then
  echo "ok   text relocations applied: $out; warned: $err"; echo "1 passed, 0 failed"; exit 0
fi
echo "FAIL status $rc, stdout '$out', stderr '$err'"; echo "0 passed, 1 failed"; exit 1
