# elfld.py -- GDB extension for elfld, the debugging ELF loader.
#
# Load it with `gdb -x gdbext/elfld.py --args build/bin/elfld-run PROG` or `source gdbext/elfld.py`
# (loading it again replaces the old commands and hook); an installed elfld puts it where GDB auto-loads
# it (packaging/CMakeLists.txt).
#
# What it adds (see `help elfld`):
#   elfld objects | segments | relocs | tls | tcb | dtv | stage | break-stage | vmmap
#   elfld checksec | xinfo | telescope
#   $tls_addr("var" [, thread]), $tls("var" [, thread])
#   set elfld symbol-files auto|on|off
#
# Everything is read from the inferior's memory through the loader's own DWARF types (struct obj,
# struct elfld_debug, struct elfld_event), so the extension follows the loader's layout. It never calls
# functions in the inferior. Symbol files of the loaded objects normally come from GDB's solib-svr4
# code through elfld's r_debug; the extension adds `add-symbol-file FILE -o BASE` only for objects GDB
# does not know (or all objects without symbols with `set elfld symbol-files on`).

import bisect
import collections
import fnmatch
import operator
import os
import re
import shlex
import struct
import subprocess

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
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE, PT_TLS = 1, 2, 3, 4, 7
PT_GNU_STACK, PT_GNU_RELRO, PT_GNU_PROPERTY = 0x6474E551, 0x6474E552, 0x6474E553
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


def shex(v):
    """Signed hex; 0 as plain 0."""
    return "0" if v == 0 else ("-0x%x" % -v if v < 0 else "0x%x" % v)


def prot_str(flags):
    return ("r" if flags & 4 else "-") + ("w" if flags & 2 else "-") + ("x" if flags & 1 else "-")


# --------------------------------------------------------------------------------------------------
# Output: tables that fit GDB's `width` (unlimited in batch mode: everything is printed), C++ names
# demangled, long paths shortened. `-w`/`--wide` on a command prints every cell in full.

class Out:
    wide = False  # set by a command's -w/--wide for its own run


def term_width():
    """GDB's `width` (columns) or None when unlimited (batch mode, `set width 0`, -w)."""
    if Out.wide:
        return None
    try:
        w = gdb.parameter("width")
    except (gdb.error, RuntimeError):
        return None
    if not w or w >= 1 << 30:
        return None
    return int(w)


_ellipsis = None


def ellipsis():
    global _ellipsis
    if _ellipsis is None:
        try:
            cs = gdb.execute("show host-charset", to_string=True)
        except gdb.error:
            cs = ""
        _ellipsis = "\u2026" if "UTF-8" in cs.upper() else "..."
    return _ellipsis


def cut(s, w):
    """s in at most w columns: its start and a marker."""
    if len(s) <= w:
        return s
    e = ellipsis()
    return s[:max(w - len(e), 0)] + e if w > len(e) else s[:w]


def short_path(p, w):
    """A path in at most w columns: whole, else `…/last/components`, else the basename cut."""
    if len(p) <= w:
        return p
    e = ellipsis()
    parts = p.split("/")
    tail = parts[-1]
    for i in range(len(parts) - 2, 0, -1):
        cand = parts[i] + "/" + tail
        if len(e) + 1 + len(cand) > w:
            break
        tail = cand
    if len(e) + 1 + len(tail) <= w:
        return e + "/" + tail
    return cut(parts[-1], w)


def take_wide(args):
    """Remove -w/--wide from an argument list; set Out.wide for this command."""
    Out.wide = any(a in ("-w", "--wide") for a in args)
    return [a for a in args if a not in ("-w", "--wide")]


def take_wide_text(arg):
    """take_wide for a command whose argument is an expression (quotes kept)."""
    Out.wide = re.search(r"(^|\s)(-w|--wide)(?=\s|$)", arg) is not None
    return re.sub(r"(^|\s)(-w|--wide)(?=\s|$)", " ", arg).strip()


def fit_line(s):
    """A line cut to GDB's width (with a marker)."""
    w = term_width()
    return cut(s, w - 1) if w and len(s) > w - 1 else s


def table(rows, headers, aligns=None, fit=None):
    return "".join(table_chunks(rows, headers, aligns, fit))


def table_chunks(rows, headers, aligns=None, fit=None, lines=20000):
    """Aligned columns: rows of strings, `aligns` a string of 'l'/'r' per column. `fit`: [(column,
    kind, min width)] shrunk in that order when the table is wider than GDB's width; kind 'path' keeps
    the end of a path, 'cut' the start of a text (both marked). With an unlimited width those columns
    are padded to what nearly all their cells need: a rare very long cell (a C++ name) overflows its
    row instead of widening every row."""
    n = len(headers)
    if aligns is None:
        aligns = "l" * n
    if rows and not isinstance(rows[0], tuple):
        rows = [tuple(r) for r in rows]
    def column(i):  # the cells of column i (no transposed copy: a big table's is 0.1 s of allocation)
        return map(operator.itemgetter(i), rows)

    widths = [max(len(headers[i]), max(map(len, column(i)), default=0)) for i in range(n)]
    limit = term_width()
    if fit and not limit and len(rows) > 20:
        for col in sorted(set(c for c, kind, minw in fit if c < n - 1 and widths[c] > 48)):
            # the 99th percentile of the cells' lengths, from their histogram (a big table's column is
            # hundreds of thousands of cells of a few dozen lengths)
            hist = collections.Counter(map(len, column(col)))
            rank, seen, p99 = len(rows) * 99 // 100, 0, widths[col]
            for length in sorted(hist):
                seen += hist[length]
                if seen > rank:
                    p99 = length
                    break
            widths[col] = max(len(headers[col]), min(widths[col], p99))
    dropped = set()
    if limit and fit:
        limit -= 1  # a line of exactly `width` columns makes GDB wrap
        total = sum(widths) + 2 * (n - 1)
        for col, kind, minw in fit:
            if total <= limit:
                break
            if kind == "drop":  # a column that can go (what it says is shown elsewhere too)
                dropped.add(col)
                total -= widths[col] + 2
                continue
            if kind.startswith("strip:"):  # a common prefix that can go (R_X86_64_)
                pre = kind[6:]
                rows = [r if not r[col].startswith(pre) else r[:col] + (r[col][len(pre):],) + r[col + 1:]
                        for r in rows]
                new = max([len(headers[col])] + [len(r[col]) for r in rows])
                total -= widths[col] - new
                widths[col] = new
                continue
            minw = max(minw, len(headers[col]))
            if widths[col] <= minw:
                continue
            new = max(minw, widths[col] - (total - limit))
            total -= widths[col] - new
            widths[col] = new
            short = short_path if kind == "path" else cut
            rows = [r if len(r[col]) <= new else r[:col] + (short(r[col], new),) + r[col + 1:] for r in rows]
    if dropped:
        keep = [i for i in range(n) if i not in dropped]
        headers = [headers[i] for i in keep]
        aligns = "".join(aligns[i] for i in keep)
        widths = [widths[i] for i in keep]
        rows = [tuple(r[i] for i in keep) for r in rows]
        n = len(keep)
    parts = []
    for i in range(n):
        if aligns[i] == "r":
            parts.append("%%%ds" % widths[i])
        else:
            parts.append("%s" if i == n - 1 else "%%-%ds" % widths[i])
    fmt = "  ".join(parts)
    yield (fmt % tuple(headers)).rstrip() + "\n"
    # The rows a chunk at a time: a big table's first page is written (and GDB's pager shown) before the
    # rest is formatted, and a `q' there leaves the rest unformatted.
    strip = not (aligns[-1] != "r" and all(column(n - 1)))
    for i in range(0, len(rows), lines):
        body = map(fmt.__mod__, rows[i:i + lines])
        yield "\n".join(line.rstrip() for line in body) + "\n" if strip else "\n".join(body) + "\n"


def write_long(text):
    """Write a long output, a string or pieces of one (made as they are written); a `q' at GDB's
    pagination prompt ends it quietly."""
    try:
        step = 1 << 20
        for piece in ([text] if isinstance(text, str) else text):
            for i in range(0, len(piece), step):
                gdb.write(piece[i:i + step])
    except KeyboardInterrupt:
        gdb.write("\n")


_demangled = {}


def demangle(names):
    """{mangled: demangled} for the C++ names among `names`, with c++filt in one call (else GDB's
    `demangle` command, for a few names); cached."""
    todo = sorted(set(n for n in names if n.startswith("_Z") and n not in _demangled))
    if todo:
        got = None
        try:
            p = subprocess.run(["c++filt"], input="\n".join(todo) + "\n", capture_output=True, text=True,
                               timeout=60)
            lines = p.stdout.split("\n")
            if p.returncode == 0 and len(lines) >= len(todo):
                got = lines[:len(todo)]
        except (OSError, ValueError, subprocess.SubprocessError):
            got = None
        if got is None:
            got = []
            for i, n in enumerate(todo):
                d = n
                if i < 2000:
                    try:
                        d = gdb.execute("demangle -l c++ -- %s" % n, to_string=True).strip() or n
                    except gdb.error:
                        d = n
                got.append(d)
        for n, d in zip(todo, got):
            _demangled[n] = d or n
    return {n: _demangled.get(n, n) for n in names}


# --------------------------------------------------------------------------------------------------
# ELF files on disk (symbol tables and section headers for labels and TLS offsets), cached.

