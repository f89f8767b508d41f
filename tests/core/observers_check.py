#!/usr/bin/env python3
"""Observers never take the program down. With the event stream and the control descriptor held by an
observer that goes away — closes the stream after a few lines, is SIGKILLed while the loader waits at a
pause, or was never able to receive anything (/dev/full, a closed stderr for the trace) — the loader
carries on and the program's stdout, stderr and exit status are exactly those of a native run.

usage: observers_check.py ELFLD-RUN PROGRAM [ARGS...]   (a glibc program: many relocation events)"""
import os
import signal
import subprocess
import sys

elfld, prog = sys.argv[1], sys.argv[2:]
native = subprocess.run(prog, capture_output=True)
fails = 0


def same(name, r, extra_ok=True, detail=''):
    global fails
    ok = (r.returncode, r.stdout, r.stderr) == (native.returncode, native.stdout, native.stderr) and extra_ok
    if not ok:
        fails += 1
    print(('ok   ' if ok else 'FAIL ') + name + ('' if ok else '\n  native: %r\n  elfld:  %r %s' % (
        (native.returncode, native.stdout[:200], native.stderr[:200]),
        (r.returncode, r.stdout[:200], r.stderr[:400]), detail)))


# 1. The reader closes the stream after five lines.
r_ev, w_ev = os.pipe()
p = subprocess.Popen([elfld, '--events=%d' % w_ev] + prog, pass_fds=(w_ev,), stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
os.close(w_ev)
with os.fdopen(r_ev, 'rb') as f:
    head = [f.readline() for _ in range(5)]
out, err = p.communicate(timeout=60)
same('event reader closes the stream after 5 lines', subprocess.CompletedProcess(p.args, p.returncode, out, err),
     head[0].startswith(b'elfld-events'))

# 2. An observer process (like elfld-tui) holding the stream and the control descriptor is SIGKILLed
#    while the loader waits for it at the `relocated` pause.
r_ev, w_ev = os.pipe()
r_ctl, w_ctl = os.pipe()
p = subprocess.Popen([elfld, '--events=%d' % w_ev, '--control=%d' % r_ctl, '--pause-at=relocated'] + prog,
                     pass_fds=(w_ev, r_ctl), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(w_ev)
os.close(r_ctl)
observer = subprocess.Popen([sys.executable, '-c', '''
import os, signal, sys
for line in open(int(sys.argv[1]), 'rb'):
    if line.startswith(b'pause '):
        print(line.decode().strip(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
''', str(r_ev)], pass_fds=(r_ev, w_ctl), stdout=subprocess.PIPE)
os.close(r_ev)
os.close(w_ctl)
seen = observer.stdout.read().decode()
observer.wait()
out, err = p.communicate(timeout=60)
same('observer SIGKILLed while the loader waits at a pause', subprocess.CompletedProcess(p.args, p.returncode, out, err),
     'at=relocated' in seen and observer.returncode == -signal.SIGKILL, 'observer saw %r' % seen)

# 3. A stream nobody can receive: /dev/full (every write fails with ENOSPC).
r = subprocess.run([elfld, '--events=/dev/full'] + prog, capture_output=True, timeout=60)
same('event stream to /dev/full', r)

# 4. The trace on a closed stderr (writes fail with EBADF). The program's own stderr is closed too, so
#    compare with a native run that has stderr closed.
closed = ['sh', '-c', 'exec 2>&-; exec "$@"', 'sh']
native = subprocess.run(closed + prog, stdout=subprocess.PIPE, timeout=60)
native.stderr = b''
q = subprocess.run(closed + [elfld, '--trace=all'] + prog,
                   stdout=subprocess.PIPE, timeout=60)
q.stderr = b''
same('trace to a closed stderr', q)

print('%d failed' % fails)
sys.exit(1 if fails else 0)
