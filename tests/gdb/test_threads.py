# gdb-threads: two threads, each with its own TCB, DTV and TLS blocks. The second thread's TLS comes
# from the loader's _dl_allocate_tls. Checked at the second thread's checkpoint, in both threads.
import os
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def body():
    out = capture_output()
    gdb.execute("break thread_checkpoint")
    gdb.execute("run")
    text = program_output(out)
    m, t = kv("main:", text), kv("thread:", text)
    check(bool(m) and bool(t), "both threads printed their TLS facts")
    threads = sorted(gdb.selected_inferior().threads(), key=lambda th: th.num)
    eq(len(threads), 2, "GDB sees two threads")
    cur = gdb.selected_thread()
    eq(cur.ptid[1], t["tid"], "stopped in the second thread")
    main_num = [th.num for th in threads if th.ptid[1] == m["tid"]][0]
    thr_num = cur.num

    eq(val("$fs_base"), t["tp"], "thread 2's $fs_base is its tp")
    eq(val('$tls("FOO")'), t["FOO"], '$tls("FOO") in the selected (second) thread')
    eq(val('$tls_addr("FOO")'), t["&FOO"], '$tls_addr("FOO") in the second thread')
    eq(val('$tls("BAR")'), t["BAR"], '$tls("BAR") in the second thread')
    eq(val('$tls_addr("BAR")'), t["&BAR"], '$tls_addr("BAR") in the second thread')
    eq(val('$tls("FOO", %d)' % main_num), m["FOO"], '$tls("FOO", main thread)')
    eq(val('$tls_addr("FOO", %d)' % main_num), m["&FOO"], '$tls_addr("FOO", main thread)')
    eq(val('$tls("BAR", %d)' % main_num), m["BAR"], '$tls("BAR", main thread)')
    eq(val('$tls_addr("BAR", %d)' % main_num), m["&BAR"], '$tls_addr("BAR", main thread)')
    eq(gdb.selected_thread().num, thr_num, "the selected thread is unchanged afterwards")

    for num, facts in ((main_num, m), (thr_num, t)):
        tcb = cmd("elfld tcb %d" % num)
        contains(tcb, r"\$fs_base = 0x%x" % facts["tp"], "thread %d: elfld tcb shows its $fs_base" % num)
        contains(tcb, r"^self\s+@16\s+0x%x\s+self == \$fs_base: yes" % facts["tp"], "thread %d: self == $fs_base" % num)
        contains(tcb, r"^stack_guard\s+@40\s+0x[0-9a-f]+\s+AT_RANDOM\[0:8\] & ~0xff: matches",
                 "thread %d: stack_guard is the canary" % num)
        dtv = cmd("elfld dtv %d" % num)
        contains(dtv, r"^\s*1\s+\[1\] gdbt-threads\s+0x%x\s+static" % facts["&FOO"], "thread %d: DTV module 1 -> FOO's block" % num)
        contains(dtv, r"^\s*2\s+\[\d+\] libgdbt-tlsbar\.so\s+0x%x\s+static" % facts["&BAR"], "thread %d: DTV module 2 -> BAR's block" % num)
        tls = cmd("elfld tls -v %d" % num)
        contains(tls, r"^FOO\s+gdbt-threads\s+0x0\s+0x%x\s+4\s+0x%x" % (facts["&FOO"], facts["FOO"]),
                 "thread %d: elfld tls -v shows FOO" % num)
    check(m["tp"] != t["tp"] and m["&FOO"] != t["&FOO"], "the threads have distinct TCBs and blocks")
    eq(m["tp"] - m["&FOO"], t["tp"] - t["&FOO"], "FOO sits at the same tp offset in both threads")
    vm = cmd("elfld vmmap")
    contains(vm, r"TCB of thread %d \(tp 0x%x\)" % (thr_num, t["tp"]), "vmmap labels the second thread's TCB")
    contains(vm, r"TLS block 2 libgdbt-tlsbar\.so of thread %d" % main_num, "vmmap labels the main thread's blocks")


main(body)
