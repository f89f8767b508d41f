# gdbtest.py -- helpers for the GDB test scripts (they run inside `gdb -batch -x elfld.py -x test_X.py
# --args elfld-run PROG ...`). Each check prints "ok" or "FAIL" with what it compared; finish() quits
# GDB with status 1 if anything failed.
import os
import re
import subprocess
import sys
import traceback

import gdb

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set breakpoint pending on")

_fails = 0
_checks = 0


def log(msg):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def check(cond, what):
    global _fails, _checks
    _checks += 1
    if cond:
        log("ok    " + what)
    else:
        _fails += 1
        log("FAIL  " + what)
    return cond


def eq(got, want, what):
    return check(got == want, "%s: got %s, want %s" % (what, fmt(got), fmt(want)))


def fmt(v):
    if isinstance(v, int) and not isinstance(v, bool):
        return hex(v) if abs(v) > 4096 else str(v)
    return repr(v)


def contains(text, pattern, what):
    ok = re.search(pattern, text, re.M) is not None
    if not check(ok, "%s (/%s/)" % (what, pattern)):
        log("----- output was:\n" + text + "-----")
    return ok


def cmd(s):
    out = gdb.execute(s, to_string=True)
    log("(gdb) " + s)
    for line in out.splitlines():
        log("    " + line)
    return out


def val(expr):
    return int(gdb.parse_and_eval(expr)) & ((1 << 64) - 1)


def workdir():
    d = os.environ.get("GDBT_WORK") or "/tmp/gdbt-work-%d" % os.getpid()
    os.makedirs(d, exist_ok=True)
    return d


def capture_output(extra=""):
    """Send the inferior's stdout to a file (set args ... > FILE); returns the file's path."""
    out = os.path.join(workdir(), "stdout.txt")
    if os.path.exists(out):
        os.unlink(out)
    shown = gdb.execute("show args", to_string=True)
    m = re.search(r'is "(.*)"\.\s*$', shown, re.S)
    args = m.group(1) if m else ""
    gdb.execute("set args %s %s > %s" % (extra, args, out))
    return out


def program_output(path):
    with open(path) as f:
        return f.read()


def kv(line_prefix, text):
    """Parse 'PREFIX: k=0x.. k2=0x..' lines of the test programs into a dict (last such line wins)."""
    d = {}
    for line in text.splitlines():
        if line.startswith(line_prefix):
            d = {k: int(v, 16) for k, v in re.findall(r"(\S+)=(0x[0-9a-f]+)", line)}
    return d


def at_random():
    """The 16 AT_RANDOM bytes, found through GDB's `info auxv` (the kernel's auxv of the process)."""
    out = gdb.execute("info auxv", to_string=True)
    m = re.search(r"AT_RANDOM\s.*?(0x[0-9a-f]+)\s*$", out, re.M)
    if not m:
        return None
    mem = bytes(gdb.selected_inferior().read_memory(int(m.group(1), 16), 16))
    return int.from_bytes(mem[:8], "little"), int.from_bytes(mem[8:], "little")


def read_events(path):
    """The loader's event stream (--events=FILE): list of (type, {field: value}); strings unescaped."""
    def unescape(v):
        out, i = "", 0
        while i < len(v):
            if v[i] == "\\" and i + 1 < len(v):
                c = v[i + 1]
                if c == "s":
                    out += " "
                elif c == "0":
                    pass
                elif c == "x":
                    out += chr(int(v[i + 2:i + 4], 16))
                    i += 2
                else:
                    out += c
                i += 2
            else:
                out += v[i]
                i += 1
        return out
    evs = []
    with open(path) as f:
        for line in f.read().splitlines()[1:]:
            parts = line.split(" ")
            d = {}
            for p in parts[1:]:
                k, _, v = p.partition("=")
                d[k] = unescape(v)
            evs.append((parts[0], d))
    return evs


def readelf_section(path, name):
    out = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s", line)
        if m and m.group(1) == name:
            return int(m.group(2), 16)
    return None


def main(body):
    """Run body(); report; quit with the status."""
    name = os.path.basename(sys.argv[0] if sys.argv and sys.argv[0] else "test")
    try:
        body()
    except Exception:
        traceback.print_exc(file=sys.stdout)
        check(False, "test body raised an exception")
    log("%d checks, %d failed" % (_checks, _fails))
    try:
        if gdb.selected_inferior().pid:
            gdb.execute("kill")
    except gdb.error:
        pass
    sys.stdout.flush()
    gdb.execute("quit %d" % (1 if _fails or not _checks else 0))