class ElfFile:
    """An ELF file on disk, read lazily: headers at once, symbol tables, dynamic entries and notes when
    asked (a 100 MB library costs only what is used)."""
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
        head = self._read(0, 64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            raise ValueError("not a little-endian ELF64 file")
        (self.e_type, _, _, self.e_entry, self.e_phoff, self.e_shoff, _, _, phentsize, phnum, shentsize,
         shnum, shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", head, 16)
        self.phdrs = []
        data = self._read(self.e_phoff, phnum * phentsize) if phnum else b""
        for i in range(phnum):
            p_type, p_flags, p_offset, p_vaddr, _, p_filesz, p_memsz, p_align = struct.unpack_from(
                "<IIQQQQQQ", data, i * phentsize)
            self.phdrs.append((p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align))
        self.sections = []  # (name, type, flags, addr, size)
        self._raw = []      # raw section headers
        if self.e_shoff and shnum:
            data = self._read(self.e_shoff, shnum * shentsize)
            for i in range(shnum):
                self._raw.append(struct.unpack_from("<IIQQQQIIQQ", data, i * shentsize))
        if self._raw and shstrndx < len(self._raw):
            sh = self._raw[shstrndx]
            strs = self._read(sh[4], sh[5])
            for sh in self._raw:
                end = strs.find(b"\0", sh[0])
                name = strs[sh[0]:end if end >= 0 else len(strs)].decode("utf-8", "replace")
                self.sections.append((name, sh[1], sh[2], sh[3], sh[5]))
        self._symtab = self._dynsym = self._dynamic = None
        self._defined = None

    def _read(self, off, n):
        with open(self.path, "rb") as f:
            f.seek(off)
            return f.read(n)

    def _symbols(self, want):
        out = []
        for sh in self._raw:
            if sh[1] != want or sh[6] >= len(self._raw):
                continue
            strsec = self._raw[sh[6]]
            strs = self._read(strsec[4], strsec[5])
            data = self._read(sh[4], sh[5] - sh[5] % 24)
            find = strs.find
            for st_name, st_info, st_other, st_shndx, st_value, st_size in struct.iter_unpack("<IBBHQQ", data):
                end = find(b"\0", st_name)
                out.append((strs[st_name:end].decode("utf-8", "replace"), st_info & 15, st_info >> 4, st_shndx,
                            st_value, st_size))
        return out

    @property
    def symtab(self):
        if self._symtab is None:
            self._symtab = self._symbols(2)   # SHT_SYMTAB
        return self._symtab

    @property
    def dynsym(self):
        if self._dynsym is None:
            self._dynsym = self._symbols(11)  # SHT_DYNSYM
        return self._dynsym

    def symbol_value(self, name):
        """st_value of a defined symbol `name` (.symtab, then .dynsym), or None."""
        for sname, typ, bind, shndx, value, size in self.symtab + self.dynsym:
            if sname == name and shndx != 0:
                return value
        return None

    def tls_symbols(self):
        """Defined TLS symbols (name, offset in the module's block, size, bind), from .symtab or .dynsym."""
        seen, out = set(), []
        for name, typ, bind, shndx, value, size in self.symtab + self.dynsym:
            if typ == STT_TLS and shndx != 0 and name and (name, value) not in seen:
                seen.add((name, value))
                out.append((name, value, size, bind))
        return sorted(out, key=lambda s: s[1])

    def defines(self, name):
        if self._defined is None:
            self._defined = set(s[0] for s in self.dynsym if s[3] != 0 and s[2] in (1, 2, 10))
        return name in self._defined

    def text_addr(self):
        for name, typ, flags, addr, size in self.sections:
            if name == ".text":
                return addr
        for p in self.phdrs:
            if p[0] == PT_LOAD and p[1] & 1:
                return p[3]
        return None

    def vaddr_to_offset(self, va):
        for p in self.phdrs:
            if p[0] == PT_LOAD and p[3] <= va < p[3] + p[4]:
                return va - p[3] + p[2]
        return None

    def dynamic(self):
        """The dynamic section's entries [(tag, value)], DT_NULL excluded."""
        if self._dynamic is None:
            self._dynamic = []
            for p in self.phdrs:
                if p[0] == PT_DYNAMIC:
                    data = self._read(p[2], p[4] - p[4] % 16)
                    for tag, v in struct.iter_unpack("<qQ", data):
                        if tag == 0:
                            break
                        self._dynamic.append((tag, v))
                    break
        return self._dynamic

    def dyn_string(self, off):
        strtab = [v for t, v in self.dynamic() if t == 5]  # DT_STRTAB
        fo = self.vaddr_to_offset(strtab[0]) if strtab else None
        if fo is None:
            return ""
        s = self._read(fo + off, 4096)
        return s[:s.find(b"\0") if b"\0" in s else len(s)].decode("utf-8", "replace")

    def notes(self):
        """(name, type, desc) of the notes in PT_NOTE and PT_GNU_PROPERTY segments."""
        out, seen = [], set()
        for p in self.phdrs:
            if p[0] not in (4, 0x6474E553) or p[2] in seen:
                continue
            seen.add(p[2])
            data = self._read(p[2], p[4])
            al = 8 if p[6] == 8 else 4
            i = 0
            while i + 12 <= len(data):
                namesz, descsz, ntype = struct.unpack_from("<III", data, i)
                i += 12
                name = data[i:i + namesz].rstrip(b"\0").decode("latin-1")
                i = (i + namesz + al - 1) & ~(al - 1)  # the descriptor is aligned in the segment
                desc = data[i:i + descsz]
                i = (i + descsz + al - 1) & ~(al - 1)
                out.append((name, ntype, desc))
        return out


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
        st = StaticLibc.of(cls.objs())
        if st is not None:
            return st.counters()
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
        heads = [gdb.Value(head).cast(ptr_t)]
        try:  # dlmopen's namespaces: each its own chain (ld.so's proxies in them are left out)
            ld = cls.var("L")
            heads += [ld["ns"][n]["head"] for n in range(1, int(ld["nns"]))]
        except (gdb.error, ElfldError):
            pass
        seen = set()
        for p in heads:
            while int(p) and int(p) not in seen and len(out) < 100000:
                seen.add(int(p))
                if not field(p.dereference(), "is_proxy"):
                    out.append(Obj(p.dereference(), int(p)))
                p = p.dereference()["l_next"]
        StaticLibc.fixup(out)
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
        self.ns = field(v, "ns")  # link-map namespace (dlmopen), 0 for the program's
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
        try:  # DT_PLTGOT (a link-time address) and BIND_NOW (DT_BIND_NOW, DF_BIND_NOW, DF_1_NOW)
            self.pltgot = int(v["dynv"][3])
        except (gdb.error, IndexError):
            self.pltgot = 0
        self.bind_now = field(v, "bind_now")
        self.static_libc = False  # a static program: its own libc relocates it and sets up its TLS

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


def find_objs(spec, objs):
    """Every loaded object `spec` names: `all', an id, a name, path or glob (all its matches)."""
    live = [o for o in objs if not o.unloaded]
    if spec in ("all", "*"):
        return live
    if any(c in spec for c in "*?["):
        hits = [o for o in live if o.matches(spec)] or [o for o in objs if o.matches(spec)]
        if hits:
            return hits
        raise ElfldError("elfld: no loaded object matches `%s' (see `elfld objects')" % spec)
    return [find_obj(spec, objs)]


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
# Static and static-pie programs: elfld maps them and jumps to their entry as the kernel would; their
# own libc (__libc_start_main: _dl_relocate_static_pie, apply_irel, __libc_setup_tls) relocates them
# and sets up TLS. So the facts come from the program's libc state, not from elfld's registry: the
# thread's DTV through the TCB (libc's _dl_static_dtv for the main thread), _dl_tls_generation,
# _dl_tls_max_dtv_idx, _dl_tls_static_size/align (symbols of the program's .symtab), and its PT_TLS:
# glibc gives the program module 1 at tp - roundup(p_memsz, p_align) (csu/libc-tls.c).

class StaticLibc:
    def __init__(self, prog):
        self.prog = prog

    @staticmethod
    def of(objs):
        for o in objs:
            if o.static_libc:
                return StaticLibc(o)
        return None

    @staticmethod
    def is_static(objs):
        main = [o for o in objs if o.is_main]
        if len(main) != 1 or any(not o.is_main and not o.is_rtld for o in objs):
            return None
        try:
            if any(p[1] == PT_INTERP for p in main[0].phdrs()):
                return None
        except gdb.MemoryError:
            return None
        return main[0]

    @staticmethod
    def fixup(objs):
        o = StaticLibc.is_static(objs)
        if o is None:
            return
        o.static_libc = True
        for i, t, fl, off, va, fsz, msz, al in o.phdrs():
            if t == PT_TLS:
                o.tls_modid, o.tls_static = 1, 1
                o.tls_image, o.tls_filesz, o.tls_memsz, o.tls_align = o.base + va, fsz, msz, al
                a = al or 1
                o.tls_offset = (msz + a - 1) // a * a
                break
        o.relocated = 1 if StaticLibc(o).ready() else 0

    def symbol(self, name):
        e = self.prog.elf()
        v = e.symbol_value(name) if e is not None else None
        return None if v is None else self.prog.base + v

    def word(self, name):
        a = self.symbol(name)
        if a is None:
            return None
        try:
            return u64(a)
        except gdb.MemoryError:
            return None

    def main_tp(self):
        inf = inferior()
        for t in inf.threads():
            if t.ptid[1] == inf.pid:
                return fs_base_of(t)
        return 0

    def ready(self):
        """True once the program's libc has set up its thread pointer (after it relocated itself)."""
        try:
            tp = self.main_tp()
            return bool(tp) and u64(tp) == tp
        except (gdb.error, gdb.MemoryError):
            return False

    def counters(self):
        """(generation, max module id) of the program's libc."""
        gen, top = self.word("_dl_tls_generation"), self.word("_dl_tls_max_dtv_idx")
        if top is None:
            top = 1 if self.prog.tls_modid and self.ready() else 0
        if gen is None:
            gen = 0
        return gen, top

    def static_dtv(self):
        return self.symbol("_dl_static_dtv")

    NOT_READY = ("the program's libc has not set up TLS yet (a static program does it in "
                 "__libc_start_main: __libc_setup_tls; try `break main')")

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
        if StaticLibc.of(Loader.objs()) is not None:
            raise ElfldError("elfld: " + StaticLibc.NOT_READY)
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
        # unallocated: glibc's TLS_DTV_UNALLOCATED, or 0 in the static DTV's unused slots
        return (None if val in (DTV_UNALLOCATED, 0) else val), to_free


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
# Relocations, read from the object's tables in memory. Big objects (libLLVM: 355,000 relocations)
# are read in a few large blocks and parsed with struct.iter_unpack.

# a relocation: (type, where, symbol index, addend, table) with table "rela", "plt" or "relr"
def read_relocs(o, counts=None):
    """The relocations of o; `counts` (a dict) gets the number in each table."""
    out = []
    if counts is None:
        counts = {}
    tables = [("rela", o.rela, o.relasz), ("plt", o.jmprel, o.pltrelsz)]
    if o.static_libc and not o.rela and not o.jmprel:
        # a static non-PIE program has no dynamic section: its IRELATIVE relocations are in .rela.plt
        # (__rela_iplt_start..__rela_iplt_end), which libc's apply_irel reads
        e = o.elf()
        for name, typ, flags, addr, size in (e.sections if e else []):
            if typ == 4 and flags & SHF_ALLOC and size:  # SHT_RELA
                tables.append(("plt" if name in (".rela.plt", ".rela.iplt") else "rela", o.base + addr, size))
    base = o.base
    for tab, addr, size in tables:
        if not addr or not size:
            continue
        data = read(addr, size - size % 24)
        counts[tab] = counts.get(tab, 0) + len(data) // 24
        out.extend((r_info & 0xFFFFFFFF, base + r_offset, r_info >> 32, r_addend, tab)
                   for r_offset, r_info, r_addend in struct.iter_unpack("<QQq", data))
    if o.relr and o.relrsz:
        n0 = len(out)
        data = read(o.relr, o.relrsz - o.relrsz % 8)
        where = 0
        for (entry,) in struct.iter_unpack("<Q", data):
            if not entry & 1:
                where = base + entry
                out.append((R_RELR, where, 0, 0, "relr"))
                where += 8
            else:
                bits, i = entry >> 1, 0
                while bits:
                    if bits & 1:
                        out.append((R_RELR, where + 8 * i, 0, 0, "relr"))
                    bits >>= 1
                    i += 1
                where += 63 * 8
        counts["relr"] = len(out) - n0
    return out


class DynSyms:
    """Dynamic symbols of an object, read from its in-memory .dynsym/.dynstr in one block each."""

    def __init__(self, o):
        self.o = o
        self.cache = {}
        self.tab = self.strs = None
        try:
            if o.symtab and o.nsyms:
                self.tab = read(o.symtab, 24 * o.nsyms)
            if o.strtab and o.strsz:
                self.strs = read(o.strtab, o.strsz)
        except gdb.MemoryError:
            self.tab = self.strs = None

    def get(self, idx):
        """(name, shndx, value, type) of symbol idx."""
        got = self.cache.get(idx)
        if got is not None:
            return got
        name, shndx, value, typ = "", 0, 0, 0
        try:
            if self.tab is not None and 24 * idx + 24 <= len(self.tab):
                st_name, st_info, _, shndx, value, _ = struct.unpack_from("<IBBHQQ", self.tab, 24 * idx)
            elif self.o.symtab and (not self.o.nsyms or idx < self.o.nsyms):
                st_name, st_info, _, shndx, value, _ = struct.unpack("<IBBHQQ", read(self.o.symtab + 24 * idx, 24))
            else:
                st_name, st_info = None, 0
            typ = st_info & 15
            if st_name is not None:
                if self.strs is not None and st_name < len(self.strs):
                    end = self.strs.find(b"\0", st_name)
                    name = self.strs[st_name:end if end >= 0 else len(self.strs)].decode("utf-8", "replace")
                elif self.o.strtab and (not self.o.strsz or st_name < self.o.strsz):
                    name = cstring(self.o.strtab + st_name)
        except gdb.MemoryError:
            pass
        got = self.cache[idx] = (name, shndx, value, typ)
        return got


class MemBlocks:
    """The inferior's memory at many addresses, read as a few large blocks (runs of the pages the
    addresses touch); unreadable pages are None."""

    def __init__(self, addrs, size=16):
        pages = sorted({a >> 12 for a in addrs})
        self.starts, self.blocks = [], []
        i = 0
        while i < len(pages):
            j = i
            while j + 1 < len(pages) and pages[j + 1] - pages[j] <= 4:
                j += 1
            self._load(pages[i] << 12, (pages[j] + 1) << 12, size)
            i = j + 1
        self.last = None

    def _load(self, start, end, size):
        try:
            self.starts.append(start)
            self.blocks.append(read(start, end - start + size))  # a value may cross the last page
            return
        except gdb.MemoryError:
            pass
        try:
            self.blocks.append(read(start, end - start))
            return
        except gdb.MemoryError:
            self.starts.pop()
        for p in range(start, end, 0x1000):
            try:
                data = read(p, 0x1000)
            except gdb.MemoryError:
                continue
            if self.starts and self.starts[-1] + len(self.blocks[-1]) == p:
                self.blocks[-1] += data
            else:
                self.starts.append(p)
                self.blocks.append(data)

    def word(self, addr):
        """The 8-byte word at addr, or None."""
        data = self.get(addr, 8)
        return None if data is None else struct.unpack("<Q", data)[0]

    def words(self, addr):
        """(start, end, memoryview of 8-byte words) of the block holding addr if it is 8-aligned in it."""
        k = bisect.bisect_right(self.starts, addr) - 1
        if k < 0:
            return None
        start, data = self.starts[k], self.blocks[k]
        if addr >= start + len(data) or (addr - start) & 7:
            return None
        return start, start + len(data) - len(data) % 8, memoryview(data)[:len(data) - len(data) % 8].cast("Q")

    def get(self, addr, n):
        last = self.last
        if last is not None and last[0] <= addr and addr + n <= last[0] + len(last[1]):
            return last[1][addr - last[0]:addr - last[0] + n]
        k = bisect.bisect_right(self.starts, addr) - 1
        if k < 0:
            return None
        start, data = self.starts[k], self.blocks[k]
        if addr + n > start + len(data):
            return None
        self.last = (start, data)
        return data[addr - start:addr - start + n]


class ObjIndex:
    """Objects by address (bisect over their spans)."""

    def __init__(self, objs):
        live = sorted((o for o in objs if not o.unloaded and o.map_end > o.map_start), key=lambda o: o.map_start)
        self.starts = [o.map_start for o in live]
        self.objs = live

    def find(self, addr):
        k = bisect.bisect_right(self.starts, addr) - 1
        if k >= 0 and addr < self.objs[k].map_end:
            return self.objs[k]
        return None


def reloc_types_matching(want):
    known = list(range(len(R_X86_64))) + [R_RELR]
    return set(t for t in known if type_matches(reloc_type_name(t), want))


def describe_relocs(o, objs, relocs, want_type=None, want_sym=None, limit=None, index=None):
    """Rows (type, where, symbol, addend, value, defined-in) for the relocations of `o`, and how many
    matched the filters in all (rows stop at `limit`)."""
    syms = DynSyms(o)
    index = index or ObjIndex(objs)
    done = o.relocated or (not o.static_libc and Loader.stage() >= Loader.stage_index("relocated"))
    types = reloc_types_matching(want_type) if want_type else None
    sel = [r for r in relocs if types is None or r[0] in types]
    names = {}
    if want_sym:
        hit = {}
        keep = []
        demangle([syms.get(r[2])[0] for r in sel if r[2]])  # one c++filt call for all the names
        for r in sel:
            n = syms.get(r[2])[0] if r[2] else ""
            h = hit.get(n)
            if h is None:
                h = hit[n] = fnmatch.fnmatchcase(n, want_sym) or fnmatch.fnmatchcase(demangle([n])[n], want_sym)
            if h:
                keep.append(r)
        sel = keep
    total = len(sel)
    if limit is not None:
        sel = sel[:limit]
    mem = MemBlocks([r[1] for r in sel])
    by_where = None
    tnames = {}
    label = o.label()
    pending = "" if done else " (not relocated yet)"
    unpack = struct.unpack
    rows = []
    defcache = {}
    rel_name = reloc_type_name(R_RELATIVE)
    append = rows.append
    mangled = []  # indexes of rows whose symbol is a C++ name
    lo = hi = 0
    words = None
    relative, relr, hx_ = R_RELATIVE, R_RELR, hex  # (locals: this loop runs once per relocation)
    for t, where, symidx, addend, tab in sel:
        if t == relative or t == relr:
            # the bulk of a big library: its own addresses (fast path)
            if lo <= where < hi and not (where - lo) & 7:
                v = words[(where - lo) >> 3]
            else:
                got = mem.words(where)
                if got is not None:
                    lo, hi, words = got
                    v = words[(where - lo) >> 3]
                else:
                    v = mem.word(where)
            append((rel_name if t == relative else "RELR", hx_(where), "-",
                    "-" if tab == "relr" else hx_(addend) if addend > 0 else "0" if addend == 0 else
                    "-" + hx_(-addend),
                    "(unreadable)" if v is None else hx_(v) + pending, label))
            continue
        tname = tnames.get(t)
        if tname is None:
            tname = tnames[t] = reloc_type_name(t)
        sname = syms.get(symidx)[0] if symidx else ""
        if t == R_TLSDESC:
            data = mem.get(where, 16)
            vals = unpack("<QQ", data) if data is not None else None
        else:
            data = mem.get(where, 8)
            vals = unpack("<Q", data) if data is not None else None
        if vals is None:
            value = "(unreadable)"
        elif t == R_TLSDESC:
            value = "0x%x 0x%x%s" % (vals[0], vals[1], pending)
        else:
            value = "0x%x%s" % (vals[0], pending)
        v0 = vals[0] if vals is not None and done else None
        if t == R_RELATIVE or t == R_RELR:
            definer = label
        elif t == R_IRELATIVE:
            d = index.find(v0) if v0 else None
            definer = (d.label() if d else label) + " (ifunc result)"
        elif v0 is not None and t in (R_GLOB_DAT, R_JUMP_SLOT, R_64):
            if v0 == 0:
                definer = "(undefined weak: 0)"
            else:
                d = index.find(v0 - (addend if t == R_64 else 0))
                definer = d.label() if d is not None else None
                if d is o and t == R_JUMP_SLOT and sname:
                    # lazy binding: the slot still points at the object's own PLT
                    e = o.elf()
                    if e is not None and not e.defines(sname):
                        definer = "(not bound yet: lazy, PLT)"
        else:
            definer = None
        if definer is None:
            if t == R_DTPOFF64 and by_where is None:
                by_where = {r[1]: r for r in relocs if r[0] == R_DTPMOD64}
            key = (t, sname) if t not in (R_DTPMOD64, R_TPOFF64, R_DTPOFF64) else None
            definer = defcache.get(key) if key else None
            if definer is None:
                definer = defining_object(o, objs, t, where, addend, sname, v0, by_where, mem)
                if key:
                    defcache[key] = definer
        if sname.startswith("_Z"):
            mangled.append(len(rows))
        append((tname, "0x%x" % where, sname or "-", shex(addend) if tab != "relr" else "-", value, definer))
    dm = demangle([rows[i][2] for i in mangled])
    for i in mangled:  # (only the symbolic rows: a big library's RELATIVE rows are most of them)
        r = rows[i]
        if r[2] in dm:
            rows[i] = r[:2] + (dm[r[2]],) + r[3:]
    return rows, total


def type_matches(tname, want):
    w = want.upper()
    short = tname[len("R_X86_64_"):] if tname.startswith("R_X86_64_") else tname
    return w in (tname, short) or fnmatch.fnmatchcase(tname, w) or fnmatch.fnmatchcase(short, w)


def defining_object(o, objs, t, where, addend, sname, value, by_where, mem):
    if value is not None:
        if t == R_DTPMOD64:
            for d in objs:
                if d.tls_modid == value and not d.unloaded:
                    return "%s (TLS module %d)" % (d.label(), value)
        elif t == R_TPOFF64:
            v = value - (1 << 64) if value >= 1 << 63 else value
            for d in objs:
                if d.tls_static and d.tls_modid and -d.tls_offset <= v - addend < -d.tls_offset + max(d.tls_memsz, 1):
                    return "%s (tp%+d)" % (d.label(), v)
        elif t == R_DTPOFF64:
            prev = by_where.get(where - 8) if by_where else None
            if prev is not None and prev[0] == R_DTPMOD64:
                data = mem.get(prev[1], 8)
                if data:
                    mod = struct.unpack("<Q", data)[0]
                    for d in objs:
                        if d.tls_modid == mod and not d.unloaded:
                            return "%s (TLS module %d)" % (d.label(), mod)
    if not sname:
        return o.label() if t in (R_DTPMOD64, R_TPOFF64, R_DTPOFF64, R_TLSDESC) else "-"
    # by name, in link-map order (the global scope); COPY skips the program itself
    for d in objs:
        if d.unloaded or d.is_vdso or (t == R_COPY and d.addr == o.addr):
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
            if o.is_main and Preload.entry is not None:
                # mapped now (after start/starti): the preloaded file goes; GDB's solib list (elfld's
                # r_debug) or the lines below add the program where it is, and breakpoints follow
                have.discard(os.path.realpath(Preload.entry[0]))
                Preload.unload()
                Preload.disarm()
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


class Preload:
    """The program's symbols before `run`, so that `break main`, `start', `list' and `info address' work at
    once, as natively. The program is the first non-option word of the inferior's arguments (elfld-run's
    options are all --NAME or --NAME=VALUE); a non-PIE program's addresses are its own, a PIE program's
    are where the kernel would put it, 0x555555554000 for most, where elfld-run maps it too when address
    randomization is off (GDB's default). At `run' (hook-run, hook-start, hook-starti) the file is
    removed again: GDB could not insert breakpoints into memory not mapped yet; the breakpoints stay and
    are set again when elfld maps the program and its symbols are added at its real base (SymbolFiles)."""
    entry = None  # (path, text address, base)
    PIE_BASE = 0x7FFFFFFFF000 // 3 * 2  # the kernel's ELF_ET_DYN_BASE on x86-64

    @staticmethod
    def program():
        args = getattr(gdb.selected_inferior(), "arguments", None)  # GDB 14+
        if args is None:  # GDB 13: gdb.parameter("args") is empty; `show args' quotes them
            shown = gdb.execute("show args", to_string=True)
            args = shown[shown.find('"') + 1:shown.rfind('"')] if shown.count('"') >= 2 else ""
        try:
            words = shlex.split(args or "")
        except ValueError:
            return None
        prog = next((w for w in words if not w.startswith("--")), None)
        if prog is None:
            return None
        if "/" not in prog:
            for d in os.environ.get("PATH", "").split(":"):
                c = os.path.join(d or ".", prog)
                if os.path.isfile(c) and os.access(c, os.X_OK):
                    return os.path.abspath(c)
            return None
        return os.path.abspath(prog)

    @classmethod
    def base(cls, e):
        if e.e_type == 2:  # ET_EXEC
            return 0
        if e.e_type != 3 or gdb.parameter("disable-randomization") is False:
            return None  # where it goes is random: known only once it is mapped
        loads = [p for p in e.phdrs if p[0] == PT_LOAD]
        if not loads:
            return None
        align = max([0x1000] + [p[6] for p in loads if p[6] > 0x1000 and not p[6] & (p[6] - 1)])
        lo = min(p[3] for p in loads) & ~0xFFF
        return (((cls.PIE_BASE & ~(align - 1)) - lo) & ~0xFFF)

    @classmethod
    def load(cls):
        """Add the program's symbol file if the inferior is not running and elfld-run is the executable."""
        if cls.entry is not None or SymbolFilesParam.mode() == "off" or not Loader.available():
            return
        try:
            if gdb.selected_inferior().pid:
                return
        except gdb.error:
            return
        path = cls.program()
        e = ElfFile.get(path) if path else None
        base = cls.base(e) if e else None
        if base is None:
            return
        try:
            gdb.execute("add-symbol-file %s -o %s" % (gdb_quote(path), hx(base)), to_string=True)
        except gdb.error:
            return
        cls.entry = (path, base + (e.text_addr() or 0), base)

    @classmethod
    def unload(cls):
        if cls.entry is not None:
            try:
                gdb.execute("remove-symbol-file -a %s" % hx(cls.entry[1]), to_string=True)
            except gdb.error:
                pass
            cls.entry = None

    mem = None  # (region number, previous `mem inaccessible-by-default')

    @classmethod
    def arm(cls):
        """For `start'/`starti', whose own breakpoint on main needs the symbols: keep them, and mark the
        program's range read-only for GDB (a `mem' region), so that GDB inserts breakpoints there as
        hardware breakpoints (auto-hw), which need no mapped memory. Undone once the program is mapped."""
        e = ElfFile.get(cls.entry[0]) if cls.entry else None
        if e is None:
            return
        loads = [p for p in e.phdrs if p[0] == PT_LOAD]
        lo = cls.entry[2] + (min(p[3] for p in loads) & ~0xFFF)
        hi = cls.entry[2] + ((max(p[3] + p[5] for p in loads) + 0xFFF) & ~0xFFF)
        old = gdb.parameter("mem inaccessible-by-default")
        try:
            gdb.execute("set mem inaccessible-by-default off", to_string=True)
            gdb.execute("mem %s %s ro" % (hx(lo), hx(hi)), to_string=True)
            num = max(int(m) for m in re.findall(r"^(\d+)\s", gdb.execute("info mem", to_string=True), re.M))
        except (gdb.error, ValueError):
            return
        cls.mem = (num, old)

    @classmethod
    def disarm(cls):
        if cls.mem is not None:
            num, old = cls.mem
            cls.mem = None
            try:
                gdb.execute("mem auto", to_string=True)  # back to the target's regions (ours was the only one)
                gdb.execute("set mem inaccessible-by-default %s" % ("on" if old else "off"), to_string=True)
            except gdb.error:
                pass

    @staticmethod
    def install_hooks():
        for cmd in ("run", "start", "starti"):
            try:
                gdb.execute("define hook-%s\npython gdb.elfld_before_run('%s')\nend" % (cmd, cmd), to_string=True)
            except gdb.error:
                pass


def elfld_before_run(cmd="run"):
    if Preload.entry is None:
        return
    if cmd == "run":
        Preload.unload()  # every breakpoint stays, set again at the program's real place
    elif Preload.mem is None:
        Preload.arm()


gdb.elfld_before_run = elfld_before_run  # what the hooks call (the gdb module is in every namespace)


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
        if ev.name == "error":  # loading failed: stop while what was loaded is still there to inspect
            try:
                msg = ev.payload()["message"].string()
            except (gdb.error, TypeError, UnicodeDecodeError):
                msg = "?"
            msg = msg[len("elfld: "):] if msg.startswith("elfld: ") else msg
            gdb.write("elfld: loading failed at stage %s: %s\n"
                      "  `elfld objects' and `elfld segments' show what was loaded, `bt' where the loader "
                      "stopped; `continue' ends with status 127\n" % (Loader.stages()[ev.stage][0], msg))
            return True
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
  elfld relocs [OBJ|all] [--type T] [--symbol S] [--limit N]
                                relocations and the value now at each target
  elfld vmmap [ADDRESS|TEXT]    /proc/PID/maps labelled by object, segment, TLS, TCB, DTV
  elfld checksec [OBJ|all]      RELRO, BIND_NOW, PIE, NX, canary, IBT/SHSTK, FORTIFY, RPATH per object
  elfld got [OBJ|all]           PLT slots: pending (lazy, not called yet) or bound, and to what
  elfld xinfo ADDRESS           what an address is: object, segment, section, symbol, TLS, GOT slot
  elfld telescope [ADDRESS] [N] N words from ADDRESS ($sp), each followed as a labelled pointer chain
Thread-local storage (x86-64 variant II, glibc layout):
  elfld tls [-v] [THREAD]       each module's TLS block in a thread (-v: variables and values)
  elfld tcb [THREAD]            $fs_base and the decoded tcbhead_t
  elfld dtv [THREAD]            the thread's dynamic thread vector
  $tls_addr("var" [, THREAD])   address of a thread-local variable of any module
  $tls("var" [, THREAD])        its value ("OBJ::var" picks the module)
Loader stages:
  elfld stage                   current stage (and the event being reported)
  elfld break-stage STAGE [OBJ] stop when the loader reaches STAGE (for OBJ)

Tables fit GDB's `width' (long paths shortened, cells cut with a marker; C++ names demangled); -w
(--wide) on objects, segments, relocs, vmmap, tls and checksec prints every cell in full. With an
unlimited width (`set width 0', batch mode) everything is printed. Static and static-pie programs: their
own libc relocates them and sets up their TLS; elfld reads its state (DTV, _dl_tls_* variables).
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
the reserved address range, the TLS module id, and the path. Unloaded (dlclosed) objects are marked, and
objects dlmopen loaded into another link-map namespace say which (`ns N`)."""

    def __init__(self):
        super().__init__("elfld objects", gdb.COMMAND_DATA, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        args = take_wide(gdb.string_to_argv(arg))
        if args:
            raise ElfldError("elfld objects: unexpected argument `%s' (only -w)" % args[0])
        objs = Loader.objs()
        rows = []
        for o in objs:
            tls = "-"
            if o.tls_modid:
                tls = "%d %s" % (o.tls_modid, "static" if o.tls_static else "dynamic")
            state_ = "unloaded" if o.unloaded else ""
            if o.ns:
                state_ = ("%s ns %d" % (state_, o.ns)).strip()
            rows.append([str(o.id), o.name, o.kind, hx(o.base), "%s-%s" % (hx(o.map_start), hx(o.map_end)),
                         tls, (state_ + " " if state_ else "") + o.path])
        gen, maxmod = Loader.tls_counters()
        gdb.write("stage %s, %d objects, TLS generation %d, max module id %d\n" % (
            Loader.stage_names()[Loader.stage()], len(objs), gen, maxmod))
        if StaticLibc.of(objs) is not None:
            gdb.write("static program: its own libc relocates it and sets up its TLS (module 1), "
                      "read from the libc's state\n")
        gdb.write(table(rows, ["ID", "NAME", "KIND", "BASE", "RANGE", "TLS", "PATH"], "rllllll",
                        fit=[(6, "path", 10), (1, "cut", 12), (3, "drop", 0)]))


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
        args = take_wide(gdb.string_to_argv(arg))
        objs = Loader.objs()
        sel = []
        for spec in args:
            sel.extend(o for o in find_objs(spec, objs) if o not in sel)
        if not args:
            sel = [o for o in objs if not o.unloaded]
        protected = Loader.stage() >= Loader.stage_index("protected")
        for o in sel:
            head = "%s  base %s  " % (o.label(), hx(o.base))
            w = term_width()
            gdb.write(head + (short_path(o.path, max(w - 1 - len(head), 12)) if w else o.path) + "\n")
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
                                   "NOTES"], "rllrrrlrl", fit=[(7, "drop", 0), (8, "cut", 24), (3, "drop", 0), (4, "drop", 0), (8, "cut", 12)]))


