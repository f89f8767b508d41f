#!/usr/bin/env python3
"""Replay the GDB sessions of docs/walkthrough-gdb.md and compare them with the document.

A session in the document is a ```console block whose first line is
    $ gdb -q -x gdbext/elfld.py --args build/bin/elfld-run build/tests/gdb/PROG [ARGS]
followed by `(gdb) COMMAND` lines, each with the output GDB printed. This script runs the same
commands in a real GDB (on a pseudo-terminal, so the program's own output lands where it did) and:
  --check   compares each command's output with the document, ignoring what changes from run to run
            (long hex addresses, LWP/process ids, event sequence numbers); exits 1 on a difference
  --update  rewrites the document's outputs with the real ones (then review the diff and commit)

The document records the toolchain it was made with (GDB, binutils, compiler, glibc), whose versions
decide section order, segment sizes, libc's TLS size and GDB's own messages. With that toolchain every
command's output must match. With another (a newer Debian), the document cannot match line for line;
then every command must still run: elfld's commands and $tls functions without an error and with the
document's header line (numbers aside), GDB's own commands without a Python error. The values themselves
are checked against ground truth on every toolchain by the other gdb-* tests.
"""
import argparse
import difflib
import os
import re
import select
import subprocess
import sys
import time

FENCE = "```"
GDB_LINE = re.compile(r"^\$ gdb (?P<opts>.*?)--args (?P<loader>\S+) (?P<prog>\S+)(?P<args>.*)$")


def parse_doc(text):
    """Sessions: list of dicts {start, end (line indexes of the block body), head, steps: [(cmd, [lines])]}."""
    lines = text.split("\n")
    sessions = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == FENCE + "console" and i + 1 < len(lines) and GDB_LINE.match(lines[i + 1]):
            j = i + 1
            while j < len(lines) and lines[j].strip() != FENCE:
                j += 1
            body = lines[i + 1:j]
            steps = []
            for line in body[1:]:
                if line.startswith("(gdb) "):
                    steps.append((line[6:], []))
                elif steps:
                    steps[-1][1].append(line)
            sessions.append({"start": i + 1, "end": j, "head": body[0], "steps": steps})
            i = j
        i += 1
    return lines, sessions


def run_session(sess, a):
    m = GDB_LINE.match(sess["head"])
    prog = m.group("prog").replace("build/tests/gdb", a.bindir, 1)
    args = m.group("args").split()
    argv = [a.gdb, "-q", "-nx", "-batch", "-iex", "set pagination off", "-iex", "set style enabled off",
            "-iex", "set width 0", "-iex", "set height 0", "-iex", "set confirm off",
            "-iex", "set auto-load python-scripts off", "-x", a.ext]
    for k, (command, _) in enumerate(sess["steps"]):
        argv += ["-ex", "echo \\n@@@STEP %d@@@\\n" % k, "-ex", command]
    argv += ["-ex", "echo \\n@@@END@@@\\n", "--args", a.loader, prog] + [
        x.replace("build/tests/gdb", a.bindir) for x in args]
    master, slave = os.openpty()
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True, cwd=a.bindir)
    os.close(slave)
    out = b""
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        r, _, _ = select.select([master], [], [], 0.5)
        if not r:
            if p.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if p.poll() is None:
        p.kill()
    p.wait()
    os.close(master)
    text = out.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")
    parts = re.split(r"\n?@@@(STEP \d+|END)@@@\n", text)
    outputs = {}
    for k in range(1, len(parts) - 1, 2):
        tag, body = parts[k], parts[k + 1]
        if tag.startswith("STEP"):
            outputs[int(tag.split()[1])] = body
    res = []
    for k in range(len(sess["steps"])):
        body = outputs.get(k, "(no output: GDB stopped before this command)\n")
        res.append(clean(body, a))
    return res


def clean(body, a):
    """Real output with this machine's paths replaced by the document's relative ones."""
    lines = body.rstrip("\n").split("\n") if body.strip() else []
    out = []
    for line in lines:
        for real, shown in ((a.bindir, "build/tests/gdb"), (os.path.dirname(a.loader), "build/bin"),
                            (a.ext, "gdbext/elfld.py"), (a.root + "/", "")):
            line = line.replace(real, shown)
        line = re.sub(r"/\S*/(tests/gdb/progs/)", r"\1", line)
        out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    return out


TOOLCHAIN = re.compile(r"^<!-- walkthrough toolchain: (.*) -->$", re.M)
ERRORS = re.compile(r"Traceback|Python Exception|Error occurred in Python|Undefined command|"
                    r"No symbol .* in current context|not defined|elfld: error", re.I)


