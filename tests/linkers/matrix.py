#!/usr/bin/env python3
"""The linker matrix: small C programs and libraries (TLS in every model and TLSDESC, .tbss-only TLS, COPY
relocations with sizes that differ and a symbol larger than its segment, IFUNC, versioned symbols, pointer
tables for RELR, static-pie) linked by one linker (gcc -fuse-ld=LINKER) with each of its distinctive option
sets, then run natively and under elfld-run: stdout, stderr and exit status must be identical.

A linker that is not installed is a failure, not a skip (CI installs lld, mold and gold: see
tests/linkers/CMakeLists.txt). Some files are odd on purpose (mold's PT_TLS and PT_GNU_RELRO below their
PT_LOAD, lld's PT_GNU_RELRO padded to a page, a COPY past its segment): elfld must run them and, with
--trace=warnings, say what is odd; the lint checks below assert the warnings.

usage: matrix.py --elfld build/bin/elfld-run --linker bfd|gold|lld|mold [--out DIR] [--jobs N] [-k PATTERN]
                 [--keep] [-v]
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.dirname(os.path.abspath(__file__))
CC = os.environ.get('CC', 'gcc')
PACKAGE = {'bfd': 'binutils', 'gold': 'binutils (Debian 12) / binutils-gold (Debian 13 on)', 'lld': 'lld',
           'mold': 'mold'}


class Lib:
    def __init__(self, name, srcs, linktime_cflags=None, ldflags=(), nostdlib=False, needed=True):
        self.name, self.srcs = name, srcs
        self.linktime_cflags = linktime_cflags  # a different library to link the program against
        self.ldflags, self.nostdlib, self.needed = list(ldflags), nostdlib, needed


class Program:
    def __init__(self, name, exe, libs=(), ldlibs=(), static=False):
        self.name, self.exe, self.libs, self.ldlibs, self.static = name, exe, list(libs), list(ldlibs), static


PROGRAMS = [
    Program('tls', ['tls_main.c'], [Lib('tlsa', ['libtlsa.c']), Lib('tlsdyn', ['libtlsdyn.c'], needed=False)],
            ['-ldl', '-lpthread']),
    Program('tbss', ['tbss_main.c'], [Lib('tbss', ['libtbss.c'])]),
    Program('copy', ['copy_main.c'], [Lib('copy', ['libcopy.c'], linktime_cflags=['-DLINK_TIME']),
                                      Lib('short', ['libshort.S'], nostdlib=True)]),
    Program('ifunc', ['ifunc_main.c'], [Lib('ifunc', ['libifunc.c'])]),
    Program('vers', ['vers_main.c'], [Lib('vers', ['libvers.c'],
                                          ldflags=['-Wl,--version-script=' + os.path.join(SRC, 'libvers.map')])]),
    Program('ptrs', ['ptrs_main.c'], [Lib('ptrs', ['libptrs.c'])]),
    Program('static', ['static_main.c'], static=True),
]

ALL = ('bfd', 'gold', 'lld', 'mold')
# (name, linkers, compiler flags, link flags; a dict: per linker)
OPTIONS = [
    ('default', ALL, [], []),
    ('now', ALL, [], ['-Wl,-z,now']),
    ('norelro', ALL, [], ['-Wl,-z,norelro']),
    ('relro-now', ALL, [], ['-Wl,-z,relro,-z,now']),
    ('hash-sysv', ALL, [], ['-Wl,--hash-style=sysv']),
    ('hash-gnu', ALL, [], ['-Wl,--hash-style=gnu']),
    ('hash-both', ALL, [], ['-Wl,--hash-style=both']),
    ('separate-code', ('bfd', 'lld', 'mold'), [], ['-Wl,-z,separate-code']),
    ('noseparate-code', ('bfd', 'lld', 'mold'), [], ['-Wl,-z,noseparate-code']),
    ('relr', ('bfd', 'lld', 'mold'), [], {'bfd': ['-Wl,-z,pack-relative-relocs'],
                                          'lld': ['-Wl,--pack-dyn-relocs=relr'],
                                          'mold': ['-Wl,-z,pack-relative-relocs']}),
    ('icf', ('gold', 'lld', 'mold'), ['-ffunction-sections', '-fdata-sections'], ['-Wl,--icf=all']),
    ('tlsdesc', ALL, ['-mtls-dialect=gnu2'], []),
    ('tlsdesc-now', ALL, ['-mtls-dialect=gnu2'], ['-Wl,-z,now']),
    ('no-pie', ALL, [], []),  # the program: -fno-pie -no-pie (a static one: -static)
]

# Warnings elfld must give (--trace=warnings) for files that are odd but run: (linkers, option, program,
# expect), expect(build) giving [(pattern, must_match)] computed from the file itself (readelf), so that a
# linker release that lays a file out otherwise (mold 1.10 puts a .tbss-only PT_TLS and the start of
# PT_GNU_RELRO below the first writable PT_LOAD, mold 2.37 does not) is checked for what it did.


def phdrs(path):
    """Program headers as (type, offset, vaddr, filesz, memsz, flags) from readelf -lW."""
    out = subprocess.run(['readelf', '-lW', path], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[1].startswith('0x') and f[2].startswith('0x'):
            rows.append((f[0], int(f[1], 16), int(f[2], 16), int(f[4], 16), int(f[5], 16), ''.join(f[6:-1])))
    return rows


def load_at(rows, addr):
    """The PT_LOAD holding addr, else the first whose pages hold it (parse.c's elf_load_at)."""
    loads = [r for r in rows if r[0] == 'LOAD']
    inside = [r for r in loads if r[2] <= addr < r[2] + r[4]]
    if inside:
        return inside[0]
    pages = [r for r in loads if r[2] & ~0xfff <= addr < (r[2] + r[4] + 0xfff) & ~0xfff]
    return pages[0] if pages else None


def expect_tbss(b):
    """The start of PT_GNU_RELRO, and a PT_TLS without an image, below their PT_LOAD: each warned with the
    distance, and not warned when the linker did not lay it out so."""
    rows, out = phdrs(b.exe), []
    for kind, label in (('GNU_RELRO', r'PT_GNU_RELRO'), ('TLS', r'PT_TLS \(\.tbss only\)')):
        seg = next((r for r in rows if r[0] == kind), None)
        if not seg or not seg[4] or (kind == 'TLS' and seg[3]):
            continue
        a = seg[2]
        if kind == 'TLS' and any(r[0] == 'LOAD' and r[2] <= a <= r[2] + r[4] for r in rows):
            continue  # inside a PT_LOAD, or at its end (lld): nothing odd
        load = load_at(rows, a)
        below = load[2] - a if load and load[2] > a else 0
        pattern = r'elfld: warning: .*/tbss: %s starts %s bytes below its PT_LOAD' % (label, below or r'\d+')
        out.append((pattern, below > 0))
    return out


def expect_copy(b):
    lib = os.path.join(b.dir, 'libshort.so')
    syms = subprocess.run(['readelf', '-sW', '--dyn-syms', lib], capture_output=True, text=True, check=True).stdout
    m = re.search(r'^\s*\d+:\s+([0-9a-f]+)\s+(\d+)\s+OBJECT\s+\S+\s+\S+\s+\S+\s+ext_tail$', syms, re.M)
    if not m:
        return [('ext_tail in libshort.so', True)]  # fails, naming what is missing
    value, size = int(m.group(1), 16), int(m.group(2))
    seg = next(r for r in phdrs(lib) if r[0] == 'LOAD' and r[2] <= value < r[2] + r[4])
    past = value + size - (seg[2] + seg[4])
    return [(r'elfld: warning: .*/libshort\.so: symbol ext_tail \(copied by .*/copy\): '
             r'st_size %d runs %d bytes past its PT_LOAD' % (size, past), past > 0),
            (r'elfld: warning: .*/copy: COPY of ext_grown: 32 bytes in .*/libcopy\.so, 16 here', True)]


LINT = [
    (ALL, 'default', 'tbss', expect_tbss),
    (ALL, 'default', 'copy', expect_copy),
]


def run(cmd, cwd, timeout=60):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


class Build:
    def __init__(self, linker, opt, prog, root):
        self.linker, self.opt, self.prog = linker, opt, prog
        self.name = '%s/%s/%s' % (linker, opt[0], prog.name)
        self.dir = os.path.join(root, opt[0], prog.name)
        self.exe = os.path.join(self.dir, prog.name)

    def flags(self):
        _, _, cflags, ldflags = self.opt
        if isinstance(ldflags, dict):
            ldflags = ldflags[self.linker]
        return ['-O1', '-g0'] + cflags, ['-fuse-ld=' + self.linker] + ldflags

    def step(self, cmd):
        r = run(cmd, self.dir)
        if r.returncode != 0:
            raise RuntimeError('%s\n%s%s' % (' '.join(cmd), r.stdout, r.stderr))

    def build(self):
        os.makedirs(self.dir, exist_ok=True)
        cflags, ldflags = self.flags()
        pie = self.opt[0] != 'no-pie'
        for lib in self.prog.libs:
            out = os.path.join(self.dir, 'lib%s.so' % lib.name)
            srcs = [os.path.join(SRC, s) for s in lib.srcs]
            base = [CC] + cflags + ['-fPIC', '-shared'] + ldflags + lib.ldflags + \
                (['-nostdlib'] if lib.nostdlib else []) + ['-Wl,-soname,lib%s.so' % lib.name]
            self.step(base + ['-o', out] + srcs)
            if lib.linktime_cflags:
                os.makedirs(os.path.join(self.dir, 'linktime'), exist_ok=True)
                self.step(base + lib.linktime_cflags + ['-o', os.path.join(self.dir, 'linktime', 'lib%s.so' % lib.name)]
                          + srcs)
        srcs = [os.path.join(SRC, s) for s in self.prog.exe]
        if self.prog.static:  # (gold cannot link a static-pie: it has no --no-dynamic-linker)
            mode = ['-fPIE', '-static-pie'] if pie and self.linker != 'gold' else ['-fno-pie', '-static']
        else:
            mode = ['-fPIE', '-pie'] if pie else ['-fno-pie', '-no-pie']
        libs = ['-l' + lib.name for lib in self.prog.libs if lib.needed]
        # (No -rpath for a static program: its .dynamic would then have DT_RUNPATH, and glibc's
        # _dl_relocate_static_pie asserts on that.)
        paths = [] if self.prog.static else ['-L' + os.path.join(self.dir, 'linktime'), '-L' + self.dir,
                                             '-Wl,-rpath,$ORIGIN']
        self.step([CC] + cflags + mode + ldflags + ['-o', self.exe] + srcs + paths + libs + self.prog.ldlibs)

    def compare(self, elfld):
        env = {k: v for k, v in os.environ.items() if not k.startswith('LD_')}
        native = subprocess.run([self.exe], cwd=self.dir, capture_output=True, text=True, timeout=30, env=env)
        mine = subprocess.run([elfld, self.exe], cwd=self.dir, capture_output=True, text=True, timeout=30, env=env)
        problems = []
        # glibc's loader refused the file ("PROG: error while loading shared libraries: FILE: reason",
        # status 127): elfld must refuse it too, in its own words ("elfld: FILE: reason", status 127).
        refused = re.fullmatch(r'.*: error while loading shared libraries: (.*)\n', native.stderr, re.S)
        if refused:
            want = 'elfld: %s\n' % refused.group(1)
            if (mine.returncode, mine.stdout, mine.stderr) != (native.returncode, '', want):
                problems.append('glibc refused it, elfld did not the same way:\n  native: %d %r\n  elfld:  %d %r %r'
                                % (native.returncode, native.stderr, mine.returncode, mine.stdout, mine.stderr))
            return problems, native
        for what, a, b in (('stdout', native.stdout, mine.stdout), ('stderr', native.stderr, mine.stderr),
                           ('exit status', native.returncode, mine.returncode)):
            if a != b:
                problems.append('%s differs:\n  native: %r\n  elfld:  %r' % (what, a, b))
        if native.returncode != 0 or not native.stdout:
            problems.append('the native run failed (status %d): nothing to compare\n%s' % (native.returncode,
                                                                                         native.stderr))
        return problems, native


def lint(elfld, b, expect):
    r = subprocess.run([elfld, '--trace=warnings', '--trace-file=/dev/stdout', b.exe], cwd=b.dir,
                       capture_output=True, text=True, timeout=30)
    problems = []
    for pattern, must in expect(b):
        if bool(re.search(pattern, r.stdout, re.M)) != must:
            problems.append('%s warning matching %r in the trace:\n%s' % ('no' if must else 'a needless', pattern,
                                                                          r.stdout[-2000:]))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--elfld', required=True)
    ap.add_argument('--linker', required=True, choices=ALL)
    ap.add_argument('--out')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('-k', help='only builds whose name (linker/option/program) contains this')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('-v', action='store_true')
    a = ap.parse_args()
    elfld = os.path.abspath(a.elfld)

    probe = run([CC, '-fuse-ld=' + a.linker, '-Wl,--version', '-o', os.devnull], '/')
    if probe.returncode != 0:
        print('FAIL linker %s is not installed (gcc -fuse-ld=%s: %s): install %s' %
              (a.linker, a.linker, (probe.stderr.strip().splitlines() or ['?'])[-1], PACKAGE[a.linker]))
        print('0 passed, 1 failed')
        return 1
    print('linker %s: %s' % (a.linker, probe.stdout.splitlines()[0] if probe.stdout else '?'))

    root = a.out or tempfile.mkdtemp(prefix='elfld-linkers-%s-' % a.linker)
    if os.path.isdir(root) and a.out:
        shutil.rmtree(root)
    builds = [Build(a.linker, opt, prog, root) for opt in OPTIONS if a.linker in opt[1] for prog in PROGRAMS]
    builds = [b for b in builds if not a.k or a.k in b.name]

    def one(b):
        try:
            b.build()
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            return b, ['build failed: %s' % e]
        try:
            problems, _ = b.compare(elfld)
        except subprocess.TimeoutExpired as e:
            return b, ['timed out: %s' % e]
        for linkers, optname, progname, expect in LINT:
            if a.linker in linkers and optname == b.opt[0] and progname == b.prog.name:
                problems += lint(elfld, b, expect)
        return b, problems

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for b, problems in pool.map(one, builds):
            if problems:
                failed += 1
                print('FAIL %s' % b.name)
                for p in problems:
                    print('  ' + p.replace('\n', '\n  '))
            else:
                passed += 1
                if a.v:
                    print('ok   %s' % b.name)
    if not a.keep and not a.out:
        shutil.rmtree(root, ignore_errors=True)
    elif failed:
        print('builds kept in %s' % root)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
