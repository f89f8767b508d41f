/* The one event layer. Every stage of the loader reports here; sinks (GDB hook + descriptor, r_debug,
 * the versioned fd stream, the human trace, pause control) observe. `struct elfld_event` is the single
 * declaration of an event: the GDB extension reads it through DWARF, and the stream's fields are
 * generated from the EV_FIELDS tables below (also printed by `elfld-run --events-schema`). */
#ifndef ELFLD_EVENTS_H
#define ELFLD_EVENTS_H
#include <stdint.h>
#include "util.h"

#define ELFLD_EVENTS_VERSION 3 /* 2: reloc's `lazy` and `before`, tls-block's `dtv_gen` and `dtv_slots`, `bind`;
                                * 3: `ns` of object and dlopen (dlmopen namespaces) */

/* X(ID, "name", trace category) */
#define ELFLD_EVENT_TYPES(X)                    \
	X(STAGE, "stage", TR_STAGES)            \
	X(OBJECT, "object", TR_OBJECTS)         \
	X(SEGMENT, "segment", TR_SEGMENTS)      \
	X(SEARCH, "search", TR_SEARCH)          \
	X(DEP, "dep", TR_SEARCH)                \
	X(TLS_MODULE, "tls-module", TR_TLS)     \
	X(TLS_BLOCK, "tls-block", TR_TLS)       \
	X(RELOC, "reloc", TR_RELOCS)            \
	X(RELOC_DONE, "reloc-done", TR_OBJECTS) \
	X(RELRO, "relro", TR_SEGMENTS)          \
	X(INIT, "init", TR_INIT)                \
	X(ENTRY, "entry", TR_STAGES)            \
	X(DLOPEN, "dlopen", TR_OBJECTS)         \
	X(DLCLOSE, "dlclose", TR_OBJECTS)       \
	X(UNMAP, "unmap", TR_OBJECTS)           \
	X(PAUSE, "pause", TR_STAGES)            \
	X(ERROR, "error", TR_STAGES)            \
	X(WARNING, "warning", TR_WARNINGS)      \
	X(BIND, "bind", TR_BINDINGS)

enum ev_type {
#define X(id, name, cat) EV_##id,
	ELFLD_EVENT_TYPES(X)
#undef X
	EV_COUNT
};

/* Trace categories (--trace=...) */
enum {
	TR_STAGES = 1 << 0,
	TR_OBJECTS = 1 << 1,
	TR_SEGMENTS = 1 << 2,
	TR_SEARCH = 1 << 3,
	TR_SYMBOLS = 1 << 4,
	TR_RELOCS = 1 << 5,
	TR_TLS = 1 << 6,
	TR_INIT = 1 << 7,
	TR_WARNINGS = 1 << 8,
	TR_BINDINGS = 1 << 9,
	TR_DEFAULT = TR_STAGES | TR_OBJECTS | TR_SEGMENTS | TR_SEARCH | TR_TLS | TR_INIT | TR_WARNINGS,
	TR_ALL = 0x3ff,
};

struct elfld_event {
	uint32_t type;   /* enum ev_type */
	uint32_t stage;  /* enum stage when the event happened */
	uint64_t seq;    /* 1, 2, 3, ... never skipped */
	int32_t obj;     /* object id (0 = loader, 1 = program), -1 if none */
	int32_t pad;
	union {
		struct { const char *name, *desc; } stage;
		struct {
			const char *path, *name, *build_id, *kind;
			uint64_t base, start, end, dynamic, entry, phdr, phnum, tls_modid;
			uint64_t ns; /* link-map namespace: 0, or one dlmopen made */
		} object;
		struct {
			uint64_t index, type, addr, vaddr, memsz, filesz, offset, align;
			const char *perm;
		} segment;
		struct { const char *name, *dir, *how, *result, *needed_by; } search;
		struct { const char *needed; int64_t dep; } dep;
		struct {
			uint64_t modid, size, align, filesz, image, dtv_slot;
			int64_t tp_offset;
			const char *kind;
		} tls_module;
		struct {
			uint64_t modid, addr, size, tid, tp, dtv;
			int64_t tp_offset;
			const char *kind;
			uint64_t dtv_gen, dtv_slots; /* the thread's DTV: the generation it is up to date with, its slots */
		} tls_block;
		struct {
			uint64_t type, where, offset, addend, value;
			const char *type_name, *symbol, *version;
			int64_t def_obj;
			uint64_t lazy; /* 1: a JUMP_SLOT left for lazy binding (value: its PLT entry); a `bind` follows */
			uint64_t before; /* what the target held before (its first word; COPY: 0) */
		} reloc;
		struct { uint64_t total, relative, symbolic, irelative, tls, copy, relr; } reloc_done;
		struct { uint64_t start, end; } relro;
		struct { uint64_t func; const char *kind; uint64_t index; } init;
		struct { uint64_t entry, sp, fini, tp; } entry;
		struct { const char *file, *result; uint64_t mode, refcount, loaded; int64_t ns; } dlopen;
		struct { uint64_t refcount, unloaded; } dlclose;
		struct { const char *path; uint64_t start, end; } unmap;
		struct { const char *at; } pause;
		struct { const char *message; } error;
		struct { const char *message; } warning;
		struct {
			uint64_t where, offset, index; /* the GOT slot, its offset in the object, its DT_JMPREL entry */
			const char *symbol, *version;
			uint64_t value;        /* written to the slot (LD_BIND_NOT: jumped to, not written) */
			int64_t def_obj;
			uint64_t tid, time_ns; /* the calling thread; nanoseconds since elfld-run started */
		} bind;
	} u;
};

