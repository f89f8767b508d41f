#!/usr/bin/env python3
"""Malformed ELF inputs, made from real binaries, and what elfld-run must answer for each.

Every case is a damaged copy of a program or library built by this project (a glibc PIE, a freestanding
PIE with TLS and its libraries). For each one elfld-run must print exactly one line
"elfld: FILE: reason" (FILE the damaged file, reason matching the case's pattern) and exit with status
127: no signal, no hang, nothing of the program run. A few cases are legal but unusual (dependency
cycles) and must simply run. With --harness, each damaged object also goes through the loader's own
parsing, symbol and relocation code built with ASan/UBSan (tests/fuzz), which fails on any byte read or
written outside the object. With --native, what the system loader does with the same file is shown
beside it (it is not asserted: glibc crashes or asserts on several of these).

usage: bad_elf.py --elfld build/bin/elfld-run --samples build/samples --glibc-hello build/tests/glibc/hello
                  [--harness build/tests/fuzz/fuzz-load] [--native] [--keep DIR] [-k PATTERN]
"""
import argparse
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_TLS, PT_PHDR, PT_GNU_RELRO = 1, 2, 3, 7, 6, 0x6474e552
DT_NEEDED, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_RELASZ, DT_STRSZ, DT_SYMENT = 1, 5, 6, 7, 8, 10, 11
DT_SONAME, DT_JMPREL, DT_PLTRELSZ, DT_GNU_HASH, DT_VERSYM, DT_VERNEED = 14, 23, 2, 0x6ffffef5, 0x6ffffff0, 0x6ffffffe
DT_NULL = 0
PH_FIELDS = ('type', 'flags', 'offset', 'vaddr', 'paddr', 'filesz', 'memsz', 'align')
PH_FMT = '<IIQQQQQQ'


