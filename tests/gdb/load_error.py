#!/usr/bin/env python3
"""A failed load stops in GDB with what was loaded still there: gdbt-echidna copied to a directory (1)
without its library, (2) with the library cut to 100 bytes. GDB (plain -batch, the extension) must stop
at the loader's error event naming the file and the reason; `elfld objects' must list the program and not
the library; `continue' must end with elfld's status 127.
Usage: load_error.py GDB ELFLD EXTENSION PROGRAM LIBRARY"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402
import tempfile

gdb_bin, elfld, ext, prog, lib = sys.argv[1:6]


libname = os.path.basename(lib)
with tempfile.TemporaryDirectory() as d:
    for case, reason in (("missing", r"cannot find library %s" % re.escape(libname)),
                         ("truncated", re.escape(libname) + r": .*(outside the file|truncated|too short|not an ELF)")):
        shutil.copy(prog, d)
        if case == "truncated":
            with open(lib, "rb") as f, open(os.path.join(d, libname), "wb") as g:
                g.write(f.read(100))
        p = os.path.join(d, os.path.basename(prog))
        r = subprocess.run([gdb_bin, "-nx", "-batch", "-iex", "set auto-load python-scripts off", "-x", ext,
                            "-ex", "run", "-ex", "elfld objects", "-ex", "continue", "--args", elfld, p],
                           capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        out = r.stdout + r.stderr
        m = re.search(r"^elfld: loading failed at stage \S+: (.*)$", out, re.M)
        check(m is not None and re.search(reason, m.group(1)) is not None,
              "%s library: GDB stops at the error: %s" % (case, m.group(1) if m else None), out[-1500:])
        objs = re.findall(r"^\s*(\d+)\s+(\S+)\s+(loader|program|vdso|library)\s", out, re.M)
        names = [n for _, n, _ in objs]
        check(os.path.basename(prog) in names and libname not in names,
              "%s library: elfld objects lists what was loaded: %s" % (case, " ".join(names)), out[-1500:])
        check(re.search(r"exited with code 0177", out) is not None, "%s library: continue ends with status 127" % case,
              out[-800:])
        shutil.rmtree(d)
        os.mkdir(d)
finish()
