#!/bin/bash
# compare.sh GENERATED.h GDB-SCRIPT LDSO
set -u
gen=$1 script=$2 ldso=$3
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
python3 "$script" "$tmp" "$ldso" /lib/x86_64-linux-gnu/libc.so.6 || { echo "FAIL the GDB reader failed"; echo "0 passed, 1 failed"; exit 1; }
# GDB's ptype/o does not show flexible array members; everything else must be identical.
a=$(grep '^#define GLIBC_' "$gen" | grep -v 'dtv_slotinfo_list__slotinfo' | sort)
b=$(grep '^#define GLIBC_' "$tmp" | sort)
n=$(echo "$a" | wc -l)
if [ "$a" = "$b" ]; then
  echo "ok   $n definitions identical (sizes, offsets, bit-fields, build-ids, version)"
else
  echo "FAIL the two readers disagree:"; diff <(echo "$a") <(echo "$b") | head -20; echo "0 passed, 1 failed"; exit 1
fi
for f in "$ldso" /lib/x86_64-linux-gnu/libc.so.6; do
  id=$(readelf -n "$f" | awk '/Build ID/ {print $3}')
  grep -q "\"$id\"" "$gen" || { echo "FAIL build-id of $f ($id) not in the header"; echo "0 passed, 1 failed"; exit 1; }
done
grep -q 'GLIBC_SIZEOF_link_map 1192' "$gen" && grep -q 'GLIBC_OFF_link_map__l_tls_modid 1152' "$gen" || { echo "FAIL link_map layout is not glibc 2.36's"; echo "0 passed, 1 failed"; exit 1; }
echo "ok   build-ids are the files'"
echo "2 passed, 0 failed"
