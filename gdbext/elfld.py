# elfld.py -- GDB extension for elfld, the debugging ELF loader.
#
# Load it with `source gdbext/elfld.py`, `gdb -x gdbext/elfld.py`, or let GDB auto-load the copy that
# the build puts beside the loader (build/bin/elfld-run-gdb.py; needs
# `add-auto-load-safe-path /path/to/build/bin` in ~/.gdbinit).
#
# What it adds (see `help elfld`):
#   elfld objects | segments | relocs | tls | tcb | dtv | stage | break-stage | vmmap
#   $tls_addr("var" [, thread]), $tls("var" [, thread])
#   set elfld symbol-files auto|on|off
#
# Everything is read from the inferior's memory through the loader's own DWARF types (struct obj,
# struct elfld_debug, struct elfld_event), so the extension follows the loader's layout. It never calls
# functions in the inferior. Symbol files of the loaded objects normally come from GDB's solib-svr4
# code through elfld's r_debug; the extension adds `add-symbol-file FILE -o BASE` only for objects GDB
# does not know (or all objects without symbols with `set elfld symbol-files on`).

import fnmatch
import os
import re
import struct

import gdb

# --------------------------------------------------------------------------------------------------
# Constants that are ABI (not elfld's choice): x86-64 TLS variant II and glibc's tcbhead_t / dtv_t.

TCB_FIELDS = [  # (name, offset, size)
    ("tcb", 0, 8),
    ("dtv", 8, 8),
    ("self", 16, 8),
    ("multiple_threads", 24, 4),
    ("gscope_flag", 28, 4),
    ("sysinfo", 32, 8),
    ("stack_guard", 40, 8),
    ("pointer_guard", 48, 8),
]
DTV_UNALLOCATED = (1 << 64) - 1
DTV_ENTRY = 16

PT_NAMES = {
    0: "NULL", 1: "LOAD", 2: "DYNAMIC", 3: "INTERP", 4: "NOTE", 5: "SHLIB", 6: "PHDR", 7: "TLS",
    0x6474E550: "GNU_EH_FRAME", 0x6474E551: "GNU_STACK", 0x6474E552: "GNU_RELRO",
    0x6474E553: "GNU_PROPERTY",
}
PT_LOAD, PT_DYNAMIC, PT_TLS, PT_GNU_RELRO = 1, 2, 7, 0x6474E552
STT_TLS = 6
SHF_ALLOC = 2
SHT_NOBITS = 8

R_X86_64 = [
    "NONE", "64", "PC32", "GOT32", "PLT32", "COPY", "GLOB_DAT", "JUMP_SLOT", "RELATIVE", "GOTPCREL",
    "32", "32S", "16", "PC16", "8", "PC8", "DTPMOD64", "DTPOFF64", "TPOFF64", "TLSGD", "TLSLD",
    "DTPOFF32", "GOTTPOFF", "TPOFF32", "PC64", "GOTOFF64", "GOTPC32", "GOT64", "GOTPCREL64", "GOTPC64",
    "GOTPLT64", "PLTOFF64", "SIZE32", "SIZE64", "GOTPC32_TLSDESC", "TLSDESC_CALL", "TLSDESC",
    "IRELATIVE", "RELATIVE64",
]
R_RELR = -1  # pseudo type for entries of DT_RELR
R_COPY, R_GLOB_DAT, R_JUMP_SLOT, R_RELATIVE, R_64 = 5, 6, 7, 8, 1
R_DTPMOD64, R_DTPOFF64, R_TPOFF64, R_TLSDESC, R_IRELATIVE = 16, 17, 18, 36, 37


def reloc_type_name(t):
    if t == R_RELR:
        return "RELR"
    if 0 <= t < len(R_X86_64):
        return "R_X86_64_" + R_X86_64[t]
    return "R_X86_64_%d" % t


# Fallbacks when the loader's DWARF is not available (a stripped elfld-run).
DEFAULT_STAGES = [
    ("begin", "nothing loaded yet"),
    ("mapped", "program and all dependencies mapped, symbols not yet bound"),
    ("tls-allocated", "static TLS laid out, thread pointer block allocated"),
    ("relocated", "every relocation applied (IRELATIVE last)"),
    ("tls-initialized", "TLS images copied, %fs points at the TCB"),
    ("protected", "RELRO made read-only"),
    ("initialized", "initializers run (dependencies first)"),
    ("entry", "about to jump to the program's entry point"),
]
DEFAULT_EVENTS = ["stage", "object", "segment", "search", "dep", "tls-module", "tls-block", "reloc",
                  "reloc-done", "relro", "init", "entry", "dlopen", "dlclose", "unmap", "pause", "warning",
                  "error"]


class ElfldError(gdb.GdbError):
    pass


# --------------------------------------------------------------------------------------------------
# Memory helpers

def inferior():
    inf = gdb.selected_inferior()
    if inf is None or inf.pid == 0:
        raise ElfldError("elfld: the program is not running (start it with `run` or `starti`).")
    return inf


def read(addr, n):
    return bytes(inferior().read_memory(addr, n))


def u64(addr):
    return struct.unpack("<Q", read(addr, 8))[0]


def u32(addr):
    return struct.unpack("<I", read(addr, 4))[0]


def cstring(addr, limit=4096):
    if not addr:
        return ""
    out = b""
    while len(out) < limit:
        try:
            chunk = read(addr + len(out), 64)
        except gdb.MemoryError:
            chunk = read(addr + len(out), 1)
        i = chunk.find(b"\0")
        if i >= 0:
            return (out + chunk[:i]).decode("utf-8", "replace")
        out += chunk
    return out.decode("utf-8", "replace")


def hx(v):
    return "0x%x" % v


def table(rows, headers, aligns=None):
    """Aligned columns: rows of strings, `aligns` a string of 'l'/'r' per column."""
    if aligns is None:
        aligns = "l" * len(headers)
    widths = [len(h) for h in headers]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    out = []
    for r in [headers] + rows:
        cells = []
        for i, c in enumerate(r):
            last = i == len(r) - 1
            if aligns[i] == "r":
                cells.append(c.rjust(widths[i]))
            else:
                cells.append(c if last else c.ljust(widths[i]))
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def shex(v):
    """Signed hex; 0 as plain 0."""
    return "0" if v == 0 else ("-0x%x" % -v if v < 0 else "0x%x" % v)


def prot_str(flags):
    return ("r" if flags & 4 else "-") + ("w" if flags & 2 else "-") + ("x" if flags & 1 else "-")


# --------------------------------------------------------------------------------------------------
# ELF files on disk (symbol tables and section headers for labels and TLS offsets), cached.

