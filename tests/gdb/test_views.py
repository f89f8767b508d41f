# gdb-views: checksec, xinfo and telescope against readelf and the program's own output; relocations of
# several objects (all, globs), C++ names demangled; every table within GDB's `width' (and in full with
# -w). Program: gdbt-views (glibc; FORTIFY, canary, BIND_NOW, DT_RPATH) with libgdbt-cxxnames.so
# (freestanding, IBT/SHSTK property, C++ symbol names).
import os
import re
import subprocess
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def readelf(*args):
    return subprocess.run(["readelf"] + list(args), capture_output=True, text=True).stdout


def expected_checksec(path, is_main):
    """The checksec fields of a file, computed from readelf's output."""
    ph = readelf("-lW", path)
    dyn = readelf("-dW", path)
    hdr = readelf("-hW", path)
    notes = readelf("-nW", path)
    syms = readelf("-sW", path)
    has_relro = re.search(r"^\s*GNU_RELRO\s", ph, re.M) is not None
    now = re.search(r"\(BIND_NOW\)|\(FLAGS\)\s.*BIND_NOW|\(FLAGS_1\)\s.*\bNOW\b", dyn) is not None
    r = {"RELRO": "no" if not has_relro else "full" if now else "partial", "NOW": "yes" if now else "no"}
    dso = "DYN (" in hdr
    r["PIE"] = ("yes" if dso else "no") if is_main else ("DSO" if dso else "no")
    m = re.search(r"^\s*GNU_STACK\s.*\s(R?W?E?)\s+0x[0-9a-f]+\s*$", ph, re.M)
    r["NX"] = "yes" if m and "E" not in m.group(1) else "no"
    names = set(re.sub(r"@.*", "", l.split()[7]) for l in syms.splitlines() if len(l.split()) >= 8 and l.split()[0].endswith(":"))
    r["CANARY"] = "yes" if names & {"__stack_chk_fail", "__stack_chk_guard", "__stack_chk_fail_local"} else "no"
    f = re.search(r"x86 feature: (.*)", notes)
    if not f:
        r["CET"] = "-"
    else:
        r["CET"] = ",".join(x for x in ("IBT", "SHSTK") if x in f.group(1)) or "no"
    und = set()
    for l in syms.splitlines():
        w = l.split()
        if len(w) >= 8 and w[6] == "UND":
            n = re.sub(r"@.*", "", w[7])
            if n.startswith("__") and n.endswith("_chk") and not n.startswith("__stack_chk"):
                und.add(n)
    r["FORTIFY"] = "yes (%d)" % len(und) if und else "no"
    paths = []
    for tag, label in (("RPATH", "rpath"), ("RUNPATH", "runpath")):
        m = re.search(r"\(%s\)\s+Library %s: \[(.*)\]" % (tag, label), dyn)
        if m:
            paths.append("%s=%s" % (tag, m.group(1)))
    r["RPATH"] = " ".join(paths) or "-"
    return r


FIELDS = ["RELRO", "NOW", "PIE", "NX", "CANARY", "CET", "FORTIFY", "RPATH"]


