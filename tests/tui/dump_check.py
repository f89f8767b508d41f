#!/usr/bin/env python3
"""elfld-tui --dump on samples/tls-models: the panes hold the real values (objects and their TLS modules,
one relocation row per readelf -r entry, TLS modules with their alignments, the program's output, the
end status)."""
import os, re, subprocess, sys
tui, samples = sys.argv[1], sys.argv[2]
r = subprocess.run([tui, '--dump', samples + '/tls-models'], capture_output=True, text=True, timeout=60)
panes, cur = {}, None
for line in r.stdout.splitlines():
    if line.startswith('== '):
        cur = line[3:].split(':')[0]
        panes[cur] = [] if cur != 'end' else [line]
    elif cur:
        panes[cur].append(line)
fails = 0
total = 0
def check(what, ok):
    global fails, total
    print(('ok   ' if ok else 'FAIL ') + what)
    fails += not ok
    total += 1
objs = {row.split()[2]: row.split() for row in panes.get('objects', [])[1:]}
check('objects: program and both libraries', {'tls-models', 'libtlsa.so', 'libtlsdesc.so'} <= set(objs))
check('objects: TLS modules 1, 2, 3', [objs[n][5] for n in ('tls-models', 'libtlsa.so', 'libtlsdesc.so')] == ['1', '2', '3'])
want = 0
for f in ('tls-models', 'libtlsa.so', 'libtlsdesc.so'):
    out = subprocess.run(['readelf', '-rW', samples + '/' + f], capture_output=True, text=True).stdout
    want += sum(int(n) for n in re.findall(r'contains (\d+) entr', out))
rel = [row for row in panes.get('relocs', [])[1:] if row.split()[1] in ('tls-models', 'libtlsa.so', 'libtlsdesc.so')]
check(f'relocs: {len(rel)} rows = {want} readelf entries', len(rel) == want)
check('relocs: the TLSDESC relocation is shown', any('R_X86_64_TLSDESC' in row for row in rel))
mods = [row.split() for row in panes.get('tls', [])[1:] if row.startswith('module')]
check('tls: alignments 0x40, 0x1000, 0x4', [m[4] for m in mods] == ['0x40', '0x1000', '0x4'])
# TLS variables from DWARF: each offset equals the symbol's st_value (its offset in the module's block).
syms = {}
for line in subprocess.run(['readelf', '-sW', samples + '/libtlsa.so'], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) >= 8 and f[3] == 'TLS':
        syms[f[7].split('@')[0]] = int(f[1], 16)
tvars = {row.split()[1]: row.split() for row in panes.get('tls', []) if row.strip().startswith('var ')}
check('tls: libtlsa.so variables named from DWARF with their offsets (readelf -s)',
      all(n in tvars and int(tvars[n][-2].lstrip('+'), 16) == v for n, v in syms.items() if n in ('lib_gd', 'lib_ie', 'lib_big', 'lib_bss'))
      and len([n for n in ('lib_gd', 'lib_ie', 'lib_big', 'lib_bss') if n in tvars]) == 4)
check('tls: declaration file:line', tvars.get('lib_gd', [''])[-1] == 'libtlsa.c:4')
check('output: what the program printed', any('prog_le=42' in l for l in panes.get('output', [])))
# TLS offsets from the thread pointer in signed hex, as the trace writes them (tp-0x40): modules and blocks
tps = [row.split()[5] for row in panes.get('tls', [])[1:] if row.startswith('module')]
check(f'tls: module offsets tp-0x40, tp-0x1000, tp-0x1004 ({tps})', tps == ['tp-0x40', 'tp-0x1000', 'tp-0x1004'])
tps = [row.split()[4] for row in panes.get('tls', [])[1:] if row.startswith('block')]
check(f'tls: block offsets the same ({tps})', tps == ['tp-0x40', 'tp-0x1000', 'tp-0x1004'])
# a TPOFF64 relocation's value is the variable's offset from the thread pointer: lib_ie at tp-0x1000 + st_value
tpoff = [row.split() for row in panes.get('relocs', [])[1:] if 'R_X86_64_TPOFF64' in row and ' lib_ie ' in row]
want = 'tp-0x%x' % (0x1000 - syms.get('lib_ie', 0))
check(f'relocs: TPOFF64 of lib_ie reads {want} ({tpoff})', len(tpoff) == 1 and tpoff[0][5] == want)
# the events pane: named values, no escapes, the stage each event belongs to, the object's TLS module
ev = panes.get('events', [])[1:]
check('events: no \\s escapes, no raw segment or relocation type numbers',
      ev and not [r for r in ev if '\\s' in r or 'type=0x' in r or 'type=2147483647' in r])