class RelocsCmd(gdb.Command):
    """Relocations of loaded objects: elfld relocs [OBJ...|all] [--type T] [--symbol S] [--limit N] [-w]

Read from the object's relocation tables in memory (DT_RELA, DT_JMPREL, DT_RELR; a static program's
.rela.plt). For each: type, target address (where), symbol (C++ names demangled), addend, the value now
at the target (two words for TLSDESC) and the object that defines the symbol (for TLS: module id or
thread-pointer offset). Before the `relocated' stage (for a static program: before its libc relocated
it) the values are not written yet. OBJ: an id, name or glob (every match), `all' for every object;
without OBJ: the program. T: a type name with or without R_X86_64_ (TPOFF64, JUMP_SLOT) or a glob;
S: a symbol name or glob (mangled or demangled). --limit N: at most N rows. -w: cells in full (else they
are cut to GDB's `width')."""

    def __init__(self):
        super().__init__("elfld relocs", gdb.COMMAND_DATA)

    def complete(self, text, word):
        words = text.split()
        typing = bool(text) and not text[-1].isspace()
        prev = (words[-2] if len(words) >= 2 else None) if typing else (words[-1] if words else None)
        if prev in ("--type", "-t"):
            return complete_words(text, word, R_X86_64 + ["R_X86_64_" + t for t in R_X86_64])
        if prev in ("--symbol", "-s", "--limit", "-n"):
            return []
        if typing and words[-1].startswith("-"):
            return complete_words(text, word, ["--type", "--symbol", "--limit", "--wide"])
        return complete_words(text, word, object_names() + ["all"])

    def invoke(self, arg, from_tty):
        args = take_wide(gdb.string_to_argv(arg))
        want_type = want_sym = limit = None
        specs = []
        i = 0
        opts = {"--type": "type", "-t": "type", "--symbol": "symbol", "-s": "symbol", "--limit": "limit",
                "-n": "limit"}
        need = {"type": "a type such as JUMP_SLOT or DTP*", "symbol": "a symbol name or glob",
                "limit": "a number of rows"}
        while i < len(args):
            a = args[i]
            key = value = None
            if a in opts:
                key = opts[a]
                if i + 1 >= len(args):
                    raise ElfldError("elfld relocs: option `%s' needs a value (%s)" % (a, need[key]))
                value = args[i + 1]
                i += 2
            elif a.startswith("--") and "=" in a and a.split("=", 1)[0] in opts:
                key, value = opts[a.split("=", 1)[0]], a.split("=", 1)[1]
                i += 1
            elif a.startswith("-"):
                raise ElfldError("elfld relocs: unknown option `%s' (options: --type T, --symbol S, --limit N, "
                                 "-w)" % a)
            else:
                specs.append(a)
                i += 1
                continue
            if key == "type":
                want_type = value
            elif key == "symbol":
                want_sym = value
            else:
                if not value.isdigit():
                    raise ElfldError("elfld relocs: --limit needs a number of rows, not `%s'" % value)
                limit = int(value)
        if want_type and not reloc_types_matching(want_type):
            raise ElfldError("elfld relocs: no relocation type matches `%s' (types: %s, RELR; with or without "
                             "R_X86_64_, globs allowed)" % (want_type, " ".join(R_X86_64)))
        objs = Loader.objs()
        if not specs:
            sel = [o for o in objs if o.is_main]
            if not sel:
                raise ElfldError("elfld relocs: the program is not loaded yet")
        else:
            sel = []
            for spec in specs:
                for o in find_objs(spec, objs):
                    if o not in sel:
                        sel.append(o)
            if len(sel) == 1 and sel[0].is_vdso:
                raise ElfldError("elfld relocs: the vDSO has no relocations")
            sel = [o for o in sel if not o.is_vdso]
        write_long(self.pieces(sel, objs, want_type, want_sym, limit))

    @staticmethod
    def pieces(sel, objs, want_type, want_sym, limit):
        """The output, object by object, each table a chunk of rows at a time (write_long)."""
        index = ObjIndex(objs)
        first = True
        left = limit
        for o in sel:
            counts = {}
            relocs = read_relocs(o, counts)
            rows, total = describe_relocs(o, objs, relocs, want_type, want_sym, left, index)
            filt = want_type or want_sym
            shown = ""
            if filt and len(rows) == total:
                shown = ", %d shown" % len(rows)
            notes = []
            if len(rows) < total:
                notes.append("%s%d shown (--limit %d)" % ("%d match, " % total if filt else "", len(rows), limit))
            if o.relocated:
                pend = ""
            elif o.static_libc:
                pend = ", not relocated yet: a static program relocates itself in __libc_start_main"
            else:
                pend = ", not relocated yet"
            if len(sel) > 1 and not first:
                yield "\n"
            first = False
            yield (fit_line("%s: %d relocations (.rela.dyn %d, .rela.plt %d, relr %d)%s" % (
                o.label(), len(relocs), counts.get("rela", 0), counts.get("plt", 0), counts.get("relr", 0), shown))
                + "\n")
            if pend:
                notes.insert(0, pend[2:])
            for n in notes:
                yield fit_line("  (%s)" % n) + "\n"
            if rows:
                yield from table_chunks(rows, ["TYPE", "WHERE", "SYMBOL", "ADDEND", "VALUE", "DEFINED IN"], "lllrll",
                                 fit=[(2, "cut", 24), (5, "cut", 16), (0, "strip:R_X86_64_", 0), (2, "cut", 12),
                                      (5, "cut", 10), (4, "cut", 14)])
            if left is not None:
                left -= len(rows)
                if left <= 0:
                    break


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
        args = take_wide(gdb.string_to_argv(arg))
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
                    var_rows.append([name, o.name, hx(voff), hx(block + voff), str(size),
                                     tls_value_text(name, o, block + voff, size)])
        if not rows:
            if StaticLibc.of(objs) is not None:
                gdb.write("no TLS modules (the static program has no PT_TLS)\n")
            else:
                gdb.write("no TLS modules\n")
            return
        gdb.write(table(rows, ["MOD", "OBJECT", "KIND", "TP OFFSET", "BLOCK", "SIZE", "ALIGN", "IMAGE"],
                        "rllrlrrl", fit=[(7, "cut", 14), (1, "cut", 12), (6, "drop", 0)]))
        if verbose and var_rows:
            dm = demangle([r[0] for r in var_rows])
            for r in var_rows:
                r[0] = dm.get(r[0], r[0])
            gdb.write("\n" + table(var_rows, ["VARIABLE", "MODULE", "OFFSET", "ADDRESS", "SIZE", "VALUE"],
                                   "llrlrl", fit=[(5, "cut", 16), (0, "cut", 16), (1, "cut", 12)]))


