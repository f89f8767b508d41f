# gdb-symbol-files: the extension's fallback adds symbol files itself (add-symbol-file FILE -o BASE)
# when GDB's r_debug path does not: simulated with `set auto-solib-add off`. Once per object, at the
# right base, removed when the process goes, none added when GDB already has them.
import os
import subprocess
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def objfiles():
    return [os.path.realpath(of.filename) for of in gdb.objfiles()
            if of.filename and not of.filename.startswith("system-")]


def nm_value(path, sym):
    out = subprocess.run(["nm", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == sym:
            return int(f[0], 16)
    return None


def body():
    capture_output()
    lib = os.path.join(os.environ.get("GDBT_DIR", "."), "libgdbt-tlsbar.so")
    lib = os.path.realpath(lib)
    gdb.execute("set auto-solib-add off")
    gdb.execute("set elfld symbol-files off")
    gdb.execute("break get_bar")
    gdb.execute("run")
    check(gdb.selected_inferior().pid == 0, "symbol-files off, auto-solib-add off: no symbols, the program runs to its end")
    check(lib not in objfiles(), "and the library has no symbol file")

    gdb.execute("set elfld symbol-files on")
    contains(cmd("show elfld symbol-files"), r"elfld adds symbol files: on", "show elfld symbol-files")
    gdb.execute("run")
    eq(gdb.selected_frame().name() if gdb.selected_inferior().pid else None, "get_bar",
       "symbol-files on: the breakpoint in the library is hit")
    ofs = objfiles()
    eq(ofs.count(lib), 1, "the library has one symbol file")
    prog = [o for o in ofs if o.endswith("gdbt-echidna")]
    eq(len(prog), 1, "the program has one symbol file")
    base = [l for l in cmd("elfld objects").splitlines() if "libgdbt-tlsbar.so" in l][0].split()[3]
    eq(val("&get_bar"), int(base, 16) + nm_value(lib, "get_bar"), "get_bar's address = base + its value in the file")
    sl = cmd("info sharedlibrary")
    contains(sl, r"\sNo\s+\S*libgdbt-tlsbar\.so", "GDB's own solib entry still says no symbols (the extension added them)")
    gdb.execute("delete")
    gdb.execute("continue")
    check(gdb.selected_inferior().pid == 0, "the program exited")
    eq(objfiles().count(lib), 0, "the added symbol file is removed when the process exits")

    gdb.execute("break get_bar")
    gdb.execute("run")
    eq(gdb.selected_frame().name() if gdb.selected_inferior().pid else None, "get_bar", "second run: hit again")
    eq(objfiles().count(lib), 1, "second run: still one symbol file for the library")
    gdb.execute("kill")

    gdb.execute("set auto-solib-add on")
    gdb.execute("set elfld symbol-files auto")
    gdb.execute("run")
    eq(gdb.selected_frame().name() if gdb.selected_inferior().pid else None, "get_bar", "auto (r_debug works): hit")
    ofs = objfiles()
    eq(ofs.count(lib), 1, "auto: one symbol file for the library (GDB's own)")
    eq(len(ofs), len(set(ofs)), "auto: no duplicate symbol files")
    contains(cmd("info sharedlibrary"), r"\sYes\s+\S*libgdbt-tlsbar\.so", "auto: GDB read the library through r_debug")


main(body)