class ElfFile:
    _cache = {}

    @classmethod
    def get(cls, path):
        if not path or not os.path.isfile(path):
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (path, st.st_mtime_ns, st.st_size)
        e = cls._cache.get(key)
        if e is None:
            try:
                e = cls(path)
            except (OSError, ValueError, struct.error):
                e = None
            cls._cache[key] = e
        return e

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            data = f.read()
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError("not a little-endian ELF64 file")
        (self.e_type, _, _, self.e_entry, self.e_phoff, self.e_shoff, _, _, phentsize, phnum, shentsize,
         shnum, shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
        self.phdrs = []
        for i in range(phnum):
            p_type, p_flags, p_offset, p_vaddr, _, p_filesz, p_memsz, p_align = struct.unpack_from(
                "<IIQQQQQQ", data, self.e_phoff + i * phentsize)
            self.phdrs.append((p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align))
        self.sections = []  # (name, type, flags, addr, size)
        raw = []
        for i in range(shnum if self.e_shoff else 0):
            raw.append(struct.unpack_from("<IIQQQQIIQQ", data, self.e_shoff + i * shentsize))
        if raw and shstrndx < len(raw):
            stroff = raw[shstrndx][4]
            for sh in raw:
                name = data[stroff + sh[0]:data.index(b"\0", stroff + sh[0])].decode("utf-8", "replace")
                self.sections.append((name, sh[1], sh[2], sh[3], sh[5]))
        self.symtab = self._symbols(data, raw, 2)   # SHT_SYMTAB
        self.dynsym = self._symbols(data, raw, 11)  # SHT_DYNSYM

    @staticmethod
    def _symbols(data, raw, want):
        out = []
        for sh in raw:
            if sh[1] != want or sh[6] >= len(raw):
                continue
            strsec = raw[sh[6]]
            n = sh[5] // 24
            for i in range(n):
                st_name, st_info, st_other, st_shndx, st_value, st_size = struct.unpack_from(
                    "<IBBHQQ", data, sh[4] + i * 24)
                s = strsec[4] + st_name
                name = data[s:data.index(b"\0", s)].decode("utf-8", "replace")
                out.append((name, st_info & 15, st_info >> 4, st_shndx, st_value, st_size))
        return out

    def tls_symbols(self):
        """Defined TLS symbols (name, offset in the module's block, size, bind), from .symtab or .dynsym."""
        seen, out = set(), []
        for name, typ, bind, shndx, value, size in self.symtab + self.dynsym:
            if typ == STT_TLS and shndx != 0 and name and (name, value) not in seen:
                seen.add((name, value))
                out.append((name, value, size, bind))
        return sorted(out, key=lambda s: s[1])

    def defines(self, name):
        for sname, typ, bind, shndx, value, size in self.dynsym:
            if sname == name and shndx != 0 and bind in (1, 2):
                return True
        return False

    def text_addr(self):
        for name, typ, flags, addr, size in self.sections:
            if name == ".text":
                return addr
        for p in self.phdrs:
            if p[0] == PT_LOAD and p[1] & 1:
                return p[3]
        return None


# --------------------------------------------------------------------------------------------------
# The loader: its objfile, debug descriptor, stages, objects.

class Loader:
    """Access to elfld's state in the inferior, through elfld-run's DWARF."""

    _objfile = None

    @classmethod
    def objfile(cls):
        o = cls._objfile
        if o is not None and o.is_valid():
            return o
        cls._objfile = None
        for of in gdb.objfiles():
            try:
                if of.lookup_global_symbol("elfld_debug_hook") is not None:
                    cls._objfile = of
                    return of
            except gdb.error:
                pass
        return None

    @classmethod
    def var(cls, name):
        of = cls.objfile()
        sym = None
        if of is not None:
            sym = of.lookup_global_symbol(name) or of.lookup_static_symbol(name)
        if sym is None:
            sym = gdb.lookup_global_symbol(name)
        if sym is None:
            raise ElfldError("elfld: no symbol `%s': is this program running under elfld-run (with its "
                             "debug info)?" % name)
        return sym.value()

    @classmethod
    def debug(cls):
        return cls.var("elfld_debug")

    @classmethod
    def available(cls):
        return cls.objfile() is not None

    _stages = None
    _events = None

    @classmethod
    def stages(cls):
        """[(name, description)] in order, from the loader's stage_names/stage_descs."""
        if cls._stages is None:
            try:
                names, descs = cls.var("stage_names"), cls.var("stage_descs")
                n = names.type.range()[1] + 1
                cls._stages = [(names[i].string(), descs[i].string()) for i in range(n)]
            except (gdb.error, ElfldError, RuntimeError):
                return DEFAULT_STAGES
        return cls._stages

    @classmethod
    def stage_names(cls):
        return [s[0] for s in cls.stages()]

    @classmethod
    def event_names(cls):
        if cls._events is None:
            try:
                t = gdb.lookup_type("enum ev_type")
                names = {}
                for f in t.fields():
                    if f.name.startswith("EV_") and f.name != "EV_COUNT":
                        names[f.enumval] = f.name[3:].lower().replace("_", "-")
                cls._events = [names[i] for i in range(len(names))]
            except (gdb.error, KeyError, RuntimeError):
                return DEFAULT_EVENTS
        return cls._events

    @classmethod
    def event_name(cls, t):
        ev = cls.event_names()
        return ev[t] if 0 <= t < len(ev) else "event-%d" % t

    @classmethod
    def stage(cls):
        return int(cls.debug()["stage"])

    @classmethod
    def stage_index(cls, name):
        names = cls.stage_names()
        return names.index(name) if name in names else -1

    @classmethod
    def tls_counters(cls):
        """(generation, max module id): the loader's globals, which move on dlopen/dlclose too
        (elfld_debug's copies are refreshed at stage events only)."""
        d = cls.debug()
        try:
            return int(cls.var("tls_generation")), int(cls.var("tls_max_modid"))
        except (gdb.error, ElfldError):
            return int(d["tls_generation"]), int(d["tls_max_modid"])

    @classmethod
    def objs(cls):
        inferior()
        head = int(cls.debug()["objs"])
        out = []
        if not head:
            return out
        ptr_t = gdb.lookup_type("struct obj").pointer()
        p = gdb.Value(head).cast(ptr_t)
        seen = set()
        while int(p) and int(p) not in seen and len(out) < 100000:
            seen.add(int(p))
            out.append(Obj(p.dereference(), int(p)))
            p = p.dereference()["l_next"]
        return out

    @classmethod
    def current_event(cls):
        """The event being reported if the inferior is stopped in elfld_debug_hook, else None."""
        try:
            frame = gdb.selected_frame()
            if frame.name() != "elfld_debug_hook":
                frame = gdb.newest_frame()
                if frame.name() != "elfld_debug_hook":
                    return None
            ev = cls.debug()["event"]
            if not int(ev):
                return None
            return Event(ev.dereference())
        except gdb.error:
            return None


def field(v, name, default=0):
    """Integer field of a struct value, `default` if the loader's struct has no such field."""
    try:
        return int(v[name])
    except (gdb.error, KeyError, TypeError):
        return default


def strfield(v, name):
    try:
        p = v[name]
        return p.string() if int(p) else ""
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError, KeyError):
        return ""


class Obj:
    """Snapshot of one `struct obj` (a link_map node)."""

    def __init__(self, v, addr):
        self.addr = addr
        self.id = field(v, "id", -1)
        # abspath: the file (l_name follows glibc: "" for the program, PT_INTERP for the loader)
        self.path = strfield(v, "abspath") or strfield(v, "path") or strfield(v, "l_name")
        self.given_path = strfield(v, "path") or self.path
        self.name = strfield(v, "name") or os.path.basename(self.path)
        self.soname = strfield(v, "soname")
        self.base = field(v, "l_addr")
        self.dynamic = field(v, "l_ld")
        self.is_main, self.is_rtld, self.is_vdso = field(v, "is_main"), field(v, "is_rtld"), field(v, "is_vdso")
        self.map_start, self.map_end = field(v, "map_start"), field(v, "map_end")
        self.vaddr_lo, self.vaddr_hi = field(v, "vaddr_lo"), field(v, "vaddr_hi")
        self.phdr, self.phnum = field(v, "phdr"), field(v, "phnum")
        self.entry = field(v, "entry")
        self.tls_modid = field(v, "tls_modid")
        self.tls_image = field(v, "tls_image")
        self.tls_filesz, self.tls_memsz = field(v, "tls_filesz"), field(v, "tls_memsz")
        self.tls_align, self.tls_firstbyte = field(v, "tls_align"), field(v, "tls_firstbyte")
        self.tls_offset = field(v, "tls_offset")
        if self.tls_offset >= 1 << 63:
            self.tls_offset -= 1 << 64
        self.tls_static = field(v, "tls_static")
        self.relro_start, self.relro_end = field(v, "relro_start"), field(v, "relro_end")
        self.rela, self.relasz = field(v, "rela"), field(v, "relasz")
        self.jmprel, self.pltrelsz = field(v, "jmprel"), field(v, "pltrelsz")
        self.relr, self.relrsz = field(v, "relr"), field(v, "relrsz")
        self.symtab, self.strtab, self.strsz = field(v, "symtab"), field(v, "strtab"), field(v, "strsz")
        self.nsyms = field(v, "nsyms")
        self.relocated, self.initialized = field(v, "relocated"), field(v, "initialized")
        self.dlopened, self.unloaded = field(v, "dlopened"), field(v, "unloaded")
        self.nrelocs = field(v, "nrelocs")

    @property
    def kind(self):
        if self.is_rtld:
            return "loader"
        if self.is_main:
            return "program"
        if self.is_vdso:
            return "vdso"
        return "dlopen" if self.dlopened else "library"

    def label(self):
        return "[%d] %s" % (self.id, self.name)

    def elf(self):
        return None if self.is_vdso else ElfFile.get(self.path)

    def contains(self, addr):
        return self.map_start <= addr < self.map_end

    def phdrs(self):
        """Program headers read from memory: (index, type, flags, offset, vaddr, filesz, memsz, align)."""
        out = []
        if not self.phdr or not self.phnum:
            return out
        data = read(self.phdr, 56 * self.phnum)
        for i in range(self.phnum):
            p_type, p_flags, p_offset, p_vaddr, _, p_filesz, p_memsz, p_align = struct.unpack_from(
                "<IIQQQQQQ", data, i * 56)
            out.append((i, p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align))
        return out

    def matches(self, spec):
        spec = spec.strip()
        if spec.isdigit():
            return self.id == int(spec)
        for cand in (self.name, self.soname, self.path, self.given_path, os.path.basename(self.path)):
            if cand and (cand == spec or fnmatch.fnmatchcase(cand, spec)):
                return True
        return False