def tls_value_text(name, o, addr, size):
    """A thread-local variable's value for `tls -v`: integers and pointers in hex, anything else
    (arrays, structs, strings) as GDB prints it with the variable's DWARF type; without a type, the
    first bytes."""
    try:
        typ = symbol_type(name, o)
    except (gdb.error, RuntimeError):
        typ = None
    try:
        if typ is not None and typ.sizeof == size:
            code = typ.strip_typedefs().code
            if code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_PTR, gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_BOOL,
                        gdb.TYPE_CODE_CHAR) and size in (1, 2, 4, 8):
                return hx(int.from_bytes(read(addr, size), "little"))
            v = gdb.Value(addr).cast(typ.pointer()).dereference()
            old = gdb.parameter("print null-stop")
            gdb.execute("set print null-stop on", to_string=True)
            try:
                text = v.format_string(max_elements=32, repeat_threshold=10, symbols=False, address=False)
            finally:
                if not old:
                    gdb.execute("set print null-stop off", to_string=True)
            return " ".join(text.split())
        if size in (1, 2, 4, 8):
            return hx(int.from_bytes(read(addr, size), "little"))
        if size:
            data = read(addr, min(size, 16))
            return " ".join("%02x" % b for b in data) + (" ..." if size > 16 else "")
    except (gdb.error, gdb.MemoryError, RuntimeError):
        return "?"
    return ""


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
        thread = parse_thread(" ".join(take_wide(gdb.string_to_argv(arg))))
        tp, note = thread_tp(thread)
        dtv = Dtv(tp)
        gen = Loader.tls_counters()[0]
        gdb.write("%s: tp %s, DTV at %s (tcb->dtv)\n" % (thread_label(thread), hx(tp), hx(dtv.addr)))
        if note:
            gdb.write("  (%s)\n" % note)
        objs = Loader.objs()
        st = StaticLibc.of(objs)
        if st is not None:
            sd = st.static_dtv()
            gdb.write("  (static program: its libc's DTV%s, generation from its _dl_tls_generation)\n" % (
                ", _dl_static_dtv" if sd is not None and dtv.addr == sd + DTV_ENTRY else ""))
        gdb.write("  generation  dtv[0].counter  = %d  (%s generation %d: %s)\n" % (
            dtv.generation, "libc's" if st is not None else "loader's", gen,
            "up to date" if dtv.generation == gen else "stale, updated at the next __tls_get_addr"))
        gdb.write("  length      dtv[-1].counter = %d module slots\n" % dtv.length)
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
            rows.append([str(m), o.label() if o else "(dlopened by the program's libc)" if st else "(free slot)",
                         hx(val) if val is not None else "unallocated", kind,
                         hx(to_free) if to_free else "-",
                         ("tp-" + hx(tp - val)) if kind == "static" else ""])
        if free_from is not None:
            rows.append(["%d-%d" % (free_from, dtv.length) if dtv.length > free_from else str(free_from),
                         "-", "unallocated", "", "", "(surplus)"])
        gdb.write(table(rows, ["MOD", "OBJECT", "BLOCK", "KIND", "TO_FREE", "NOTE"], "rlllll",
                        fit=[(1, "cut", 12), (5, "cut", 8)]))


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
        arg = take_wide_text(arg)
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
            nload = -1
            for i, t, fl, off, va, fsz, msz, al in phdrs:
                if t != PT_LOAD:
                    continue
                nload += 1  # LOAD#n: the n-th PT_LOAD (from 0), not the program header's index
                s, fend, end = o.base + va, o.base + va + fsz, o.base + va + msz
                secs = []
                if e is not None:
                    for name, st, sf, sa, ss in e.sections:
                        if sf & SHF_ALLOC and ss and va <= sa < va + msz and name:
                            secs.append(name)
                text = "%s LOAD#%d %s" % (who, nload, prot_str(fl))
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
            if parts[4] != "0":
                # file-backed: the file's data, not bss, even where a segment's bss starts inside its last
                # page (zeroed there): name that point instead
                bss = [lb for lb in found if lb[3] == 3]
                found = [lb for lb in found if lb[3] != 3]
                found.extend((lb[0], lb[1], "%s from %s" % (lb[2], hx(lb[0])), 1.5) for lb in bss if a < lb[0] < b)
            # the most specific labels first; drop the reservation when a segment covers the region
            found.sort(key=lambda lb: (-lb[3], lb[0]))
            texts = []
            heap = [lb for lb in found if lb[3] == 1]
            for lb in found:
                if lb[3] == 0 and any(x[3] >= 1.5 for x in found):
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
        gdb.write(table(rows, ["START", "END", "PERM", "OFFSET", "WHAT"], "lllrl", fit=[(4, "cut", 24)]))