def toolchain(a):
    def first(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True).stdout.split("\n")[0]
        except OSError:
            return "?"
        m = re.search(r"(\d+\.\d+(?:\.\d+)?)\s*$", out.strip())
        return m.group(1) if m else out.strip()
    return "gdb %s, binutils %s, %s, glibc %s" % (first([a.gdb, "--version"]), first(["ld", "--version"]), a.cc,
                                                 first(["getconf", "GNU_LIBC_VERSION"]).split()[-1])


def shape(lines):
    """The header line with every number masked: what must match on any toolchain."""
    for line in lines:
        if line.strip():
            return re.sub(r"[ \t]+", " ", re.sub(r"0x[0-9a-f]+|\d+", "N", line)).strip()
    return ""


def normalize(lines):
    """What may differ between two runs of the same session."""
    out = []
    for line in lines:
        line = re.sub(r" \([a-z_]+=[^()]*\) at ", " (ARGS) at ", line)  # frames of other threads: live values
        line = re.sub(r"0x[0-9a-f]{5,}", "0xADDR", line)  # addresses, and the loader's own offsets (they move as it grows)
        line = re.sub(r"(tid=|canary=)0x[0-9a-f]+", r"\g<1>N", line)
        line = re.sub(r"\b(LWP|process|Thread) \d+", r"\1 N", line)
        line = re.sub(r"#\d+\b", "#N", line)
        line = re.sub(r"events so far: \d+", "events so far: N", line)
        line = re.sub(r"\$\d+ = ", "$N = ", line)
        line = re.sub(r"[ \t]+", " ", line).strip()
        if line.startswith("[Inferior 1 (process N) killed]"):
            continue
        out.append(line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--update", action="store_true")
    ap.add_argument("--gdb", default="gdb")
    ap.add_argument("--loader", required=True, help="build/bin/elfld-run")
    ap.add_argument("--bindir", required=True, help="directory of the test programs (build/tests/gdb)")
    ap.add_argument("--doc", required=True)
    ap.add_argument("--ext", required=True, help="gdbext/elfld.py")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--cc", default="cc", help="the compiler that built the programs, ID and version")
    a = ap.parse_args()
    a.loader, a.bindir, a.ext, a.doc = (os.path.abspath(x) for x in (a.loader, a.bindir, a.ext, a.doc))
    a.root = os.path.dirname(os.path.dirname(os.path.realpath(a.doc)))
    with open(a.doc) as f:
        text = f.read()
    lines, sessions = parse_doc(text)
    if not sessions:
        print("FAIL: no GDB sessions found in %s" % a.doc)
        return 1
    have_tc, m = toolchain(a), TOOLCHAIN.search(text)
    exact = bool(m) and m.group(1) == have_tc
    if a.check and not exact:
        print("note: the document was made with %s; this is %s: checking that every command runs, not every line"
              % (m.group(1) if m else "an unrecorded toolchain", have_tc))
    fails = 0
    new_bodies = []
    for n, sess in enumerate(sessions):
        t0 = time.time()
        got = run_session(sess, a)
        print("session %d (%s): %d commands, %.1f s" % (n + 1, sess["head"], len(got), time.time() - t0))
        new_bodies.append(got)
        if a.check:
            for (command, want), have in zip(sess["steps"], got):
                if not exact:
                    ours = command.startswith("elfld") or "$tls" in command
                    bad = [l for l in have if ERRORS.search(l)] if ours else \
                        [l for l in have if re.search(r"Traceback|Python Exception", l)]
                    if ours and shape(want) != shape(have):
                        bad.append("header %r, the document's %r" % (shape(have), shape(want)))
                    if not have and want:
                        bad.append("no output")
                    if not bad:
                        print("ok    (gdb) %s  [runs]" % command)
                        continue
                    fails += 1
                    print("FAIL  (gdb) %s" % command)
                    for l in bad[:5]:
                        print("      " + l)
                    continue
                if normalize(want) == normalize(have):
                    print("ok    (gdb) %s" % command)
                    continue
                fails += 1
                print("FAIL  (gdb) %s" % command)
                for d in difflib.unified_diff(want, have, "document", "gdb", lineterm="", n=1):
                    print("      " + d)
    if a.update:
        out = []
        prev = 0
        for sess, got in zip(sessions, new_bodies):
            out += lines[prev:sess["start"] + 1]
            for (command, _), have in zip(sess["steps"], got):
                out.append("(gdb) " + command)
                out += have
            prev = sess["end"]
        out += lines[prev:]
        stamp = "<!-- walkthrough toolchain: %s -->" % have_tc
        text = "\n".join(out)
        text = TOOLCHAIN.sub(stamp, text) if TOOLCHAIN.search(text) else text.rstrip("\n") + "\n\n" + stamp + "\n"
        out = text.split("\n")
        with open(a.doc, "w") as f:
            f.write("\n".join(out))
        print("updated %s" % a.doc)
        return 0
    print("%d sessions, %d differences%s" % (len(sessions), fails,
                                            "" if not fails else " (if the change is intended: walkthrough.py --update)"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
