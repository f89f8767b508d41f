# Sourced by hwcaps.sh and hwcaps_cache.sh (their case_ functions): what both do with a case's arguments.

tries() { # FILE: LD_DEBUG=libs's search paths and tries, without the pid
	sed -nE 's/^ *[0-9]+:\t//; /^ *(search path=|search cache=|trying file=)/p' "$1"
}

# hw_layout DIR [OPTION LIST]... SUBDIR=VARIANT...: sets opts (ld.so's options) and eopts (the same for
# elfld-run, in turn as --OPTION=LIST and as two words, ld.so's form), and lays out $libs/libhw-VARIANT.so
# as DIR/SUBDIR/libhw.so (a VARIANT left empty makes the subdirectory only).
hw_layout() {
	local d=$1; shift
	opts=() eopts=()
	while [[ ${1:-} == --* ]]; do
		opts+=("$1" "$2")
		if (( ${#opts[@]} % 4 == 2 )); then eopts+=("$1=$2"); else eopts+=("$1" "$2"); fi
		shift 2
	done
	mkdir -p "$d"
	for spec in "$@"; do
		mkdir -p "$d/${spec%%=*}"
		[ -n "${spec#*=}" ] && cp "$libs/libhw-${spec#*=}.so" "$d/${spec%%=*}/libhw.so"
	done
}