# --------------------------------------------------------------------------------------------------
# pwndbg-style views: checksec, xinfo, telescope

DT_NEEDED, DT_RPATH, DT_RUNPATH, DT_BIND_NOW, DT_FLAGS, DT_FLAGS_1 = 1, 15, 29, 24, 30, 0x6FFFFFFB
DF_BIND_NOW, DF_1_NOW, DF_1_PIE = 0x8, 0x1, 0x08000000
GNU_PROPERTY_X86_FEATURE_1_AND = 0xC0000002
CHK_NOT_FORTIFY = ("__stack_chk_fail", "__stack_chk_guard", "__stack_chk_fail_local")


def x86_features(e):
    """(IBT, SHSTK) from the GNU property note (NT_GNU_PROPERTY_TYPE_0), None if there is no note."""
    found = None
    for name, ntype, desc in e.notes():
        if name != "GNU" or ntype != 5:
            continue
        i = 0
        while i + 8 <= len(desc):
            pr_type, pr_datasz = struct.unpack_from("<II", desc, i)
            data = desc[i + 8:i + 8 + pr_datasz]
            if pr_type == GNU_PROPERTY_X86_FEATURE_1_AND and len(data) >= 4:
                bits = struct.unpack_from("<I", data)[0]
                found = (bool(bits & 1), bool(bits & 2))
            i += 8 + ((pr_datasz + 7) & ~7)
    return found


