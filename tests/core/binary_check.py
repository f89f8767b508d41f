#!/usr/bin/env python3
"""--events-format=binary carries exactly the text stream's events: the same program run twice without
address randomization (setarch -R), once with each form; tools/elfld-events-decode turns the binary one
into lines that must equal the text ones (but for thread ids and the stack pointer at entry, which the
extra argument moves, and the time of each lazy binding)."""
import re, subprocess, sys, tempfile, os
elfld, decode, progs = sys.argv[1], sys.argv[2], sys.argv[3:]
fails = 0
norm = lambda s: re.sub(rb' (tid|sp|time_ns)=\S+', b'', s)
for prog in progs:
    with tempfile.TemporaryDirectory() as d:
        t, b = os.path.join(d, 't'), os.path.join(d, 'b')
        r1 = subprocess.run(['setarch', 'x86_64', '-R', elfld, '--events=' + t, prog], capture_output=True)
        r2 = subprocess.run(['setarch', 'x86_64', '-R', elfld, '--events=' + b, '--events-format=binary', prog],
                            capture_output=True)
        text = open(t, 'rb').read()
        binary = open(b, 'rb').read()
        dec = subprocess.run([decode, b], capture_output=True, check=True).stdout
        n = text.count(b'\n')
        ok = (r1.returncode, r1.stdout) == (r2.returncode, r2.stdout) and norm(text) == norm(dec) and n > 50 \
            and binary.startswith(b'elfld-events-binary 3\n') and len(binary) < len(text) / 2
        print(('ok   ' if ok else 'FAIL ') + '%s: %d events, text %d bytes, binary %d bytes, decoded equal: %s'
              % (os.path.basename(prog), n - 1, len(text), len(binary), norm(text) == norm(dec)))
        fails += not ok
print('%d failed' % fails)
sys.exit(1 if fails else 0)