check('events: segment types named (LOAD, DYNAMIC, TLS, GNU_RELRO)',
      all(any(' segment ' in r and f' type={t} ' in r for r in ev) for t in ('LOAD', 'DYNAMIC', 'TLS', 'GNU_RELRO')))
check('events: the stage event says what holds, in words', any(
      re.search(r'^\d+ +mapped +stage +-1 +name=mapped desc="program and all dependencies mapped', r) for r in ev))
def stage_of(kind):
    return {r.split()[1] for r in ev if r.split()[2] == kind}
check(f'events: each event in the stage it leads to: objects in mapped ({stage_of("object")}), TLS modules in '
      f'tls-allocated ({stage_of("tls-module")}), relocations in relocated ({stage_of("reloc")}), relro in '
      f'protected ({stage_of("relro")})', stage_of('object') == {'mapped'} and stage_of('tls-module') == {'tls-allocated'}
      and stage_of('reloc') == {'relocated'} and stage_of('relro') == {'protected'} and stage_of('entry') == {'entry'})
mods = {r.split()[3]: re.search(r' tls_modid=(\S+)', r).group(1) for r in ev if r.split()[2] == 'object'}
check(f'events: objects carry their TLS module (1 program, 3 libtlsdesc.so, - the loader): {mods}',
      mods.get('1') == '1' and mods.get('4') == '3' and mods.get('0') == '-')
check('end: exit status 0', panes.get('end') == ['== end: the program exited with status 0'] and r.returncode == 0)
# The end is shown clearly: the loader's message, or the signal that killed the program.
r = subprocess.run([tui, '--dump', '--pane', 'objects', '/nonexistent/prog'], capture_output=True, text=True, timeout=30)
check('loader error shown with its message, status 127',
      r.stdout.splitlines()[-1] == '== end: loading failed: elfld: /nonexistent/prog: no such file' and r.returncode == 127)
r = subprocess.run([tui, '--dump', '--pane', 'objects', '/bin/sh', '-c', 'kill -SEGV $$'], capture_output=True, text=True, timeout=30)
check('a crash is reported with its signal, status 139',
      r.stdout.splitlines()[-1] == '== end: the program was killed by signal 11 (Segmentation fault)' and r.returncode == 139)

# ---- the objects pane's columns line up with its header (RANGE, TLS, BUILD-ID)
orows = panes.get('objects', [''])
hdr = orows[0] if orows else ''
cols = {w: hdr.find(w) for w in ('BASE', 'RANGE', 'TLS', 'BUILD-ID')}
aligned = len(orows) > 2 and all(
    all(c > 0 and c < len(r) and r[c] != ' ' and r[c - 1] == ' ' for c in cols.values()) for r in orows[1:])
check(f'objects: every value under its header (columns {cols})', aligned)

# ---- the whole process's map (pane 7, --dump: "== map"): every object's range, every TLS block, each
# thread's TCB (at its thread pointer) and DTV, the stack, sorted by address, with the gaps between
pm = panes.get('map', [])
prow = [re.match(r'^(0x[0-9a-f]+) +(0x[0-9a-f]+|-) +\S+(?: \S+)? +(object|segment|gap|TLS|TCB|DTV|stack) +(.*)$', r) for r in pm[1:]]
check(f'map: {len(pm) - 1} rows, each START END SIZE KIND WHAT', pm and pm[0].split()[:5] == ['START', 'END', 'SIZE', 'KIND', 'WHAT']
      and len(prow) > 10 and all(prow))
prow = [m.groups() for m in prow if m]
starts = [int(m[0], 16) for m in prow]
check('map: sorted by address', starts == sorted(starts))
evs = [l for l in panes.get('events', [])]
def evfield(row, k):
    m = re.search(r' ' + k + r'=(\S+)', row)
    return m.group(1) if m else None
