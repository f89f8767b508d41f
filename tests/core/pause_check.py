#!/usr/bin/env python3
"""Pause control: --pause-at=begin with --control=FD stops at every stage when the observer answers
`step`, reports each stop as a `pause` event in order, and the program then runs normally; an observer
that closes the control descriptor lets the loader carry on."""
import os, subprocess, sys
elfld, prog = sys.argv[1], sys.argv[2]
stages = subprocess.run([elfld, '--events-schema'], capture_output=True, text=True).stdout.split('stages ')[1].split()
fails = 0
def run(answer):
    r_ev, w_ev = os.pipe(); r_ctl, w_ctl = os.pipe()
    p = subprocess.Popen([elfld, f'--events={w_ev}', f'--control={r_ctl}', '--pause-at=begin', prog],
                         pass_fds=(w_ev, r_ctl), stdout=subprocess.PIPE)
    os.close(w_ev); os.close(r_ctl)
    pauses = []
    with os.fdopen(r_ev) as f:
        for line in f:
            if line.startswith('pause '):
                pauses.append(line.split('at=')[1].strip())
                if answer == 'close':
                    os.close(w_ctl)
                else:
                    os.write(w_ctl, (answer + '\n').encode())
    out = p.stdout.read().decode()
    rc = p.wait()
    if answer != 'close':
        os.close(w_ctl)
    return pauses, out, rc
pauses, out, rc = run('step')
ok = pauses == stages and rc == 0 and out.startswith('FOO = 10')
print(('ok   ' if ok else 'FAIL ') + f'step: paused at {pauses}, exit {rc}')
fails += not ok
pauses, out, rc = run('close')
ok = pauses == ['begin'] and rc == 0 and out.startswith('FOO = 10')
print(('ok   ' if ok else 'FAIL ') + f'observer gone: paused at {pauses}, then ran to exit {rc}')
fails += not ok
pauses, out, rc = run('continue')
ok = pauses == ['begin'] and rc == 0
print(('ok   ' if ok else 'FAIL ') + f'continue: paused at {pauses}, exit {rc}')
fails += not ok
print(f'{3 - fails} passed, {fails} failed')
sys.exit(1 if fails else 0)