/* Stream field tables: F(name, kind, member). kind: U (decimal), X (hex), I (signed), S (string), N (a name
 * from elfld's own tables, never needing escapes: written as is, an S in the schema). */
#define EV_FIELDS_STAGE(F) F(name, S, u.stage.name) F(desc, S, u.stage.desc)
#define EV_FIELDS_OBJECT(F)                                                                            \
	F(path, S, u.object.path) F(name, S, u.object.name) F(kind, N, u.object.kind)                 \
	F(base, X, u.object.base) F(start, X, u.object.start) F(end, X, u.object.end)                 \
	F(dynamic, X, u.object.dynamic) F(entry, X, u.object.entry) F(phdr, X, u.object.phdr)         \
	F(phnum, U, u.object.phnum) F(build_id, S, u.object.build_id) F(tls_modid, U, u.object.tls_modid) \
	F(ns, U, u.object.ns)
#define EV_FIELDS_SEGMENT(F)                                                                           \
	F(index, U, u.segment.index) F(type, X, u.segment.type) F(perm, S, u.segment.perm)             \
	F(addr, X, u.segment.addr) F(vaddr, X, u.segment.vaddr) F(memsz, X, u.segment.memsz)           \
	F(filesz, X, u.segment.filesz) F(offset, X, u.segment.offset) F(align, X, u.segment.align)
#define EV_FIELDS_SEARCH(F)                                                                            \
	F(name, S, u.search.name) F(needed_by, S, u.search.needed_by) F(how, S, u.search.how)         \
	F(dir, S, u.search.dir) F(result, S, u.search.result)
#define EV_FIELDS_DEP(F) F(needed, S, u.dep.needed) F(dep, I, u.dep.dep)
#define EV_FIELDS_TLS_MODULE(F)                                                                        \
	F(modid, U, u.tls_module.modid) F(kind, N, u.tls_module.kind) F(size, X, u.tls_module.size)   \
	F(align, X, u.tls_module.align) F(filesz, X, u.tls_module.filesz)                             \
	F(image, X, u.tls_module.image) F(tp_offset, I, u.tls_module.tp_offset)                       \
	F(dtv_slot, U, u.tls_module.dtv_slot)
#define EV_FIELDS_TLS_BLOCK(F)                                                                         \
	F(modid, U, u.tls_block.modid) F(kind, N, u.tls_block.kind) F(tid, U, u.tls_block.tid)        \
	F(tp, X, u.tls_block.tp) F(dtv, X, u.tls_block.dtv) F(addr, X, u.tls_block.addr)              \
	F(size, X, u.tls_block.size) F(tp_offset, I, u.tls_block.tp_offset)                          \
	F(dtv_gen, U, u.tls_block.dtv_gen) F(dtv_slots, U, u.tls_block.dtv_slots)
#define EV_FIELDS_RELOC(F)                                                                             \
	F(type, U, u.reloc.type) F(type_name, N, u.reloc.type_name) F(where, X, u.reloc.where)        \
	F(offset, X, u.reloc.offset) F(symbol, S, u.reloc.symbol) F(version, S, u.reloc.version)      \
	F(addend, I, u.reloc.addend) F(value, X, u.reloc.value) F(def_obj, I, u.reloc.def_obj)        \
	F(lazy, U, u.reloc.lazy) F(before, X, u.reloc.before)
#define EV_FIELDS_RELOC_DONE(F)                                                                        \
	F(total, U, u.reloc_done.total) F(relative, U, u.reloc_done.relative)                         \
	F(relr, U, u.reloc_done.relr) F(symbolic, U, u.reloc_done.symbolic)                           \
	F(irelative, U, u.reloc_done.irelative) F(tls, U, u.reloc_done.tls) F(copy, U, u.reloc_done.copy)
