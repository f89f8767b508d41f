#!/usr/bin/env python3
"""docs/events.md documents every event type and every field the loader's schema declares
(loader/events.h is the one source of truth; `elfld-run --events-schema` prints it)."""
import re, subprocess, sys
elfld, doc = sys.argv[1], open(sys.argv[2]).read()
fails = 0
lines = subprocess.run([elfld, '--events-schema'], capture_output=True, text=True, check=True).stdout.splitlines()
m = re.search(r'elfld-events (\d+)', lines[0])
if not m or f'elfld-events {m.group(1)}' not in doc:
    print('FAIL docs/events.md does not name the stream version', lines[0]); fails += 1
for line in lines[1:]:
    words = line.split()
    if words[0] == 'stages':
        for st in words[1:]:
            if f'`{st}`' not in doc:
                print(f'FAIL stage {st} not documented'); fails += 1
        continue
    section = re.search(r'^### `' + re.escape(words[0]) + r'`$(.*?)(?=^### |\Z)', doc, re.M | re.S)
    if not section:
        print(f'FAIL event {words[0]} has no "### `{words[0]}`" section'); fails += 1; continue
    for f in words[1:]:
        name = f.split(':')[0]
        if name in ('seq', 'stage', 'obj'):
            continue
        if f'`{name}`' not in section.group(1):
            print(f'FAIL event {words[0]}: field {name} not documented'); fails += 1
print(f"{len(lines) - 1 - fails if fails < len(lines) else 0} passed, {fails} failed")
sys.exit(1 if fails else 0)
