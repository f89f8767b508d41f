#!/bin/bash
# Bad input: each case must end with exactly one line "elfld: FILE: reason" on stderr, exit status 127,
# no signal, no hang. The malformed files are made here from a real program (tests/core/hello).
set -u
elfld=$1 dir=$2 samples=$3
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
src=$dir/hello
pass=0 fail=0
mk() { cp "$src" "$tmp/$1" && chmod 755 "$tmp/$1"; }
poke() { # poke FILE OFFSET HEXBYTES
  printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
t() { # t NAME FILE-IN-MESSAGE REASON-REGEX COMMAND...
  local name=$1 file=$2 re=$3; shift 3
  local err rc lines
  err=$(timeout 10 "$@" 2>&1 >/dev/null); rc=$?
  lines=$(printf '%s\n' "$err" | wc -l)
  if [ "$rc" = 127 ] && [ "$lines" = 1 ] && [[ $err == "elfld: $file: "* ]] && [[ $err =~ $re ]]; then
    pass=$((pass+1)); echo "ok   $name: $err"
  else
    fail=$((fail+1)); echo "FAIL $name: status $rc, stderr: $err"
  fi
}
phoff=$(od -An -t u8 -j 32 -N 8 "$src" | tr -d ' ')
mk trunc0; : >"$tmp/trunc0";                       t "empty file" "$tmp/trunc0" "too short" "$elfld" "$tmp/trunc0"
mk trunc40; truncate -s 40 "$tmp/trunc40";         t "truncated header" "$tmp/trunc40" "truncated ELF header" "$elfld" "$tmp/trunc40"
mk trunc100; truncate -s 100 "$tmp/trunc100";      t "truncated program headers" "$tmp/trunc100" "program headers outside the file" "$elfld" "$tmp/trunc100"
mk trunc_seg; truncate -s 5000 "$tmp/trunc_seg";   t "truncated segment" "$tmp/trunc_seg" "past the end of the file" "$elfld" "$tmp/trunc_seg"
mk magic; poke "$tmp/magic" 0 7f454c47;             t "bad magic" "$tmp/magic" "bad magic" "$elfld" "$tmp/magic"
mk class; poke "$tmp/class" 4 01;                   t "32-bit class" "$tmp/class" "32-bit" "$elfld" "$tmp/class"
mk endian; poke "$tmp/endian" 5 02;                 t "big-endian" "$tmp/endian" "little-endian" "$elfld" "$tmp/endian"
mk machine; poke "$tmp/machine" 18 2800;            t "wrong machine" "$tmp/machine" "wrong machine" "$elfld" "$tmp/machine"
mk type; poke "$tmp/type" 16 0100;                  t "relocatable object" "$tmp/type" "relocatable" "$elfld" "$tmp/type"
mk version; poke "$tmp/version" 6 02;               t "bad version" "$tmp/version" "version" "$elfld" "$tmp/version"
mk phentsize; poke "$tmp/phentsize" 54 2000;        t "bad e_phentsize" "$tmp/phentsize" "e_phentsize" "$elfld" "$tmp/phentsize"
mk phoff; poke "$tmp/phoff" 32 00f0ffff00000000;    t "e_phoff outside" "$tmp/phoff" "outside the file" "$elfld" "$tmp/phoff"
# First program header's p_filesz larger than p_memsz (it is PT_PHDR or PT_LOAD in a PIE: use the PT_LOAD).
load=$(readelf -lW "$src" | awk '/^  [A-Z]/{i++} /^  LOAD/{print i-1; exit}')
off=$((phoff + load * 56))
mk filesz; poke "$tmp/filesz" $((off + 32)) ffff000000000000; t "p_filesz > p_memsz" "$tmp/filesz" "p_filesz larger than p_memsz|past the end" "$elfld" "$tmp/filesz"
mk align; poke "$tmp/align" $((off + 48)) 0300000000000000; t "alignment not a power of two" "$tmp/align" "power of two" "$elfld" "$tmp/align"
mk noload; for i in $(seq 0 12); do poke "$tmp/noload" $((phoff + i * 56)) 00000000; done
t "no PT_LOAD" "$tmp/noload" "no PT_LOAD" "$elfld" "$tmp/noload"
mkdir "$tmp/adir";                                  t "a directory" "$tmp/adir" "is a directory" "$elfld" "$tmp/adir"
mk noexec; chmod 644 "$tmp/noexec";                 t "no execute permission" "$tmp/noexec" "not executable" "$elfld" "$tmp/noexec"
t "missing file" "$tmp/none" "no such file" "$elfld" "$tmp/none"
printf '#!/bin/sh\necho hi\n' >"$tmp/script"; chmod 755 "$tmp/script"
t "a script" "$tmp/script" "is a script for /bin/sh" "$elfld" "$tmp/script"
mkdir -p "$tmp/nolib" && cp "$samples/tls-models" "$tmp/nolib/"
t "missing library" "$tmp/nolib/tls-models" "cannot find library libtlsa.so" "$elfld" "$tmp/nolib/tls-models"
cp "$samples/libtlsa.so" "$samples/libtlsdesc.so" "$tmp/nolib/"
python3 - "$tmp/nolib/libtlsa.so" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = b.find(b'lib_gd_get\0'); b[i:i + 10] = b'lib_XX_get'; open(p, 'wb').write(b)
PY
t "undefined symbol" "$tmp/nolib/tls-models" "undefined symbol: lib_gd_get" "$elfld" "$tmp/nolib/tls-models"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
