#!/usr/bin/env python3
"""`break main', `start', `list' and `info address' before `run', as natively, with a plain `gdb -batch'
(no `set breakpoint pending on'): for each program, the same script natively and under elfld-run with
the extension; the facts must agree.
  - `break main' before run resolves at once (file and line as natively), no pending question;
  - `run' stops there: `bt' 1 frame, the same function/file/line as natively;
  - after run, `info address main' gives natively's address (the program is where the kernel puts it
    with randomization off: 0x555555554000 for a PIE) and `info breakpoints' has one location;
  - `start' stops in main; `list main' before run shows natively's lines; one symbol file for the program.
Usage: break_main.py GDB ELFLD EXTENSION PROGRAM..."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402

gdb_bin, elfld, ext = sys.argv[1:4]
progs = sys.argv[4:]


def session(prog, cmds, under_elfld):
    argv = [gdb_bin, "-nx", "-batch", "-iex", "set auto-load python-scripts off"]
    if under_elfld:
        argv += ["-x", ext]
    for c in cmds:
        argv += ["-ex", c]
    argv += ["--args"] + ([elfld] if under_elfld else []) + [prog]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    return r.stdout + r.stderr


def facts(out):
    f = {}
    m = re.search(r"^Breakpoint 1 at \S+: file (\S+), line (\d+)\.$", out, re.M)
    f["break"] = (m.group(1).split("/")[-1], m.group(2)) if m else None
    f["pending"] = "pending" in out
    m = re.search(r"^Breakpoint 1, (\w+) \(.*\) at (\S+):(\d+)$", out, re.M)
    f["hit"] = (m.group(1), m.group(2).split("/")[-1], m.group(3)) if m else None
    f["bt"] = re.findall(r"^#(\d+)\s+(?:0x\S+ in )?(\w+) ", out, re.M)
    addrs = re.findall(r'^Symbol "main" is a function at address (0x[0-9a-f]+)\.$', out, re.M)
    f["address"] = addrs[-1] if addrs else None  # after run
    f["address_before"] = addrs[0] if len(addrs) > 1 else None
    f["locations"] = len(re.findall(r"^\d+\s+breakpoint\s+keep\s+y\s+0x", out, re.M))
    return f


def has_interp(prog):
    """A program the kernel maps itself as natively: ET_EXEC, or ET_DYN with PT_INTERP."""
    out = subprocess.run(["readelf", "-hlW", prog], capture_output=True, text=True).stdout
    return "EXEC (Executable file)" in out or re.search(r"^\s*INTERP\s", out, re.M) is not None


BREAK = ["info address main", "break main", "run", "bt", "info address main", "info breakpoints"]
START = ["list main", "start", "bt 1"]
for prog in progs:
    name = prog.split("/")[-1]
    n, e = facts(session(prog, BREAK, 0)), facts(session(prog, BREAK, 1))
    check(e["break"] is not None and e["break"] == n["break"] and not e["pending"],
          "%s: break main before run: %s line %s, not pending" % (name, *(e["break"] or ("?", "?"))), (n, e))
    check(e["hit"] is not None and e["hit"] == n["hit"], "%s: run stops in %s" % (name, e["hit"]), (n, e))
    check(e["bt"][:1] == n["bt"][:1] and len(e["bt"]) >= 1, "%s: bt starts %s" % (name, e["bt"][:1]), (n["bt"], e["bt"]))
    if has_interp(prog):
        check(e["address"] is not None and e["address"] == n["address"],
              "%s: info address main after run: %s, as natively" % (name, e["address"]), (n["address"], e["address"]))
    else:  # static-pie: the kernel puts it below the stack, where elfld-run itself is: elfld uses the PIE base
        check(e["address"] is not None and e["address"] == e["address_before"],
              "%s: info address main after run: %s, as before run" % (name, e["address"]),
              (e["address_before"], e["address"]))
    check(e["locations"] == 1, "%s: the breakpoint has one location" % name, e)
    ns, es = session(prog, START, 0), session(prog, START, 1)
    lines = lambda out: re.findall(r"^(\d+)\t(.*)$", out, re.M)[:10]
    check(lines(es) and lines(es) == lines(ns), "%s: list main before run: lines %s-%s as natively" % (
        name, (lines(es) or [("?",)])[0][0], (lines(es) or [("?",)])[-1][0]), (lines(ns), lines(es)))
    hit = lambda out: re.search(r"^Temporary breakpoint 1, (\w+) \(", out, re.M)
    check(hit(es) is not None and hit(ns) is not None and hit(es).group(1) == hit(ns).group(1),
          "%s: start stops in main" % name, es[-600:])
    objs = session(prog, ["start", "python print('objfiles', len([o for o in gdb.objfiles() "
                                    "if o.filename and o.filename.endswith('/%s')]))" % name], 1)
    check(re.search(r"^objfiles 1$", objs, re.M) is not None, "%s: one symbol file for the program after start" % name,
          objs[-600:])
finish()
