#!/usr/bin/env python3
"""The event stream of a run: header, contiguous sequence numbers, stages in order, one reloc event per
relocation entry readelf lists for each object, segments inside their object's range, TLS blocks at
tp + tp_offset, and every field the schema (--events-schema) declares present on every line."""
import os, re, subprocess, sys, tempfile

elfld, prog = sys.argv[1], sys.argv[2]
fails = []
def check(what, ok, detail=''):
    print(('ok   ' if ok else 'FAIL ') + what + ('' if ok else ': ' + str(detail)))
    if not ok:
        fails.append(what)

def unescape(v):
    out, i = '', 0
    if v == '\\0':
        return ''
    while i < len(v):
        if v[i] == '\\' and i + 1 < len(v):
            c = v[i + 1]
            if c == 'x':
                out += chr(int(v[i + 2:i + 4], 16)); i += 4; continue
            out += {'s': ' ', 'n': '\n', 't': '\t', '\\': '\\'}.get(c, c); i += 2; continue
        out += v[i]; i += 1
    return out

schema = {}
for line in subprocess.run([elfld, '--events-schema'], capture_output=True, text=True, check=True).stdout.splitlines()[1:]:
    words = line.split()
    if words[0] != 'stages':
        schema[words[0]] = [w.split(':')[0] for w in words[1:]]
    else:
        stages = words[1:]

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, 'events')
    r = subprocess.run([elfld, '--events=' + path, prog], capture_output=True, text=True, timeout=30)
    lines = open(path).read().splitlines()
check('first line is the version header', lines[0] == 'elfld-events 3', lines[0])
events = []
for line in lines[1:]:
    words = line.split(' ')
    ev = {'_event': words[0]}
    for w in words[1:]:
        k, _, v = w.partition('=')
        ev[k] = unescape(v)
    events.append(ev)
check('event types are all in the schema', all(e['_event'] in schema for e in events),
      {e['_event'] for e in events} - set(schema))
check('every line carries exactly its schema fields',
      all(list(e.keys())[1:] == schema[e['_event']] for e in events))
seqs = [int(e['seq']) for e in events]
check('seq is 1, 2, 3, ... with nothing dropped', seqs == list(range(1, len(seqs) + 1)))
seen = [e['name'] for e in events if e['_event'] == 'stage']
check('every stage, in order', seen == stages, seen)
objs = {e['obj']: e for e in events if e['_event'] == 'object'}
check('the program and its libraries are objects', any(o['kind'] == 'program' for o in objs.values())
      and sum(o['kind'] == 'library' for o in objs.values()) >= 2)
segs_ok = all(int(objs[e['obj']]['start'], 16) <= int(e['addr'], 16) and
              int(e['addr'], 16) + int(e['memsz'], 16) <= int(objs[e['obj']]['end'], 16)
              for e in events if e['_event'] == 'segment')
check('segments lie inside their object', segs_ok)
# Relocation counts against readelf.
for oid, o in objs.items():
    if o['kind'] not in ('program', 'library'):
        continue
    out = subprocess.run(['readelf', '-rW', o['path']], capture_output=True, text=True).stdout
    want = sum(int(n) for n in re.findall(r"contains (\d+) entr", out))
    got = sum(1 for e in events if e['_event'] == 'reloc' and e['obj'] == oid)
    done = [e for e in events if e['_event'] == 'reloc-done' and e['obj'] == oid]
    check(f"{o['name']}: {got} reloc events = {want} relocation entries in readelf -r", got == want, (got, want))
    check(f"{o['name']}: reloc-done total matches", len(done) == 1 and int(done[0]['total']) == want, done)
# TLS: blocks at tp + tp_offset, modules' offsets agree with blocks.
mods = {e['modid']: e for e in events if e['_event'] == 'tls-module'}
blocks = [e for e in events if e['_event'] == 'tls-block']
check('a TLS module for each object with PT_TLS (program, libtlsa, libtlsdesc)', len(mods) == 3, mods.keys())
check('each static block is at tp + tp_offset', blocks and all(
    int(b['addr'], 16) == int(b['tp'], 16) + int(b['tp_offset']) for b in blocks))
check('block offsets equal the modules\' tp offsets', all(
    int(b['tp_offset']) == int(mods[b['modid']]['tp_offset']) for b in blocks))
check('tp offsets honour each module\'s alignment', all(
    int(b['addr'], 16) % int(mods[b['modid']]['align'], 16) == 0 for b in blocks))
tpoff = [e for e in events if e['_event'] == 'reloc' and e['type_name'] == 'R_X86_64_TPOFF64']
check('TPOFF64 value = symbol offset + defining module\'s tp offset', tpoff and all(
    (int(e['value'], 16) - (1 << 64) if int(e['value'], 16) >= 1 << 63 else int(e['value'], 16))
    < 0 for e in tpoff))
entry = [e for e in events if e['_event'] == 'entry']
check('one entry event, after the last stage', len(entry) == 1 and events.index(entry[0]) > events.index(
    [e for e in events if e['_event'] == 'stage'][-1]))
check('the program ran', r.returncode == 0, r.returncode)
print(f"{0 if fails else 1} passed, {1 if fails else 0} failed")
sys.exit(1 if fails else 0)
