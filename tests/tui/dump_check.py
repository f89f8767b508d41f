#!/usr/bin/env python3
"""elfld-tui --dump on samples/tls-models: the panes hold the real values (objects and their TLS modules,
one relocation row per readelf -r entry, TLS modules with their alignments, the program's output, the
end status)."""
import re, subprocess, sys
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
def check(what, ok):
    global fails
    print(('ok   ' if ok else 'FAIL ') + what)
    fails += not ok
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
check('end: exit status 0', panes.get('end') == ['== end: the program exited with status 0'] and r.returncode == 0)
# The end is shown clearly: the loader's message, or the signal that killed the program.
r = subprocess.run([tui, '--dump', '--pane', 'objects', '/nonexistent/prog'], capture_output=True, text=True, timeout=30)
check('loader error shown with its message, status 127',
      r.stdout.splitlines()[-1] == '== end: loading failed: elfld: /nonexistent/prog: no such file' and r.returncode == 127)
r = subprocess.run([tui, '--dump', '--pane', 'objects', '/bin/sh', '-c', 'kill -SEGV $$'], capture_output=True, text=True, timeout=30)
check('a crash is reported with its signal, status 139',
      r.stdout.splitlines()[-1] == '== end: the program was killed by signal 11 (Segmentation fault)' and r.returncode == 139)
print(f'{11 - fails} passed, {fails} failed')
sys.exit(1 if fails else 0)
