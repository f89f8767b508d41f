/* elfld-tui's model: what the event stream (docs/events.md) said, kept in growable arrays. */
#ifndef TUI_MODEL_H
#define TUI_MODEL_H
#include <stddef.h>

/* One event with its own storage: its fields, each value unescaped once when the event arrives, as
 * "key\0value\0key\0value\0...\0". A big program sends hundreds of thousands of relocation events. */
struct ev {
	char type[15];
	char f[];
};
/* The value of `key` ("" if absent): a pointer into the event itself, valid as long as the event (callers
 * may keep any number of them). */
const char *ev_get(const struct ev *e, const char *key);
/* The fields in order: key NULL gives the first; returns the key (its value in *val), NULL after the last. */
const char *ev_next_field(const struct ev *e, const char *key, const char **val);
/* An event from the stream's form of its fields: "key=value key=value ...", values escaped (\s ...). */
struct ev *ev_new(const char *type, const char *fields);

struct lazy_slot {
	unsigned long where;
	long obj;
	const struct ev *reloc, *bind;
};

struct vec {
	void **v;
	size_t n, cap;
};
void vec_push(struct vec *v, void *p);

/* Which relocations the relocs pane shows: every non-empty field must match. */
struct reloc_filter {
	char obj[128];  /* object name (SONAME or file name), path or id */
	char type[64];  /* R_X86_64_GLOB_DAT, or GLOB_DAT (any case) */
	char sym[128];  /* part of the symbol's name */
};

/* What the event stream had said at a step boundary (a stage, or an object pause): the header's
 * "this step: +N objects, +N relocations" and the new rows' highlight count from the one before. */
struct mark {
	unsigned long seq; /* the last event's */
	size_t objects, segments, relocs, tls_mod, tls_blk, inits, relro;
};

struct pmap; /* the whole process's address map (map.c), rebuilt when events arrive */

struct model {
	struct vec events;   /* every struct ev, in order */
	struct vec objects;  /* struct ev of type object */
	struct vec segments; /* segment */
	struct vec relocs;   /* reloc */
	struct vec tls;      /* tls-module and tls-block */
	struct vec by_id;    /* object event by object id (ids count from 0, never reused) */
	struct vec tls_by_id; /* tls-module event by object id */
	char **stages;       /* the stages in order (the binary stream's schema; else the known ones) */
	int nstages;
	char stage[32];
	int paused;
	char pause_at[128];
	size_t nrelocs_done, tls_bytes;
	char error[512];
	int version_ok;
	/* the relocs pane with a filter: the matching relocs, kept up to date as events arrive */
	struct reloc_filter rfilter;
	struct vec reloc_view;
	char rf_obj_id[16]; /* the last object id tested against rfilter.obj, and the answer: relocations */
	int rf_obj_match;   /* come grouped by object, so this saves looking the object up each time */
	/* lazily bound PLT slots: (object, slot address) -> its reloc event and, once called, its bind event */
	struct lazy_slot *lazy;
	size_t lazy_cap, lazy_n, nbound;
	/* program output (from the pseudo-terminal), as lines */
	struct vec out_lines;
	char partial[4096];
	size_t partial_len;
	int out_esc;   /* inside a terminal escape sequence (0 none, 1 after ESC, 2 CSI, 3 OSC) */
	size_t out_col; /* column of the partial line, for tab stops */
	/* steps: the boundary before the last one (prev) and the last one (cur), the last stage's description */
	struct mark mark_prev, mark_cur, now;
	char stage_desc[256];
	struct pmap *pmap;
	/* end */
	int exited, status_known, exit_code, signal;
};

/* Feed raw stream bytes; complete lines become events. Returns the number of new events. */
int model_feed(struct model *m, const char *buf, size_t n); /* stream.c: text or binary events */
void model_add_line(struct model *m, char *line);           /* one text-stream line (modified) */
void model_output(struct model *m, const char *buf, size_t n);
void model_flush_output(struct model *m);

/* TLS variables whose DWARF has been read (on a thread) become rows; returns how many objects'. */
int model_collect_dwarf(struct model *m);

int reloc_filter_active(const struct reloc_filter *f);
/* Set the relocs pane's filter (an empty one shows every relocation). */
void model_set_reloc_filter(struct model *m, const struct reloc_filter *f);
/* A relocation left for lazy binding (its `lazy` is 1): its `bind` event, NULL while it is not called. */
const struct ev *model_binding(const struct model *m, const struct ev *reloc);
/* The name of object `id` ("?" if unknown). */
const char *model_objname(const struct model *m, const char *id);
/* The object event of object `id`, its tls-module event (NULL if none). */
const struct ev *model_object(const struct model *m, const char *id);
const struct ev *model_tls_module(const struct model *m, const char *id);
/* The stages in order, from the binary stream's schema (the model keeps its own copy). */
void model_set_stages(struct model *m, char *const *names, int n);
/* The stage an event belongs to: the one it leads to. The stream's `stage` field is the last stage
 * boundary passed (relocations carry tls-allocated, and make the stage relocated); a stage event is its
 * own stage, a pause at a stage boundary that stage; after the last stage (entry): "running". */
