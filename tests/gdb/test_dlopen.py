# gdb-dlopen: a glibc program dlopens a library with TLS. Its module is dynamic: the block comes from
# __tls_get_addr and is found through the thread's DTV. The extension's symbol files follow
# dlopen/dlclose (fallback mode), and plain GDB's solib list too.
import os
import sys

sys.path.insert(0, os.environ.get("GDBT_SRC") or os.path.dirname(os.path.abspath(__file__)))
from gdbtest import *  # noqa: E402,F401,F403


def body():
    out = capture_output()
    lib = os.path.realpath(os.path.join(os.environ.get("GDBT_DIR", "."), "libgdbt-dyntls.so"))
    gdb.execute("set auto-solib-add off")
    gdb.execute("set elfld symbol-files on")
    gdb.execute("break after_dlopen")
    gdb.execute("break after_dlclose")
    gdb.execute("run")
    eq(gdb.selected_frame().name() if gdb.selected_inferior().pid else None, "after_dlopen", "stopped after dlopen")
    text = program_output(out)
    m = re.search(r"DYN=(\d+) &DYN=(0x[0-9a-f]+)", text)
    check(m is not None, "the program printed DYN: %s" % text.strip())
    dyn, addr = int(m.group(1)), int(m.group(2), 16)
    ob = cmd("elfld objects")
    row = [l for l in ob.splitlines() if "libgdbt-dyntls.so" in l]
    check(bool(row) and " dlopen " in row[0] and "dynamic" in row[0], "elfld objects: the library, dlopened, dynamic TLS")
    modid = int(re.search(r"\s(\d+) dynamic\s", row[0]).group(1)) if row else 0
    eq(val('$tls("DYN")'), dyn, '$tls("DYN") (dynamic module)')
    eq(val('$tls_addr("DYN")'), addr, '$tls_addr("DYN") = the address the program got from __tls_get_addr')
    dtv = val("*(unsigned long *)($fs_base + 8)")
    eq(val("*(unsigned long *)%d" % (dtv + 16 * modid)), addr, "dtv[modid].pointer.val is the block")
    d = cmd("elfld dtv")
    contains(d, r"^\s*%d\s+\[\d+\] libgdbt-dyntls\.so\s+0x%x\s+dynamic\s+0x[0-9a-f]+" % (modid, addr),
             "elfld dtv: the dynamic block with its to_free pointer")
    t = cmd("elfld tls")
    contains(t, r"^\s*%d\s+\[\d+\] libgdbt-dyntls\.so\s+dynamic\s+-\s+0x%x" % (modid, addr), "elfld tls: the dynamic block")
    errno_addr = val('$tls_addr("errno")')
    libc_row = [l for l in t.splitlines() if "libc.so.6" in l]
    check(bool(libc_row) and "static" in libc_row[0], "libc's TLS is static")
    check(val("$fs_base") - 0x10000 < errno_addr < val("$fs_base"), "errno lives just below the thread pointer")
    eq(gdb.parse_and_eval("&errno").dynamic_type.code == gdb.TYPE_CODE_PTR and val("&errno"), errno_addr,
       "$tls_addr(\"errno\") = GDB's own &errno (libthread_db, glibc program)")
    eq([os.path.realpath(of.filename) for of in gdb.objfiles() if of.filename].count(lib), 1,
       "symbol-files on: the dlopened library got one symbol file")
    r = cmd("elfld relocs libgdbt-dyntls.so --type DTPMOD64")
    contains(r, r"R_X86_64_DTPMOD64\s+0x[0-9a-f]+\s+DYN\s+0\s+0x%x\s+\[\d+\] libgdbt-dyntls\.so \(TLS module %d\)" % (modid, modid),
             "its DTPMOD64 relocation holds the module id")
    gdb.execute("continue")
    eq(gdb.selected_frame().name() if gdb.selected_inferior().pid else None, "after_dlclose", "stopped after dlclose")
    eq([os.path.realpath(of.filename) for of in gdb.objfiles() if of.filename].count(lib), 0,
       "dlclose removed the library's symbol file")
    ob = cmd("elfld objects")
    check(not [l for l in ob.splitlines() if "libgdbt-dyntls.so" in l and "unloaded" not in l],
          "elfld objects no longer lists the library as loaded")


main(body)