def checksec(o, e):
    """{field: text} for object o with file e."""
    dyn = e.dynamic()
    tags = {}
    for t, v in dyn:
        tags.setdefault(t, v)
    static = o.static_libc or not dyn
    has_relro = any(p[0] == PT_GNU_RELRO for p in e.phdrs)
    bind_now = (DT_BIND_NOW in tags or tags.get(DT_FLAGS, 0) & DF_BIND_NOW or tags.get(DT_FLAGS_1, 0) & DF_1_NOW)
    r = {}
    feat = x86_features(e)
    if not has_relro:
        r["RELRO"] = "no"
    elif bind_now or (static and not o.is_rtld):
        r["RELRO"] = "full"
    else:
        r["RELRO"] = "partial"
    r["NOW"] = "yes" if bind_now else ("-" if static else "no")
    if o.is_main:
        r["PIE"] = ("static-pie" if e.e_type == 3 else "static") if static else ("yes" if e.e_type == 3 else "no")
    else:
        r["PIE"] = "DSO" if e.e_type == 3 else "no"
    stack = [p for p in e.phdrs if p[0] == PT_GNU_STACK]
    r["NX"] = ("no" if stack[0][1] & 1 else "yes") if stack else "no"
    syms = e.dynsym + e.symtab
    names = set(s[0] for s in syms)
    r["CANARY"] = "yes" if names & {"__stack_chk_fail", "__stack_chk_guard", "__stack_chk_fail_local"} else "no"
    if feat is None:
        r["CET"] = "-"
    else:
        r["CET"] = ",".join(n for n, on in (("IBT", feat[0]), ("SHSTK", feat[1])) if on) or "no"
    # FORTIFY: calls to glibc's checking functions (__printf_chk, __memcpy_chk): undefined dynamic symbols;
    # a static program has them linked in
    chk = set()
    for name, typ, bind, shndx, value, size in syms:
        if name.startswith("__") and name.endswith("_chk") and name not in CHK_NOT_FORTIFY and \
                (static or shndx == 0):
            chk.add(name)
    r["FORTIFY"] = "yes (%d)" % len(chk) if chk else "no"
    paths = []
    if DT_RPATH in tags:
        paths.append("RPATH=" + e.dyn_string(tags[DT_RPATH]))
    if DT_RUNPATH in tags:
        paths.append("RUNPATH=" + e.dyn_string(tags[DT_RUNPATH]))
    r["RPATH"] = " ".join(paths) or "-"
    r["_chk"] = sorted(chk)
    return r


CHECKSEC_FIELDS = ["RELRO", "NOW", "PIE", "NX", "CANARY", "CET", "FORTIFY", "RPATH"]


