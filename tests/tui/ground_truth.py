#!/usr/bin/env python3
"""elfld-tui --dump on big real programs, every row against ground truth.

ground_truth.py TUI EVENTS_DECODE [PROGRAM...]   (default: all; clang-tidy on a second process)

For each program present (cmake --version, python3 -c pass, gdb --version, clang-tidy --version; cmake and
python3 must be there: .ci/run installs them), elfld-tui runs it through tests/tui/tee_elfld.py, which keeps
a copy of the binary event stream elfld-run sends (tools/elfld-events-decode turns it into text). Then:
  - every row of the objects, segments, relocs, TLS and events panes is compared with the event it shows,
    field by field (object, type, address, symbol, value, defining object, ...);
  - independently of the stream, per object: the relocations (type, offset, symbol) with readelf -rW and
    the object's .relr.dyn, the segments with readelf -lW, the TLS modules with PT_TLS;
  - libc's TLS variables (from its DWARF, libc6-dbg) are named, the same under every program, each at its
    symbol's offset.
clang-tidy (630,000 relocations) is compared on its relocs pane only, to keep the test short."""
import atexit, collections, os, re, shutil, struct, subprocess, sys, tempfile, time

tui, decode, only = sys.argv[1], sys.argv[2], sys.argv[3:]
here = os.path.dirname(os.path.abspath(__file__))
real_elfld = os.path.join(os.path.dirname(tui), 'elfld-run')
tmp = tempfile.mkdtemp(prefix='elfld-tui-truth-')
atexit.register(shutil.rmtree, tmp, True)  # the streams (clang-tidy's: 32 MB)
fails = total = 0


def check(what, ok, detail=()):
    global fails, total
    print(('ok   ' if ok else 'FAIL ') + what, flush=True)
    if not ok:
        for d in list(detail)[:8]:
            print('       ' + d)
    fails += not ok
    total += 1
    return ok


_st = subprocess.run([real_elfld, '--stages'], capture_output=True, text=True)
STAGES = [l.split()[0] for l in (_st.stdout + _st.stderr).splitlines() if l.strip()]  # (it writes to stderr)


