#!/bin/bash
# Regenerates tests/fuzz/corpus/: the seed inputs of fuzz-load, stripped copies of built samples, one per
# loading mechanism (TLS in every model, TLSDESC, IRELATIVE, versions, ET_EXEC with COPY, DT_TEXTREL,
# a SysV-only hash table, a glibc PIE). Usage: tests/fuzz/make-corpus.sh [BUILD-DIR]   (default: build)
set -eu
cd "$(dirname "$0")/../.."
b=${1:-build}
out=tests/fuzz/corpus
rm -rf "$out" && mkdir -p "$out"
for f in samples/tls-models samples/libtlsa.so samples/libtlsdesc.so samples/ifunc samples/versioned \
         samples/libver.so samples/hello-glibc tests/core/exec tests/core/libtextrel.so tests/core/libsysv.so; do
  strip -o "$out/$(basename "$f")" "$b/$f"
done
ls -l "$out"
