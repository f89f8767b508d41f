# gdb-solibs: plain GDB's view (solib-svr4 through elfld's r_debug) agrees with the loader's event
# stream (--events=FILE) and with `elfld objects`: every object once, at the base the loader reported.
import os
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def body():
    evfile = os.path.join(workdir(), "events.txt")
    capture_output("--events=%s" % evfile)
    gdb.execute("break checkpoint")
    gdb.execute("break get_bar")
    gdb.execute("run")
    eq(gdb.selected_frame().name(), "get_bar", "a breakpoint in the library (pending before run) is hit")
    gdb.execute("continue")
    eq(gdb.selected_frame().name(), "checkpoint", "a breakpoint in the program is hit")
    evs = read_events(evfile)
    objects = {d["path"]: d for t, d in evs if t == "object"}
    check(len(objects) >= 3, "the event stream has object events: %s" % sorted(objects))
    sl = cmd("info sharedlibrary")
    rows = {}
    for line in sl.splitlines():
        m = re.match(r"(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(Yes|No)\S*\s+(/\S+)$", line)
        if m:
            rows[m.group(4)] = (int(m.group(1), 16), int(m.group(2), 16), m.group(3))
    files = [d for d in objects.values() if d["kind"] in ("program", "library")]
    for d in files:
        path = d["path"]
        check(path in rows, "info sharedlibrary lists %s" % path)
        if path not in rows:
            continue
        lo, hi, syms = rows[path]
        base, start, end = int(d["base"], 16), int(d["start"], 16), int(d["end"], 16)
        eq(syms, "Yes", "%s: symbols read" % os.path.basename(path))
        check(start <= lo < hi <= end, "%s: .text %#x-%#x inside the mapped range %#x-%#x of the events" % (
            os.path.basename(path), lo, hi, start, end))
        # GDB up to 16 shows .text's range, GDB 17+ the object's whole mapped range: either must be exact.
        text = readelf_section(path, ".text")
        check(lo - base == text or (lo, hi) == (start, end),
              "%s: From is .text's address (file 0x%x) or the object's mapped range %#x-%#x: got %#x-%#x" % (
                  os.path.basename(path), text, start, end, lo, hi))
    eq(len(rows), len(files), "info sharedlibrary has exactly the program and its libraries")
    names = [of.filename for of in gdb.objfiles() if of.filename and not of.filename.startswith("system-")]
    eq(len(names), len(set(os.path.realpath(n) for n in names)), "no object has two symbol files")

    ob = cmd("elfld objects")
    for t, d in evs:
        if t != "object":
            continue
        contains(ob, r"^\s*%s\s+%s\s+%s\s+%s\s" % (d["obj" if "obj" in d else "id"], re.escape(d["name"]), d["kind"],
                                                  d["base"]),
                 "elfld objects lists [%s] %s at the event's base" % (d["obj"], d["name"]))
    contains(ob, r"^\s*0\s+\S+\s+loader\s", "elfld objects lists the loader itself as object 0")
    # TLS modules of the stream = elfld objects' TLS column
    for t, d in evs:
        if t == "tls-module":
            contains(ob, r"^\s*%s\s.*\s%s %s\s" % (d["obj"], d["modid"], d["kind"]),
                     "object %s has TLS module %s (%s) as in the stream" % (d["obj"], d["modid"], d["kind"]))
    # `elfld segments` = the stream's segment events (mapped PT_LOADs)
    seg = cmd("elfld segments libgdbt-tlsbar.so")
    lib = [d for d in objects.values() if d["name"] == "libgdbt-tlsbar.so"][0]
    for t, d in evs:
        if t == "segment" and d["obj"] == lib["obj"] and d["type"] == "0x1":
            a = int(d["addr"], 16)
            contains(seg, r"^\s*\d+\s+LOAD\s+0x%x-0x%x\s+0x%x\s+0x%x\s+0x%x\s+%s" % (
                a, a + int(d["memsz"], 16), int(d["offset"], 16), int(d["filesz"], 16), int(d["memsz"], 16), d["perm"]),
                "segments: LOAD at 0x%x %s as in the stream" % (a, d["perm"]))
    relro = [d for t, d in evs if t == "relro" and d["obj"] == lib["obj"]]
    if relro:
        contains(seg, r"RELRO %s-%s \(read-only\)" % (relro[0]["start"], relro[0]["end"]), "segments: RELRO range as in the stream")


main(body)