def unescape(v):
    if v == '\\0':
        return ''
    if '\\' not in v:
        return v
    out, i = [], 0
    while i < len(v):
        c = v[i]
        if c == '\\' and i + 1 < len(v):
            n = v[i + 1]
            if n == 'x':
                out.append(chr(int(v[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append({'s': ' ', 'n': '\n', 't': '\t'}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def read_events(path):
    """The binary stream, decoded by tools/elfld-events-decode: a list of (type, {field: value})."""
    text = subprocess.run([decode, path], capture_output=True, text=True, check=True,
                          errors='surrogateescape').stdout
    lines = text.splitlines()
    assert lines[0] == 'elfld-events 3', lines[0]
    evs = []
    for line in lines[1:]:
        t, _, rest = line.partition(' ')
        evs.append((t, {k: unescape(v) for k, _, v in (f.partition('=') for f in rest.split(' '))}))
    return evs


def run_dump(name, argv, pane=None):
    """elfld-tui --dump of argv with the stream copied; returns (status, {pane: rows}, events)."""
    evfile = os.path.join(tmp, name + '.bin')
    env = dict(os.environ, REAL_ELFLD=real_elfld, TEE_EVENTS=evfile)
    cmd = [tui, '--elfld', os.path.join(here, 'tee_elfld.py'), '--dump'] + (['--pane', pane] if pane else []) + argv
    t0 = time.time()
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=300)
    took = time.time() - t0
    panes, cur = {}, None
    order = ['objects', 'segments', 'segments map', 'map', 'relocs', 'tls', 'tls memory', 'events', 'output', 'end']
    want = order if not pane else [pane, 'end']
    k = 0
    for line in r.stdout.decode('utf-8', 'surrogateescape').split('\n'):
        # a pane starts with "== NAME" (or "== NAME: ..."), in this order; the rest are its rows
        if k < len(want) and (line == '== ' + want[k] or line.startswith('== ' + want[k] + ':')):
            cur = want[k]
            panes[cur] = [line] if cur == 'end' else []
            k += 1
        elif cur:
            panes[cur].append(line)
    for p in panes:
        if p != 'output' and panes[p] and panes[p][-1] == '':
            panes[p].pop()
    print(f'     {name}: elfld-tui --dump{" --pane " + pane if pane else ""} took {took:.1f} s, '
          f'{os.path.getsize(evfile) if os.path.exists(evfile) else 0} bytes of stream', flush=True)
    if r.stderr:
        print('     stderr: ' + r.stderr.decode(errors='replace')[-2000:])
    return r.returncode, panes, read_events(evfile) if os.path.exists(evfile) else []


def hx(s):
    """A pane's hex number, None if the row holds something else there."""
    try:
        return int(s, 16)
    except ValueError:
        return None


# ---- what a row must show for an event (the panes' spec)
def tp(v):
    return 'tp-0x%x' % -v if v < 0 else 'tp+0x%x' % v


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def reloc_value(f):
    v = int(f['value'], 16)
    if f['type_name'] == 'R_X86_64_TPOFF64' or (f['type_name'] == 'R_X86_64_TLSDESC' and v >= 1 << 63):
        return tp(signed64(v))
    return f['value']


PT_NAMES = {1: 'LOAD', 2: 'DYNAMIC', 3: 'INTERP', 4: 'NOTE', 6: 'PHDR', 7: 'TLS', 0x6474e550: 'GNU_EH_FRAME',
            0x6474e551: 'GNU_STACK', 0x6474e552: 'GNU_RELRO', 0x6474e553: 'GNU_PROPERTY'}


def compare_rows(what, rows, expected):
    """rows (pane text) against expected token lists, in order: a check with the first differences."""
    bad = [f'row {i + 1}: {rows[i].split() if i < len(rows) else None} != {e}'
           for i, e in enumerate(expected) if i >= len(rows) or rows[i].split() != e]
    check(f'{what}: {len(expected) - len(bad)} of {len(expected)} rows right, {len(rows)} rows shown',
          not bad and len(rows) == len(expected), bad + [f'({len(bad)} wrong rows)'])
    return len(bad)


def object_names(evs):
    return {f['obj']: f['name'] for t, f in evs if t == 'object'}


def check_relocs(name, panes, evs):
    """Each row as its reloc event says; a slot left for lazy binding (lazy=1) as "pending" until the bind
    event of its first call, then with that bind's value, defining object, time and thread."""
    names = object_names(evs)
    binds = {(f['obj'], f['where']): f for t, f in evs if t == 'bind'}  # (the last, as the pane keeps)
    exp = []
    for t, f in evs:
        if t == 'reloc':
            sym = [f['symbol']] if f['symbol'] else []
            value, frm = reloc_value(f), [names.get(f['def_obj'], '?')] if f['def_obj'] != '-1' else []
            if f.get('lazy') == '1':
                b = binds.get((f['obj'], f['where']))
                if b:
                    ns = int(b['time_ns'])
                    value = b['value']
                    frm = [names.get(b['def_obj'], '?') if b['def_obj'] != '-1' else '(undefined weak)',
                           'bound', 'at', '%d.%03d' % (ns // 1000000, ns // 1000 % 1000), 'ms,', 'thread', b['tid']]
                else:
                    frm = 'pending: PLT until the first call'.split()
            exp.append([f['obj'], names.get(f['obj'], '?'), f['type_name'], f['where']] + sym + [value] + frm)
    rows = panes.get('relocs', [''])[1:]
    wrong = compare_rows(f'{name}: relocs pane = the loader\'s reloc events', rows, exp)
    return rows, wrong, len(exp)


# ---- readelf and the ELF file itself, independent of the stream
def readelf_relocs(path):
    """Counter of (type, offset, symbol) of the file's relocations: readelf -rW's RELA entries, and
    .relr.dyn decoded from the file (readelf's form of RELR differs between binutils releases)."""
    out = collections.Counter()
    sec = None
    for line in subprocess.run(['readelf', '-rW', path], capture_output=True, text=True).stdout.splitlines():
        if line.startswith('Relocation section'):
            sec = line.split("'")[1]
            continue
        m = re.match(r'^([0-9a-f]{16})\s+[0-9a-f]{16}\s+(R_X86_64_\w+)\s*(.*)$', line)
        if m and sec != '.relr.dyn':
            rest = m.group(3).split()
            # the value column is hex, or (binutils 2.44+, for an IFUNC symbol) "NAME()"
            sym = rest[1].split('@')[0] if len(rest) >= 2 and re.fullmatch(r'[0-9a-f]{16}|\S+\(\)', rest[0]) else ''
            out[(m.group(2), int(m.group(1), 16), sym)] += 1
    with open(path, 'rb') as fh:
        data = fh.read()
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum = struct.unpack_from('<HH', data, 0x3a)
    for i in range(shnum):
        _, stype, _, _, off, size = struct.unpack_from('<IIQQQQ', data, shoff + i * shentsize)
        if stype != 19:  # SHT_RELR
            continue
        where = 0
        for (e,) in struct.iter_unpack('<Q', data[off:off + size]):
            if not e & 1:
                out[('RELR', e, '')] += 1
                where = e + 8
            else:
                for k in range(63):
                    if e >> (k + 1) & 1:
                        out[('RELR', where + 8 * k, '')] += 1
                where += 63 * 8
    return out


def readelf_phdrs(path):
    """(type, vaddr, filesz, memsz, perm, offset, align) of each program header."""
    out = []
    for line in subprocess.run(['readelf', '-lW', path], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) >= 8 and f[1].startswith('0x') and f[2].startswith('0x') and not line.startswith(' ' * 10):
            flags = ''.join(f[6:-1])
            perm = ('r' if 'R' in flags else '-') + ('w' if 'W' in flags else '-') + ('x' if 'E' in flags else '-')
            out.append((f[0], int(f[2], 16), int(f[4], 16), int(f[5], 16), perm, int(f[1], 16), int(f[-1], 16)))
    return out


def pane_objects(panes):
    """From the objects pane: id -> (name, base, path-less)."""
    objs = {}
    for row in panes.get('objects', [''])[1:]:
        f = row.split()
        if len(f) >= 5:
            objs[f[0]] = (f[2], hx(f[3]))
    return objs


def check_relocs_readelf(name, rows, panes, evs):
    """Per object with a file: the pane's rows (type, address - base, symbol) are readelf's entries."""
    objs = {f['obj']: f for t, f in evs if t == 'object'}
    # the objects pane's bases (the events' when only the relocs pane was dumped)
    bases = pane_objects(panes) or {k: (f['name'], int(f['base'], 16)) for k, f in objs.items()}
    by_obj = collections.defaultdict(collections.Counter)
    for row in rows:
        f = row.split()
        if len(f) < 6:
            continue
        # OBJ NAME TYPE ADDRESS [SYMBOL] VALUE [FROM]: the symbol is there when the row says so
        sym = f[4] if not re.match(r'(0x|tp[-+]0x)[0-9a-f]+$', f[4]) else ''
        base, where = bases.get(f[0], ('', 0))[1], hx(f[3])
        by_obj[f[0]][(f[2], where - base if where is not None and base is not None else None, sym)] += 1
    checked, bad = 0, []
    for oid, o in objs.items():
        if o['kind'] not in ('program', 'library') or not o['path'].startswith('/'):
            continue
        want = readelf_relocs(o['path'])
        got = by_obj.get(oid, collections.Counter())
        # readelf names the symbol of a RELATIVE/IRELATIVE-like entry only when it has one; so does the pane
        if got != want:
            miss, extra = want - got, got - want
            bad.append(f'{o["name"]}: {sum(got.values())} rows, readelf {sum(want.values())}; missing '
                       f'{list(miss.items())[:3]}, extra {list(extra.items())[:3]}')
        checked += 1
    check(f'{name}: relocs of {checked} objects = readelf -rW + .relr.dyn (type, offset, symbol, count)',
          checked > 0 and not bad, bad)


def check_objects(name, panes, evs):
    mods = {f['obj']: f['modid'] for t, f in evs if t == 'tls-module'}
    exp = [[f['obj'], f['kind'], f['name'], f['base'], f['start'] + '-' + f['end'], mods.get(f['obj'], '-')] +
           ([f['build_id']] if f['build_id'] else []) for t, f in evs if t == 'object']
    compare_rows(f'{name}: objects pane = the object events (TLS module from tls-module)',
                 panes.get('objects', [''])[1:], exp)


def check_segments(name, panes, evs):
    names = object_names(evs)
    exp = []
    for t, f in evs:
        if t == 'segment':
            ty = int(f['type'], 16)
            bss = ['bss', 'zeroed'] if ty == 1 and int(f['memsz'], 16) > int(f['filesz'], 16) else []
            exp.append([f['obj'], names.get(f['obj'], '?'), PT_NAMES.get(ty, f['type']), f['perm'], f['addr'],
                        f['memsz'], f['filesz'], f['offset']] + bss)
    rows = panes.get('segments', [''])[1:]
    compare_rows(f'{name}: segments pane = the segment events', rows, exp)
    # against readelf -lW: each object's LOAD, DYNAMIC, TLS and GNU_RELRO headers, in order
    bases = pane_objects(panes)
    by_obj = collections.defaultdict(list)
    for row in rows:
        f = row.split()
        if len(f) >= 8:
            base, addr = bases.get(f[0], ('', 0))[1], hx(f[4])
            by_obj[f[0]].append((f[2], addr - base if None not in (base, addr) else None, hx(f[6]), hx(f[5]), f[3],
                                 hx(f[7])))
    bad, checked = [], 0
    for t, o in evs:
        if t != 'object' or o['kind'] not in ('program', 'library') or not o['path'].startswith('/'):
            continue
        want = [p[:6] for p in readelf_phdrs(o['path']) if p[0] in ('LOAD', 'DYNAMIC', 'TLS', 'GNU_RELRO')]
        if by_obj.get(o['obj'], []) != want:
            bad.append(f'{o["name"]}: {by_obj.get(o["obj"])} != readelf {want}')
        checked += 1
    check(f'{name}: segments of {checked} objects = readelf -lW (type, vaddr, sizes, perm, offset)',
          checked > 0 and not bad, bad)


def check_tls(name, panes, evs, libc_vars):
    names = object_names(evs)
    rows = panes.get('tls', [''])[1:]
    exp = []
    for t, f in evs:
        if t == 'tls-module':
            tpo = tp(int(f['tp_offset'])) if f['kind'] == 'static' else 'dynamic'
            exp.append(['module', f['modid'], names.get(f['obj'], '?'), f['size'], f['align'], tpo, 'image', f['image']])
        elif t == 'tls-block':
            tid = ['tid', f['tid']] if f['tid'] != '0' else ['new', 'thread']
            exp.append(['block', f['modid'], names.get(f['obj'], '?'), f['size'], tp(int(f['tp_offset'])), f['addr']] + tid)
    # the variables follow their module's row; the rest in the order of the events
    shown, cur, vars_of = [], None, collections.defaultdict(dict)
    for row in rows:
        f = row.split()
        if f and f[0] == 'var':
            if len(f) >= 3 and not f[1].startswith('('):
                vars_of[cur][f[1]] = (hx(f[-2].lstrip('+')), f)
            elif cur is not None:
                vars_of[cur].setdefault('', (None, f))
        else:
            shown.append(row)
            if f and f[0] == 'module':
                cur = f[2]
    compare_rows(f'{name}: TLS pane modules and blocks = the tls-module and tls-block events', shown, exp)
    # each module's size and alignment are its PT_TLS's; the image is at base + p_vaddr
    objs = {f['obj']: f for t, f in evs if t == 'object'}
    bad = []
    for t, f in evs:
        if t == 'tls-module' and objs[f['obj']]['path'].startswith('/'):
            ph = [p for p in readelf_phdrs(objs[f['obj']]['path']) if p[0] == 'TLS']
            o = objs[f['obj']]
            if not ph or (int(f['size'], 16), int(f['align'], 16), int(f['image'], 16)) != \
                    (ph[0][3], ph[0][6], int(o['base'], 16) + ph[0][1]):
                bad.append(f'{o["name"]}: module {f} vs PT_TLS {ph}')
    check(f'{name}: TLS modules = PT_TLS (size, alignment, image address)', not bad, bad)
    # libc's variables, named from its DWARF
    libc = vars_of.get('libc.so.6', {})
    named = {k: v[0] for k, v in libc.items() if k}
    libc_vars[name] = named
    return named


def check_events(name, panes, evs):
    rows = panes.get('events', [''])[1:]
    bad = []
    for i, (t, f) in enumerate(evs):
        s = f['stage']
        if s not in STAGES:
            want = s
        elif t == 'stage':
            want = f['name']
        elif t == 'pause' and f.get('at') in STAGES:
            want = f['at']
        elif STAGES.index(s) + 1 < len(STAGES):
            want = STAGES[STAGES.index(s) + 1]
        else:
            want = 'entry' if t == 'entry' else 'running'
        r = rows[i].split() if i < len(rows) else []
        if r[:4] != [f['seq'], want, t, f['obj']]:
            bad.append(f'row {i + 1}: {r[:4]} != {[f["seq"], want, t, f["obj"]]}')
    check(f'{name}: events pane: {len(rows)} rows, each with its seq, stage, type and object ({len(evs)} events)',
          not bad and len(rows) == len(evs), bad)
    raw = [r for r in rows if '\\s' in r or 'type=0x' in r or 'type=2147483647' in r or 'tls_modid=0' in r]
    check(f'{name}: events pane: named values, no escapes (no \\s, type=0x.., type=2147483647, tls_modid=0)',
          not raw, raw)


def full(name, argv):
    st, panes, evs = run_dump(name, argv)
    check(f'{name}: ran, status 0, the end line says so', st == 0 and panes.get('end') == [
        '== end: the program exited with status 0'], [f'status {st}, end {panes.get("end")}'])
    check_objects(name, panes, evs)
    check_segments(name, panes, evs)
    rows, wrong, n = check_relocs(name, panes, evs)
    check_relocs_readelf(name, rows, panes, evs)
    named = check_tls(name, panes, evs, libc_vars)
    check_events(name, panes, evs)
    return wrong, n, named


def relocs_only(name, argv):
    st, panes, evs = run_dump(name, argv, 'relocs')
    check(f'{name}: ran, status 0', st == 0, [f'status {st}'])
    rows, wrong, n = check_relocs(name, panes, evs)
    check_relocs_readelf(name, rows, panes, evs)
    return wrong, n


libc_vars = {}
t_start = time.time()
progs = [('cmake', ['/usr/bin/cmake', '--version'], True), ('python3', ['/usr/bin/python3', '-c', 'pass'], True),
         ('gdb', ['/usr/bin/gdb', '--version'], False), ('clang-tidy', [shutil.which('clang-tidy') or '', '--version'], False)]
summary = []
# clang-tidy's part (its decoding alone takes seconds) on a second process, meanwhile
helper = None
if not only and shutil.which('clang-tidy'):
    helper = subprocess.Popen([sys.executable, os.path.abspath(__file__), tui, decode, 'clang-tidy'],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
for name, argv, required in progs:
    if (only and name not in only) or (helper and name == 'clang-tidy'):
        continue
    if not argv[0] or not os.path.exists(argv[0]):
        check(f'{name}: {argv[0] or name} is there', not required, ['required: .ci/run installs it'])
        if not required:
            print(f'     ({name} not installed: not compared)')
        continue
    t0 = time.time()
    if name == 'clang-tidy':
        wrong, n = relocs_only(name, argv)
    else:
        wrong, n, _ = full(name, argv)
    summary.append(f'{name}: {wrong} wrong relocs rows of {n} ({time.time() - t0:.1f} s)')

# libc's TLS variables: named under every program, the same ones, each at its symbol's offset
libc_path = next((l.split()[2] for l in subprocess.run(['ldd', '/usr/bin/python3'], capture_output=True, text=True)
                  .stdout.splitlines() if l.split()[:1] == ['libc.so.6']), '')
syms = {}
for line in subprocess.run(['readelf', '-W', '--dyn-syms', libc_path], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) >= 8 and f[3] == 'TLS' and f[6] != 'UND':
        syms[f[7].split('@')[0]] = int(f[1], 16)
for name, named in libc_vars.items():
    # every TLS symbol libc exports (errno, __h_errno, __resp, __libc_dlerror_result: a definition whose name
    # is on its declaration, DW_AT_specification) at the symbol's offset
    check(f'{name}: libc.so.6\'s TLS variables named from DWARF ({len(named)}: {", ".join(sorted(named)[:6])}...), '
          f'its {len(syms)} TLS symbols ({", ".join(sorted(syms))}) at their offsets',
          len(named) >= 8 and len(syms) >= 3 and all(named.get(k) == v for k, v in syms.items()),
          [f'named {named}', f'symbols {syms}'])
if len(libc_vars) > 1:
    first = next(iter(libc_vars.values()))
    check(f'libc.so.6\'s TLS variables: the same under {", ".join(libc_vars)}',
          all(v == first for v in libc_vars.values()), [f'{k}: {sorted(v)}' for k, v in libc_vars.items()])
if helper:
    out = helper.communicate()[0]
    print('     -- clang-tidy (on a second process):\n' + out.rstrip())
    m = re.search(r'^(\d+) passed, (\d+) failed$', out, re.M)
    total += int(m.group(1)) + int(m.group(2)) if m else 1
    fails += int(m.group(2)) if m else 1
for s in summary:
    print('     ' + s)
print(f'     total {time.time() - t_start:.1f} s')
print(f'{total - fails} passed, {fails} failed')
sys.exit(1 if fails else 0)