objev = [r for r in evs if r.split()[2:3] == ['object']]
want = {(int(evfield(r, 'start'), 16), int(evfield(r, 'end'), 16), evfield(r, 'name')) for r in objev}
got = {(int(a, 16), int(b, 16), w.split()[0]) for a, b, k, w in prow if k == 'object'}
check(f'map: the {len(want)} objects with their ranges (object events)', want and want == got)
blkev = [r for r in evs if r.split()[2:3] == ['tls-block']]
want = {(int(evfield(r, 'addr'), 16), int(evfield(r, 'addr'), 16) + int(evfield(r, 'size'), 16)) for r in blkev}
got = {(int(a, 16), int(b, 16)) for a, b, k, w in prow if k == 'TLS'}
check(f'map: the {len(want)} TLS blocks', want and want == got)
entry = [r for r in evs if r.split()[2:3] == ['entry']]
tp, sp = (int(evfield(entry[0], 'tp'), 16), int(evfield(entry[0], 'sp'), 16)) if entry else (0, 0)
check('map: the TCB at the main thread\'s thread pointer, the stack at the entry stack pointer',
      any(k == 'TCB' and int(a, 16) == tp for a, b, k, w in prow) and any(k == 'stack' and int(a, 16) == sp for a, b, k, w in prow))
ends = [(int(a, 16), int(b, 16) if b != '-' else int(a, 16), k) for a, b, k, w in prow]
check('map: a gap row exactly where nothing was reported between two rows',
      all(k != 'gap' or (i > 0 and i + 1 < len(ends) and ends[i + 1][0] == e) for i, (s0, e, k) in enumerate(ends)))
r = subprocess.run([tui, '--dump', '--pane', 'map', samples + '/tls-models'], capture_output=True, text=True, timeout=60)
check('--pane map', r.returncode == 0 and r.stdout.startswith('== map\nSTART ') and '== objects' not in r.stdout)

# ---- the TLS memory view (pane 4, --dump: "== tls memory"): the thread's static blocks from low to high
# addresses at tp minus their offsets, the alignment padding between, the TCB at tp, the DTV's slots
tm = panes.get('tls memory', [])
mt = re.match(r'thread (\d+): thread pointer (0x[0-9a-f]+), DTV at (0x[0-9a-f]+)', tm[0] if tm else '')
blocks = [(int(a, 16), o, mod) for a, o, mod in re.findall(r'^  (0x[0-9a-f]+) +(tp-0x[0-9a-f]+) +module (\d+) block', '\n'.join(tm), re.M)]
tpv = int(mt.group(2), 16) if mt else 0
check(f'tls memory: modules 3, 2, 1 from low to high addresses, each at tp - its offset ({blocks})',
      mt and [b[2] for b in blocks] == ['3', '2', '1'] and all(a == tpv - int(o[3:], 16) for a, o, _ in blocks))
check('tls memory: the padding before module 1 (alignment 0x40): 0x1000 - 0x58 - 0x40 = 3944 bytes',
      any('(3944 bytes of padding' in l for l in tm))
check('tls memory: the TCB at tp, the DTV slots 1-3 = the blocks',
      any(re.match(r'^  %#x +tp +TCB' % tpv, l) for l in tm) and
      any(re.fullmatch(r'DTV %s \(generation \d+, \d+ slots\): \[1\] %#x \[2\] %#x \[3\] %#x' % (
          mt.group(3), blocks[2][0], blocks[1][0], blocks[0][0]), l.strip()) for l in tm if mt and len(blocks) == 3))
tb = [r for r in evs if r.split()[2:3] == ['tls-block'] and evfield(r, 'tp') == (mt.group(2) if mt else '')]
dg = re.search(r'\(generation (\d+), (\d+) slots\)', '\n'.join(tm))
check('tls memory: the DTV\'s generation and slots as the tls-block events say (%s)' % (dg.groups() if dg else None,),
      dg is not None and tb and dg.groups() == (evfield(tb[-1], 'dtv_gen'), evfield(tb[-1], 'dtv_slots')))

# ---- relocs pane filters (--filter-*) against readelf -rW: one object, one type, a symbol substring.
def dump(*args):
    r = subprocess.run([tui, '--dump', *args], capture_output=True, text=True, timeout=120)
    out, cur = {}, None
    for line in r.stdout.splitlines():
        if line.startswith('== '):
            cur = line[3:].split(':')[0]
            out[cur] = [line]
        elif cur:
            out[cur].append(line)
    return out