class Event:
    def __init__(self, v):
        self.v = v
        self.type = int(v["type"])
        self.name = Loader.event_name(self.type)
        self.stage = int(v["stage"])
        self.seq = int(v["seq"])
        self.obj = int(v["obj"])

    def payload(self):
        key = self.name.replace("-", "_")
        try:
            return self.v["u"][key]
        except gdb.error:
            return None

    def describe(self, objs=None):
        name = self.name
        u = self.payload()
        who = ""
        if self.obj >= 0:
            o = find_by_id(objs, self.obj) if objs is not None else None
            who = " [%d] %s" % (self.obj, o.name if o else "")
        extra = ""
        try:
            if name == "stage":
                extra = " %s" % u["name"].string()
            elif name == "reloc-done":
                extra = ": %d relocations" % int(u["total"])
            elif name == "object":
                extra = " %s base %s" % (u["kind"].string(), hx(int(u["base"])))
            elif name == "init":
                extra = " %s[%d] at %s" % (u["kind"].string(), int(u["index"]), hx(int(u["func"])))
            elif name == "tls-module":
                extra = " module %d (%s)" % (int(u["modid"]), u["kind"].string())
            elif name == "tls-block":
                extra = " module %d at %s" % (int(u["modid"]), hx(int(u["addr"])))
            elif name == "entry":
                extra = " %s" % hx(int(u["entry"]))
            elif name == "warning":
                extra = ": %s" % u["message"].string()
        except (gdb.error, TypeError):
            pass
        return "%s #%d%s%s" % (name, self.seq, who, extra.rstrip())


def find_by_id(objs, i):
    for o in objs:
        if o.id == i:
            return o
    return None


def find_obj(spec, objs=None):
    objs = Loader.objs() if objs is None else objs
    live = [o for o in objs if not o.unloaded]
    for pool in (live, objs):
        hits = [o for o in pool if o.matches(spec)]
        if hits:
            return hits[0]
    # substring as a last resort: "tlsbar" finds libgdbt-tlsbar.so
    hits = [o for o in live if spec in o.name or spec in o.path]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ElfldError("elfld: `%s' is ambiguous: %s" % (spec, ", ".join(o.label() for o in hits)))
    raise ElfldError("elfld: no loaded object matches `%s' (see `elfld objects')" % spec)


def obj_of_address(objs, addr):
    for o in objs:
        if not o.unloaded and o.contains(addr):
            return o
    return None


def complete_words(text, word, candidates):
    """Completion of the token being typed. GDB's `word` starts after the last word-break character
    (and '-' is one), so the candidates are cut to what replaces `word`."""
    token = "" if not text or text[-1].isspace() else text.split()[-1]
    cut = len(token) - len(word or "")
    return sorted(set(c[cut:] for c in candidates if c.startswith(token)))


def object_names():
    try:
        return [o.name for o in Loader.objs() if not o.unloaded]
    except (gdb.error, ElfldError):
        return []


def complete_objects(text, word):
    return complete_words(text, word, object_names())


# --------------------------------------------------------------------------------------------------
# Threads and TLS

def parse_thread(arg):
    """THREAD argument: GDB thread number (`2`, `1.2`), or empty for the selected thread."""
    arg = (arg or "").strip()
    inferior()
    if not arg:
        t = gdb.selected_thread()
        if t is None:
            raise ElfldError("elfld: no thread selected")
        return t
    inf = inferior()
    m = re.fullmatch(r"(?:(\d+)\.)?(\d+)", arg)
    if not m:
        raise ElfldError("elfld: `%s' is not a thread number (see `info threads')" % arg)
    if m.group(1):
        infs = [i for i in gdb.inferiors() if i.num == int(m.group(1))]
        if not infs:
            raise ElfldError("elfld: no inferior %s" % m.group(1))
        inf = infs[0]
    for t in inf.threads():
        if t.num == int(m.group(2)):
            return t
    raise ElfldError("elfld: no thread %s (see `info threads')" % arg)


def thread_label(t):
    return "thread %d (LWP %d)" % (t.num, t.ptid[1])


def fs_base_of(thread):
    cur = gdb.selected_thread()
    frame = None
    try:
        frame = gdb.selected_frame()
    except gdb.error:
        pass
    try:
        if thread != cur:
            thread.switch()
        return int(gdb.parse_and_eval("$fs_base")) & ((1 << 64) - 1)
    finally:
        if thread != cur and cur is not None:
            cur.switch()
            if frame is not None and frame.is_valid():
                try:
                    frame.select()
                except gdb.error:
                    pass


def thread_tp(thread):
    """(thread pointer, note). Before the loader sets %fs the main thread's TCB is elfld_debug.main_tp."""
    fs = fs_base_of(thread)
    d = Loader.debug()
    main_tp = int(d["main_tp"])
    stage = int(d["stage"])
    is_main = thread.ptid[1] == thread.inferior.pid
    if is_main and main_tp and (stage < Loader.stage_index("tls-initialized") or fs == 0):
        note = ""
        if fs != main_tp:
            note = "%%fs not set yet (stage %s): using the main thread's TCB elfld_debug.main_tp" % (
                Loader.stage_names()[stage])
        return main_tp, note
    if fs == 0:
        if stage < Loader.stage_index("tls-allocated"):
            raise ElfldError("elfld: no TLS yet: the loader is at stage `%s' (TCB allocated at "
                             "`tls-allocated')" % Loader.stage_names()[stage])
        raise ElfldError("elfld: %s has no thread pointer ($fs_base is 0)" % thread_label(thread))
    return fs, ""


class Dtv:
    def __init__(self, tp):
        self.tp = tp
        self.addr = u64(tp + 8)
        if not self.addr:
            raise ElfldError("elfld: the TCB at %s has no DTV (tcb->dtv is 0)" % hx(tp))
        self.generation = u64(self.addr)
        self.length = u64(self.addr - DTV_ENTRY)
        if self.length > 1 << 20:
            raise ElfldError("elfld: DTV at %s looks corrupt (length %d)" % (hx(self.addr), self.length))

    def entry(self, modid):
        """(block address or None if unallocated, to_free) of module `modid`."""
        if modid < 1 or modid > self.length:
            return None, 0
        data = read(self.addr + DTV_ENTRY * modid, 16)
        val, to_free = struct.unpack("<QQ", data)
        return (None if val == DTV_UNALLOCATED else val), to_free


def tls_block(o, tp, dtv=None):
    """(address of module o's TLS block in the thread with pointer tp, 'static'|'dynamic')."""
    if not o.tls_modid:
        raise ElfldError("elfld: %s has no TLS (or its module is not registered yet)" % o.label())
    if o.tls_static and o.tls_offset:
        return tp - o.tls_offset, "static"
    dtv = dtv or Dtv(tp)
    val, _ = dtv.entry(o.tls_modid)
    if val is None:
        raise ElfldError("elfld: module %d (%s) has no block in this thread yet: it is allocated by the "
                         "thread's first access (__tls_get_addr)" % (o.tls_modid, o.name))
    return val, "dynamic"


def tls_lookup(spec):
    """Find the thread-local variable `spec` ("VAR" or "OBJ::VAR"): (obj, offset, gdb.Type or None, name)."""
    objs = Loader.objs()
    objspec, name = None, spec
    if "::" in spec:
        left, right = spec.rsplit("::", 1)
        try:
            find_obj(left, objs)
            objspec, name = left, right
        except ElfldError:
            pass
    if objspec is None:
        # 1. GDB's own symbol lookup (scope of the selected frame, then global), as `info address` does.
        try:
            out = gdb.execute("info address %s" % name, to_string=True)
        except gdb.error:
            out = ""
        m = re.search(r"thread-local variable at offset (0x[0-9a-fA-F]+) in the thread-local storage for `(.*)'",
                      out)
        if m:
            off, path = int(m.group(1), 16), m.group(2)
            o = obj_for_file(objs, path)
            if o is not None:
                return o, off, symbol_type(name, o), name
    # 2. ELF symbol tables of the loaded objects, in link-map order (program first).
    order = [o for o in objs if not o.unloaded and o.tls_memsz]
    order.sort(key=lambda o: (not o.is_main, o.id))
    if objspec is not None:
        order = [find_obj(objspec, objs)]
    for want_global in (True, False):
        for o in order:
            e = o.elf()
            if e is None:
                continue
            for sname, off, size, bind in e.tls_symbols():
                if sname == name and (bind != 0) == want_global:
                    return o, off, symbol_type(name, o) or int_type(size), name
    raise ElfldError("elfld: no thread-local variable `%s' in the loaded objects" % spec)


def obj_for_file(objs, path):
    real = os.path.realpath(path)
    for o in objs:
        if not o.unloaded and (o.path == path or os.path.realpath(o.path) == real):
            return o
    for o in objs:
        if not o.unloaded and os.path.basename(o.path) == os.path.basename(path):
            return o
    return None


def objfile_for(o):
    real = os.path.realpath(o.path)
    for of in gdb.objfiles():
        if of.is_valid() and of.filename and os.path.realpath(of.filename) == real:
            return of
    return None


