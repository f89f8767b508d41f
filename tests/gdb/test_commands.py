# gdb-commands: help, tab completion, error messages and the labelled memory map.
import os
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403

SUBCOMMANDS = ["break-stage", "checksec", "dtv", "objects", "relocs", "segments", "stage", "tcb", "telescope", "tls",
               "vmmap", "xinfo"]


def error_of(command):
    try:
        gdb.execute(command, to_string=True)
    except gdb.error as e:
        return str(e)
    return ""


def completions(line):
    return gdb.execute("complete " + line, to_string=True).split("\n")


def body():
    h = cmd("help elfld")
    for sub in SUBCOMMANDS:
        contains(h, r"^elfld %s -- " % sub, "help elfld lists `elfld %s'" % sub)
        check(len(gdb.execute("help elfld " + sub, to_string=True).splitlines()) >= 3, "help elfld %s explains it" % sub)
    contains(gdb.execute("help function tls_addr", to_string=True), r"address of thread-local", "help function tls_addr")
    c = completions("elfld t")
    check(c[:4] == ["elfld tcb", "elfld telescope", "elfld tls", ""], "complete `elfld t' lists the subcommands: %s" % c)
    eq(completions("elfld break-stage tls-"), ["elfld break-stage tls-allocated", "elfld break-stage tls-initialized", ""],
       "complete stage names")
    check("elfld relocs --type TPOFF64" in completions("elfld relocs --type TPO"), "complete relocation types")
    check("elfld relocs --symbol" in completions("elfld relocs --sy"), "complete relocs options")
    contains(error_of("elfld objects"), r"not running", "a clear error before the program runs")
    contains(error_of("elfld break-stage nonsense"), r"unknown stage `nonsense' \(stages: begin mapped", "unknown stage is refused")
    contains(error_of("elfld break-stage begin libc.so.6"), r"global", "begin has no per-object event")
    contains(error_of("elfld relocs --type"), r"option `--type' needs a value", "--type without a value")
    contains(error_of("elfld relocs --type NOPE"), r"no relocation type matches `NOPE' \(types: NONE 64", "an unknown type is refused")
    for call in ('p $tls()', 'p $tls_addr()'):
        contains(error_of(call), r"^missing variable name: \$tls(_addr)?\(\"VAR\"", "%s: a usage line, not a traceback" % call)
    contains(error_of('p $tls(1)'), r"^1 is not a string: \$tls\(\"VAR\"", "$tls(1): a usage line")

    capture_output()
    gdb.execute("break checkpoint")
    gdb.execute("run")
    c = completions("elfld segments libgdbt")
    check("elfld segments libgdbt-tlsbar.so" in c, "complete object names: %s" % c)
    check("elfld break-stage relocated libgdbt-tlsbar.so" in completions("elfld break-stage relocated libg"),
          "complete the object of break-stage")
    contains(error_of("elfld segments nosuchlib"), r"no loaded object matches `nosuchlib'", "unknown object")
    contains(error_of("elfld tcb 7"), r"no thread 7", "unknown thread")
    contains(error_of('print $tls("no_such_var")'), r"no thread-local variable `no_such_var'", "unknown TLS variable")
    contains(error_of("elfld relocs --bogus"), r"unknown option `--bogus'", "unknown relocs option")

    ob = cmd("elfld objects")
    for pat in (r"^\s*0\s+\S+\s+loader\s+0x", r"^\s*1\s+gdbt-echidna\s+program\s+0x[0-9a-f]+\s+0x[0-9a-f]+-0x[0-9a-f]+\s+1 static\s+/",
                r"^\s*\d+\s+libgdbt-tlsbar\.so\s+library\s.*\s2 static\s+/", r"^\s*\d+\s+linux-vdso\.so\.1\s+vdso\s"):
        contains(ob, pat, "elfld objects row")
    seg = cmd("elfld segments 1")
    contains(seg, r"^\s*\d+\s+TLS\s+0x[0-9a-f]+-0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x4\s+0x10\s+r--\s+0x8\s+TLS image, module 1",
             "segments by id: the program's PT_TLS (4 bytes .tdata, 16 in memory)")
    contains(seg, r"^\s*\d+\s+LOAD\s.*\srw-\s+0x1000\s+RELRO 0x[0-9a-f]+-0x[0-9a-f]+ \(read-only\)", "segments: RELRO note on the data LOAD")
    contains(cmd("elfld segments ld-linux*"), r"\sbss 0x[0-9a-f]+-0x[0-9a-f]+", "segments by glob: the loader's bss")
    r = cmd("elfld relocs libgdbt-tlsbar.so")
    contains(r, r"^\[\d+\] libgdbt-tlsbar\.so: 5 relocations \(\.rela\.dyn 4, \.rela\.plt 1, relr 0\)", "relocs summary")
    contains(r, r"^R_X86_64_JUMP_SLOT\s+0x[0-9a-f]+\s+__tls_get_addr\s+0\s+0x[0-9a-f]+\s+\[0\] ", "__tls_get_addr bound to the loader")
    tga = int([l for l in r.splitlines() if "__tls_get_addr" in l][0].split()[4], 16)
    eq(tga, val("&__tls_get_addr"), "the JUMP_SLOT holds the loader's __tls_get_addr")
    contains(cmd("elfld relocs --type JUMP_SLOT --symbol get_*"), r"^R_X86_64_JUMP_SLOT\s+\S+\s+get_bar\s", "relocs filters")

    vm = cmd("elfld vmmap")
    for pat, what in ((r"r-xp\s+0x1000\s+\[1\] gdbt-echidna LOAD#\d r-x .*\.text", "program text with its sections"),
                      (r"r--p\s+0x\w+\s+\[\d+\] libgdbt-tlsbar\.so RELRO \(read-only\)", "library RELRO"),
                      (r"\[0\] \S+ \(loader\) LOAD#\d r-x", "the loader's text"),
                      (r"\[0\] \S+ \(loader\) bss", "the loader's bss"),
                      (r"elfld heap.*TCB of thread 1 \(tp 0x%x\)" % val("$fs_base"), "the TCB in the loader's heap"),
                      (r"DTV of thread 1", "the DTV"),
                      (r"TLS block 1 gdbt-echidna of thread 1 \(static\)", "the program's TLS block"),
                      (r"^0x[0-9a-f]+\s+0x[0-9a-f]+\s+rw-p\s+0x0\s+\[stack\]", "the stack"),
                      (r"\[vdso\]; \[\d+\] linux-vdso\.so\.1 LOAD#0", "the vDSO as an object")):
        contains(vm, pat, "vmmap: " + what)
    # one row per /proc/PID/maps line
    with open("/proc/%d/maps" % gdb.selected_inferior().pid) as f:
        nmaps = len(f.read().splitlines())
    eq(len(vm.splitlines()) - 1, nmaps, "vmmap has a row for every mapping")
    one = cmd("elfld vmmap $fs_base").splitlines()
    eq(len(one), 2, "vmmap ADDRESS: the one region holding it")
    check(int(one[1].split()[0], 16) <= val("$fs_base") < int(one[1].split()[1], 16), "vmmap $fs_base: its region")
    stack = cmd("elfld vmmap stack").splitlines()[1:]
    check(len(stack) >= 1 and all("stack" in l for l in stack), "vmmap TEXT: only regions labelled with it")
    contains(error_of("elfld vmmap nosuchlabel"), r"no region's label contains `nosuchlabel'", "vmmap TEXT matching nothing")
    contains(error_of("elfld vmmap 0x10"), r"0x10 is in no mapping", "vmmap of an unmapped address")
    st = cmd("elfld stage")
    contains(st, r"^stage entry \(8 of 8\)", "elfld stage at the checkpoint")


main(body)