glibc = dump(samples + '/hello-glibc')
paths = {}  # object name -> path, from the object events
for row in glibc.get('events', []):
    m = re.search(r' object .* path=(\S+) name=(\S+)', row)
    if m:
        paths[m.group(2)] = m.group(1)
libc = paths.get('libc.so.6', '')
check('hello-glibc: libc.so.6 loaded (path from the object event)', libc.startswith('/'))
def readelf_relocs(path):
    """(type, symbol name) of each readelf -rW entry."""
    out = []
    for line in subprocess.run(['readelf', '-rW', path], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) >= 3 and f[2].startswith('R_X86_64_'):
            out.append((f[2], f[4].split('@')[0] if len(f) >= 5 and not f[4].startswith('+') else ''))
    return out
ent = readelf_relocs(libc) if libc else []
glob = [s for t, s in ent if t == 'R_X86_64_GLOB_DAT']
rel = dump('--pane', 'relocs', '--filter-object', 'libc.so.6', '--filter-type', 'R_X86_64_GLOB_DAT', samples + '/hello-glibc').get('relocs', [''])
rows = [r.split() for r in rel[2:]]
check(f'--filter-object libc.so.6 --filter-type R_X86_64_GLOB_DAT: {len(rows)} rows = {len(glob)} readelf entries',
      len(rows) == len(glob) > 0 and all(r[1] == 'libc.so.6' and r[2] == 'R_X86_64_GLOB_DAT' for r in rows))
check('the filter is in the pane title', rel[0].startswith(f'== relocs: {len(glob)} of ') and
      rel[0].endswith('| object libc.so.6 | type R_X86_64_GLOB_DAT'))
prog = [t for t, s in readelf_relocs(samples + '/hello-glibc') if t == 'R_X86_64_JUMP_SLOT']
rel = dump('--pane', 'relocs', '--filter-object', 'hello-glibc', '--filter-type', 'jump_slot', samples + '/hello-glibc').get('relocs', [''])
check(f'--filter-type jump_slot (short, any case) for the program: {len(rel) - 2} rows = {len(prog)}',
      len(rel) - 2 == len(prog) > 0 and all(r.split()[2] == 'R_X86_64_JUMP_SLOT' for r in rel[2:]))
sub = 'std'
want = [s for s in glob if sub in s]
rel = dump('--pane', 'relocs', '--filter-object', 'libc.so.6', '--filter-type', 'GLOB_DAT', '--filter-symbol', sub,
           samples + '/hello-glibc').get('relocs', [''])
check(f'--filter-symbol {sub}: {len(rel) - 2} rows = {len(want)} readelf GLOB_DAT entries naming *{sub}*',
      len(rel) - 2 == len(want) > 0 and sorted(r.split()[4] for r in rel[2:]) == sorted(want))

relr = [r for r in glibc.get('events', []) if ' reloc ' in r and ' type=RELR ' in r]
check(f'events: RELR relocations named ({len(relr)}), no type=2147483647',
      relr and not [r for r in glibc.get('events', []) if 'type=2147483647' in r])

# ---- --dump of a program that reads its input: it reads elfld-tui's standard input, or nothing (end of
# file) when that is a terminal; the dump ends, with the program's status
def run_in(stdin, *prog, data=None):
    r = subprocess.run([tui, '--dump', '--pane', 'output', *prog], stdin=stdin, input=data, capture_output=True,
                       timeout=60)
    out = r.stdout.decode(errors='replace').splitlines()
    return r.returncode, out[2:-1], out[-1] if out else ''  # after '== output' and the header
try:
    st, out, end = run_in(subprocess.DEVNULL, '/bin/cat')
    check('--dump cat, standard input /dev/null: ends, status 0', st == 0 and end.endswith('exited with status 0'))
    st, out, end = run_in(None, '/bin/cat', data=b'one\ntwo words\n')
    check(f'--dump cat, standard input a pipe: the program reads it ({out})', st == 0 and out == ['one', 'two words'])
    st, out, end = run_in(subprocess.DEVNULL, '/bin/sh', '-c', 'read x; exit 3')
    check(f'--dump of a program reading nothing then exiting 3: status 3 ({end})', st == 3 and end.endswith('status 3'))
    import pty
    master, slave = pty.openpty()
    try:
        st, out, end = run_in(slave, '/bin/cat')
    finally:
        os.close(master)
        os.close(slave)
    check('--dump cat, standard input a terminal: empty input (end of file), ends', st == 0 and out == [])
    import shutil
    bc = shutil.which('bc')
    if bc:
        st, out, end = run_in(subprocess.DEVNULL, bc)
        check('--dump bc, standard input /dev/null: ends, status 0', st == 0)
        st, out, end = run_in(None, bc, data=b'6*7\n')
        check(f'--dump bc, standard input a pipe: 6*7 = {out}', st == 0 and out == ['42'])
    else:
        print('     (no bc here: cat only)')
