/* The event layer: sequence numbers, then each sink in turn. With no observer an event costs the
 * `events_detail` branch at the call site (relocations) or one cheap call (stages, objects). */
#include "events.h"
#include "elfld.h"
#include "sys.h"

struct ev_config evcfg HIDDEN = { -1, 0, -1, 0, -1, 0, 0 };
int events_detail HIDDEN;
static uint64_t seq;
static u_lock_t ev_lock;
/* Buffers are allocated when an observer is there: in .bss they would spread the loader's other
 * variables over more pages (each first touch is a page fault). */
#define TRACE_BUF 8192
#define STREAM_BUF 65536 /* a pipe's size: 256 KiB writes made a reader on clang-tidy 40% slower */
static struct outbuf trace_ob, stream_ob;

EXPORT struct elfld_debug elfld_debug = { ELFLD_EVENTS_VERSION, sizeof(struct elfld_debug), 0, 0, 0, 0,
					  0, 0, 0, 0, 0, 0, 0 };

/* GDB puts a breakpoint here; the asm keeps the call from being optimized away. */
EXPORT __attribute__((noinline)) void elfld_debug_hook(const struct elfld_event *ev)
{
	__asm__ volatile("" : : "r"(ev) : "memory");
}

static const char *const ev_names[EV_COUNT] = {
#define X(id, name, cat) name,
	ELFLD_EVENT_TYPES(X)
#undef X
};
static const unsigned ev_cats[EV_COUNT] = {
#define X(id, name, cat) cat,
	ELFLD_EVENT_TYPES(X)
#undef X
};

const char *const stage_names[STAGE_COUNT] HIDDEN = {
#define X(id, name, desc) name,
	ELFLD_STAGES(X)
#undef X
};
const char *const stage_descs[STAGE_COUNT] HIDDEN = {
#define X(id, name, desc) desc,
	ELFLD_STAGES(X)
#undef X
};

int stage_from_name(const char *name)
{
	for (int i = 0; i < STAGE_COUNT; i++)
		if (u_strcmp(name, stage_names[i]) == 0)
			return i;
	return -1;
}

void events_init(void)
{
	if (evcfg.trace_fd >= 0)
		ob_init(&trace_ob, evcfg.trace_fd, u_alloc(TRACE_BUF), TRACE_BUF);
	if (evcfg.stream_fd >= 0) {
		ob_init(&stream_ob, evcfg.stream_fd, u_alloc(STREAM_BUF), STREAM_BUF);
		if (evcfg.stream_binary) { /* the schema travels with it: a reader needs nothing else */
			ob_printf(&stream_ob, "elfld-events-binary %d\n", ELFLD_EVENTS_VERSION);
			events_schema_to(&stream_ob);
			ob_putc(&stream_ob, '\n');
		} else
			ob_printf(&stream_ob, "elfld-events %d\n", ELFLD_EVENTS_VERSION);
	}
	events_detail = evcfg.stream_fd >= 0 || (evcfg.trace_fd >= 0 && (evcfg.trace_mask & TR_RELOCS));
}

/* ---- stream sink: one line per event, "TYPE seq=N stage=S obj=I field=value ...".
 * Strings are escaped (space as \s, backslash as \\, control characters as \xHH, empty as \0). */
/* Formatted by hand, not with ob_printf: a big program's stream is hundreds of thousands of lines. */
/* Each field is written straight into the buffer at p; `room` flushes when fewer than n bytes are left.
 * A field returns NULL when the stream can take nothing more (its reader went away): the event ends. */
