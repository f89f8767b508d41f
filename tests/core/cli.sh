#!/bin/bash
# The command line: exit status pass-through, argv/envp, PATH lookup, --help, usage errors, --list,
# --library-path / LD_LIBRARY_PATH / LD_PRELOAD, --argv0.
set -u
elfld=$1 dir=$2 samples=$3
pass=0 fail=0
t() { # t NAME EXPECTED-STATUS EXPECTED-OUTPUT-REGEX COMMAND...
  local name=$1 want=$2 re=$3; shift 3
  local out rc
  out=$(timeout 20 "$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && [[ $out =~ $re ]]; then pass=$((pass+1)); echo "ok   $name"
  else fail=$((fail+1)); echo "FAIL $name: status $rc (want $want), output: $out"; fi
}
t "exit status passes through" 37 '^hello 37 env:yes$' "$elfld" "$dir/hello" 37
t "exit status 0" 0 '^hello 0 a b env:yes$' "$elfld" "$dir/hello" 0 a b
t "empty environment" 0 '^hello env:no$' env -i "$elfld" "$dir/hello"
t "PROGRAM found in PATH" 5 '^hello 5 env:yes$' env PATH="$dir:/usr/bin" "$elfld" hello 5
t "not in PATH" 127 "^elfld: nosuchprog: command not found in PATH$" env PATH="$dir" "$elfld" nosuchprog
t "--help lists every option" 0 'Usage: elfld-run.*--trace.*--trace-file.*--events=.*--events-schema.*--pause-at.*--pause-objects.*--control.*--library-path.*--preload.*--audit.*--argv0.*--list.*--as-interp.*--stages.*--version' "$elfld" --help
t "no PROGRAM" 127 'no PROGRAM given' "$elfld"
t "unknown option" 127 'unknown option: --bogus' "$elfld" --bogus "$dir/hello"
t "--audit without its list" 127 'a list of audit modules must follow' "$elfld" --audit
t "unknown stage" 127 'unknown stage' "$elfld" --pause-at=nowhere "$dir/hello"
t "--list names libraries and TLS modules" 0 'libtlsa.so => .*/libtlsa.so \(0x[0-9a-f]+\) tls module 2' "$elfld" --list "$samples/tls-models"
t "--argv0" 0 '^hello 0 env:yes$' "$elfld" --argv0=renamed "$dir/hello" 0
mkdir -p "$dir/cli-lib" && cp "$samples/libtlsa.so" "$samples/libtlsdesc.so" "$dir/cli-lib/"
t "LD_LIBRARY_PATH is searched before RUNPATH" 0 "libtlsa.so => $dir/cli-lib/libtlsa.so" env LD_LIBRARY_PATH="$dir/cli-lib" "$elfld" --list "$samples/tls-models"
t "--library-path" 0 "libtlsa.so => $dir/cli-lib/libtlsa.so" "$elfld" --library-path="$dir/cli-lib" --list "$samples/tls-models"
t "LD_PRELOAD loads a library the program does not need" 0 "libcopy.so => $dir/libcopy.so" env LD_PRELOAD="$dir/libcopy.so" "$elfld" --list "$dir/hello"
t "trace shows the stages" 0 'stage begin.*stage mapped.*stage tls-allocated.*stage relocated.*stage tls-initialized.*stage protected.*stage initialized.*stage entry' "$elfld" --trace "$dir/hello"
t "--stages" 0 'begin.*entry' "$elfld" --stages
echo "$pass passed, $fail failed"
[ $fail = 0 ]