def symbol_type(name, o):
    of = objfile_for(o)
    sym = None
    try:
        if of is not None:
            sym = of.lookup_global_symbol(name) or of.lookup_static_symbol(name)
        if sym is None:
            sym = gdb.lookup_symbol(name)[0]
    except gdb.error:
        sym = None
    return sym.type if sym is not None else None


def int_type(size):
    names = {1: "unsigned char", 2: "unsigned short", 4: "int", 8: "long"}
    if size in names:
        return gdb.lookup_type(names[size])
    if size:
        return gdb.lookup_type("unsigned char").array(size - 1)
    return gdb.lookup_type("int")


def tls_address(spec, thread=None):
    """(address, type, obj, offset, kind, note) of thread-local `spec` in `thread` (default: selected)."""
    thread = thread or parse_thread("")
    o, off, typ, name = tls_lookup(spec)
    tp, note = thread_tp(thread)
    block, kind = tls_block(o, tp)
    return block + off, typ, o, off, kind, note


# --------------------------------------------------------------------------------------------------
# Relocations, read from the object's tables in memory

class Reloc:
    __slots__ = ("type", "where", "symidx", "addend", "table")

    def __init__(self, type_, where, symidx, addend, table_):
        self.type, self.where, self.symidx, self.addend, self.table = type_, where, symidx, addend, table_


def read_relocs(o):
    out = []
    for tab, addr, size in (("rela", o.rela, o.relasz), ("plt", o.jmprel, o.pltrelsz)):
        if not addr or not size:
            continue
        data = read(addr, size)
        for off in range(0, size - size % 24, 24):
            r_offset, r_info, r_addend = struct.unpack_from("<QQq", data, off)
            out.append(Reloc(r_info & 0xFFFFFFFF, o.base + r_offset, r_info >> 32, r_addend, tab))
    if o.relr and o.relrsz:
        data = read(o.relr, o.relrsz)
        where = 0
        for (entry,) in struct.iter_unpack("<Q", data[:len(data) - len(data) % 8]):
            if not entry & 1:
                where = o.base + entry
                out.append(Reloc(R_RELR, where, 0, 0, "relr"))
                where += 8
            else:
                bits, i = entry >> 1, 0
                while bits:
                    if bits & 1:
                        out.append(Reloc(R_RELR, where + 8 * i, 0, 0, "relr"))
                    bits >>= 1
                    i += 1
                where += 63 * 8
    return out


class SymReader:
    """Dynamic symbols of an object, read from its in-memory .dynsym/.dynstr (cached per command)."""

    def __init__(self, o):
        self.o = o
        self.cache = {}

    def get(self, idx):
        if idx in self.cache:
            return self.cache[idx]
        name, shndx, value, typ = "", 0, 0, 0
        if self.o.symtab and (not self.o.nsyms or idx < self.o.nsyms):
            try:
                st_name, st_info, _, shndx, value, _ = struct.unpack("<IBBHQQ", read(self.o.symtab + 24 * idx, 24))
                typ = st_info & 15
                if self.o.strtab and (not self.o.strsz or st_name < self.o.strsz):
                    name = cstring(self.o.strtab + st_name)
            except gdb.MemoryError:
                pass
        self.cache[idx] = (name, shndx, value, typ)
        return self.cache[idx]


class PageCache:
    def __init__(self):
        self.pages = {}

    def read(self, addr, n):
        out = b""
        while n > 0:
            page = addr & ~0xFFF
            if page not in self.pages:
                try:
                    self.pages[page] = read(page, 0x1000)
                except gdb.MemoryError:
                    self.pages[page] = None
            data = self.pages[page]
            if data is None:
                return None
            k = min(n, page + 0x1000 - addr)
            out += data[addr - page:addr - page + k]
            addr += k
            n -= k
        return out