const char *model_event_stage(const struct model *m, const struct ev *e);
/* A field as people read it (into buf, or the value itself): segment types by name (GNU_RELRO), the
 * relocation type's name (RELR), TLS offsets from the thread pointer (tp-0x1004), an object's TLS module
 * (the object event's tls_modid is always 0: modules are numbered later). */
const char *model_field_text(const struct model *m, const struct ev *e, const char *key, char *buf, size_t cap);
/* Thread-pointer-relative offset v as tp-0x1004 / tp+0x10. */
void tp_text(long long v, char *buf, size_t cap);

/* The header's step line: "[2/8] mapped | this step: +4 objects, +17 program headers | DESC". */
void model_step_text(const struct model *m, char *buf, size_t cap);
/* Row i (i >= 1) of pane p came in the last step (since the boundary before the last one). */
int pane_row_new(const struct model *m, int p, size_t i);

/* Pane rendering as plain text lines (shared by the TUI and --dump). PANE_MAP: the whole process's
 * address map (every object, TLS block, TCB, DTV, the stack), sorted by address. */
enum pane { PANE_OBJECTS, PANE_SEGMENTS, PANE_RELOCS, PANE_TLS, PANE_EVENTS, PANE_OUTPUT, PANE_MAP, PANE_COUNT };
extern const char *const pane_names[PANE_COUNT];
int pane_from_name(const char *s);
size_t pane_rows(const struct model *m, enum pane p);
/* Row i of pane p into buf (row 0 is the header). */
void pane_row(const struct model *m, enum pane p, size_t i, char *buf, size_t cap);
/* The event behind row i (i >= 1) of pane p, NULL for output lines. */
const struct ev *pane_event(const struct model *m, enum pane p, size_t i);
/* One line about the pane: what it holds, how many rows, the filter. */
void pane_title(const struct model *m, enum pane p, char *buf, size_t cap);

/* What a row (or a character of the address map) stands for; the screen gives each a colour, or
 * nothing on a monochrome terminal (the text alone must say it all). */
enum style {
	ST_NONE,
	ST_EXEC,      /* r-x: code */
	ST_WRITE,     /* rw-: data */
	ST_READONLY,  /* r--: read-only data */
	ST_RELRO,     /* made read-only after relocation */
	ST_BSS,       /* zero-filled, beyond the file */
	ST_TLS,       /* thread-local storage: PT_TLS, modules, TLS relocations */
	ST_ERROR,     /* a loader error */
	ST_STAGE,     /* a stage boundary */
	ST_BIND_FUNC, /* JUMP_SLOT: a function bound to its definition */
	ST_BIND_DATA, /* GLOB_DAT, 64, ...: a data address bound */
	ST_COPY,      /* COPY: data copied into the program */
	ST_IFUNC,     /* IRELATIVE: a resolver called */
	ST_COUNT
};
enum style pane_row_style(const struct model *m, enum pane p, size_t i);

/* The segments pane's address map (map.c): one object's PT_LOAD segments drawn to scale. */
enum { MAP_LINES = 3 }; /* title, bar, labels */
/* Object `obj` (an id) in `width` columns of bar: lines[0] title, lines[1] the bar, lines[2] permission
 * labels under each segment. Returns 0, or -1 if the object has no PT_LOAD segment yet. */
int map_object(const struct model *m, const char *obj, int width, char lines[MAP_LINES][512]);
/* What the bar's characters mean, one line. */
extern const char map_legend[];
enum style map_char_style(char c);

/* The process map pane (map.c): its rows (header included), row i, the event behind row i (NULL: a gap). */
size_t pmap_rows(const struct model *m);
void pmap_row(const struct model *m, size_t i, char *buf, size_t cap);
const struct ev *pmap_event(const struct model *m, size_t i);

/* The TLS pane's memory view of one thread (tid as the tls-block events give it; NULL or "": the first
 * thread): its blocks below the thread pointer, the TCB at it, the DTV's slots. Up to `max` lines of text;
 * returns how many (0 if the thread has no block yet). */
int tls_memory(const struct model *m, const char *tid, char lines[][512], int max);
/* The thread (tid) of the TLS pane's row i, "" if the row has none. */
const char *tls_row_thread(const struct model *m, size_t i);
#endif
