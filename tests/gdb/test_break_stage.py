# gdb-break-stage: `elfld break-stage` stops the loader at each stage in order (checked with
# `elfld stage` there), and per object (relocated OBJ stops right after that object's reloc-done).
import os
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403

STAGES = ["begin", "mapped", "tls-allocated", "relocated", "tls-initialized", "protected", "initialized", "entry"]


def body():
    capture_output()
    for s in STAGES:
        cmd("elfld break-stage %s" % s)
    cmd("elfld break-stage relocated libgdbt-tlsbar.so")
    cmd("elfld break-stage mapped gdbt-echidna")
    lst = cmd("elfld break-stage")
    contains(lst, r"^\s*9\s+y\s+stage relocated of libgdbt-tlsbar\.so", "break-stage lists the per-object stop")
    gdb.execute("break main")
    seen = []
    gdb.execute("run")
    for i in range(20):
        frame = gdb.selected_frame()
        if frame.name() != "elfld_debug_hook":
            break
        st = cmd("elfld stage")
        seen.append(st)
        gdb.execute("continue")
    # expected: begin, mapped OBJ(program), mapped, tls-allocated, relocated OBJ, relocated, ...
    firsts = [s.splitlines()[0] for s in seen]
    events = [([l for l in s.splitlines() if l.startswith("event ")] or [""])[0] for s in seen]
    eq(len(seen), len(STAGES) + 2, "number of stops in the loader")
    order = []
    for first, ev in zip(firsts, events):
        m = re.match(r"stage (\S+) \((\d) of 8\)", first)
        check(m is not None, "elfld stage prints the stage: %s" % first)
        if not m:
            continue
        if re.match(r"event stage #\d+ ", ev):
            order.append(m.group(1))
            check(ev.split()[3] == m.group(1), "stopped at the stage event of %s (%s)" % (m.group(1), ev))
        else:
            order.append("obj:" + ev)
    stages_only = [o for o in order if not o.startswith("obj:")]
    eq(stages_only, STAGES, "stage stops come in pipeline order")
    objstops = [(i, o) for i, o in enumerate(order) if o.startswith("obj:")]
    eq(len(objstops), 2, "two per-object stops")
    if len(objstops) == 2:
        (i1, o1), (i2, o2) = objstops
        check(re.search(r"event object #\d+ \[1\] gdbt-echidna", o1) is not None, "mapped gdbt-echidna: %s" % o1)
        check(order[i1 - 1] == "begin" and order[i1 + 1] == "mapped", "the program's object event comes between begin and mapped")
        check(re.search(r"event reloc-done #\d+ \[\d+\] libgdbt-tlsbar\.so: \d+ relocations", o2) is not None,
              "relocated libgdbt-tlsbar.so stops at its reloc-done: %s" % o2)
        check(order[i2 - 1] == "tls-allocated" and order[i2 + 1] == "relocated",
              "the library's reloc-done comes between tls-allocated and relocated")
        check("stage tls-allocated" in seen[i2], "elfld stage there still says tls-allocated (global stage)")
    eq(gdb.selected_frame().name(), "main", "after the entry stage, the program's main is reached")
    st = cmd("elfld stage")
    contains(st, r"^stage entry \(8 of 8\)", "elfld stage in the running program: entry")
    contains(st, r"the program is running", "and says the program runs")
    hits = cmd("elfld break-stage")
    contains(hits, r"^\s*1\s+y\s+stage begin\s+1$", "hit counts are kept")
    # the state at tls-allocated: TCB exists, %fs not yet set; at relocated the GOT holds TPOFF64 values
    cmd("elfld break-stage delete")
    eq(cmd("elfld break-stage").strip(), "No elfld stage breakpoints.", "break-stage delete removes all")


main(body)
