#!/usr/bin/env python3
"""Lazy binding in GDB, compared with glibc: the same GDB session on samples/plt run natively and under
elfld-run (with the extension), facts extracted from each and compared:
  - puts's GOT slot before the first call (GDB: `puts@plt + 6 in section .plt') and after it (`puts');
  - `stepi' from main into the first call: the instructions (addresses masked) through puts@plt, PLT0 and
    the resolver up to _dl_fixup, which must be the same instructions glibc runs (endbr64 aside);
  - `bt' inside _dl_fixup: _dl_fixup <- _dl_runtime_resolve_* <- main;
  - `step' at the first call stops in puts (function and source file), not in the resolver;
  - `elfld got' (elfld only): puts pending before, bound to libc's puts after, its value = the slot's.
Usage: lazy_compare.py GDB ELFLD EXTENSION PROGRAM"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402

gdb_bin, elfld, ext, prog = sys.argv[1:5]


SCRIPT = r'''
set pagination off
set confirm off
set breakpoint pending on
break main
run
echo @@slot-before\n
info symbol *(void**)&'puts@got.plt'
python
insns = []
while gdb.selected_frame().name() == "main":
    gdb.execute("stepi", to_string=True)
for _ in range(200):
    f = gdb.selected_frame()
    if f.name() == "_dl_fixup":
        break
    insns.append(gdb.execute("x/i $pc", to_string=True).strip())
    gdb.execute("stepi", to_string=True)
print("@@insns")
for i in insns:
    print(i)
print("@@bt")
f = gdb.selected_frame()
while f is not None:
    print(f.name())
    f = f.older()
end
delete
break main
run
echo @@step\n
step
python
f = gdb.selected_frame()
sal = f.find_sal()
print("@@frame %s %s" % (f.name(), sal.symtab.filename.split("/")[-1] if sal.symtab else "?"))
end
finish
next
echo @@slot-after\n
info symbol *(void**)&'puts@got.plt'
echo @@end\n
'''

ELFLD_GOT = r'''
set pagination off
set confirm off
set breakpoint pending on
break main
run
echo @@got-before\n
elfld got --wide
next
echo @@got-after\n
elfld got --wide
echo @@slot\n
output/x *(void**)&'puts@got.plt'
echo \n@@end\n
'''


def session(script, under_elfld):
    with open("/tmp/lazy_compare.%d.gdb" % under_elfld, "w") as f:
        f.write(script)
    cmd = [gdb_bin, "-nx", "-batch", "-iex", "set auto-load python-scripts off"]
    if under_elfld:
        cmd += ["-x", ext, "-x", f.name, "--args", elfld, prog]
    else:
        cmd += ["-x", f.name, "--args", prog]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    return r.stdout + r.stderr


def sections(out):
    d, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"@@(\S+)(.*)", line)
        if m:
            cur = m.group(1)
            d[cur] = [m.group(2).strip()] if m.group(2).strip() else []
        elif cur:
            d[cur].append(line)
    return d


def insn_text(line):
    """`=> 0x55..1040 <puts@plt>:\tjmp *0x2fd2(%rip) # 0x...` -> `<puts@plt> jmp *X(%rip) # X`"""
    line = line.replace("=>", "").strip()
    line = re.sub(r"0x[0-9a-f]+", "X", line)
    return re.sub(r"\s+", " ", line.lstrip("X ").strip())


native, mine = sections(session(SCRIPT, 0)), sections(session(SCRIPT, 1))
for key in ("slot-before", "slot-after"):
    n = [l.split(" in section ")[0] for l in native.get(key, []) if " in section " in l]
    e = [l.split(" in section ")[0] for l in mine.get(key, []) if " in section " in l]
    check(n == e and len(n) == 1, "%s: the GOT slot of puts points at %s (natively %s)" % (key, e, n),
          (native.get(key), mine.get(key)))
check(native.get("slot-before", [""])[0].startswith("puts@plt"), "natively the slot starts in the PLT",
      native.get("slot-before"))
ni = [insn_text(l) for l in native.get("insns", []) if "endbr64" not in l and l.startswith("=>")]
ei = [insn_text(l) for l in mine.get("insns", []) if "endbr64" not in l and l.startswith("=>")]
check(len(ni) > 10 and ni == ei, "stepi from main to _dl_fixup: %d instructions, the same as glibc's" % len(ei),
      "\n".join("%-60s | %s" % (a, b) for a, b in zip(ni + [""] * len(ei), ei + [""] * len(ni))))
check(mine.get("bt", [])[:3] == native.get("bt", [])[:3] and (mine.get("bt") or [""])[0] == "_dl_fixup",
      "bt in _dl_fixup: %s" % " <- ".join(mine.get("bt", [])[:3]), (native.get("bt"), mine.get("bt")))
frame = lambda d: (d.get("frame") or [""])[0]
check(frame(mine) == frame(native) and "puts" in frame(native),
      "step at the first call of puts stops in %s (natively %s)" % (frame(mine), frame(native)),
      (native.get("frame"), mine.get("frame")))

got = sections(session(ELFLD_GOT, 1))
row = lambda key: next((l for l in got.get(key, []) if re.search(r"\sputs\s", l)), "")
before, after = row("got-before"), row("got-after")
check(" pending " in before and "puts@plt" in before, "elfld got before the first call: %s" % before.strip(),
      got.get("got-before"))
slot = (got.get("slot") or ["?"])[0].strip()
check(" bound " in after and re.search(r"libc\.so\.6 (_IO_)?puts", after) is not None and slot in after.split(),
      "elfld got after it: %s (the slot holds %s)" % (after.strip(), slot), got.get("got-after"))
finish()