def describe_relocs(o, objs, relocs, want_type=None, want_sym=None):
    """Rows (type, where, symbol, addend, value, defined-in) for the relocations of `o`."""
    syms = SymReader(o)
    pages = PageCache()
    done = o.relocated or Loader.stage() >= Loader.stage_index("relocated")
    by_where = {}
    rows = []
    for r in relocs:
        by_where[r.where] = r
    for r in relocs:
        tname = reloc_type_name(r.type)
        if want_type and not type_matches(tname, want_type):
            continue
        sname = syms.get(r.symidx)[0] if r.symidx else ""
        if want_sym and not fnmatch.fnmatchcase(sname, want_sym):
            continue
        size = 16 if r.type == R_TLSDESC else 8
        data = pages.read(r.where, size)
        if data is None:
            value = "(unreadable)"
            vals = None
        else:
            vals = struct.unpack("<%dQ" % (size // 8), data)
            value = " ".join(hx(v) for v in vals)
            if not done:
                value += " (not relocated yet)"
        definer = defining_object(o, objs, r, sname, vals[0] if vals and done else None, by_where, pages)
        rows.append([tname, hx(r.where), sname or "-", shex(r.addend) if r.table != "relr" else "-",
                     value, definer])
    return rows


def type_matches(tname, want):
    w = want.upper()
    short = tname[len("R_X86_64_"):] if tname.startswith("R_X86_64_") else tname
    return w in (tname, short) or fnmatch.fnmatchcase(tname, w) or fnmatch.fnmatchcase(short, w)


def defining_object(o, objs, r, sname, value, by_where, pages):
    t = r.type
    if t in (R_RELATIVE, R_RELR):
        return o.label()
    if t == R_IRELATIVE:
        d = obj_of_address(objs, value) if value else None
        return (d or o).label() + " (ifunc result)"
    if value is not None:
        if t in (R_64, R_GLOB_DAT, R_JUMP_SLOT):
            if value == 0:
                return "(undefined weak: 0)"
            d = obj_of_address(objs, value - (r.addend if t == R_64 else 0))  # GLOB_DAT/JUMP_SLOT: S
            if d is not None:
                return d.label()
        elif t == R_DTPMOD64:
            for d in objs:
                if d.tls_modid == value and not d.unloaded:
                    return "%s (TLS module %d)" % (d.label(), value)
        elif t == R_TPOFF64:
            v = value - (1 << 64) if value >= 1 << 63 else value
            for d in objs:
                if d.tls_static and d.tls_modid and -d.tls_offset <= v - r.addend < -d.tls_offset + max(d.tls_memsz, 1):
                    return "%s (tp%+d)" % (d.label(), v)
        elif t == R_DTPOFF64:
            prev = by_where.get(r.where - 8)
            if prev is not None and prev.type == R_DTPMOD64:
                data = pages.read(prev.where, 8)
                if data:
                    mod = struct.unpack("<Q", data)[0]
                    for d in objs:
                        if d.tls_modid == mod and not d.unloaded:
                            return "%s (TLS module %d)" % (d.label(), mod)
    if not sname:
        return o.label() if t in (R_DTPMOD64, R_TPOFF64, R_DTPOFF64, R_TLSDESC) else "-"
    # by name, in link-map order (the global scope); COPY skips the program itself
    for d in objs:
        if d.unloaded or (t == R_COPY and d.addr == o.addr):
            continue
        e = d.elf()
        if e is not None and e.defines(sname):
            return d.label()
    return "?"


# --------------------------------------------------------------------------------------------------
# Symbol files: GDB's solib-svr4 reads them through elfld's r_debug; this is the fallback.

def rdebug_consistent():
    """True once elfld's r_debug lists the objects and is RT_CONSISTENT: GDB's solib code has then
    been notified (its breakpoint on r_brk runs before the next hook event)."""
    try:
        rd = int(Loader.debug()["r_debug"])
        if not rd:
            return True  # no r_debug at all: nobody else will add the symbol files
        r_map, r_state = u64(rd + 8), u32(rd + 24)
        return r_map != 0 and r_state == 0
    except (gdb.error, gdb.MemoryError, ElfldError):
        return False


class SymbolFiles:
    added = {}  # obj address -> (path, text address, base, object id)

    @classmethod
    def sync(cls, objs=None):
        mode = SymbolFilesParam.mode()
        if mode == "off":
            return
        objs = Loader.objs() if objs is None else objs
        have = set()
        for of in gdb.objfiles():
            if of.is_valid() and of.filename:
                have.add(os.path.realpath(of.filename))
        for o in objs:
            if o.is_rtld or o.is_vdso or o.unloaded or not o.path or o.addr in cls.added:
                continue
            if os.path.realpath(o.path) in have:
                continue
            if mode == "auto":
                # GDB's solib list knows it (symbols maybe deferred, e.g. `set auto-solib-add off`)
                e = o.elf()
                probe = o.base + (e.text_addr() if e and e.text_addr() is not None else o.vaddr_lo)
                if gdb.solib_name(probe) is not None:
                    continue
            cls.add(o)

    @classmethod
    def add(cls, o):
        e = o.elf()
        if e is None:
            return
        text = e.text_addr() or 0
        gdb.execute("add-symbol-file %s -o %s" % (gdb_quote(o.path), hx(o.base)), to_string=True)
        cls.added[o.addr] = (o.path, o.base + text, o.base, o.id)

    @classmethod
    def remove(cls, objaddr):
        ent = cls.added.pop(objaddr, None)
        if ent is not None:
            try:
                gdb.execute("remove-symbol-file -a %s" % hx(ent[1]), to_string=True)
            except gdb.error:
                pass

    @classmethod
    def remove_id(cls, objid):
        for objaddr, ent in list(cls.added.items()):
            if ent[3] == objid:
                cls.remove(objaddr)


def gdb_quote(path):
    return path if re.fullmatch(r"[\w./+@-]+", path) else '"%s"' % path.replace("\\", "\\\\").replace('"', '\\"')


class SymbolFilesParam(gdb.Parameter):
    """Whether elfld adds symbol files of loaded objects itself.
auto: only for objects GDB's shared-library list (fed by elfld's r_debug) does not know.
on:   also for objects GDB lists without symbols (e.g. with `set auto-solib-add off`).
off:  never; rely on r_debug alone.
Files are added with `add-symbol-file FILE -o BASE` once per object, removed again on dlclose."""

    set_doc = "Set when elfld adds symbol files of loaded objects."
    show_doc = "Show when elfld adds symbol files of loaded objects."
    instance = None

    def __init__(self):
        super().__init__("elfld symbol-files", gdb.COMMAND_DATA, gdb.PARAM_ENUM, ["auto", "on", "off"])
        self.value = "auto"
        SymbolFilesParam.instance = self

    def get_set_string(self):
        return ""

    def get_show_string(self, svalue):
        return "elfld adds symbol files: %s" % svalue

    @classmethod
    def mode(cls):
        return cls.instance.value if cls.instance else "auto"


# --------------------------------------------------------------------------------------------------
# The hook breakpoint: one internal breakpoint on elfld_debug_hook; stop() decides.

BREAK_STAGE_EVENT = {  # stage -> event that means "OBJ reached this stage"
    "mapped": "object",
    "tls-allocated": "tls-module",
    "relocated": "reloc-done",
    "tls-initialized": "tls-block",
    "protected": "relro",
    "initialized": "init",
}


class StageStop:
    counter = 0

    def __init__(self, stage, objspec=None):
        StageStop.counter += 1
        self.num = StageStop.counter
        self.stage = stage
        self.objspec = objspec
        self.hits = 0
        self.enabled = True

    def describe(self):
        if self.objspec:
            return "stage %s of %s (%s event)" % (self.stage, self.objspec, BREAK_STAGE_EVENT[self.stage])
        return "stage %s" % self.stage

    def matches(self, ev, objs_cb):
        if not self.enabled:
            return False
        if self.objspec is None:
            return ev.name == "stage" and ev.stage == Loader.stage_index(self.stage) and \
                self.stage == Loader.stage_names()[ev.stage]
        if ev.name != BREAK_STAGE_EVENT[self.stage] or ev.obj < 0:
            return False
        o = find_by_id(objs_cb(), ev.obj)
        return o is not None and (o.matches(self.objspec) or self.objspec in o.name)


class HookBreakpoint(gdb.Breakpoint):
    """Internal breakpoint on elfld_debug_hook: stage breakpoints and symbol-file upkeep."""

    def __init__(self):
        super().__init__("elfld_debug_hook", gdb.BP_BREAKPOINT, internal=True)
        self.silent = True

    def stop(self):
        try:
            return self._stop()
        except (gdb.error, gdb.MemoryError, ElfldError) as e:
            gdb.write("elfld: hook: %s\n" % e, gdb.STDERR)
            return False

    def _stop(self):
        state.hook_hits += 1
        ev_v = Loader.debug()["event"]
        if not int(ev_v):
            return False
        ev = Event(ev_v.dereference())
        objs_cache = []

        def objs():
            if not objs_cache:
                objs_cache.extend(Loader.objs())
            return objs_cache

        # symbol files: once r_debug has announced the objects (GDB has had its chance), and on dlclose
        if SymbolFilesParam.mode() != "off":
            if ev.name in ("stage", "dlopen") and rdebug_consistent():
                SymbolFiles.sync(objs())
            elif ev.name == "unmap" and ev.obj >= 0:
                SymbolFiles.remove_id(ev.obj)  # the object may be off the chain already
        if ev.name == "stage":
            state.publish_want()
        hit = [s for s in state.stage_stops if s.matches(ev, objs)]
        if not hit:
            return False
        for s in hit:
            s.hits += 1
        s = hit[0]
        stage_name, stage_desc = Loader.stages()[ev.stage]
        if s.objspec:
            gdb.write("elfld: stopped at %s [elfld break-stage %d]\n  event: %s\n" % (
                s.describe(), s.num, ev.describe(objs())))
        else:
            gdb.write("elfld: stopped at stage %s: %s [elfld break-stage %d]\n" % (stage_name, stage_desc, s.num))
        return True


class State:
    def __init__(self):
        self.hook = None
        self.stage_stops = []
        self.hook_hits = 0

    def want_mask(self):
        """Events besides the always-reported ones (stage, object, dlopen, ...) that our stops need."""
        mask = 0
        for st in self.stage_stops:
            if st.enabled and st.objspec is not None:
                name = "EV_" + BREAK_STAGE_EVENT[st.stage].upper().replace("-", "_")
                mask |= 1 << int(gdb.parse_and_eval(name))
        return mask

    def publish_want(self):
        """Tell the loader which extra events must call the hook (elfld_debug.want): calling it for every
        relocation or initializer would make loading a big program slow under GDB."""
        try:
            if gdb.selected_inferior().pid:
                gdb.parse_and_eval("elfld_debug.want = %d" % self.want_mask())
        except gdb.error:
            pass

    def ensure_hook(self):
        if self.hook is None or not self.hook.is_valid():
            self.hook = HookBreakpoint()
        return self.hook

    def teardown(self):
        if self.hook is not None and self.hook.is_valid():
            self.hook.delete()
        self.hook = None


# --------------------------------------------------------------------------------------------------
# Commands

class ElfldPrefix(gdb.Command):
    """Inspect programs loaded by elfld (the debugging ELF loader).

Objects and memory:
  elfld objects                 loaded objects: id, base, address range, TLS module
  elfld segments [OBJ]          program headers at their runtime addresses, RELRO, bss
  elfld relocs [OBJ] [--type T] [--symbol S]
                                relocations and the value now at each target
  elfld vmmap                   /proc/PID/maps labelled by object, segment, TLS, TCB, DTV
Thread-local storage (x86-64 variant II, glibc layout):
  elfld tls [THREAD]            each module's TLS block in a thread (add -v for variables)
  elfld tcb [THREAD]            $fs_base and the decoded tcbhead_t
  elfld dtv [THREAD]            the thread's dynamic thread vector
  $tls_addr("var" [, THREAD])   address of a thread-local variable of any module
  $tls("var" [, THREAD])        its value ("OBJ::var" picks the module)
Loader stages:
  elfld stage                   current stage (and the event being reported)
  elfld break-stage STAGE [OBJ] stop when the loader reaches STAGE (for OBJ)

OBJ is an object id, name, path or glob (`elfld objects`); THREAD a GDB thread number."""

    def __init__(self):
        super().__init__("elfld", gdb.COMMAND_DATA, gdb.COMPLETE_COMMAND, prefix=True)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise ElfldError("elfld: unknown subcommand `%s' (see `help elfld')" % arg.split()[0])
        gdb.execute("help elfld", from_tty)


class ElfldSetPrefix(gdb.Command):
    """elfld settings (`set elfld symbol-files auto|on|off`)."""

    def __init__(self, cmd):
        super().__init__(cmd + " elfld", gdb.COMMAND_DATA, gdb.COMPLETE_NONE, prefix=True)


class ObjectsCmd(gdb.Command):
    """List the objects elfld has loaded: elfld objects

Columns: id (0 = the loader itself, 1 = the program, then load order), name, kind, load bias (base),
the reserved address range, the TLS module id, and the path. Unloaded (dlclosed) objects are marked."""

    def __init__(self):
        super().__init__("elfld objects", gdb.COMMAND_DATA, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        objs = Loader.objs()
        rows = []
        for o in objs:
            tls = "-"
            if o.tls_modid:
                tls = "%d %s" % (o.tls_modid, "static" if o.tls_static else "dynamic")
            state_ = "unloaded" if o.unloaded else ""
            rows.append([str(o.id), o.name, o.kind, hx(o.base), "%s-%s" % (hx(o.map_start), hx(o.map_end)),
                         tls, (state_ + " " if state_ else "") + o.path])
        gen, maxmod = Loader.tls_counters()
        gdb.write("stage %s, %d objects, TLS generation %d, max module id %d\n" % (
            Loader.stage_names()[Loader.stage()], len(objs), gen, maxmod))
        gdb.write(table(rows, ["ID", "NAME", "KIND", "BASE", "RANGE", "TLS", "PATH"], "rllllll"))


class SegmentsCmd(gdb.Command):
    """Program headers of loaded objects at their runtime addresses: elfld segments [OBJ]

Read from the object's program headers in memory (struct obj phdr). For each: type, runtime address
range, file offset, file and memory sizes, permissions, alignment; notes mark the RELRO part of a
PT_LOAD (and whether it is read-only yet) and its bss (memsz > filesz). Without OBJ: every object."""

    def __init__(self):
        super().__init__("elfld segments", gdb.COMMAND_DATA)

    def complete(self, text, word):
        return complete_objects(text, word)

    def invoke(self, arg, from_tty):
        objs = Loader.objs()
        sel = [find_obj(arg, objs)] if arg.strip() else [o for o in objs if not o.unloaded]
        protected = Loader.stage() >= Loader.stage_index("protected")
        for o in sel:
            gdb.write("%s  base %s  %s\n" % (o.label(), hx(o.base), o.path))
            rows = []
            for i, t, fl, off, va, fsz, msz, al in o.phdrs():
                start = o.base + va
                notes = []
                if t == PT_LOAD:
                    if o.relro_end > o.relro_start and o.relro_start < start + msz and o.relro_end > start:
                        notes.append("RELRO %s-%s%s" % (hx(o.relro_start), hx(o.relro_end),
                                                        " (read-only)" if protected else " (still writable)"))
                    if msz > fsz:
                        notes.append("bss %s-%s" % (hx(start + fsz), hx(start + msz)))
                elif t == PT_TLS:
                    notes.append("TLS image, module %d" % o.tls_modid if o.tls_modid else "TLS image")
                elif t == PT_GNU_RELRO:
                    notes.append("made read-only at `protected'")
                rows.append([str(i), PT_NAMES.get(t, hx(t)), "%s-%s" % (hx(start), hx(start + msz)), hx(off),
                             hx(fsz), hx(msz), prot_str(fl), hx(al), ", ".join(notes)])
            gdb.write(table(rows, ["#", "TYPE", "ADDRESS RANGE", "OFFSET", "FILESZ", "MEMSZ", "PERM", "ALIGN",
                                   "NOTES"], "rllrrrlrl"))


class RelocsCmd(gdb.Command):
    """Relocations of loaded objects: elfld relocs [OBJ] [--type T] [--symbol S]

Read from the object's relocation tables in memory (DT_RELA, DT_JMPREL, DT_RELR). For each: type,
target address (where), symbol, addend, the value now at the target (two words for TLSDESC) and the
object that defines the symbol (for TLS: module id or thread-pointer offset). Before the `relocated'
stage the values are not written yet. T: a type name with or without R_X86_64_ (TPOFF64, JUMP_SLOT)
or a glob; S: a symbol name or glob. Without OBJ: the program."""

    def __init__(self):
        super().__init__("elfld relocs", gdb.COMMAND_DATA)

    def complete(self, text, word):
        words = text.split()
        typing = bool(text) and not text[-1].isspace()
        prev = (words[-2] if len(words) >= 2 else None) if typing else (words[-1] if words else None)
        if prev in ("--type", "-t"):
            return complete_words(text, word, R_X86_64 + ["R_X86_64_" + t for t in R_X86_64])
        if prev in ("--symbol", "-s"):
            return []
        if typing and words[-1].startswith("-"):
            return complete_words(text, word, ["--type", "--symbol"])
        return complete_objects(text, word)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        want_type = want_sym = None
        objspec = None
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("--type", "-t", "--symbol", "-s") and i + 1 >= len(args):
                raise ElfldError("elfld relocs: option `%s' needs a value (%s)" % (
                    a, "a type such as JUMP_SLOT or DTP*" if a in ("--type", "-t") else "a symbol name or glob"))
            if a in ("--type", "-t"):
                want_type = args[i + 1]
                i += 2
            elif a in ("--symbol", "-s"):
                want_sym = args[i + 1]
                i += 2
            elif a.startswith("--type="):
                want_type = a[7:]
                i += 1
            elif a.startswith("--symbol="):
                want_sym = a[9:]
                i += 1
            elif a.startswith("-"):
                raise ElfldError("elfld relocs: unknown option `%s'" % a)
            else:
                if objspec is not None:
                    raise ElfldError("elfld relocs: one OBJ at a time")
                objspec = a
                i += 1
        known = ["R_X86_64_" + t for t in R_X86_64] + ["RELR"]
        if want_type and not any(type_matches(t, want_type) for t in known):
            raise ElfldError("elfld relocs: no relocation type matches `%s' (types: %s, RELR; with or without "
                             "R_X86_64_, globs allowed)" % (want_type, " ".join(R_X86_64)))
        objs = Loader.objs()
        if objspec is None:
            main = [o for o in objs if o.is_main]
            if not main:
                raise ElfldError("elfld relocs: the program is not loaded yet")
            o = main[0]
        else:
            o = find_obj(objspec, objs)
        if o.is_vdso:
            raise ElfldError("elfld relocs: the vDSO has no relocations")
        relocs = read_relocs(o)
        rows = describe_relocs(o, objs, relocs, want_type, want_sym)
        counts = {}
        for r in relocs:
            counts[r.table] = counts.get(r.table, 0) + 1
        gdb.write("%s: %d relocations (.rela.dyn %d, .rela.plt %d, relr %d)%s%s\n" % (
            o.label(), len(relocs), counts.get("rela", 0), counts.get("plt", 0), counts.get("relr", 0),
            "" if o.relocated else ", not relocated yet",
            (", %d shown" % len(rows)) if (want_type or want_sym) else ""))
        if rows:
            gdb.write(table(rows, ["TYPE", "WHERE", "SYMBOL", "ADDEND", "VALUE", "DEFINED IN"], "lllrll"))


class TlsCmd(gdb.Command):
    """TLS blocks of every module in a thread: elfld tls [-v] [THREAD]

For each TLS module: module id, object, static or dynamic, the block's offset from the thread pointer,
its address in this thread, size, alignment, and the initialization image (address, bytes in file).
-v also lists each module's thread-local variables with their addresses in this thread.
Layout: x86-64 variant II, static blocks below %fs (tp - offset), others through the DTV."""

    def __init__(self):
        super().__init__("elfld tls", gdb.COMMAND_DATA)

    def complete(self, text, word):
        return complete_threads(text, word)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        verbose = "-v" in args
        args = [a for a in args if a != "-v"]
        thread = parse_thread(args[0] if args else "")
        tp, note = thread_tp(thread)
        objs = Loader.objs()
        gdb.write("%s: tp %s\n" % (thread_label(thread), hx(tp)))
        if note:
            gdb.write("  (%s)\n" % note)
        try:
            dtv = Dtv(tp)
        except (ElfldError, gdb.MemoryError):
            dtv = None
        stage = Loader.stage()
        if stage < Loader.stage_index("tls-initialized"):
            gdb.write("  (stage %s: blocks are not initialized from their images yet)\n" % Loader.stage_names()[stage])
        rows, var_rows = [], []
        for o in sorted((o for o in objs if o.tls_modid and not o.unloaded), key=lambda o: o.tls_modid):
            try:
                block, kind = tls_block(o, tp, dtv)
                addr, off = hx(block), "-" + hx(tp - block) if kind == "static" else "-"
            except (ElfldError, gdb.MemoryError):
                block, kind, addr, off = None, "dynamic", "(not allocated)", "-"
            rows.append([str(o.tls_modid), o.label(), kind, off, addr, hx(o.tls_memsz), hx(o.tls_align),
                         "%s (%s bytes)" % (hx(o.tls_image), hx(o.tls_filesz))])
            if verbose and block is not None:
                e = o.elf()
                for name, voff, size, bind in (e.tls_symbols() if e else []):
                    val = ""
                    if size in (1, 2, 4, 8):
                        try:
                            val = hx(int.from_bytes(read(block + voff, size), "little"))
                        except gdb.MemoryError:
                            val = "?"
                    var_rows.append([name, o.name, hx(voff), hx(block + voff), str(size), val])
        if not rows:
            gdb.write("no TLS modules\n")
            return
        gdb.write(table(rows, ["MOD", "OBJECT", "KIND", "TP OFFSET", "BLOCK", "SIZE", "ALIGN", "IMAGE"],
                        "rllrlrrl"))
        if verbose and var_rows:
            gdb.write("\n" + table(var_rows, ["VARIABLE", "MODULE", "OFFSET", "ADDRESS", "SIZE", "VALUE"],
                                   "llrlrl"))


def complete_threads(text, word):
    try:
        nums = [str(t.num) for t in gdb.selected_inferior().threads()]
    except gdb.error:
        nums = []
    return complete_words(text, word, nums)


class TcbCmd(gdb.Command):
    """The thread control block: elfld tcb [THREAD]

Shows $fs_base and decodes glibc's tcbhead_t at it: tcb@0, dtv@8, self@16, multiple_threads@24,
gscope_flag@28, sysinfo@32, stack_guard@40, pointer_guard@48, and checks tcb == self == $fs_base and
the guards against AT_RANDOM (stack guard = its first 8 bytes with the low byte zeroed)."""

    def __init__(self):
        super().__init__("elfld tcb", gdb.COMMAND_DATA)

    def complete(self, text, word):
        return complete_threads(text, word)

    def invoke(self, arg, from_tty):
        thread = parse_thread(arg)
        fs = fs_base_of(thread)
        tp, note = thread_tp(thread)
        gdb.write("%s: $fs_base = %s\n" % (thread_label(thread), hx(fs)))
        if note:
            gdb.write("  (%s)\n  TCB at %s\n" % (note, hx(tp)))
        raw = read(tp, 56)
        rnd = None
        try:
            at_random = int(Loader.var("L")["at_random"])
            if at_random:
                rnd = struct.unpack("<QQ", read(at_random, 16))
        except (ElfldError, gdb.error):
            pass
        rows = []
        for name, off, size in TCB_FIELDS:
            v = int.from_bytes(raw[off:off + size], "little")
            check = ""
            if name in ("tcb", "self"):
                check = "%s == $fs_base: %s" % (name, "yes" if v == fs else "NO")
                if fs != tp:
                    check += "; == TCB: %s" % ("yes" if v == tp else "NO")
            elif name == "dtv" and v:
                try:
                    d = Dtv(tp)
                    check = "generation %d, %d slots" % (d.generation, d.length)
                except (ElfldError, gdb.MemoryError):
                    check = "(unreadable)"
            elif name == "stack_guard" and rnd:
                check = "AT_RANDOM[0:8] & ~0xff: %s" % ("matches" if v == rnd[0] & ~0xFF else "DIFFERS")
            elif name == "pointer_guard" and rnd:
                check = "AT_RANDOM[8:16]: %s" % ("matches" if v == rnd[1] else "differs")
            rows.append([name, "@%d" % off, hx(v), check])
        gdb.write(table(rows, ["FIELD", "OFFSET", "VALUE", "CHECK"], "lrll"))


class DtvCmd(gdb.Command):
    """The dynamic thread vector of a thread: elfld dtv [THREAD]

DTV pointer = *(tp + 8) (tcbhead_t.dtv), 16-byte entries (glibc's dtv_t): dtv[-1].counter is the
number of module slots, dtv[0].counter the generation the vector is current for, dtv[m] the block of
module m (pointer, and to_free for dynamically allocated blocks)."""

    def __init__(self):
        super().__init__("elfld dtv", gdb.COMMAND_DATA)

    def complete(self, text, word):
        return complete_threads(text, word)

    def invoke(self, arg, from_tty):
        thread = parse_thread(arg)
        tp, note = thread_tp(thread)
        dtv = Dtv(tp)
        gen = Loader.tls_counters()[0]
        gdb.write("%s: tp %s, DTV at %s (tcb->dtv)\n" % (thread_label(thread), hx(tp), hx(dtv.addr)))
        if note:
            gdb.write("  (%s)\n" % note)
        gdb.write("  generation  dtv[0].counter  = %d  (loader's generation %d: %s)\n" % (
            dtv.generation, gen, "up to date" if dtv.generation == gen else "stale, updated at the next __tls_get_addr"))
        gdb.write("  length      dtv[-1].counter = %d module slots\n" % dtv.length)
        objs = Loader.objs()
        bymod = {o.tls_modid: o for o in objs if o.tls_modid and not o.unloaded}
        rows, free_from = [], None
        top = max([dtv.length] + list(bymod))
        for m in range(1, top + 1):
            val, to_free = dtv.entry(m) if m <= dtv.length else (None, 0)
            o = bymod.get(m)
            if val is None and o is None:
                if free_from is None:
                    free_from = m
                continue
            if free_from is not None:
                rows.append(["%d-%d" % (free_from, m - 1) if m - 1 > free_from else str(free_from),
                             "-", "unallocated", "", "", ""])
                free_from = None
            kind = ""
            if o is not None and val is not None:
                kind = "static" if o.tls_static and val == tp - o.tls_offset else "dynamic"
            rows.append([str(m), o.label() if o else "(free slot)",
                         hx(val) if val is not None else "unallocated", kind,
                         hx(to_free) if to_free else "-",
                         ("tp-" + hx(tp - val)) if kind == "static" else ""])
        if free_from is not None:
            rows.append(["%d-%d" % (free_from, dtv.length) if dtv.length > free_from else str(free_from),
                         "-", "unallocated", "", "", "(surplus)"])
        gdb.write(table(rows, ["MOD", "OBJECT", "BLOCK", "KIND", "TO_FREE", "NOTE"], "rlllll"))


class StageCmd(gdb.Command):
    """The loader's current stage: elfld stage

Stages in order: begin, mapped, tls-allocated, relocated, tls-initialized, protected, initialized,
entry. Stopped inside elfld_debug_hook, also shows the event being reported."""

    def __init__(self):
        super().__init__("elfld stage", gdb.COMMAND_DATA, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        inferior()
        stages = Loader.stages()
        st = Loader.stage()
        name, desc = stages[st] if 0 <= st < len(stages) else ("stage-%d" % st, "")
        gdb.write("stage %s (%d of %d): %s\n" % (name, st + 1, len(stages), desc))
        ev = Loader.current_event()
        if ev is not None:
            gdb.write("event %s (the loader is stopped in elfld_debug_hook)\n" % ev.describe(Loader.objs()))
        elif name == "entry":
            gdb.write("the program is running (elfld jumped to its entry point)\n")
        gdb.write("events so far: %d\n" % int(Loader.debug()["nevents"]))


class BreakStageCmd(gdb.Command):
    """Stop when the loader reaches a stage: elfld break-stage STAGE [OBJ]

STAGE: begin mapped tls-allocated relocated tls-initialized protected initialized entry.
With OBJ, stop at that object's own event for the stage instead of the global boundary:
  mapped OBJ -> right after OBJ is mapped       tls-allocated OBJ -> OBJ got its TLS module
  relocated OBJ -> right after OBJ's relocations (reloc-done)
  tls-initialized OBJ -> OBJ's TLS block set up  protected OBJ -> OBJ's RELRO made read-only
  initialized OBJ -> before OBJ's initializers run
Without arguments: list the stage breakpoints. `elfld break-stage delete [N]` removes them,
`elfld break-stage disable|enable N` toggles one. They stay set across `run`."""

    def __init__(self):
        super().__init__("elfld break-stage", gdb.COMMAND_BREAKPOINTS)

    def complete(self, text, word):
        words = text.split()
        nwords = len(words) - (0 if not text or text[-1].isspace() else 1)
        if nwords == 0:
            return complete_words(text, word, Loader.stage_names() + ["delete", "disable", "enable"])
        if nwords == 1 and words[0] in BREAK_STAGE_EVENT:
            return complete_objects(text, word)
        return []

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            if not state.stage_stops:
                gdb.write("No elfld stage breakpoints.\n")
                return
            rows = [[str(s.num), "y" if s.enabled else "n", s.describe(), str(s.hits)] for s in state.stage_stops]
            gdb.write(table(rows, ["NUM", "ENB", "STOP AT", "HITS"], "rlll"))
            return
        if args[0] in ("delete", "disable", "enable"):
            nums = [int(a) for a in args[1:] if a.isdigit()]
            sel = [s for s in state.stage_stops if not nums or s.num in nums]
            if args[0] == "delete":
                state.stage_stops = [s for s in state.stage_stops if s not in sel]
                state.publish_want()
            else:
                for s in sel:
                    s.enabled = args[0] == "enable"
            return
        stage = args[0]
        names = Loader.stage_names()
        if stage not in names:
            raise ElfldError("elfld break-stage: unknown stage `%s' (stages: %s)" % (stage, " ".join(names)))
        objspec = " ".join(args[1:]) or None
        if objspec and stage not in BREAK_STAGE_EVENT:
            raise ElfldError("elfld break-stage: stage %s is global (no per-object event)" % stage)
        state.ensure_hook()
        s = StageStop(stage, objspec)
        state.stage_stops.append(s)
        state.publish_want()
        msg = "elfld break-stage %d: %s" % (s.num, s.describe())
        try:
            if gdb.selected_inferior().pid and Loader.stage() >= names.index(stage) and not objspec:
                msg += " (already passed in this run; applies from the next `run')"
        except (gdb.error, ElfldError):
            pass
        gdb.write(msg + "\n")


class VmmapCmd(gdb.Command):
    """Memory map with labels: elfld vmmap [ADDRESS | TEXT]

Reads /proc/PID/maps and labels every region: object and segment (with its sections), RELRO, bss,
reserved gaps of an object's span, TLS blocks, TCBs and DTVs of each thread, the loader's own image
and heap, stack, vDSO. With an ADDRESS (any expression: $fs_base, &errno, 0x7ffff7dd0000), only the
region holding it; with TEXT, the regions whose label contains it (libc, TLS, stack)."""

    def __init__(self):
        super().__init__("elfld vmmap", gdb.COMMAND_DATA, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        inf = inferior()
        try:
            with open("/proc/%d/maps" % inf.pid) as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise ElfldError("elfld vmmap: cannot read /proc/%d/maps: %s" % (inf.pid, e))
        objs = Loader.objs()
        labels = []  # (start, end, text, priority)
        protected = Loader.stage() >= Loader.stage_index("protected")
        for o in objs:
            if o.unloaded:
                continue
            who = o.label() + (" (loader)" if o.is_rtld else "")
            if o.map_end > o.map_start:
                labels.append((o.map_start, o.map_end, "%s reserved span" % who, 0))
            e = o.elf()
            try:
                phdrs = o.phdrs()
            except gdb.MemoryError:
                phdrs = []
            for i, t, fl, off, va, fsz, msz, al in phdrs:
                if t != PT_LOAD:
                    continue
                s, fend, end = o.base + va, o.base + va + fsz, o.base + va + msz
                secs = []
                if e is not None:
                    for name, st, sf, sa, ss in e.sections:
                        if sf & SHF_ALLOC and ss and va <= sa < va + msz and name:
                            secs.append(name)
                text = "%s LOAD#%d %s" % (who, i, prot_str(fl))
                if secs:
                    text += " " + " ".join(secs[:6]) + (" ..." if len(secs) > 6 else "")
                labels.append((s & ~0xFFF, fend, text, 2))
                if msz > fsz:
                    labels.append((fend, end, "%s bss" % who, 3))
            if o.relro_end > o.relro_start:
                labels.append((o.relro_start, o.relro_end, "%s RELRO%s" % (who, " (read-only)" if protected else ""), 4))
        # threads: TCB, static TLS, DTV, dynamic blocks
        for t in inf.threads():
            try:
                tp, _ = thread_tp(t)
            except (ElfldError, gdb.error):
                continue
            tl = "thread %d" % t.num
            labels.append((tp, tp + 64, "TCB of %s (tp %s)" % (tl, hx(tp)), 5))
            try:
                dtv = Dtv(tp)
                labels.append((dtv.addr - 16, dtv.addr + 16 * dtv.length + 16, "DTV of %s" % tl, 5))
            except (ElfldError, gdb.MemoryError):
                dtv = None
            for o in objs:
                if o.tls_modid and not o.unloaded:
                    try:
                        b, kind = tls_block(o, tp, dtv)
                        labels.append((b, b + max(o.tls_memsz, 1), "TLS block %d %s of %s (%s)" % (
                            o.tls_modid, o.name, tl, kind), 5))
                    except (ElfldError, gdb.MemoryError):
                        pass
        try:
            cur, end = int(Loader.var("arena_cur")), int(Loader.var("arena_end"))
            if cur and end:
                labels.append((cur, end, "elfld heap (current arena)", 1))
        except (ElfldError, gdb.error):
            pass
        for o in objs:
            labels.append((o.addr, o.addr + 8, "elfld heap", 1))
        rows = []
        for line in lines:
            parts = line.split(None, 5)
            if len(parts) < 5:
                continue
            a, b = (int(x, 16) for x in parts[0].split("-"))
            path = parts[5] if len(parts) > 5 else ""
            found = [lb for lb in labels if lb[0] < b and lb[1] > a]
            # the most specific labels first; drop the reservation when a segment covers the region
            found.sort(key=lambda lb: (-lb[3], lb[0]))
            texts = []
            heap = [lb for lb in found if lb[3] == 1]
            for lb in found:
                if lb[3] == 0 and any(x[3] >= 2 for x in found):
                    continue
                if lb[3] == 1:
                    continue
                if lb[2] not in texts:
                    texts.append(lb[2] if lb[3] != 0 else lb[2] + " (gap, PROT_NONE)")
            if heap:
                cur = [lb for lb in heap if "arena" in lb[2]]
                texts.insert(0, "elfld heap" + (" (current arena)" if cur else "") + (":" if texts else ""))
            if not texts:
                texts = [path or "anonymous"]
            elif path.startswith("["):
                texts.insert(0, path)
            rows.append([hx(a), hx(b), parts[1], "0x" + parts[2].lstrip("0") if parts[2].strip("0") else "0x0",
                         "; ".join(texts).replace(":; ", ": ")])
        want = arg.strip()
        if want:
            try:
                addr = int(gdb.parse_and_eval(want)) & 0xffffffffffffffff
            except (gdb.error, ValueError):
                addr = None
            if addr is not None:
                rows = [r for r in rows if int(r[0], 16) <= addr < int(r[1], 16)]
                if not rows:
                    raise ElfldError("elfld vmmap: %#x is in no mapping of the process" % addr)
            else:
                rows = [r for r in rows if want.lower() in r[4].lower()]
                if not rows:
                    raise ElfldError("elfld vmmap: no region's label contains `%s'" % want)
        gdb.write(table(rows, ["START", "END", "PERM", "OFFSET", "WHAT"], "lllrl"))


# --------------------------------------------------------------------------------------------------
# Convenience functions

def thread_arg(v):
    if v is None:
        return None
    return parse_thread(str(int(v)))


def tls_name_arg(fn, name):
    """The variable name argument of $tls/$tls_addr, as a string, or a clear error."""
    usage = '%s("VAR" [, THREAD]): VAR is a thread-local variable\'s name in quotes, e.g. %s("errno")' % (fn, fn)
    if name is None:
        raise gdb.GdbError("missing variable name: " + usage)
    try:
        return name.string()
    except gdb.error:
        raise gdb.GdbError("%s is not a string: %s" % (name, usage))


class TlsAddrFunc(gdb.Function):
    """$tls_addr("var" [, THREAD]): address of thread-local variable var in THREAD (default: the
selected thread), as a typed pointer. "OBJ::var" picks the module. Static modules: tp - offset + off;
others: dtv[modid] + off (DTV = *(tp + 8))."""

    def __init__(self):
        super().__init__("tls_addr")

    def invoke(self, name=None, thread=None):
        addr, typ, o, off, kind, note = tls_address(tls_name_arg("$tls_addr", name), thread_arg(thread))
        ptr = (typ or gdb.lookup_type("char")).pointer()
        return gdb.Value(addr).cast(ptr)


class TlsFunc(gdb.Function):
    """$tls("var" [, THREAD]): value of thread-local variable var in THREAD (default: the selected
thread). "OBJ::var" picks the module. See $tls_addr."""

    def __init__(self):
        super().__init__("tls")

    def invoke(self, name=None, thread=None):
        addr, typ, o, off, kind, note = tls_address(tls_name_arg("$tls", name), thread_arg(thread))
        return gdb.Value(addr).cast((typ or gdb.lookup_type("int")).pointer()).dereference()


# --------------------------------------------------------------------------------------------------
# Registration (idempotent: sourcing the file again, or the auto-loaded copy, replaces the old state)

def _on_exited(event):
    # the process is gone: drop what we added (the next run may load objects elsewhere)
    for objaddr in list(SymbolFiles.added):
        SymbolFiles.remove(objaddr)


def _on_new_objfile(event):
    Loader._objfile = None
    if state is not None and (state.hook is None or not state.hook.is_valid()) and Loader.available():
        state.ensure_hook()


def register():
    old = getattr(gdb, "_elfld_state", None)
    if old is not None:
        old.teardown()
        for h, reg in getattr(gdb, "_elfld_handlers", []):
            try:
                reg.disconnect(h)
            except (ValueError, RuntimeError):
                pass
    global state
    state = State()
    if old is not None:
        state.stage_stops = old.stage_stops
        StageStop.counter = max([s.num for s in old.stage_stops] + [0])
    gdb._elfld_state = state
    ElfldPrefix()
    ElfldSetPrefix("set")
    ElfldSetPrefix("show")
    SymbolFilesParam()
    for cls in (ObjectsCmd, SegmentsCmd, RelocsCmd, TlsCmd, TcbCmd, DtvCmd, StageCmd, BreakStageCmd, VmmapCmd):
        cls()
    TlsAddrFunc()
    TlsFunc()
    gdb.events.exited.connect(_on_exited)
    gdb.events.new_objfile.connect(_on_new_objfile)
    gdb._elfld_handlers = [(_on_exited, gdb.events.exited), (_on_new_objfile, gdb.events.new_objfile)]
    # the hook breakpoint: now if elfld-run's symbols are loaded, else when they are (new_objfile)
    if Loader.available() or state.stage_stops:
        state.ensure_hook()


state = None
register()
