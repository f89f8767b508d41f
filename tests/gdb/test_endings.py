# gdb-endings: the program crashes, is killed, or prints megabytes. GDB reports each ending correctly
# with the extension loaded, the extension's commands work at the crash, fail cleanly once the process is
# gone, and work again after a re-run.
import os
import re
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def no_python_error(text, what):
    check("Traceback" not in text and "Python Exception" not in text, what + ": no Python error")


def body():
    out = os.path.join(workdir(), "out.txt")
    # the arguments of elfld-run are the program and its arguments: keep the program, vary the mode
    prog = re.search(r'is "(.*)"\.\s*$', gdb.execute("show args", to_string=True), re.S).group(1).strip()
    # 1. a crash: stopped at SIGSEGV in crash_here, the extension sees objects, TLS and the TCB
    gdb.execute("run %s crash > %s" % (prog, out))
    eq(int(gdb.parse_and_eval("$_siginfo.si_signo")), 11, "stopped by SIGSEGV")
    bt = cmd("bt")
    contains(bt, r"crash_here", "backtrace shows crash_here")
    contains(bt, r"main", "backtrace reaches main")
    objs = cmd("elfld objects")
    contains(objs, r"endings", "elfld objects lists the program at the crash")
    contains(objs, r"libc\.so\.6", "elfld objects lists libc at the crash")
    tls = cmd("elfld tls -v")
    contains(tls, r"^tls_counter\s+gdbt-endings\s+0x0\s+0x[0-9a-f]+\s+4\s+0x5$", "elfld tls -v shows tls_counter = 5 at the crash")
    tcb = cmd("elfld tcb")
    contains(tcb, r"self == \$fs_base: yes", "elfld tcb decodes the crashed thread's TCB")
    contains(program_output(out), r"^about to crash$", "the program's output before the crash")
    gdb.execute("kill")

    # 2. killed by SIGKILL: GDB reports the signal, the extension then says there is no process
    gdb.execute("run %s kill > %s" % (prog, out))
    eq(int(gdb.parse_and_eval("$_exitsignal")), 9, "terminated by SIGKILL ($_exitsignal)")
    try:
        text = gdb.execute("elfld objects", to_string=True)
    except gdb.error as e:
        text = str(e)
    log("(gdb) elfld objects -> " + text.strip())
    no_python_error(text, "elfld objects after the process died")
    contains(text, r"(?i)no (process|inferior|program)|not running|not loaded", "elfld objects says there is no process")

    # 3. megabytes of output, then status 3; and the extension works again in a new run
    gdb.execute("break exit")
    gdb.execute("run %s big > %s" % (prog, out))
    objs = cmd("elfld objects")
    contains(objs, r"endings", "elfld objects works again after a re-run")
    gdb.execute("delete")
    gdb.execute("continue")
    eq(int(gdb.parse_and_eval("$_exitcode")), 3, "exit status 3 after 5 MB of output")
    eq(os.path.getsize(out), 5000000, "all 5,000,000 bytes of output arrived")


main(body)
