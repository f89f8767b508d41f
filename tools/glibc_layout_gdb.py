#!/usr/bin/env python3
"""Second, independent reader of glibc's private struct layouts: the same DWARF as tools/glibc-layout
(libdwarf) but through GDB's own DWARF reader, via GDB's Python type API (gdb.Type.fields(): bitpos,
bitsize, sizeof, array ranges), which does not change with GDB's printed output from one release to the
next. Writes the header format glibc-layout writes: GLIBC_SIZEOF_<type>, GLIBC_OFF_<type>__<member>
(anonymous struct/union members flattened), GLIBC_MSIZE_..., GLIBC_NELEM_... for arrays,
GLIBC_BITOFF_/BITSIZE_ for bit-fields, plus the build-ids and glibc release. tests/layout compares the two.

usage: glibc_layout_gdb.py OUT.h [LDSO [LIBC]]
"""
import os
import re
import subprocess
import sys

TYPES = ['struct link_map', 'struct rtld_global', 'struct rtld_global_ro', 'struct link_namespaces',
         'struct pthread', 'tcbhead_t', 'struct dtv_slotinfo_list', 'struct dtv_slotinfo',
         'struct r_scope_elem', 'struct r_found_version', 'struct cpu_features', 'struct cpu_features_basic',
         'struct cpuid_feature_internal', 'struct dl_exception', 'struct libname_list', 'struct r_file_id',
         'struct robust_list_head', 'tunable_t', 'tunable_type_t']

# Runs inside GDB: prints one "#define" line per fact, or "MISSING <type>".
GDB_SCRIPT = r'''
import gdb
def members(name, t, base, out):
    for f in t.fields():
        if not hasattr(f, "bitpos"):
            continue
        off = base + f.bitpos
        ft = f.type.strip_typedefs()
        if f.bitsize:
            if f.name:
                out.append("#define GLIBC_BITOFF_%s__%s %d" % (name, f.name, off))
                out.append("#define GLIBC_BITSIZE_%s__%s %d" % (name, f.name, f.bitsize))
        elif not f.name:
            if ft.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                members(name, ft, off, out)
        else:
            size, nelem = ft.sizeof, 0
            if ft.code == gdb.TYPE_CODE_ARRAY:
                lo, hi = ft.range()
                nelem = hi - lo + 1
                if nelem <= 0 or size == 0:  # flexible array member: no size, no count (as libdwarf reports it)
                    size, nelem = 0, 0
            out.append("#define GLIBC_OFF_%s__%s %d" % (name, f.name, off // 8))
            out.append("#define GLIBC_MSIZE_%s__%s %d" % (name, f.name, size))
            if nelem:
                out.append("#define GLIBC_NELEM_%s__%s %d" % (name, f.name, nelem))
for t in TYPES:
    name = t.split()[-1]
    try:
        ty = gdb.lookup_type(t)  # "struct link_map" is looked up as a struct tag, "tcbhead_t" as a typedef
    except gdb.error:
        print("MISSING " + t)
        continue
    ty = ty.strip_typedefs()
    out = []
    members(name, ty, 0, out)
    out.append("#define GLIBC_SIZEOF_%s %d" % (name, ty.sizeof))
    print("\n".join(out))
# functions whose presence changes what ld.so does (a Debian point release may backport one)
try:
    if gdb.lookup_static_symbol("_dl_debug_post_relocate") or gdb.lookup_global_symbol("_dl_debug_post_relocate"):
        print("#define GLIBC_HAS_DEBUG_POST_RELOCATE 1")
except gdb.error:
    pass
tl = gdb.parse_and_eval("tunable_list")
n = tl.type.sizeof // tl[0].type.sizeof
print("#define GLIBC_TUNABLES_COUNT %d" % n)
print("/* T(name, type_code, default, min, max, security_level or -1, environment alias) */")
def tunable(t):
    code = int(t["type"]["type_code"])
    names = [f.name for f in t.type.strip_typedefs().fields()]
    sec = int(t["security_level"]) if "security_level" in names else -1
    return " \\\n\tT(\"%s\", %d, %d, %d, %d, %d, \"%s\")" % (
        t["name"].string(), code, 0 if code == 3 else int(t["val"]["numval"]), int(t["type"]["min"]),
        int(t["type"]["max"]), sec, t["env_alias"].string())
print("#define GLIBC_TUNABLES(T)" + "".join(tunable(tl[i]) for i in range(n)))
'''


def build_id(path):
    out = subprocess.run(['readelf', '-n', path], capture_output=True, text=True, check=True).stdout
    m = re.search(r'Build ID: (\w+)', out)
    if not m:
        sys.exit(f'glibc-layout: {path}: no build-id note')
    return m.group(1)


def main():
    out_path = sys.argv[1]
    ldso = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else '/lib64/ld-linux-x86-64.so.2')
    libc = os.path.realpath(sys.argv[3] if len(sys.argv) > 3 else '/lib/x86_64-linux-gnu/libc.so.6')
    version = re.search(r'release version (\d+\.\d+)',
                        subprocess.run([libc], capture_output=True, text=True).stdout or '')
    script = 'TYPES = %r\n%s' % (TYPES, GDB_SCRIPT)
    res = subprocess.run(['gdb', '-nx', '-batch', '-ex', 'python\n' + script + '\nend', ldso],
                         capture_output=True, text=True)
    defs = [l for l in res.stdout.splitlines() if l.startswith('#define ') or l.startswith('\tT(')
            or l.startswith('/* T(')]
    missing = [l[8:] for l in res.stdout.splitlines() if l.startswith('MISSING ')]
    if missing or not defs:
        sys.exit(f'glibc-layout: {ldso}: no DWARF for {", ".join(missing) or "any type"} '
                 f'(is libc6-dbg installed? apt-get install libc6-dbg)\n{res.stderr}')
    lines = [f'/* Generated by tools/glibc_layout_gdb.py from the DWARF of {ldso}; do not edit. */',
             f'#define GLIBC_LAYOUT_LDSO_BUILD_ID "{build_id(ldso)}"',
             f'#define GLIBC_LAYOUT_LIBC_BUILD_ID "{build_id(libc)}"',
             f'#define GLIBC_LAYOUT_VERSION "{version.group(1) if version else "unknown"}"',
             f'#define GLIBC_LAYOUT_MINOR {version.group(1).split(".")[1] if version else "unknown"}'] + defs
    tmp = out_path + '.tmp'
    with open(tmp, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    os.replace(tmp, out_path)


if __name__ == '__main__':
    main()