class ChecksecCmd(gdb.Command):
    """Hardening of each loaded object: elfld checksec [OBJ|glob|all] [-v] [-w]

For each object (default: all but the vDSO), from its file: RELRO (PT_GNU_RELRO: partial; with
BIND_NOW: full; a static program has no lazy binding: full), NOW (BIND_NOW: DT_BIND_NOW, DF_BIND_NOW or
DF_1_NOW), PIE (yes/no for the program, static or static-pie; DSO for a library), NX (PT_GNU_STACK
without PF_X), CANARY (__stack_chk_fail), CET (IBT, SHSTK: the x86 feature bits of the GNU property
note; - without one), FORTIFY (calls to glibc's __*_chk functions: how many; -v names them), RPATH
(DT_RPATH, DT_RUNPATH)."""

    def __init__(self):
        super().__init__("elfld checksec", gdb.COMMAND_DATA)

    def complete(self, text, word):
        return complete_words(text, word, object_names() + ["all"])

    def invoke(self, arg, from_tty):
        args = take_wide(gdb.string_to_argv(arg))
        verbose = "-v" in args
        args = [a for a in args if a != "-v"]
        objs = Loader.objs()
        sel = []
        for spec in args or ["all"]:
            sel.extend(o for o in find_objs(spec, objs) if o not in sel)
        rows, chks = [], []
        for o in sel:
            if o.is_vdso:
                if args:
                    gdb.write("%s: the vDSO has no file\n" % o.label())
                continue
            e = o.elf()
            if e is None:
                rows.append([o.label()] + ["?"] * len(CHECKSEC_FIELDS))
                continue
            r = checksec(o, e)
            rows.append([o.label()] + [r[f] for f in CHECKSEC_FIELDS])
            if r["_chk"]:
                chks.append((o, r["_chk"]))
        if not rows:
            return
        gdb.write(table(rows, ["OBJECT"] + CHECKSEC_FIELDS, "l" * (len(CHECKSEC_FIELDS) + 1),
                        fit=[(8, "cut", 16), (0, "cut", 12), (8, "cut", 6), (0, "cut", 8)]))
        if verbose:
            for o, chk in chks:
                gdb.write("%s FORTIFY: %s\n" % (o.label(), " ".join(chk)))


class AddrInfo:
    """What an address is: mapping, object, segment, section, symbol, TLS block, TCB, DTV, GOT slot.
    Built once per command (the maps, threads and relocation slots are read once)."""

    def __init__(self):
        self.inf = inferior()
        self.objs = Loader.objs()
        self.index = ObjIndex(self.objs)
        self.maps = []
        try:
            with open("/proc/%d/maps" % self.inf.pid) as f:
                for line in f.read().splitlines():
                    parts = line.split(None, 5)
                    if len(parts) < 5:
                        continue
                    a, b = (int(x, 16) for x in parts[0].split("-"))
                    self.maps.append((a, b, parts[1], int(parts[2], 16), parts[5] if len(parts) > 5 else ""))
        except OSError:
            pass
        self.map_starts = [m[0] for m in self.maps]
        self.tls = []  # (start, end, text, kind)
        for t in self.inf.threads():
            try:
                tp, _ = thread_tp(t)
            except (ElfldError, gdb.error):
                continue
            self.tls.append((tp, tp + 0x40, "TCB of thread %d" % t.num, ("tcb", tp)))
            dtv = None
            try:
                dtv = Dtv(tp)
                self.tls.append((dtv.addr - 16, dtv.addr + 16 * dtv.length + 16, "DTV of thread %d" % t.num,
                                 ("dtv", dtv.addr)))
            except (ElfldError, gdb.MemoryError):
                pass
            for o in self.objs:
                if o.tls_modid and not o.unloaded:
                    try:
                        b, kind = tls_block(o, tp, dtv)
                    except (ElfldError, gdb.MemoryError):
                        continue
                    self.tls.append((b, b + max(o.tls_memsz, 1), "TLS block of module %d %s in thread %d (%s)" % (
                        o.tls_modid, o.label(), t.num, kind), ("block", o)))
        self.slots = {}

    def mapping(self, addr):
        k = bisect.bisect_right(self.map_starts, addr) - 1
        if k >= 0 and addr < self.maps[k][1]:
            return self.maps[k]
        return None

    def segment(self, o, addr):
        n = -1
        for i, t, fl, off, va, fsz, msz, al in o.phdrs():
            if t != PT_LOAD:
                continue
            n += 1
            if o.base + va <= addr < o.base + va + msz:
                return n, fl, o.base + va, o.base + va + msz, (addr - o.base - va + off) if addr < o.base + va + fsz else None
        return None

    @staticmethod
    def section(e, off):
        for name, typ, flags, saddr, size in e.sections:
            if flags & SHF_ALLOC and size and saddr <= off < saddr + size and name:
                return name, off - saddr
        return None

    @staticmethod
    def symbol(e, off):
        """(name, offset) of the function/object symbol of file e covering vaddr off."""
        idx = getattr(e, "_symidx", None)
        if idx is None:
            cand = {}
            for name, typ, bind, shndx, value, size in e.symtab + e.dynsym:
                if name and shndx != 0 and typ in (0, 1, 2, 10) and value:  # NOTYPE OBJECT FUNC IFUNC
                    if value not in cand or (bind == 1 and cand[value][2] != 1):
                        cand[value] = (size, name, bind)
            idx = sorted((v, s, n) for v, (s, n, b) in cand.items())
            e._symidx = idx
            e._symstarts = [x[0] for x in idx]
        k = bisect.bisect_right(e._symstarts, off) - 1
        while k >= 0:
            v, size, name = idx[k]
            if off < v + max(size, 1):
                return name, off - v
            if size:  # an earlier symbol could still cover off only if it is bigger; stop at sized ones
                break
            k -= 1
        return None

    def slot(self, o, addr):
        """(type name, symbol) of the relocation whose target is addr in o."""
        if o.addr not in self.slots:
            try:
                syms = DynSyms(o)
                self.slots[o.addr] = {}
                for t, where, symidx, addend, tab in read_relocs(o):
                    self.slots[o.addr][where] = (t, symidx)
                self.slots[o.addr]["syms"] = syms
            except (gdb.error, gdb.MemoryError):
                self.slots[o.addr] = {}
        d = self.slots[o.addr]
        hit = d.get(addr)
        if hit is None:
            return None
        name = d["syms"].get(hit[1])[0] if hit[1] else ""
        return reloc_type_name(hit[0]), demangle([name])[name] if name else ""

    def facts(self, addr):
        """[(what, text)] about addr, most specific last."""
        out = []
        m = self.mapping(addr)
        if m is None:
            return [("mapping", "none: %s is not mapped in the process" % hx(addr))]
        out.append(("mapping", "%s-%s %s offset %s %s" % (hx(m[0]), hx(m[1]), m[2], hx(m[3]), m[4] or "(anonymous)")))
        o = self.index.find(addr)
        if o is not None:
            out.append(("object", "%s, base %s, offset %s from base" % (o.label(), hx(o.base), hx(addr - o.base))))
            seg = self.segment(o, addr)
            if seg is not None:
                n, fl, s, end, foff = seg
                out.append(("segment", "LOAD#%d %s %s-%s, %s" % (
                    n, prot_str(fl), hx(s), hx(end), ("file offset %s" % hx(foff)) if foff is not None else "bss")))
            e = o.elf()
            if e is not None:
                sec = self.section(e, addr - o.base)
                if sec is not None:
                    out.append(("section", "%s+%s" % (sec[0], hx(sec[1]))))
                sym = self.symbol(e, addr - o.base)
                if sym is not None:
                    out.append(("symbol", "%s+%s" % (demangle([sym[0]])[sym[0]], hx(sym[1]))))
            sl = self.slot(o, addr & ~7) if not o.is_vdso else None
            if sl is not None:
                out.append(("relocation", "slot of %s%s (%s)" % (sl[0], " " + sl[1] if sl[1] else "",
                                                              "GOT" if sl[0].endswith(("GLOB_DAT", "JUMP_SLOT")) else
                                                              "relocated word")))
        for s, e_, text, kind in self.tls:
            if s <= addr < e_:
                extra = ""
                if kind[0] == "tcb":
                    for name, off, size in TCB_FIELDS:
                        if kind[1] + off <= addr < kind[1] + off + size:
                            extra = ", tcbhead_t.%s" % name
                elif kind[0] == "dtv":
                    i = (addr - kind[1]) // 16
                    extra = ", entry %s" % ("dtv[-1] (length)" if i < 0 else "dtv[0] (generation)" if i == 0 else
                                            "dtv[%d] (module %d)" % (i, i))
                elif kind[0] == "block":
                    bo = kind[1]
                    ef = bo.elf()
                    for name, voff, size, bind in (ef.tls_symbols() if ef else []):
                        if s + voff <= addr < s + voff + max(size, 1):
                            extra = ", variable %s+%s" % (demangle([name])[name], hx(addr - s - voff))
                            break
                out.append(("tls", "%s +%s%s" % (text, hx(addr - s), extra)))
        if m[4] in ("[stack]", "[heap]", "[vdso]", "[vvar]"):
            out.append(("region", m[4][1:-1]))
        return out

    def short(self, addr):
        """One label for telescope."""
        f = dict(self.facts(addr))
        if "tls" in f:
            return f["tls"]
        if "object" in f:
            o = self.index.find(addr)
            parts = [o.label()]
            if "symbol" in f:
                parts.append(f["symbol"])
            elif "section" in f:
                parts.append(f["section"])
            if "relocation" in f and "(GOT)" in f["relocation"]:
                parts.append(f["relocation"])
            return " ".join(parts)
        m = self.mapping(addr)
        if m is None:
            return None
        return m[4] or "anonymous %s" % m[2]