class Elf:
    """A little ELF64 editor: program headers, dynamic entries, relocations, by field name."""

    def __init__(self, path):
        self.b = bytearray(open(path, 'rb').read())
        (self.phoff,) = struct.unpack_from('<Q', self.b, 32)
        (self.phnum,) = struct.unpack_from('<H', self.b, 56)

    def ph(self, i):
        return dict(zip(PH_FIELDS, struct.unpack_from(PH_FMT, self.b, self.phoff + 56 * i)))

    def ph_index(self, ptype, nth=0):
        found = [i for i in range(self.phnum) if self.ph(i)['type'] == ptype]
        return found[nth]

    def set_ph(self, i, **fields):
        p = self.ph(i)
        p.update(fields)
        struct.pack_into(PH_FMT, self.b, self.phoff + 56 * i, *(p[f] for f in PH_FIELDS))

    def v2off(self, vaddr):
        for i in range(self.phnum):
            p = self.ph(i)
            if p['type'] == PT_LOAD and p['vaddr'] <= vaddr < p['vaddr'] + p['filesz']:
                return vaddr - p['vaddr'] + p['offset']
        raise ValueError('vaddr 0x%x not in the file' % vaddr)

    def dyn(self):
        d = self.ph(self.ph_index(PT_DYNAMIC))
        out = []
        for k in range(d['filesz'] // 16):
            off = d['offset'] + 16 * k
            tag, val = struct.unpack_from('<qQ', self.b, off)
            out.append((tag, val, off))
            if tag == DT_NULL:
                break
        return out

    def dyn_val(self, tag, nth=0):
        return [v for t, v, _ in self.dyn() if t == tag][nth]

    def set_dyn(self, tag, val, nth=0):
        off = [o for t, _, o in self.dyn() if t == tag][nth]
        struct.pack_into('<Q', self.b, off + 8, val)

    def set_dyn_tag(self, tag, new_tag, nth=0):
        off = [o for t, _, o in self.dyn() if t == tag][nth]
        struct.pack_into('<q', self.b, off, new_tag)

    def rela(self, table=DT_RELA):
        size_tag = DT_RELASZ if table == DT_RELA else DT_PLTRELSZ
        start, size = self.v2off(self.dyn_val(table)), self.dyn_val(size_tag)
        return [start + 24 * k for k in range(size // 24)]

    def set_rela(self, off, r_offset=None, sym=None, rtype=None):
        o, info, a = struct.unpack_from('<QQq', self.b, off)
        o = o if r_offset is None else r_offset
        s = info >> 32 if sym is None else sym
        t = info & 0xffffffff if rtype is None else rtype
        struct.pack_into('<QQq', self.b, off, o, (s << 32) | t, a)

    def poke(self, off, data):
        self.b[off:off + len(data)] = data

    def save(self, path, mode=0o755):
        with open(path, 'wb') as f:
            f.write(self.b)
        os.chmod(path, mode)


def rtype_of(elf, off):
    return struct.unpack_from('<Q', elf.b, off + 8)[0] & 0xffffffff


# ---- the cases. Each: (name, where the damage is: 'prog' (glibc PIE) / 'tls' (freestanding PIE with
# TLS) / 'lib' (its library libtlsa.so) / None (made by hand), edit function, reason pattern). The edit
# gets an Elf and may return a replacement bytes object (truncation) or a dict of extra actions.
R = re.compile


def truncate_at(n):
    return lambda e: bytes(e.b[:n])


def load_end(nth):
    def f(e):
        p = e.ph(e.ph_index(PT_LOAD, nth))
        return bytes(e.b[:p['offset'] + p['filesz'] - 1])
    return f


def truncate_in_phdrs(e):
    return bytes(e.b[:e.phoff + 56 * e.phnum - 1])


def first_symbolic(e, table=DT_RELA):
    for off in e.rela(table):
        if rtype_of(e, off) not in (8, 37):  # RELATIVE, IRELATIVE
            return off
    raise ValueError('no symbolic relocation')


def dynstr_unterminated(e):
    strtab, strsz = e.v2off(e.dyn_val(DT_STRTAB)), e.dyn_val(DT_STRSZ)
    e.poke(strtab + strsz - 1, b'X')


def overlap(e):
    a, b = e.ph_index(PT_LOAD, 1), e.ph_index(PT_LOAD, 2)
    pa = e.ph(a)
    e.set_ph(b, vaddr=pa['vaddr'] + 0x10, paddr=pa['vaddr'] + 0x10, offset=pa['offset'] + 0x10)


def misalign(e):
    i = e.ph_index(PT_LOAD, 1)
    p = e.ph(i)
    e.set_ph(i, offset=p['offset'] + 8)


def load_order(e):
    a, b = e.ph_index(PT_LOAD, 1), e.ph_index(PT_LOAD, 2)
    pa, pb = e.ph(a), e.ph(b)
    e.set_ph(a, **{k: pb[k] for k in PH_FIELDS})
    e.set_ph(b, **{k: pa[k] for k in PH_FIELDS})


def no_load(e):
    for i in range(e.phnum):
        if e.ph(i)['type'] == PT_LOAD:
            e.set_ph(i, type=0x6fffffff if False else 4)  # PT_NOTE


def outside_image(ptype, vaddr=0x7ffff0000, offset=None):
    def f(e):
        i = e.ph_index(ptype)
        e.set_ph(i, vaddr=vaddr, paddr=vaddr, **({} if offset is None else {'offset': offset}))
    return f


def entry_outside(e):
    i = e.ph_index(PT_LOAD, 0)  # read-only first segment: mapped, not executable
    struct.pack_into('<Q', e.b, 24, e.ph(i)['vaddr'] + 0x10)


def relro_outside(e):
    i = e.ph_index(PT_GNU_RELRO)
    e.set_ph(i, vaddr=0x7ffff0000, paddr=0x7ffff0000)


def interp_unterminated(e):
    p = e.ph(e.ph_index(PT_INTERP))
    e.poke(p['offset'] + p['filesz'] - 1, b'X')


def sym_index(e):
    e.set_rela(first_symbolic(e), sym=0xffff)


def reloc_outside(e):
    e.set_rela(e.rela()[0], r_offset=0x7fff0000)


def reloc_readonly(e):
    e.set_rela(e.rela()[0], r_offset=0x10)  # inside the first, read-only PT_LOAD (ELF header)


def reloc_type(t):
    return lambda e: e.set_rela(first_symbolic(e), rtype=t)


def relasz_huge(e):
    e.set_dyn(DT_RELASZ, 0x7fffff00)


def needed_offset(e):
    e.set_dyn(DT_NEEDED, e.dyn_val(DT_STRSZ) + 100)


def symtab_outside(e):
    e.set_dyn(DT_SYMTAB, 0x7fff0000)


def strtab_misaligned_sz(e):
    e.set_dyn(DT_STRSZ, 0x7fff0000)


def hash_buckets(e):
    off = e.v2off(e.dyn_val(DT_GNU_HASH))
    struct.pack_into('<I', e.b, off, 0x10000000)  # nbuckets


def hash_bloom(e):
    off = e.v2off(e.dyn_val(DT_GNU_HASH))
    struct.pack_into('<I', e.b, off + 8, 3)  # bloom size not a power of two


def sysv_hash_no_buckets(e):
    # the GNU hash table read as a SysV one (DT_GNU_HASH retagged DT_HASH), its nbucket set to 0
    off = e.v2off(e.dyn_val(DT_GNU_HASH))
    e.set_dyn_tag(DT_GNU_HASH, 4)  # DT_HASH
    struct.pack_into('<I', e.b, off, 0)


def sysv_hash_huge(e):
    # a SysV hash table whose nchain claims ~8 GiB: the size must be checked before the table is read
    off = e.v2off(e.dyn_val(DT_GNU_HASH))
    e.set_dyn_tag(DT_GNU_HASH, 4)  # DT_HASH
    struct.pack_into('<II', e.b, off, 1, 0x7fffffff)


def versym_index(e):
    # the version index of the symbol the first symbolic relocation uses: far past any version defined
    sym = struct.unpack_from('<Q', e.b, first_symbolic(e) + 8)[0] >> 32
    e.poke(e.v2off(e.dyn_val(DT_VERSYM)) + 2 * sym, struct.pack('<H', 0x7ff0))


def verneed_next(e):
    off = e.v2off(e.dyn_val(DT_VERNEED))
    struct.pack_into('<I', e.b, off + 8, 0x7fff0001)  # vn_aux: far away and misaligned


def verneed_name(e):
    off = e.v2off(e.dyn_val(DT_VERNEED))
    (aux,) = struct.unpack_from('<I', e.b, off + 8)
    struct.pack_into('<I', e.b, off + aux + 8, 0x7fffffff)  # vna_name


def tls_huge(e):
    i = e.ph_index(PT_TLS)
    e.set_ph(i, memsz=1 << 44)


def tls_align(e):
    i = e.ph_index(PT_TLS)
    e.set_ph(i, align=48)


def memsz_huge(e):
    i = e.ph_index(PT_LOAD, 3)
    e.set_ph(i, memsz=1 << 47)


def align_huge(e):
    for i in range(e.phnum):
        if e.ph(i)['type'] == PT_LOAD:
            e.set_ph(i, align=1 << 40)


def poke_at(off, data):
    return lambda e: e.poke(off, data)


CASES = [
    # truncation at every boundary the loader reads across
    ('empty file', 'prog', truncate_at(0), R('too short')),
    ('truncated in e_ident', 'prog', truncate_at(10), R('too short|truncated ELF header')),
    ('truncated ELF header', 'prog', truncate_at(63), R('truncated ELF header')),
    ('header only', 'prog', truncate_at(64), R('program headers outside the file')),
    ('truncated program headers', 'prog', truncate_in_phdrs, R('program headers outside the file')),
    ('truncated first segment', 'prog', load_end(0), R('past the end of the file')),
    ('truncated text segment', 'prog', load_end(1), R('past the end of the file')),
    ('truncated data segment', 'prog', load_end(3), R('past the end of the file')),
    ('truncated library', 'lib', load_end(1), R('past the end of the file')),
    # identification
    ('bad magic', 'prog', poke_at(0, b'\x7fELG'), R('bad magic')),
    ('32-bit class', 'prog', poke_at(4, b'\x01'), R('32-bit')),
    ('bad class', 'prog', poke_at(4, b'\x07'), R('class')),
    ('big-endian', 'prog', poke_at(5, b'\x02'), R('little-endian')),
    ('bad e_ident version', 'prog', poke_at(6, b'\x02'), R('version')),
    ('bad e_version', 'prog', poke_at(20, b'\x02'), R('version')),
    ('wrong machine (aarch64)', 'prog', poke_at(18, b'\xb7\x00'), R('wrong machine')),
    ('relocatable object', 'prog', poke_at(16, b'\x01\x00'), R('relocatable')),
    ('core file', 'prog', poke_at(16, b'\x04\x00'), R('core|type')),
    ('bad e_type', 'prog', poke_at(16, b'\x77\x00'), R('type')),
    ('bad e_phentsize', 'prog', poke_at(54, b'\x20\x00'), R('e_phentsize')),
    ('too many program headers', 'prog', poke_at(56, b'\xff\xff'), R('program headers')),
    ('library as the program\'s type (ET_EXEC library)', 'lib', poke_at(16, b'\x02\x00'), R('ET_EXEC')),
    # program headers
    ('e_phoff outside the file', 'prog', poke_at(32, struct.pack('<Q', 0xfff0f000)), R('outside the file')),
    ('overlapping PT_LOADs', 'prog', overlap, R('overlap|order')),
    ('PT_LOADs out of order', 'prog', load_order, R('order')),
    ('misaligned PT_LOAD (offset vs vaddr)', 'prog', misalign, R('p_offset and p_vaddr disagree')),
    ('p_filesz > p_memsz', 'prog', lambda e: e.set_ph(e.ph_index(PT_LOAD, 1), filesz=0x100000),
     R('p_filesz larger than p_memsz|past the end')),
    ('absurd p_memsz', 'prog', memsz_huge, R('too large|size|address space')),
    ('absurd alignment', 'prog', align_huge, R('align')),
    ('no PT_LOAD', 'prog', no_load, R('no PT_LOAD')),
    ('PT_DYNAMIC outside the image', 'prog', outside_image(PT_DYNAMIC), R('PT_DYNAMIC')),
    ('PT_INTERP outside the image', 'prog', outside_image(PT_INTERP), R('PT_INTERP')),
    ('PT_INTERP outside the file', 'prog', lambda e: e.set_ph(e.ph_index(PT_INTERP), offset=0x7fff0000),
     R('PT_INTERP')),
    ('PT_INTERP unterminated', 'prog', interp_unterminated, R('PT_INTERP')),
    ('PT_TLS outside the image', 'tls', outside_image(PT_TLS), R('PT_TLS')),
    ('PT_TLS absurd size', 'tls', tls_huge, R('TLS')),
    ('PT_TLS alignment not a power of two', 'tls', tls_align, R('TLS')),
    ('PT_GNU_RELRO outside the image', 'prog', relro_outside, R('RELRO')),
    ('entry outside executable segments', 'prog', entry_outside, R('entry')),
    # dynamic section and its tables
    ('string table unterminated', 'prog', dynstr_unterminated, R('string table')),
    ('DT_NEEDED offset outside the string table', 'prog', needed_offset, R('string')),
    ('DT_STRSZ larger than the image', 'prog', strtab_misaligned_sz, R('DT_STRTAB|string table')),
    ('DT_SYMTAB outside the image', 'prog', symtab_outside, R('symbol table')),
    ('DT_RELASZ larger than the image', 'prog', relasz_huge, R('DT_RELA')),
    ('DT_GNU_HASH buckets outside', 'prog', hash_buckets, R('DT_GNU_HASH')),
    ('DT_GNU_HASH bloom size', 'prog', hash_bloom, R('DT_GNU_HASH')),
    ('DT_HASH with no buckets (found by libFuzzer: was SIGFPE)', 'prog', sysv_hash_no_buckets, R('DT_HASH')),
    ('DT_HASH larger than the image (found by libFuzzer: read past it)', 'prog', sysv_hash_huge,
     R('DT_HASH .* outside the loaded image')),
    ('version index out of range', 'prog', versym_index, R('version')),
    ('version needs record outside', 'prog', verneed_next, R('version')),
    ('version name outside the string table', 'prog', verneed_name, R('version|string')),
    # relocations
    ('relocation symbol index out of range', 'prog', sym_index, R('symbol 65535')),
    ('relocation offset outside the object', 'prog', reloc_outside, R('outside the object')),
    ('relocation into a read-only segment', 'prog', reloc_readonly, R('writable')),
    ('unknown relocation type', 'prog', reloc_type(200), R('unsupported relocation type 200')),
    ('unsupported relocation type (GOTPCREL)', 'prog', reloc_type(9), R('unsupported relocation type 9')),
    ('PLT relocation of an unknown type', 'prog', lambda e: e.set_rela(e.rela(DT_JMPREL)[0], rtype=99),
     R('unexpected PLT reloc type 0x63')),  # glibc's words; eagerly bound it is 'unsupported relocation type 99'
    ('TLS relocation against a function', 'prog', reloc_type(18), R('TPOFF64 .* not a thread-local symbol')),
    # libraries
    ('damaged library (bad magic)', 'lib', poke_at(0, b'\x7fELG'), R('bad magic')),
    ('library with overlapping PT_LOADs', 'lib', overlap, R('overlap|order')),
    ('library relocation outside', 'lib', reloc_outside, R('outside the object')),
]


def run(cmd, timeout=10, **kw):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, **kw)
        return p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')
    except subprocess.TimeoutExpired:
        return 'timeout', '', ''


def describe(rc):
    if rc == 'timeout':
        return 'hang (killed after 10 s)'
    if rc < 0:
        return 'signal %s' % signal.Signals(-rc).name
    return 'status %d' % rc


def check_error(elfld, prog, damaged, pattern, env=None):
    """elfld must print one line 'elfld: DAMAGED: reason' and exit 127. Returns None or what went wrong."""
    rc, out, err = run([elfld, prog], env=env)
    lines = err.splitlines()
    if rc != 127:
        return '%s, stderr: %s' % (describe(rc), err.strip()[:300]), err
    if len(lines) != 1:
        return '%d lines on stderr: %s' % (len(lines), err.strip()[:300]), err
    prefix = 'elfld: %s: ' % damaged
    if not lines[0].startswith(prefix):
        return 'message does not name %s: %s' % (damaged, lines[0]), err
    if not pattern.search(lines[0][len(prefix):]):
        return 'reason does not match /%s/: %s' % (pattern.pattern, lines[0]), err
    return None, err


def native(prog):
    rc, _, err = run(['/lib64/ld-linux-x86-64.so.2', prog])
    return describe(rc) if rc != 127 else 'error: ' + (err.strip().splitlines() or [''])[-1][:60]


def build_cycle(d):
    """Legal but unusual: libcyca.so and libcycb.so need each other, the program needs libcyca.so, and
    libcyca.so also names itself. Made with gcc here (freestanding: no libc involved)."""
    src = {
        'a.c': 'int b(void); int a(void) { return 40 + b(); }\n',
        'b.c': 'int a(void); int b(void) { return 2; } int call_a(void) { return a(); }\n',
        'main.c': ('int a(void);\n'
                   'void _start(void) { int r = a();\n'
                   '  __asm__ volatile("syscall" :: "a"(60), "D"(r)); for (;;); }\n'),
    }
    for n, s in src.items():
        open(os.path.join(d, n), 'w').write(s)
    cc = ['gcc', '-O1', '-fPIC', '-nostdlib', '-fno-stack-protector', '-fcf-protection=none']
    steps = [
        cc + ['-shared', '-o', 'libcyca.so', '-Wl,-soname,libcyca.so', 'a.c', '-Wl,--unresolved-symbols=ignore-all'],
        cc + ['-shared', '-o', 'libcycb.so', '-Wl,-soname,libcycb.so', 'b.c', '-L.', '-lcyca', '-Wl,-rpath,$ORIGIN'],
        cc + ['-shared', '-o', 'libcyca.so', '-Wl,-soname,libcyca.so', 'a.c', '-L.', '-lcycb',
              '-Wl,--no-as-needed', '-lcyca', '-Wl,-rpath,$ORIGIN'],
        cc + ['-pie', '-o', 'cycle', 'main.c', '-L.', '-lcyca', '-Wl,-rpath,$ORIGIN',
              '-Wl,--dynamic-linker=/lib64/ld-linux-x86-64.so.2'],
    ]
    for s in steps:
        subprocess.run(s, cwd=d, check=True)
    return os.path.join(d, 'cycle')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--elfld', required=True)
    ap.add_argument('--samples', required=True, help='build/samples (tls-models and its libraries)')
    ap.add_argument('--glibc-hello', required=True, help='a glibc PIE (build/tests/glibc/hello)')
    ap.add_argument('--harness', help='tests/fuzz fuzz-load binary: also run each damaged object through it')
    ap.add_argument('--native', action='store_true', help="show what the system loader does with each file")
    ap.add_argument('--keep', help='write the damaged files here and keep them')
    ap.add_argument('-k', dest='only', help='run only cases whose name contains this')
    a = ap.parse_args()

    tmp = a.keep or tempfile.mkdtemp(prefix='bad-elf.')
    os.makedirs(tmp, exist_ok=True)
    fails, n, crashes_native = [], 0, 0
    try:
        for i, (name, base, edit, pattern) in enumerate(CASES):
            if a.only and a.only not in name:
                continue
            n += 1
            d = os.path.join(tmp, 'case%02d' % i)
            os.makedirs(d, exist_ok=True)
            # The program, and the tls sample's libraries beside it (found through its $ORIGIN runpath).
            if base == 'prog':
                src = a.glibc_hello
            else:
                src = os.path.join(a.samples, 'tls-models')
                for lib in ('libtlsa.so', 'libtlsdesc.so'):
                    shutil.copy(os.path.join(a.samples, lib), d)
            prog = os.path.join(d, os.path.basename(src))
            shutil.copy(src, prog)
            damaged = os.path.join(d, 'libtlsa.so') if base == 'lib' else prog
            e = Elf(damaged)
            new = edit(e)
            if isinstance(new, (bytes, bytearray)):
                e.b = bytearray(new)
            e.save(damaged)
            problem, err = check_error(a.elfld, prog, damaged, pattern)
            extra = ''
            if a.harness and problem is None:
                rc, out, herr = run([a.harness, '0', damaged], timeout=60,
                                    env=dict(os.environ, ASAN_OPTIONS='detect_leaks=1:abort_on_error=1'))
                if rc != 0:
                    problem = 'ASan/UBSan harness: %s\n%s' % (describe(rc), herr[-2000:])
            if a.native:
                nat = native(prog)
                crashes_native += nat.startswith('signal') or nat.startswith('hang')
                extra = '   [ld.so: %s]' % nat
            if problem:
                fails.append(name)
                print('FAIL %s: %s' % (name, problem))
            else:
                print('ok   %s: %s%s' % (name, err.strip(), extra))

        # Files that are not ELF objects, or not there.
        special = os.path.join(tmp, 'special')
        os.makedirs(special, exist_ok=True)
        adir = os.path.join(special, 'adir')
        os.makedirs(adir, exist_ok=True)
        noexec = os.path.join(special, 'noexec')
        shutil.copy(a.glibc_hello, noexec)
        os.chmod(noexec, 0o644)
        script = os.path.join(special, 'script')
        open(script, 'w').write('#!/bin/sh\necho hi\n')
        os.chmod(script, 0o755)
        fifo = os.path.join(special, 'fifo')
        if not os.path.exists(fifo):
            os.mkfifo(fifo)
        text = os.path.join(special, 'text')
        open(text, 'w').write('hello, this is not an ELF file\n' * 10)
        os.chmod(text, 0o755)
        nolib = os.path.join(special, 'nolib')
        os.makedirs(nolib, exist_ok=True)
        shutil.copy(os.path.join(a.samples, 'tls-models'), nolib)
        undef = os.path.join(special, 'undef')
        os.makedirs(undef, exist_ok=True)
        for f in ('tls-models', 'libtlsa.so', 'libtlsdesc.so'):
            shutil.copy(os.path.join(a.samples, f), undef)
        lib = Elf(os.path.join(undef, 'libtlsa.so'))
        k = lib.b.find(b'lib_gd_get\0')
        lib.poke(k, b'lib_XX_get')
        lib.save(os.path.join(undef, 'libtlsa.so'))
        wrongclass = os.path.join(special, 'wrongclass')
        os.makedirs(wrongclass, exist_ok=True)
        for f in ('tls-models', 'libtlsa.so', 'libtlsdesc.so'):
            shutil.copy(os.path.join(a.samples, f), wrongclass)
        open(os.path.join(wrongclass, 'libtlsdesc.so'), 'wb').write(b'\x7fELF\x01\x01\x01' + b'\0' * 60)
        specials = [
            ('a directory', adir, adir, R('is a directory')),
            ('no execute permission', noexec, noexec, R('not executable')),
            ('missing file', os.path.join(special, 'none'), os.path.join(special, 'none'), R('no such file')),
            ('a script', script, script, R('is a script for /bin/sh')),
            ('a FIFO', fifo, fifo, R('not a regular file')),
            ('a text file', text, text, R('not an ELF file|bad magic')),
            ('missing library', os.path.join(nolib, 'tls-models'), os.path.join(nolib, 'tls-models'),
             R('cannot find library libtlsa.so')),
            # (with lazy binding, as glibc, the program starts and fails at the call: tests/glibc lazy-*)
            ('undefined symbol (LD_BIND_NOW)', os.path.join(undef, 'tls-models'), os.path.join(undef, 'tls-models'),
             R('undefined symbol: lib_gd_get'), dict(os.environ, LD_BIND_NOW='1')),
            ('library of the wrong class', os.path.join(wrongclass, 'tls-models'),
             os.path.join(wrongclass, 'tls-models'), R('cannot find library libtlsdesc.so .*skipped .*libtlsdesc.so: 32-bit ELF')),
        ]
        for name, prog, damaged, pattern, *env in specials:
            if a.only and a.only not in name:
                continue
            n += 1
            problem, err = check_error(a.elfld, prog, damaged, pattern, env=env[0] if env else None)
            if problem:
                fails.append(name)
                print('FAIL %s: %s' % (name, problem))
            else:
                print('ok   %s: %s' % (name, err.strip()))

        # Legal but unusual: dependency cycles (and a library needing itself) load and run.
        if not a.only or a.only in 'dependency cycle':
            n += 1
            cyc = os.path.join(tmp, 'cycle')
            os.makedirs(cyc, exist_ok=True)
            prog = build_cycle(cyc)
            rc, out, err = run([a.elfld, prog])
            if rc == 42 and err == '':
                print('ok   dependency cycle (libcyca <-> libcycb, libcyca needs itself): runs, status 42')
            else:
                fails.append('dependency cycle')
                print('FAIL dependency cycle: %s, stderr: %s' % (describe(rc), err.strip()[:300]))
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    if a.native:
        print('system loader: %d of these files crash or hang it' % crashes_native)
    print('%d passed, %d failed' % (n - len(fails), len(fails)))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