#define EMIT_FIELD(fname, kind, member)                                           \
	if (!(p = emit_##kind(p, ob, " " #fname "=", sizeof(#fname) + 1, ev->member))) \
		return;
#define INLINE static inline __attribute__((always_inline))
INLINE char *room(struct outbuf *ob, char *p, size_t n)
{
	if ((size_t)(ob->buf + ob->cap - p) >= n)
		return p;
	ob->len = (size_t)(p - ob->buf);
	return ob_room(ob, n);
}
INLINE char *emit_name(struct outbuf *ob, char *p, const char *n, size_t nl)
{
	if (!(p = room(ob, p, nl + 24))) /* the name and any number */
		return 0;
	__builtin_memcpy(p, n, nl); /* nl is a constant: a few moves */
	return p + nl;
}
INLINE char *emit_U(char *p, struct outbuf *ob, const char *n, size_t nl, uint64_t v)
{
	if (!(p = emit_name(ob, p, n, nl)))
		return 0;
	return p + u_fmt_dec(p, v);
}
INLINE char *emit_X(char *p, struct outbuf *ob, const char *n, size_t nl, uint64_t v)
{
	if (!(p = emit_name(ob, p, n, nl)))
		return 0;
	p[0] = '0', p[1] = 'x';
	return p + 2 + u_fmt_hex(p + 2, v);
}
INLINE char *emit_I(char *p, struct outbuf *ob, const char *n, size_t nl, int64_t v)
{
	if (!(p = emit_name(ob, p, n, nl)))
		return 0;
	if (v < 0)
		*p++ = '-';
	return p + u_fmt_dec(p, v < 0 ? -(uint64_t)v : (uint64_t)v);
}
/* Strings: copied in place when they need no escape and fit, else through ob_escaped. N: names from
 * elfld's own tables, which never need one. */
static char *emit_S(char *p, struct outbuf *ob, const char *n, size_t nl, const char *v)
{
	if (!(p = emit_name(ob, p, n, nl)))
		return 0;
	if (!v || !*v) {
		p[0] = '\\', p[1] = '0'; /* empty string marker */
		return p + 2;
	}
	size_t k = 0;
	while ((unsigned char)v[k] > ' ' && v[k] != '\\' && v[k] != 127)
		k++;
	if (!v[k] && (size_t)(ob->buf + ob->cap - p) >= k + 64) {
		memcpy(p, v, k);
		return p + k;
	}
	ob->len = (size_t)(p - ob->buf);
	ob_escaped(ob, v);
	return ob_room(ob, 64);
}
static char *emit_N(char *p, struct outbuf *ob, const char *n, size_t nl, const char *v)
{
	size_t k = strlen(v);
	if (!k || (size_t)(ob->buf + ob->cap - p) < nl + k + 64)
		return emit_S(p, ob, n, nl, v); /* (empty: \0; long: flushed first) */
	__builtin_memcpy(p, n, nl);
	memcpy(p + nl, v, k);
	return p + nl + k;
}

static void stream_event(struct outbuf *ob, const struct elfld_event *ev)
{
	char *p = ob_room(ob, 64);
	if (!p)
		return;
	const char *name = ev_names[ev->type];
	size_t nl = strlen(name);
	memcpy(p, name, nl);
	p += nl;
	if (!(p = emit_U(p, ob, " seq=", 5, ev->seq)) || !(p = emit_N(p, ob, " stage=", 7, stage_names[ev->stage])) ||
	    !(p = emit_I(p, ob, " obj=", 5, ev->obj)))
		return;
	switch (ev->type) {
#define X(id, name, cat)                        \
	case EV_##id:                           \
		EV_FIELDS_##id(EMIT_FIELD) break;
		ELFLD_EVENT_TYPES(X)
#undef X
	}
	if (!(p = room(ob, p, 1)))
		return;
	*p++ = '\n';
	ob->len = (size_t)(p - ob->buf);
}

/* ---- the binary form of the same stream (docs/events.md "Binary stream"): per event its type, stage and
 * obj, then the fields in schema order; numbers as LEB128 varints (signed ones zigzag), strings as a
 * varint length and the bytes. seq is implied (it counts from 1 with no gap). A relocation is ~45 bytes
 * instead of ~185, and nothing is formatted. */
#define EMITB_FIELD(fname, kind, member) bin_##kind(&p, ob, ev->member);
static inline void bin_U(char **pp, struct outbuf *ob, uint64_t v)
{
	(void)ob;
	char *p = *pp;
	while (v >= 0x80) {
		*p++ = (char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (char)v;
	*pp = p;
}
static inline void bin_X(char **pp, struct outbuf *ob, uint64_t v) { bin_U(pp, ob, v); }
static inline void bin_I(char **pp, struct outbuf *ob, int64_t v)
{
	bin_U(pp, ob, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}
static void bin_S(char **pp, struct outbuf *ob, const char *v)
{
	size_t n = v ? strlen(v) : 0;
	bin_U(pp, ob, n);
	if ((size_t)(ob->buf + ob->cap - *pp) >= n + 256) { /* fits, with the room promised below */
		memcpy(*pp, v, n);
		*pp += n;
		return;
	}
	ob->len = (size_t)(*pp - ob->buf);
	ob_write(ob, v, n);
	/* The rest of the event up to its next string fits in 256 bytes; the stream's buffer (64 KiB, a
	 * descriptor) always has that room after a flush, even when its reader has gone. */
	*pp = ob_room(ob, 256);
}
#define bin_N bin_S

static void binary_event(struct outbuf *ob, const struct elfld_event *ev)
{
	char *p = ob_room(ob, 256);
	if (!p)
		return;
	bin_U(&p, ob, (uint64_t)ev->type);
	bin_U(&p, ob, (uint64_t)ev->stage);
	bin_I(&p, ob, ev->obj);
	switch (ev->type) {
#define X(id, name, cat)                        \
	case EV_##id:                           \
		EV_FIELDS_##id(EMITB_FIELD) break;
		ELFLD_EVENT_TYPES(X)
#undef X
	}
	ob->len = (size_t)(p - ob->buf);
}

/* The event types in order (their index is the binary stream's type number), then the stages. */
void events_schema_to(struct outbuf *o)
{
#define SCHEMA_FIELD_O(fname, kind, member) ob_printf(o, " %s:%s", #fname, #kind[0] == 'N' ? "S" : #kind);
#define X(id, name, cat)                                   \
	ob_printf(o, "%s seq:U stage:S obj:I", name);      \
	EV_FIELDS_##id(SCHEMA_FIELD_O) ob_putc(o, '\n');
	ELFLD_EVENT_TYPES(X)
#undef X
	ob_printf(o, "stages");
	for (int i = 0; i < STAGE_COUNT; i++)
		ob_printf(o, " %s", stage_names[i]);
	ob_putc(o, '\n');
}

void events_print_schema(int fd)
{
	char b[4096];
	struct outbuf ob;
	ob_init(&ob, fd, b, sizeof b);
	ob_printf(&ob, "elfld-events %d\n", ELFLD_EVENTS_VERSION);
	events_schema_to(&ob);
	ob_flush(&ob);
}

/* ---- trace sink: for people. Indentation shows what belongs to what. */
static const char *objname(int id)
{
	FOR_EACH_OBJ(o)
		if (o->id == id)
			return o->name;
	return "?";
}

static void trace_event(struct outbuf *ob, const struct elfld_event *ev)
{
	switch (ev->type) {
	case EV_STAGE:
		ob_printf(ob, "elfld: == stage %s: %s\n", ev->u.stage.name, ev->u.stage.desc);
		break;
	case EV_OBJECT:
		ob_printf(ob, "elfld: [%d] %s %s", ev->obj, ev->u.object.kind, ev->u.object.path);
		if (ev->u.object.ns)
			ob_printf(ob, " (namespace %lu)", ev->u.object.ns);
		ob_printf(ob, "\n");
		ob_printf(ob, "elfld:       base 0x%lx  range 0x%lx-0x%lx  dynamic 0x%lx%s%s\n",
			  ev->u.object.base, ev->u.object.start, ev->u.object.end, ev->u.object.dynamic,
			  *ev->u.object.build_id ? "  build-id " : "", ev->u.object.build_id);
		break;
	case EV_SEGMENT:
		ob_printf(ob, "elfld:       %-7s %-4s 0x%lx-0x%lx  file 0x%lx+0x%lx  memsz 0x%lx%s\n",
			  ev->u.segment.type == PT_LOAD ? "LOAD" : ev->u.segment.type == PT_TLS ? "TLS"
				: ev->u.segment.type == PT_DYNAMIC ? "DYNAMIC" : "RELRO",
			  ev->u.segment.perm, ev->u.segment.addr, ev->u.segment.addr + ev->u.segment.memsz,
			  ev->u.segment.offset, ev->u.segment.filesz, ev->u.segment.memsz,
			  ev->u.segment.memsz > ev->u.segment.filesz ? "  (bss zeroed)" : "");
		break;
	case EV_SEARCH:
		ob_printf(ob, "elfld:   search %s (needed by %s): %s %s -> %s\n", ev->u.search.name,
			  ev->u.search.needed_by, ev->u.search.how, ev->u.search.dir, ev->u.search.result);
		break;
	case EV_DEP:
		ob_printf(ob, "elfld:   [%d] %s needs %s -> [%ld]\n", ev->obj, objname(ev->obj), ev->u.dep.needed,
			  ev->u.dep.dep);
		break;
	case EV_TLS_MODULE:
		ob_printf(ob, "elfld: tls module %lu = [%d] %s: %s, size 0x%lx (image 0x%lx), align 0x%lx, block at tp-0x%lx\n",
			  ev->u.tls_module.modid, ev->obj, objname(ev->obj), ev->u.tls_module.kind,
			  ev->u.tls_module.size, ev->u.tls_module.filesz, ev->u.tls_module.align,
			  (unsigned long)-ev->u.tls_module.tp_offset);
		break;
	case EV_TLS_BLOCK:
		ob_printf(ob, "elfld: tls block module %lu thread %lu: 0x%lx-0x%lx (%s, tp 0x%lx, dtv 0x%lx)\n",
			  ev->u.tls_block.modid, ev->u.tls_block.tid, ev->u.tls_block.addr,
			  ev->u.tls_block.addr + ev->u.tls_block.size, ev->u.tls_block.kind, ev->u.tls_block.tp,
			  ev->u.tls_block.dtv);
		break;
	case EV_RELOC:
		ob_printf(ob, "elfld:   [%d] %-18s at 0x%lx  %s%s%s%s  += %ld  -> 0x%lx", ev->obj,
			  ev->u.reloc.type_name, ev->u.reloc.where, ev->u.reloc.symbol,
			  *ev->u.reloc.version ? "@" : "", ev->u.reloc.version, "", (long)ev->u.reloc.addend,
			  ev->u.reloc.value);
		if (ev->u.reloc.def_obj >= 0)
			ob_printf(ob, "  (from %s)", objname((int)ev->u.reloc.def_obj));
		if (ev->u.reloc.lazy)
			ob_printf(ob, "  (lazy: the PLT entry, bound at the first call)");
		ob_putc(ob, '\n');
		break;
	case EV_BIND:
		ob_printf(ob, "elfld: bind [%d] %s slot 0x%lx (plt %lu) %s%s%s -> 0x%lx", ev->obj, objname(ev->obj),
			  ev->u.bind.where, ev->u.bind.index, ev->u.bind.symbol, *ev->u.bind.version ? "@" : "",
			  ev->u.bind.version, ev->u.bind.value);
		if (ev->u.bind.def_obj >= 0)
			ob_printf(ob, " (%s)", objname((int)ev->u.bind.def_obj));
		ob_printf(ob, "  thread %lu at %lu.%06lu ms\n", ev->u.bind.tid, ev->u.bind.time_ns / 1000000,
			  ev->u.bind.time_ns % 1000000);
		break;
	case EV_RELOC_DONE:
		ob_printf(ob, "elfld: [%d] %s relocated: %lu relocations (%lu relative, %lu relr, %lu symbolic, %lu tls, "
			      "%lu copy, %lu irelative)\n",
			  ev->obj, objname(ev->obj), ev->u.reloc_done.total, ev->u.reloc_done.relative,
			  ev->u.reloc_done.relr, ev->u.reloc_done.symbolic, ev->u.reloc_done.tls,
			  ev->u.reloc_done.copy, ev->u.reloc_done.irelative);
		break;
	case EV_RELRO:
		ob_printf(ob, "elfld: [%d] %s RELRO 0x%lx-0x%lx now read-only\n", ev->obj, objname(ev->obj),
			  ev->u.relro.start, ev->u.relro.end);
		break;
	case EV_INIT:
		ob_printf(ob, "elfld: [%d] %s calling %s[%lu] at 0x%lx\n", ev->obj, objname(ev->obj), ev->u.init.kind,
			  ev->u.init.index, ev->u.init.func);
		break;
	case EV_ENTRY:
		ob_printf(ob, "elfld: jumping to entry 0x%lx, stack 0x%lx, fini 0x%lx, tp 0x%lx\n", ev->u.entry.entry,
			  ev->u.entry.sp, ev->u.entry.fini, ev->u.entry.tp);
		break;
	case EV_DLOPEN:
		ob_printf(ob, "elfld: dlopen(\"%s\", 0x%lx) -> [%d] %s (references %lu, %lu objects loaded",
			  ev->u.dlopen.file, ev->u.dlopen.mode, ev->obj, ev->u.dlopen.result, ev->u.dlopen.refcount,
			  ev->u.dlopen.loaded);
		if (ev->u.dlopen.ns > 0)
			ob_printf(ob, ", namespace %ld", ev->u.dlopen.ns);
		ob_printf(ob, ")\n");
		break;
	case EV_DLCLOSE:
		ob_printf(ob, "elfld: dlclose([%d] %s): references %lu%s\n", ev->obj, objname(ev->obj),
			  ev->u.dlclose.refcount, ev->u.dlclose.unloaded ? ", unloaded" : "");
		break;
	case EV_UNMAP:
		ob_printf(ob, "elfld: [%d] %s unmapped 0x%lx-0x%lx\n", ev->obj, ev->u.unmap.path, ev->u.unmap.start,
			  ev->u.unmap.end);
		break;
	case EV_PAUSE:
		ob_printf(ob, "elfld: paused at %s\n", ev->u.pause.at);
		break;
	case EV_ERROR:
		break; /* already printed on stderr */
	case EV_WARNING:
		ob_printf(ob, "elfld: warning: %s\n", ev->u.warning.message);
		break;
	}
}

/* ---- pause control: "--control=FD" commands, one per line:
 *   continue | step | step-object | step-reloc | pause-at STAGE | clear */
static int step_stage, step_object, step_reloc;
static void control_wait(const char *at)
{
	struct elfld_event ev = { .type = EV_PAUSE, .obj = -1 };
	ev.u.pause.at = at;
	event_emit(&ev);
	events_flush();
	if (evcfg.control_fd < 0) {
		/* No control channel: stop like a job-control stop; `kill -CONT` resumes. */
		sys_kill((int)sys_getpid(), K_SIGSTOP);
		return;
	}
	char line[128];
	for (;;) {
		size_t n = 0;
		for (;;) {
			char c;
			long r = sys_read(evcfg.control_fd, &c, 1);
			if (r == -4)
				continue;
			if (r <= 0) { /* observer gone: carry on without pausing again */
				evcfg.control_fd = -1;
				evcfg.pause_mask = 0;
				evcfg.pause_objects = step_stage = step_object = step_reloc = 0;
				return;
			}
			if (c == '\n')
				break;
			if (n < sizeof line - 1)
				line[n++] = c;
		}
		line[n] = 0;
		step_stage = step_object = step_reloc = 0;
		if (u_strcmp(line, "continue") == 0 || u_strcmp(line, "c") == 0)
			return;
		if (u_strcmp(line, "step") == 0 || u_strcmp(line, "s") == 0) {
			step_stage = 1;
			return;
		}
		if (u_strcmp(line, "step-object") == 0 || u_strcmp(line, "o") == 0) {
			step_object = step_stage = 1;
			return;
		}
		if (u_strcmp(line, "step-reloc") == 0 || u_strcmp(line, "r") == 0) {
			/* after the next relocation (its event says what was there and what was written), else
			 * where a step would stop */
			step_reloc = step_object = step_stage = 1;
			return;
		}
		if (u_strcmp(line, "clear") == 0) {
			evcfg.pause_mask = 0;
			evcfg.pause_objects = 0;
			continue;
		}
		if (u_startswith(line, "pause-at ")) {
			int s = stage_from_name(line + 9);
			if (s >= 0)
				evcfg.pause_mask |= 1u << s;
			continue;
		}
		/* unknown command: ignored (the stream reader sees no reply; keep the protocol tiny) */
	}
}

void event_emit(struct elfld_event *ev)
{
	/* Until initializers run there is one thread: no lock (a big program's stream is 600,000 events). From
	 * then on a constructor may start threads, and their first calls send `bind` events. */
	int threads = L.stage >= STAGE_PROTECTED;
	if (threads)
		u_lock(&ev_lock);
	ev->seq = ++seq;
	ev->stage = L.stage;
	elfld_debug.nevents = seq;
	if (evcfg.trace_fd >= 0 && (evcfg.trace_mask & ev_cats[ev->type]))
		trace_event(&trace_ob, ev);
	if (evcfg.stream_fd >= 0) {
		if (evcfg.stream_binary)
			binary_event(&stream_ob, ev);
		else
			stream_event(&stream_ob, ev);
	}
	if (threads) { /* the program runs on between events, maybe for long: a reader sees each at once */
		events_flush();
		u_unlock(&ev_lock);
	}
	/* The hook (a debugger's breakpoint) is called for the events that change what a debugger must know;
	 * the numerous ones (relocations, initializers, TLS blocks, ...) only when it asked (want). */
	const uint32_t always = 1u << EV_STAGE | 1u << EV_OBJECT | 1u << EV_DLOPEN | 1u << EV_DLCLOSE | 1u << EV_UNMAP |
				1u << EV_PAUSE | 1u << EV_ENTRY | 1u << EV_ERROR;
	if ((always | elfld_debug.want) & (1u << ev->type)) {
		elfld_debug.event = ev;
		elfld_debug_hook(ev);
	}
	if (ev->type == EV_OBJECT)
		obj_warn_flush(ev->obj); /* what was noted while it was mapped, now that it has an id */
	if (ev->type == EV_RELOC && step_reloc) {
		char at[48];
		u_snprintf(at, sizeof at, "reloc:0x%lx", ev->u.reloc.where);
		control_wait(at);
	}
	if (ev->type == EV_OBJECT || ev->type == EV_RELOC_DONE) {
		if (evcfg.pause_objects || step_object) {
			char at[160];
			u_snprintf(at, sizeof at, "%s:%s", ev->type == EV_OBJECT ? "object" : "relocated",
				   objname(ev->obj));
			control_wait(at);
		}
	}
}

void events_flush(void)
{
	if (evcfg.trace_fd >= 0)
		ob_flush(&trace_ob);
	if (evcfg.stream_fd >= 0)
		ob_flush(&stream_ob);
}

void event_stage(int stage)
{
	L.stage = stage;
	elfld_debug.stage = (uint32_t)stage;
	elfld_debug.tls_static_size = tls_static_size;
	elfld_debug.tls_static_align = tls_static_align;
	elfld_debug.tls_generation = tls_generation;
	elfld_debug.tls_max_modid = tls_max_modid;
	struct elfld_event ev = { .type = EV_STAGE, .obj = -1 };
	ev.u.stage.name = stage_names[stage];
	ev.u.stage.desc = stage_descs[stage];
	event_emit(&ev);
	if ((evcfg.pause_mask & (1u << stage)) || step_stage)
		control_wait(stage_names[stage]);
}

/* Called by u_fatal: the error goes into the stream too, so tools can show why loading failed. */
void events_fatal(const char *msg)
{
	obj_warn_flush(-1); /* warnings about the object that could not be loaded come first */
	/* always: a debugger stops on it (its hook), with what was loaded so far still there to see */
	struct elfld_event ev = { .type = EV_ERROR, .obj = -1 };
	ev.u.error.message = msg;
	event_emit(&ev);
	events_flush();
}

int events_parse_trace(const char *spec, unsigned *mask)
{
	static const struct { const char *name; unsigned bit; } cats[] = {
		{ "stages", TR_STAGES }, { "objects", TR_OBJECTS }, { "segments", TR_SEGMENTS },
		{ "search", TR_SEARCH }, { "symbols", TR_SYMBOLS }, { "relocs", TR_RELOCS },
		{ "tls", TR_TLS },       { "init", TR_INIT },       { "warnings", TR_WARNINGS },
		{ "bindings", TR_BINDINGS }, { "all", TR_ALL },
	};
	*mask = 0;
	while (*spec) {
		const char *e = u_strchr(spec, ',');
		size_t n = e ? (size_t)(e - spec) : strlen(spec);
		size_t i;
		for (i = 0; i < ARRAY_LEN(cats); i++)
			if (strlen(cats[i].name) == n && u_strncmp(spec, cats[i].name, n) == 0)
				break;
		if (i == ARRAY_LEN(cats))
			return -1;
		*mask |= cats[i].bit;
		spec += n + (e ? 1 : 0);
	}
	return 0;
}
