#!/bin/bash
# compare.sh GENERATED.h GDB-SCRIPT LDSO
set -u
gen=$1 script=$2 ldso=$3
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
python3 "$script" "$tmp" "$ldso" /lib/x86_64-linux-gnu/libc.so.6 || { echo "FAIL the GDB reader failed"; echo "0 passed, 1 failed"; exit 1; }
# Every definition must be identical.
# (the tunables table in its order: a tunable's id is its index)
a=$(grep '^#define GLIBC_' "$gen" | sort; grep '^	T(' "$gen")
b=$(grep '^#define GLIBC_' "$tmp" | sort; grep '^	T(' "$tmp")
n=$(echo "$a" | wc -l)
if [ "$a" = "$b" ]; then
  echo "ok   $n definitions identical (sizes, offsets, bit-fields, build-ids, version, tunables)"
else
  echo "FAIL the two readers disagree:"; diff <(echo "$a") <(echo "$b") | head -20; echo "0 passed, 1 failed"; exit 1
fi
for f in "$ldso" /lib/x86_64-linux-gnu/libc.so.6; do
  id=$(readelf -n "$f" | awk '/Build ID/ {print $3}')
  grep -q "\"$id\"" "$gen" || { echo "FAIL build-id of $f ($id) not in the header"; echo "0 passed, 1 failed"; exit 1; }
done
# An anchor outside both readers: struct link_map's size and l_tls_modid (what libthread_db reads) as
# found in each supported release's own ld.so with `gdb -batch -ex 'ptype/o struct link_map'`.
minor=$(sed -n 's/^#define GLIBC_LAYOUT_MINOR //p' "$gen")
case $minor in
  36) want="1192 1152";;
  41|43) want="1208 1168";;
  *) echo "FAIL glibc 2.$minor: no anchor for this release (add it here)"; echo "0 passed, 1 failed"; exit 1;;
esac
got="$(sed -n 's/^#define GLIBC_SIZEOF_link_map //p' "$gen") $(sed -n 's/^#define GLIBC_OFF_link_map__l_tls_modid //p' "$gen")"
[ "$got" = "$want" ] || { echo "FAIL link_map size/l_tls_modid $got, glibc 2.$minor has $want"; echo "0 passed, 1 failed"; exit 1; }
echo "ok   build-ids are the files'"
echo "2 passed, 0 failed"
