#!/bin/bash
# dlmopen_trace.sh ELFLD SAMPLES: the namespace of each object in elfld's trace and event stream, on the
# dlmopen sample (libnscount.so dlopened, then dlmopen'ed with LM_ID_NEWLM): the first copy and libc in
# namespace 0, the second copy and its own libc in namespace 1.
set -u
elfld=$1 samples=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
"$elfld" --trace=objects --events="$tmp/ev" "$samples/dlmopen" "$samples/libnscount.so" >"$tmp/out" 2>"$tmp/trace"
check "the sample ran" "grep -q 'dlmopen(LM_ID_NEWLM): namespace 1, its own copy: yes' '$tmp/out'"
# objects: (ns, name) in load order
grep -E '^object ' "$tmp/ev" | sed -E 's/.* name=([^ ]+) .* ns=([0-9]+)$/\2 \1/' >"$tmp/objs"
check "event stream: libc and the first copy in namespace 0" \
  "grep -qx '0 libc.so.6' '$tmp/objs' && grep -qx '0 libnscount.so' '$tmp/objs'"
check "event stream: the second copy and its libc in namespace 1, nothing in another" \
  "grep -qx '1 libnscount.so' '$tmp/objs' && grep -qx '1 libc.so.6' '$tmp/objs' && [ \$(grep -vc '^[01] ' '$tmp/objs') = 0 ]"
check "event stream: dlopen events name their namespace (0, 0, 1)" \
  "[ \"\$(grep -E '^dlopen ' '$tmp/ev' | sed -E 's/.* ns=(-?[0-9]+)$/\1/' | tr '\n' ' ')\" = '0 0 1 ' ]"
check "trace: the namespace-1 objects say so, the others do not" \
  "grep -qE '^elfld: \[[0-9]+\] library .*/libnscount.so \(namespace 1\)$' '$tmp/trace' &&
   grep -qE '^elfld: \[[0-9]+\] library /.*/libc.so.6 \(namespace 1\)$' '$tmp/trace' &&
   [ \$(grep -cE '^elfld: \[[0-9]+\] library .*\(namespace' '$tmp/trace') = 2 ] &&
   grep -qE 'dlopen\(.*, namespace 1\)$' '$tmp/trace'"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
