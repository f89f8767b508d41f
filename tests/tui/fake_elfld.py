#!/usr/bin/env python3
"""A stand-in for elfld-run (elfld-tui --elfld): writes a damaged binary event stream to the --events
descriptor, after the real schema (from REAL_ELFLD --events-schema). FAKE_SEED=-1: a stage event, then
one of a type that does not exist; FAKE_SEED=N: N's random bytes as records (a record cut short at the
end is left unread, as a text line without its newline)."""
import os, random, subprocess, sys

fd = int([a for a in sys.argv if a.startswith('--events=')][0].split('=')[1])
schema = subprocess.run([os.environ['REAL_ELFLD'], '--events-schema'], capture_output=True, check=True).stdout
body = schema.split(b'\n', 1)[1]  # without its "elfld-events 3" line
seed = int(os.environ['FAKE_SEED'])
if seed < 0:
    data = bytes([0, 0, 2, 2]) + b'go' + bytes([2]) + b'up' + bytes([100, 0, 0])
else:
    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 400)))
os.write(fd, b'elfld-events-binary 3\n' + body + b'\n' + data)
