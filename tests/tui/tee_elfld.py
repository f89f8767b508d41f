#!/usr/bin/env python3
"""A stand-in for elfld-run (elfld-tui --elfld) that keeps a copy of the event stream: runs REAL_ELFLD with
the same arguments, its --events descriptor replaced by a pipe whose bytes are passed on to elfld-tui's
descriptor and written to the file TEE_EVENTS. A test can so compare elfld-tui's panes with the very
stream they were made from (tools/elfld-events-decode turns it into text), addresses and thread ids
included. The program's exit status (or signal) passes through."""
import os, signal, sys

args = sys.argv[1:]
at = next(i for i, a in enumerate(args) if a.startswith('--events='))
tui_fd = int(args[at].split('=', 1)[1])
r, w = os.pipe()
os.set_inheritable(w, True)
args[at] = '--events=%d' % w
real = os.environ['REAL_ELFLD']
pid = os.fork()
if pid == 0:
    os.close(r)
    os.close(tui_fd)
    os.execv(real, [real] + args)
os.close(w)
to_tui = True
with open(os.environ['TEE_EVENTS'], 'wb') as copy:
    while True:
        data = os.read(r, 1 << 16)
        if not data:
            break
        copy.write(data)
        view = memoryview(data)
        while to_tui and view:
            try:
                view = view[os.write(tui_fd, view):]
            except OSError:  # elfld-tui went away: keep the copy going, as the loader would
                to_tui = False
os.close(tui_fd)
_, status = os.waitpid(pid, 0)
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 127)