class GotCmd(gdb.Command):
    """PLT slots and what they hold, as pwndbg's `got`: elfld got [OBJ...|all] [--pending|--bound] [-w]

For each R_X86_64_JUMP_SLOT (and IRELATIVE) in an object's DT_JMPREL: the GOT slot, the symbol, and its
state: `pending' while the slot still points into the object's own PLT (lazy binding: the first call
goes through PLT0 to the resolver in GOT[2], which binds it), `bound' once it points to the function,
with the object and symbol there. The heading gives GOT[1] (the object's link_map) and GOT[2] (the
resolver; both 0 in an object that binds at load time: BIND_NOW, LD_BIND_NOW, RTLD_NOW). OBJ: an id,
name or glob, `all'; without OBJ: the program. --pending / --bound: only those slots."""

    def __init__(self):
        super().__init__("elfld got", gdb.COMMAND_DATA)

    def complete(self, text, word):
        if text and not text[-1].isspace() and text.split()[-1].startswith("-"):
            return complete_words(text, word, ["--pending", "--bound", "--wide"])
        return complete_words(text, word, object_names() + ["all"])

    @staticmethod
    def plt_ranges(o):
        """Address ranges of o's .plt, .plt.sec and .plt.got sections (from its file), or its whole
        mapping when the file cannot be read."""
        e = o.elf()
        if e is None:
            return [(o.map_start, o.map_end)]
        return [(o.base + a, o.base + a + n) for name, typ, flags, a, n in e.sections
                if name in (".plt", ".plt.sec", ".plt.got", ".iplt") and n]

    @staticmethod
    def label(info, addr):
        """The object and GDB's name for addr (its minimal symbols know `puts@plt' and, with debug
        symbols, the IFUNC variants), else what xinfo would say."""
        o = info.index.find(addr)
        try:
            s = gdb.execute("info symbol %#x" % addr, to_string=True).strip()
        except gdb.error:
            s = ""
        if s and not s.startswith("No symbol") and o is not None:
            return "%s %s" % (o.label(), s.split(" in section ")[0].replace(" + ", "+"))
        return info.short(addr) or hx(addr)

    def invoke(self, arg, from_tty):
        args = take_wide(gdb.string_to_argv(arg))
        want, specs = None, []
        for a in args:
            if a in ("--pending", "--bound"):
                want = a[2:]
            elif a.startswith("-"):
                raise ElfldError("elfld got: unknown option `%s' (options: --pending, --bound, -w)" % a)
            else:
                specs.append(a)
        objs = Loader.objs()
        if not specs:
            sel = [o for o in objs if o.is_main]
            if not sel:
                raise ElfldError("elfld got: the program is not loaded yet")
        else:
            sel = []
            for spec in specs:
                sel += [o for o in find_objs(spec, objs) if o not in sel and not o.is_vdso]
        info = AddrInfo()
        out = []
        for o in sel:
            if out:
                out.append("\n")
            if not o.jmprel or not o.pltrelsz:
                out.append(fit_line("%s: no PLT (no DT_JMPREL)" % o.label()) + "\n")
                continue
            plt = self.plt_ranges(o)
            syms = DynSyms(o)
            rows, npending, nslots = [], 0, 0
            data = read(o.jmprel, o.pltrelsz - o.pltrelsz % 24)
            relocated = o.relocated or Loader.stage() >= Loader.stage_index("relocated")
            for r_offset, r_info, r_addend in struct.iter_unpack("<QQq", data):
                t, symidx = r_info & 0xFFFFFFFF, r_info >> 32
                if t not in (7, 37):  # JUMP_SLOT, IRELATIVE
                    continue
                nslots += 1
                where = o.base + r_offset
                val = u64(where)
                name = syms.get(symidx)[0] if symidx else ""
                if not relocated:
                    state, what = "-", "not relocated yet"
                else:
                    pending = any(a <= val < b for a, b in plt)
                    state = "pending" if pending else "bound"
                    npending += pending
                    what = self.label(info, val)
                if want and state != want:
                    continue
                rows.append((hx(where), demangle([name])[name] if name else "(%s)" % reloc_type_name(t), state,
                             hx(val), what))
            head = "%s: %d PLT slots, %d pending" % (o.label(), nslots, npending)
            if o.pltgot:
                got = o.base + o.pltgot
                g1, g2 = u64(got + 8), u64(got + 16)
                head += "; GOT at %s: GOT[1] %s%s, GOT[2] %s%s" % (
                    hx(got), hx(g1), " (its link_map)" if g1 == o.addr else "", hx(g2),
                    " (%s)" % info.short(g2) if g2 else "")
            if o.bind_now:
                head += " (BIND_NOW: bound at load time)"
            out.append(fit_line(head) + "\n")
            if rows:
                out.append(table(rows, ["SLOT", "SYMBOL", "STATE", "VALUE", "POINTS TO"], "lllll",
                                 fit=[(1, "cut", 24), (4, "cut", 20), (1, "cut", 12), (4, "cut", 10)]))
        write_long("".join(out))


class XinfoCmd(gdb.Command):
    """What an address is: elfld xinfo ADDRESS

ADDRESS is any expression ($pc, $sp, &errno, 0x7ffff7dd0000). Shows the mapping holding it, the object
(and offset from its base), the LOAD segment and file offset, the section, the symbol+offset (from the
object's symbol tables, C++ demangled), the relocation whose target it is (a GOT slot), and when it is
in a TLS block, a TCB or a DTV of a thread: which one, and the variable, TCB field or DTV entry."""

    def __init__(self):
        super().__init__("elfld xinfo", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        arg = take_wide_text(arg)
        if not arg.strip():
            raise ElfldError("elfld xinfo: which address? (elfld xinfo ADDRESS, e.g. elfld xinfo $pc)")
        addr = eval_address(arg, "elfld xinfo")
        info = AddrInfo()
        gdb.write("%s:\n" % hx(addr))
        gdb.write(table([["  " + k, v] for k, v in info.facts(addr)], ["", ""], "ll").split("\n", 1)[1])


def eval_address(expr, who):
    try:
        v = gdb.parse_and_eval(expr)
        return int(v) & 0xFFFFFFFFFFFFFFFF
    except gdb.error as e:
        raise ElfldError("%s: `%s' is not an address: %s" % (who, expr, e))


class TelescopeCmd(gdb.Command):
    """Words in memory, each followed as a pointer chain: elfld telescope [ADDRESS] [COUNT]

Reads COUNT (default 8) 8-byte words from ADDRESS (default $sp) and labels each: the object and
symbol, section, TLS block, TCB, DTV or GOT slot it points to, following pointers up to 4 levels and
showing a string at the end of a chain."""

    def __init__(self):
        super().__init__("elfld telescope", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        arg = take_wide_text(arg)
        count = 8
        m = re.fullmatch(r"(.*\S)\s+(\d+)", arg)
        if m:
            arg, count = m.group(1), int(m.group(2))
        expr = arg or "$sp"
        addr = eval_address(expr, "elfld telescope") & ~7
        info = AddrInfo()
        if info.mapping(addr) is None:
            raise ElfldError("elfld telescope: %s is not mapped in the process" % hx(addr))
        arrow = " -> "
        lines = []
        for i in range(count):
            a = addr + 8 * i
            try:
                v = u64(a)
            except gdb.MemoryError:
                lines.append("%02d:%04x  %s  (unreadable)" % (i, 8 * i, hx(a)))
                break
            here = info.short(a)
            chain = [hx(v)]
            seen = set()
            cur = v
            for depth in range(4):
                seen.add(cur)
                lab = info.short(cur)
                if lab is None:
                    break
                s = printable_string(cur)
                chain[-1] += " (%s)" % lab
                if s is not None:
                    chain.append(s)
                    break
                m = info.mapping(cur)
                if cur & 7 or "r" not in m[2]:
                    break
                try:
                    nxt = u64(cur)
                except gdb.MemoryError:
                    break
                if nxt in seen:
                    chain.append("(itself)" if nxt == cur else "(loop)")
                    break
                cur = nxt
                chain.append(hx(cur))
            lines.append("%02d:%04x  %s  %s%s" % (i, 8 * i, hx(a), arrow.join(chain),
                                                  "   @ %s" % here if here and i == 0 else ""))
        w = term_width()
        gdb.write("\n".join(cut(l, w - 1) if w else l for l in lines) + "\n")


def printable_string(addr):
    """A C string of 4+ printable characters at addr, quoted, or None."""
    try:
        data = read(addr, 64)
    except gdb.MemoryError:
        return None
    end = data.find(b"\0")
    s = data if end < 0 else data[:end]
    if len(s) < 4 or not all(32 <= c < 127 or c in (9, 10) for c in s):
        return None
    text = s.decode("ascii").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"%s"%s' % (text, "..." if end < 0 else "")


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
    # the process is gone: drop what we added (the next run may load objects elsewhere), and know the
    # program's symbols again before the next run
    for objaddr in list(SymbolFiles.added):
        SymbolFiles.remove(objaddr)
    Preload.disarm()
    Preload.load()


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
    for cls in (ObjectsCmd, SegmentsCmd, RelocsCmd, TlsCmd, TcbCmd, DtvCmd, StageCmd, BreakStageCmd, VmmapCmd,
                ChecksecCmd, GotCmd, XinfoCmd, TelescopeCmd):
        cls()
    TlsAddrFunc()
    TlsFunc()
    Preload.install_hooks()
    Preload.load()
    gdb.events.exited.connect(_on_exited)
    gdb.events.new_objfile.connect(_on_new_objfile)
    gdb._elfld_handlers = [(_on_exited, gdb.events.exited), (_on_new_objfile, gdb.events.new_objfile)]
    # the hook breakpoint: now if elfld-run's symbols are loaded, else when they are (new_objfile)
    if Loader.available() or state.stage_stops:
        state.ensure_hook()


state = None
register()
