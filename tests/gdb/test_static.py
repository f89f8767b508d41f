# gdb-static: static and static-pie glibc programs. elfld only maps them and jumps to their entry; their
# own libc relocates them and sets up TLS, so every answer must come from that libc's state (its DTV via
# the TCB, _dl_tls_max_dtv_idx, _dl_tls_generation): checked against what the program prints, its memory
# and readelf.
import os
import re
import subprocess
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def error_of(command):
    try:
        gdb.execute(command, to_string=True)
    except gdb.error as e:
        return str(e)
    return ""


def readelf(*args):
    return subprocess.run(["readelf"] + list(args), capture_output=True, text=True).stdout


def symbol_value(path, name):
    for line in readelf("-sW", path).splitlines():
        f = line.split()
        if len(f) >= 8 and f[7] == name:
            return int(f[1], 16)
    return None


def mem(addr):
    return val("*(unsigned long *)%d" % addr)


def one_program(path, pie):
    name = os.path.basename(path)
    out = os.path.join(workdir(), name + ".txt")
    gdb.execute("set args %s > %s" % (path, out))
    log("==== %s" % name)
    # 1. at elfld's last stage: the program's libc has done nothing yet
    gdb.execute("elfld break-stage entry", to_string=True)
    gdb.execute("run")
    contains(error_of("elfld tls"), r"the program's libc has not set up TLS yet", "%s: tls before __libc_setup_tls" % name)
    r = cmd("elfld relocs --limit 1")
    contains(r, r"^\[1\] %s: \d+ relocations .*\n  \(not relocated yet: a static program relocates itself in __libc_start_main\)\n  \(\d+ shown \(--limit 1\)\)$" % name,
             "%s: relocs before the libc relocated it" % name)
    gdb.execute("elfld break-stage delete", to_string=True)
    # 2. in the program
    gdb.execute("break checkpoint")
    gdb.execute("continue")
    p = kv("static:", program_output(out))
    check(bool(p), "%s printed its facts: %s" % (name, {k: hex(v) for k, v in p.items()}))
    tp = val("$fs_base")
    eq(tp, p["tp"], "%s: $fs_base is the thread pointer the program read" % name)
    base = p["main"] - symbol_value(path, "main")
    eq(base, 0 if not pie else base, "%s: load bias" % name)

    maxmod = mem(val("&_dl_tls_max_dtv_idx"))
    gen = mem(val("&_dl_tls_generation"))
    eq(maxmod, 1, "%s: the libc's _dl_tls_max_dtv_idx (the program is module 1)" % name)
    ob = cmd("elfld objects")
    contains(ob, r"^stage entry, 2 objects, TLS generation %d, max module id %d$" % (gen, maxmod),
             "%s: objects: the libc's generation and max module id" % name)
    contains(ob, r"^\s*1\s+%s\s+program\s+0x%x\s.*\s1 static\s" % (re.escape(name), base), "%s: objects: TLS module 1" % name)

    # TLS: block = &st_tls - st_tls's offset; offset from tp = PT_TLS memsz rounded up to its alignment
    block = p["&st_tls"] - symbol_value(path, "st_tls")
    tls = [l.split() for l in readelf("-lW", path).splitlines() if l.split()[:1] == ["TLS"]][0]
    memsz, align = int(tls[5], 16), int(tls[7], 16)
    eq(tp - block, (memsz + align - 1) // align * align, "%s: block at tp - roundup(p_memsz, p_align)" % name)
    dtv = mem(tp + 8)
    eq(mem(dtv + 16), block, "%s: dtv[1] (the libc's DTV) holds the block" % name)
    eq(val('$tls("st_tls")'), p["st_tls"], '%s: $tls("st_tls")' % name)
    eq(val('$tls_addr("st_tls")'), p["&st_tls"], '%s: $tls_addr("st_tls")' % name)
    eq(val('$tls("st_bss")'), p["st_bss"], '%s: $tls("st_bss") (.tbss)' % name)
    eq(val('$tls_addr("st_pt")'), p["&st_pt"], '%s: $tls_addr("st_pt")' % name)
    t = cmd("elfld tls -v")
    contains(t, r"^\s*1\s+\[1\] %s\s+static\s+-0x%x\s+0x%x\s+0x%x\s+0x%x\s" % (re.escape(name), tp - block, block, memsz, align),
             "%s: tls: module 1 with the libc's block" % name)
    contains(t, r"^st_tls\s+%s\s+0x0\s+0x%x\s+4\s+0x%x$" % (re.escape(name), p["&st_tls"], p["st_tls"]), "%s: tls -v: st_tls" % name)
    contains(t, r'^st_name\s.*\s16\s+"static-tls"$', "%s: tls -v: a string" % name)
    contains(t, r"^st_pt\s.*\s8\s+\{x = 3, y = 4\}$", "%s: tls -v: a struct" % name)
    contains(t, r"^elf::counter\s.*\s4\s+0x6$", "%s: tls -v: a C++ name demangled" % name)
    d = cmd("elfld dtv")
    contains(d, r"DTV at 0x%x \(tcb->dtv\)" % dtv, "%s: dtv: the TCB's" % name)
    contains(d, r"_dl_static_dtv", "%s: dtv: the libc's _dl_static_dtv" % name)
    contains(d, r"length\s+dtv\[-1\]\.counter = %d module slots" % mem(dtv - 16), "%s: dtv: length" % name)
    contains(d, r"^\s*1\s+\[1\] %s\s+0x%x\s+static\s" % (re.escape(name), block), "%s: dtv: slot 1" % name)
    check("(free slot)" not in d, "%s: dtv: no slot of a module elfld does not know" % name)
    contains(cmd("elfld xinfo (char *)$tls_addr(\"st_name\") + 3"), r"tls\s+TLS block of module 1 \[1\] %s in thread 1 \(static\) \+0x13, variable st_name\+0x3"
             % re.escape(name), "%s: xinfo in the TLS block" % name)

    # relocations: every one applied; values from memory; RELATIVE = base + addend, IRELATIVE: in the text
    want = {}
    for line in readelf("-rW", path).splitlines():
        m = re.match(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+(R_X86_64_\w+)\s+([0-9a-f]+)?", line)
        if m:
            want[base + int(m.group(1), 16)] = (m.group(2), line)
    r = cmd("elfld relocs --limit 40")
    nrows = min(40, len(want))
    contains(r, r"^\[1\] %s: %d relocations \(\.rela\.dyn \d+, \.rela\.plt \d+, relr 0\)\n%s"
             % (re.escape(name), len(want), "  \\(40 shown \\(--limit 40\\)\\)\n" if len(want) > 40 else "TYPE"),
             "%s: relocs: readelf's count, no `not relocated yet'" % name)
    text = [(base + int(l[2], 16), base + int(l[2], 16) + int(l[5], 16)) for l in
            (l.split() for l in readelf("-lW", path).splitlines()) if l[:1] == ["LOAD"] and "E" in "".join(l[6:-1])]
    rows = [l.split() for l in r.splitlines() if l.startswith("R_")]
    bad = 0
    for row in rows:
        where, value = int(row[1], 16), int(row[4], 16)
        addend = int(row[3], 16)
        good = want.get(where, ("?",))[0] == row[0] and mem(where) == value
        if row[0] == "R_X86_64_RELATIVE":
            good = good and value == base + addend
        elif row[0] == "R_X86_64_IRELATIVE":
            good = good and any(s <= value < e for s, e in text) and value != base + addend
        if not good:
            bad += 1
            log("  bad row: %s" % row)
    check(bad == 0 and len(rows) == nrows, "%s: relocs: %d rows, type, value in memory, RELATIVE = base + addend, "
          "IRELATIVE = a function in the text (%d bad)" % (name, len(rows), bad))
    cs = cmd("elfld checksec")
    contains(cs, r"^\[1\] %s\s+(full|no)\s+-\s+%s\s" % (re.escape(name), "static-pie" if pie else "static"),
             "%s: checksec: static%s" % (name, "-pie" if pie else ""))
    gdb.execute("delete")
    gdb.execute("kill")


def body():
    d = os.environ["GDBT_DIR"]
    for prog, pie in (("gdbt-static", False), ("gdbt-static-pie", True)):
        eq(readelf("-hW", os.path.join(d, prog)).count("DYN (" if pie else "EXEC ("), 1, "%s: ELF type" % prog)
        one_program(os.path.join(d, prog), pie)


main(body)