except subprocess.TimeoutExpired as e:
    check(f'--dump of a program reading its input ends ({e.cmd[-1]} still running after 60 s)', False)
r = subprocess.run([tui, '--help'], capture_output=True, text=True)
check('--help says what --dump gives the program as input, and the exit status',
      'standard input' in r.stdout and 'end of file' in r.stdout and '128+N' in r.stdout)

# ---- the segments pane's address map, checked against readelf -lW: every column that no segment, bss or
# RELRO boundary crosses shows what is at its middle (x r-x, r r--, w rw-, R relro, b bss, . gap).
from fractions import Fraction
def load_parts(path):
    parts, loads = [], []
    for line in subprocess.run(['readelf', '-lW', path], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if f and f[0] in ('LOAD', 'GNU_RELRO'):
            vaddr, filesz, memsz, flags = int(f[2], 16), int(f[4], 16), int(f[5], 16), ''.join(f[6:-1])
            if f[0] == 'LOAD':
                ch = 'X' if 'E' in flags and 'W' in flags else 'x' if 'E' in flags else 'w' if 'W' in flags else 'r'
                perm = ('r' if 'R' in flags else '-') + ('w' if 'W' in flags else '-') + ('x' if 'E' in flags else '-')
                loads.append((vaddr, vaddr + memsz, ch, perm, filesz))
            else:
                parts.append((vaddr, vaddr + memsz, 'R', 'relro'))
    ordered = [(a, b, ch, perm) for a, b, ch, perm, _ in loads] + parts  # painted in this order
    ordered += [(a + fs, b, 'b', 'bss') for a, b, ch, perm, fs in loads if b - a > fs]
    lo = min(a for a, *_ in loads) & ~0xfff
    hi = (max(b for _, b, *_ in loads) + 0xfff) & ~0xfff
    return ordered, lo, hi - lo
def check_map(name, path, bar, labels):
    parts, lo, size = load_parts(path)
    width = len(bar) - 2
    bounds = {x - lo for a, b, *_ in parts for x in (a, b)}
    bad = checked = 0
    for c in range(width):
        cl, ch = Fraction(c * size, width), Fraction((c + 1) * size, width)
        if any(cl < x < ch for x in bounds):
            continue  # a boundary inside the column: either side may show
        mid, want = lo + (cl + ch) / 2, '.'
        for a, b, kind, _ in parts:
            if a <= mid < b:
                want = kind
        checked += 1
        bad += bar[1 + c] != want
    # labels: each under a column of its part; every LOAD of 12 columns or more has its permissions
    spans = []
    for a, b, kind, text in parts:
        c0 = (a - lo) * width // size
        spans.append((c0, max(-(-(b - lo) * width // size), c0 + 1), text))
    found = [(m.start() - 1, m.group()) for m in re.finditer(r'\S+', labels)]
    placed = all(any(c0 <= k < c1 and t == text for c0, c1, t in spans) for k, text in found)
    wide = all(any(c0 <= k < c1 and t == text for k, t in found) for c0, c1, text in spans
               if c1 - c0 >= 12 and text not in ('relro', 'bss'))
    ok = bad == 0 and checked >= width // 2 and placed and wide and len(bar) <= 78
    if not ok:
        print(f'     {name}: {bad} wrong of {checked} columns, labels placed {placed}, wide segments labelled {wide}')
        print(f'     {bar}\n     {labels}')
    return ok
maps = glibc.get('segments map', [''])
blocks = {maps[i].split(' at ')[0]: (maps[i + 1].strip(), maps[i + 2][2:]) for i in range(1, len(maps) - 2, 3)}
for name in ('ld-linux-x86-64.so.2', 'hello-glibc', 'libc.so.6'):
    bar, labels = blocks.get(name, ('||', ''))
    check(f'segments map of {name}: to scale (readelf -lW {paths.get(name, "?").split("/")[-1]})',
          name in paths and check_map(name, paths[name], bar, labels))
check('segments map: the loader\'s bss and RELRO are shown', 'b' * 10 in blocks.get('ld-linux-x86-64.so.2', ('',))[0]
      and 'R' in blocks.get('ld-linux-x86-64.so.2', ('',))[0])
check('segments map: fits 80 columns', len(maps) > 3 and all(len(l) <= 80 for l in maps[1:]))

# The binary event stream (the TUI's default) gives exactly the panes of the text stream: the same run
# twice without address randomisation (setarch -R), thread ids and the entry stack pointer aside.
# python3's stream is ~700 KB, so records are cut across reads.
def dump_form(form, *prog):
    r = subprocess.run(['setarch', '-R', tui, '--events-format', form, '--dump', *prog], capture_output=True,
                       text=True, timeout=120)
    # The program's stack pointer at entry depends on elfld-run's own arguments, which differ by the
    # form's name ("--events-format=binary" is two bytes longer): by 16 bytes, or not, as it aligns.
    out = re.sub(r' sp=0x[0-9a-f]+', ' sp=', r.stdout)
    out = re.sub(r'time_ns=[0-9]+', 'time_ns=', out)  # when a lazy binding happened
    out = re.sub(r'bound at [0-9.]+ ms, thread [0-9]+', 'bound at', out)
    out = re.sub(r'thread [0-9]+', 'thread', out)  # the process map and TLS memory view name the thread
    # the process map's stack row (the entry stack pointer, above) and the gap before it
    out = re.sub(r'^0x[0-9a-f]+ .* (stack +the stack|gap +\.\.\.).*$', 'stack or gap', out, flags=re.M)
    return r.returncode, re.sub(r'tid[= ][0-9]+', 'tid', out)
for prog in ([samples + '/hello-glibc'], ['/usr/bin/python3', '-c', 'pass']):
    (rb, b), (rt, t) = dump_form('binary', *prog), dump_form('text', *prog)
    same = rb == rt == 0 and b == t and len(b.splitlines()) > 1000
    check(f'binary stream: the same panes as the text stream ({prog[0].split("/")[-1]}, {len(b)} bytes)', same)
    if not same:
        import difflib
        print('status %s/%s; first differences:' % (rb, rt))
        print('\n'.join(list(difflib.unified_diff(t.splitlines(), b.splitlines(), 'text', 'binary', lineterm=''))[:30]))
r = subprocess.run([tui, '--events-format', 'xml', '--dump', samples + '/hello-glibc'], capture_output=True, text=True)
check('--events-format other than binary/text refused', r.returncode == 127 and 'not binary or text' in r.stderr)

# A damaged binary stream (tests/tui/fake_elfld.py stands in for elfld-run, given with --elfld): the TUI
# says so and ends cleanly; random records after a valid schema never crash it (ASan in build-sanitize).
import os
fake = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fake_elfld.py')
env = dict(os.environ, REAL_ELFLD=os.path.join(os.path.dirname(tui), 'elfld-run'), FAKE_SEED='-1')
r = subprocess.run([tui, '--elfld', fake, '--dump', '--pane', 'objects', '/bin/true'], capture_output=True,
                   text=True, timeout=60, env=env)
check('a damaged binary stream is reported, status 127',
      r.returncode == 127 and 'damaged binary event stream' in (r.stdout.splitlines() or [''])[-1])
crashed = []
for seed in range(40):
    env['FAKE_SEED'] = str(seed)
    r = subprocess.run([tui, '--elfld', fake, '--dump', '/bin/true'], capture_output=True, text=True,
                       timeout=60, env=env)
    if r.returncode not in (0, 127) or 'Sanitizer' in r.stderr or 'runtime error' in r.stderr:
        crashed.append((seed, r.returncode, r.stderr[-300:]))
check('40 random binary streams: no crash, no sanitizer report', not crashed)
for c in crashed[:3]:
    print('   seed %d: status %d %s' % c)

# ncursesw: wide characters on the screen
ldd = subprocess.run(['ldd', tui], capture_output=True, text=True).stdout
check('linked with ncursesw', 'libncursesw' in ldd)
print(f'{total - fails} passed, {fails} failed')
sys.exit(1 if fails else 0)