def body():
    out = capture_output()
    gdb.execute("break checkpoint")
    gdb.execute("run")
    p = kv("views:", program_output(out))
    check(bool(p), "the program printed its facts: %s" % {k: hex(v) for k, v in p.items()})
    gdb.execute("set width 0")
    objs = {}
    for line in cmd("elfld objects").splitlines()[1:]:
        w = line.split()
        if w and w[0].isdigit():
            objs[w[1]] = (int(w[0]), int(w[3], 16), w[-1], w[2])

    # checksec: every object against readelf
    cs = cmd("elfld checksec")
    head = cs.splitlines()[0]
    starts = [head.index(f) for f in ["OBJECT"] + FIELDS] + [None]
    rows = {}
    for l in cs.splitlines()[1:]:
        if l.startswith("["):
            cells = [l[starts[i]:starts[i + 1]].strip() for i in range(len(FIELDS) + 1)]
            rows[cells[0].split()[1]] = cells[1:]
    for name, (oid, base, path, kind) in objs.items():
        if kind == "vdso":
            check(name not in rows, "checksec leaves out the vDSO")
            continue
        want = expected_checksec(path, kind == "program")
        got = dict(zip(FIELDS, rows.get(name, [])))
        eq(got, want, "checksec %s against readelf" % name)
    eq(dict(zip(FIELDS, rows["gdbt-views"])).get("RPATH"), "RPATH=$ORIGIN", "checksec: the program's DT_RPATH")
    check(rows["gdbt-views"][0] == "full" and rows["gdbt-views"][6].startswith("yes"), "checksec: program full RELRO, FORTIFY")
    eq(rows["libgdbt-cxxnames.so"][5], "IBT,SHSTK", "checksec: the library's IBT and SHSTK property")
    contains(cmd("elfld checksec -v gdbt-views"), r"^\[1\] gdbt-views FORTIFY: .*__printf_chk",
             "checksec -v names the fortified calls")

    # xinfo
    prog = objs["gdbt-views"]
    msgp_off = p["&msgp"] - prog[1]
    sec = [l for l in readelf("-SW", prog[2]).splitlines() if re.match(r"\s*\[\s*\d+\]", l)]
    secname = None
    for l in sec:
        f = re.sub(r"^\s*\[\s*\d+\]\s*", "", l).split()
        if len(f) >= 5 and int(f[2], 16) <= msgp_off < int(f[2], 16) + int(f[4], 16) and int(f[2], 16):
            secname, secoff = f[0], msgp_off - int(f[2], 16)
    loads = [l.split() for l in readelf("-lW", prog[2]).splitlines() if l.split()[:1] == ["LOAD"]]
    nload = [i for i, l in enumerate(loads) if int(l[2], 16) <= msgp_off < int(l[2], 16) + int(l[5], 16)][0]
    foff = msgp_off - int(loads[nload][2], 16) + int(loads[nload][1], 16)
    x = cmd("elfld xinfo &msgp")
    contains(x, r"^\s*object\s+\[1\] gdbt-views, base 0x%x, offset 0x%x from base$" % (prog[1], msgp_off), "xinfo: object")
    contains(x, r"^\s*segment\s+LOAD#%d rw- .*, file offset 0x%x$" % (nload, foff), "xinfo: LOAD segment and file offset (readelf)")
    contains(x, r"^\s*section\s+%s\+0x%x$" % (re.escape(secname), secoff), "xinfo: section (readelf)")
    contains(x, r"^\s*symbol\s+msgp\+0x0$", "xinfo: symbol")
    lib = objs["libgdbt-cxxnames.so"]
    slot = [l.split() for l in readelf("-rW", lib[2]).splitlines() if "_ZN3elf4bumpEi" in l and "JUMP_SLOT" in l][0]
    contains(cmd("elfld xinfo 0x%x" % (lib[1] + int(slot[0], 16))),
             r"relocation\s+slot of R_X86_64_JUMP_SLOT elf::bump\(int\) \(GOT\)", "xinfo: a GOT slot, its symbol demangled")
    contains(cmd("elfld xinfo 0x%x" % p["&counter"]),
             r"tls\s+TLS block of module \d+ \[\d+\] libgdbt-cxxnames\.so in thread 1 \(static\) \+0x0, variable elf::counter\+0x0",
             "xinfo: a thread-local variable")
    contains(cmd("elfld xinfo $fs_base+0x28"), r"tls\s+TCB of thread 1 \+0x28, tcbhead_t\.stack_guard", "xinfo: a TCB field")

    # telescope: msgp -> msg -> "telescope-target"
    msg = val("*(unsigned long *)&msgp")
    t = cmd("elfld telescope &msgp 2")
    eq(len(t.splitlines()), 2, "telescope &msgp 2: two words")
    contains(t, r"^00:0000  0x%x  0x%x \(\[1\] gdbt-views msg\+0x0\) -> 0x%x \(\[1\] gdbt-views \.rodata\+0x[0-9a-f]+\) -> \"telescope-target\"" % (
        p["&msgp"], msg, val("*(unsigned long *)%d" % msg)), "telescope: a pointer chain to a string, labelled")
    t = cmd("elfld telescope $fs_base 2")
    contains(t, r"^00:0000  0x%x  0x%x \(TCB of thread 1 \+0x0, tcbhead_t\.tcb\) -> \(itself\)" % (val("$fs_base"), val("$fs_base")),
             "telescope: the TCB points to itself")
    contains(t, r"^01:0008  .* \(DTV of thread 1 \+0x10, entry dtv\[0\] \(generation\)\)", "telescope: tcb->dtv")

    # relocations of several objects; C++ names demangled, matched by --symbol in either form
    r = cmd("elfld relocs libgdbt-cxxnames.so")
    contains(r, r"^R_X86_64_JUMP_SLOT\s+0x[0-9a-f]+\s+elf::bump\(int\)\s+0\s+0x[0-9a-f]+\s+\[\d+\] libgdbt-cxxnames\.so$",
             "relocs: a C++ name demangled")
    contains(cmd("elfld relocs libgdbt-cxxnames.so --symbol elf::*"), r"2 match|, 3 shown", "relocs --symbol on demangled names")
    contains(cmd("elfld relocs libgdbt-cxxnames.so --symbol _ZN3elf*"), r", 3 shown", "relocs --symbol on mangled names")
    counts = {}
    for name, (oid, base, path, kind) in objs.items():
        if kind != "vdso":
            re_out = readelf("-rW", path)
            # RELA entries, and the addresses a RELR table encodes (binutils 2.40: "N offsets"; 2.45:
            # "contains E entries which relocate N locations")
            counts[name] = sum(int(n) for n in re.findall(r"'\.rela\.\w+' at offset \S+ contains (\d+) entr", re_out)) + \
                sum(int(n) for n in re.findall(r"^\s*(\d+) offsets", re_out, re.M)) + \
                sum(int(n) for n in re.findall(r"'\.relr\.dyn' .* which relocate (\d+) locations", re_out))
    allr = gdb.execute("elfld relocs all", to_string=True)
    heads = dict(re.findall(r"^\[\d+\] (\S+): (\d+) relocations", allr, re.M))
    eq({k: int(v) for k, v in heads.items()}, counts, "relocs all: every object but the vDSO, readelf's counts")
    eq(len(allr.splitlines()), sum(counts.values()) + 2 * len(counts) + len(counts) - 1, "relocs all: a row for each")
    lib_heads = re.findall(r"^\[\d+\] (\S+): \d+ relocations", cmd("elfld relocs lib* --type JUMP_SLOT"), re.M)
    eq(sorted(lib_heads), sorted(n for n in objs if n.startswith("lib")), "relocs lib*: every match, not the first")
    lim = cmd("elfld relocs libc.so.6 --limit 5")
    eq(len(lim.splitlines()), 8, "relocs --limit 5: header, note, column titles, 5 rows")
    contains(lim, r"^  \(5 shown \(--limit 5\)\)$", "relocs --limit says so")

    # vmmap: LOAD#n is the n-th PT_LOAD (readelf's order and flags); "bss" only on anonymous memory, a
    # file-backed page where the bss starts says where
    vm = cmd("elfld vmmap")
    with open("/proc/%d/maps" % gdb.selected_inferior().pid) as f:
        inode = {int(l.split()[0].split("-")[0], 16): l.split()[4] for l in f.read().splitlines()}
    for n, l in enumerate(loads):
        perm = "".join(c.lower() if c in "".join(l[6:-1]) else "-" for c in "RWE").replace("e", "x")
        contains(vm, r"\[1\] gdbt-views LOAD#%d %s" % (n, perm), "vmmap: LOAD#%d is the program's PT_LOAD %d (%s)" % (n, n, perm))
    check(not re.search(r"LOAD#%d" % len(loads), vm.split("[0]")[0]), "vmmap: no LOAD# beyond the program's %d" % len(loads))
    data = [l for l in loads if "W" in "".join(l[6:-1])][0]
    fend = prog[1] + int(data[2], 16) + int(data[4], 16)
    for row in vm.splitlines()[1:]:
        start, end = int(row.split()[0], 16), int(row.split()[1], 16)
        if re.search(r"\[1\] gdbt-views bss(;|$)", row):
            eq(inode.get(start), "0", "vmmap: `bss' labels anonymous memory: %s" % row[:40])
        if start < fend < end and inode.get(start) != "0":
            contains(row, r"\[1\] gdbt-views bss from 0x%x" % fend, "vmmap: the file page where the bss starts")

    # width: every table within 80 columns; -w: in full
    # (GDB runs a command captured with to_string at unlimited width: log to a file instead, which keeps it)
    gdb.execute("set width 80")
    wide = {}
    for c in ("elfld objects", "elfld segments", "elfld vmmap", "elfld relocs all --limit 300", "elfld tls -v",
              "elfld dtv", "elfld checksec", "elfld telescope $sp 16"):
        o = logged(c)
        longest = max(o.splitlines(), key=len)
        check(len(longest) <= 80, "%s fits 80 columns (longest line %d: %s)" % (c, len(longest), longest))
        wide[c] = max(len(l) for l in logged(c + (" -w" if "telescope" not in c else "")).splitlines())
    check(any(w > 80 for w in wide.values()), "-w: wider than 80 columns: %s" % wide)
    narrow = logged("elfld objects")
    check(prog[2] not in narrow and "gdbt-views" in narrow, "objects at width 80: the program's path shortened")
    check(prog[2] in logged("elfld objects -w"), "objects -w: the whole path")
    gdb.execute("set width 0")
    check(prog[2] in logged("elfld objects"), "objects with unlimited width: the whole path")


def logged(command):
    """A command's output as GDB prints it (at GDB's width), through a log file."""
    path = os.path.join(workdir(), "log.txt")
    gdb.execute("set logging file %s" % path)
    gdb.execute("set logging overwrite on")
    gdb.execute("set logging redirect on")
    gdb.execute("set logging enabled on")
    try:
        gdb.execute(command)
    finally:
        gdb.execute("set logging enabled off")
    with open(path) as f:
        return f.read()


main(body)
