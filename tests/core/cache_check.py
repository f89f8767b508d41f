#!/usr/bin/env python3
"""Libraries found through /etc/ld.so.cache: elfld's binary search of the cache must give, for every
library of a set of installed programs that the cache lists, the path glibc's ldconfig -p lists first
for that name (the entry glibc's search_cache picks), and say it was found there (how=ld.so.cache).

  cache_check.py ELFLD-RUN"""
import os, re, subprocess, sys

elfld = sys.argv[1]
first = {}
for line in subprocess.run(['ldconfig', '-p'], capture_output=True, text=True).stdout.splitlines()[1:]:
    m = re.match(r'\s+(\S+) \(libc6,x86-64[^)]*\) => (\S+)$', line)
    if m and m[1] not in first:
        first[m[1]] = m[2]
progs = [p for p in ('/usr/bin/gdb', '/usr/bin/python3', '/usr/bin/clang-tidy', '/usr/bin/perl', '/usr/bin/git',
                     '/usr/bin/tmux', '/usr/bin/cmake', '/usr/bin/tclsh') if os.path.exists(p)]
checked, fails = set(), []
for prog in progs:
    r, w = os.pipe()
    p = subprocess.Popen([elfld, '--events=%d' % w, '--list', prog], pass_fds=(w,),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(w)
    with os.fdopen(r) as f:
        events = f.read().splitlines()
    p.wait()
    if p.returncode != 0:
        fails.append('%s: --list exited %d: %s' % (prog, p.returncode, p.stderr.read().decode()[:200]))
        continue
    for ev in events:
        if not ev.startswith('search ') or ' result=found' not in ev:
            continue
        f = dict(kv.split('=', 1) for kv in ev.split()[1:] if '=' in kv)
        name = f['name']
        if name not in first or f['how'] in ('DT_RPATH', 'DT_RUNPATH', 'LD_LIBRARY_PATH'):
            continue
        checked.add(name)
        if f['how'] != 'ld.so.cache' or f['dir'] != first[name]:
            fails.append('%s (needed by %s): found by %s at %s, ldconfig -p lists %s' %
                         (name, f['needed_by'], f['how'], f['dir'], first[name]))
for x in fails:
    print('FAIL', x)
print('%d libraries of %d programs looked up in the cache (%d entries), %d wrong' %
      (len(checked), len(progs), len(first), len(fails)))
sys.exit(1 if fails or len(checked) < 10 else 0)