#define EV_FIELDS_RELRO(F) F(start, X, u.relro.start) F(end, X, u.relro.end)
#define EV_FIELDS_INIT(F) F(kind, N, u.init.kind) F(index, U, u.init.index) F(func, X, u.init.func)
#define EV_FIELDS_ENTRY(F) F(entry, X, u.entry.entry) F(sp, X, u.entry.sp) F(fini, X, u.entry.fini) F(tp, X, u.entry.tp)
#define EV_FIELDS_DLOPEN(F)                                                                            \
	F(file, S, u.dlopen.file) F(mode, X, u.dlopen.mode) F(result, S, u.dlopen.result)             \
	F(refcount, U, u.dlopen.refcount) F(loaded, U, u.dlopen.loaded) F(ns, I, u.dlopen.ns)
#define EV_FIELDS_DLCLOSE(F) F(refcount, U, u.dlclose.refcount) F(unloaded, U, u.dlclose.unloaded)
#define EV_FIELDS_UNMAP(F) F(path, S, u.unmap.path) F(start, X, u.unmap.start) F(end, X, u.unmap.end)
#define EV_FIELDS_PAUSE(F) F(at, S, u.pause.at)
#define EV_FIELDS_ERROR(F) F(message, S, u.error.message)
#define EV_FIELDS_WARNING(F) F(message, S, u.warning.message)
#define EV_FIELDS_BIND(F)                                                                             \
	F(where, X, u.bind.where) F(offset, X, u.bind.offset) F(index, U, u.bind.index)               \
	F(symbol, S, u.bind.symbol) F(version, S, u.bind.version) F(value, X, u.bind.value)           \
	F(def_obj, I, u.bind.def_obj) F(tid, U, u.bind.tid) F(time_ns, U, u.bind.time_ns)

/* Descriptor for debuggers: found by symbol (`elfld_debug`, exported in .dynsym). */
struct elfld_debug {
	uint32_t version;        /* ELFLD_EVENTS_VERSION */
	uint32_t size;           /* sizeof(struct elfld_debug) */
	uint32_t want;           /* set by a debugger: 1 << EV_x for events that must call the hook
				  * (stage, object, dlopen, dlclose, unmap, pause, entry, error always do) */
	uint32_t stage;          /* current stage */
	void *objs;              /* struct obj list head (link_map chain) */
	const struct elfld_event *event; /* the event being reported (valid inside the hook) */
	uint64_t tls_static_size, tls_static_align, tls_generation, tls_max_modid;
	uint64_t main_tp;        /* thread pointer of the main thread once set */
	void *r_debug;           /* the struct r_debug elfld keeps */
	uint64_t nevents;
};
extern struct elfld_debug elfld_debug;
void elfld_debug_hook(const struct elfld_event *ev);

/* Sinks configuration (main.c sets these from the options). */
struct ev_config {
	int trace_fd;       /* -1: off */
	unsigned trace_mask;
	int stream_fd;      /* -1: off */
	int stream_binary;  /* --events-format=binary */
	int control_fd;     /* -1: off */
	uint32_t pause_mask;  /* 1 << stage */
	int pause_objects;    /* pause after each object event */
};
extern struct ev_config evcfg HIDDEN;
extern int events_detail HIDDEN; /* nonzero if anybody wants per-relocation events */

void events_init(void) HIDDEN;
void event_emit(struct elfld_event *ev) HIDDEN;
void event_stage(int stage) HIDDEN;
void events_flush(void) HIDDEN;
void events_print_schema(int fd) HIDDEN;
void events_schema_to(struct outbuf *ob) HIDDEN;
int events_parse_trace(const char *spec, unsigned *mask) HIDDEN;
/* A file elfld runs although something in it is odd (glibc accepts it too): a `warning` event, message
 * "FILE: what" (dynamic.c). Warnings about an object still being mapped (no id yet) are held until its
 * `object` event (event_emit calls obj_warn_flush with its id) or an error (with -1). fmt: %s %d %u %lu
 * %lx only. */
struct obj;
void obj_warn(struct obj *o, const char *fmt, ...) HIDDEN __attribute__((format(printf, 2, 3)));
void obj_warn_flush(int id) HIDDEN;
/* r_debug support (rdebug.c) */
void rdebug_init(void) HIDDEN;
void rdebug_begin(int adding) HIDDEN;
void rdebug_end(void) HIDDEN;
void rdebug_sync(void) HIDDEN; /* copy TLS fields etc. into GDB's nodes */

#endif
