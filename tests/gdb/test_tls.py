# gdb-tls: thread-local variables of a freestanding program (FOO in the program, BAR and bar_errno in
# libgdbt-tlsbar.so) through $tls/$tls_addr and the elfld commands, against what the program prints.
import os
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def body():
    out = capture_output()
    gdb.execute("break checkpoint")
    gdb.execute("run")
    p = kv("echidna:", program_output(out))
    check(bool(p), "the program printed its TLS facts: %s" % {k: hex(v) for k, v in p.items()})
    tp = val("$fs_base")
    eq(tp, p["tp"], "$fs_base is the thread pointer the program read from %fs:0")

    # values and addresses through the convenience functions
    eq(val('$tls("FOO")'), p["FOO"], '$tls("FOO")')
    eq(val('$tls_addr("FOO")'), p["&FOO"], '$tls_addr("FOO")')
    eq(val('$tls("foo_tbss")'), p["foo_tbss"], '$tls("foo_tbss") (.tbss)')
    eq(val('$tls("BAR")'), p["BAR"], '$tls("BAR") (library module)')
    eq(val('$tls_addr("BAR")'), p["&BAR"], '$tls_addr("BAR")')
    eq(val('$tls_addr("BAR")'), p["&BAR(ie)"], "library and program agree on &BAR")
    eq(val('$tls("bar_errno")'), p["bar_errno"], '$tls("bar_errno")')
    eq(val('$tls_addr("bar_errno")'), p["&bar_errno"], '$tls_addr("bar_errno")')
    eq(val('$tls("libgdbt-tlsbar.so::BAR")'), p["BAR"], '$tls("libgdbt-tlsbar.so::BAR") (module named)')
    eq(val('$tls("FOO", 1)'), p["FOO"], '$tls("FOO", 1) (thread named)')
    eq(str(gdb.parse_and_eval('$tls_addr("FOO")').type), "int *", "$tls_addr has the variable's type")
    # writes go to the thread's block
    gdb.execute('set var $tls("FOO") = 0x1234')
    eq(val('*(int *)%d' % p["&FOO"]), 0x1234, "assigning to $tls(\"FOO\") writes the block")

    # the TCB
    t = cmd("elfld tcb")
    contains(t, r"\$fs_base = 0x%x" % tp, "elfld tcb shows $fs_base")
    contains(t, r"^self\s+@16\s+0x%x\s+self == \$fs_base: yes" % tp, "tcb.self == $fs_base")
    contains(t, r"^tcb\s+@0\s+0x%x\s+tcb == \$fs_base: yes" % tp, "tcb.tcb == $fs_base")
    eq(val("*(unsigned long *)($fs_base + 16)"), tp, "memory at $fs_base+16 (self) is $fs_base")
    guard = val("*(unsigned long *)($fs_base + 40)")
    eq(guard, p["canary"], "stack_guard (fs:0x28) equals the canary the program read")
    rnd = at_random()
    check(rnd is not None, "AT_RANDOM found in info auxv")
    if rnd:
        eq(guard, rnd[0] & ~0xFF, "stack_guard is AT_RANDOM[0:8] with the low byte zeroed")
        eq(val("*(unsigned long *)($fs_base + 48)"), rnd[1], "pointer_guard is AT_RANDOM[8:16]")
    contains(t, r"^stack_guard\s+@40\s+0x%x\s+AT_RANDOM\[0:8\] & ~0xff: matches" % guard, "elfld tcb decodes stack_guard")

    # the DTV: generation, length, one entry per module, static blocks
    dtv = val("*(unsigned long *)($fs_base + 8)")
    d = cmd("elfld dtv")
    contains(d, r"DTV at 0x%x" % dtv, "elfld dtv reads tcb->dtv")
    contains(d, r"generation\s+dtv\[0\]\.counter\s+= %d" % val("*(unsigned long *)%d" % dtv), "generation = dtv[0].counter")
    contains(d, r"length\s+dtv\[-1\]\.counter = %d " % val("*(unsigned long *)%d" % (dtv - 16)), "length = dtv[-1].counter")
    contains(d, r"^\s*1\s+\[1\] gdbt-echidna\s+0x%x\s+static" % (p["&FOO"] & ~0xF), "module 1 = the program, static block")
    contains(d, r"^\s*2\s+\[\d+\] libgdbt-tlsbar\.so\s+0x%x\s+static" % p["&BAR"], "module 2 = the library, static block")
    eq(val("*(unsigned long *)%d" % (dtv + 16 * 2)), p["&BAR"], "dtv[2].pointer.val is BAR's block")

    # elfld tls -v: every variable with its address
    v = cmd("elfld tls -v")
    contains(v, r"^FOO\s+gdbt-echidna\s+0x0\s+0x%x\s+4\s+0x1234" % p["&FOO"], "elfld tls -v lists FOO")
    contains(v, r"^bar_errno\s+libgdbt-tlsbar\.so\s+0x28\s+0x%x\s+4\s+0x2a" % p["&bar_errno"], "elfld tls -v lists bar_errno")
    contains(v, r"^\s*2\s+\[\d+\] libgdbt-tlsbar\.so\s+static\s+-0x%x\s+0x%x" % (tp - p["&BAR"], p["&BAR"]), "library block at tp - offset")

    # the relocation that made &BAR work in the program: R_X86_64_TPOFF64, value = &BAR - tp
    r = cmd("elfld relocs --type TPOFF64 --symbol BAR")
    off = (p["&BAR"] - tp) & ((1 << 64) - 1)
    contains(r, r"^R_X86_64_TPOFF64\s+0x[0-9a-f]+\s+BAR\s+0\s+0x%x\s+\[\d+\] libgdbt-tlsbar\.so \(tp-%d\)" % (off, tp - p["&BAR"]),
             "TPOFF64 for BAR holds &BAR - tp and names its definer")
    r = cmd("elfld relocs libgdbt-tlsbar.so --type DTPMOD64")
    contains(r, r"^R_X86_64_DTPMOD64\s+0x[0-9a-f]+\s+BAR\s+0\s+0x2\s+\[\d+\] libgdbt-tlsbar\.so \(TLS module 2\)",
             "DTPMOD64 for BAR is module 2")
    # the GOT slot the TPOFF64 relocation filled, read directly
    r = cmd("elfld relocs gdbt-echidna --type R_X86_64_TPOFF64 --symbol bar_*")
    slot = [int(l.split()[1], 16) for l in r.splitlines() if l.startswith("R_X86_64_TPOFF64")]
    eq(len(slot), 1, "--symbol glob selects the bar_errno relocation only")
    if slot:
        eq(val("*(unsigned long *)%d" % slot[0]), (p["&bar_errno"] - tp) & ((1 << 64) - 1),
           "the GOT slot holds &bar_errno - tp (how the program reaches the library's errno)")

main(body)
