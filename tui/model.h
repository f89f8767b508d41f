/* elfld-tui's model: what the event stream (docs/events.md) said, kept in growable arrays. */
#ifndef TUI_MODEL_H
#define TUI_MODEL_H
#include <stddef.h>

/* One stream line, kept as it came (fields escaped, separated by spaces) and parsed on demand: a big
 * program sends hundreds of thousands of relocation events. */
struct ev {
	char type[15];
	char line[]; /* " key=value key=value ..." */
};
/* The unescaped value of `key` ("" if absent). Valid until 16 more calls. */
const char *ev_get(const struct ev *e, const char *key);
struct ev *ev_new(const char *type, const char *fields);

struct vec {
	void **v;
	size_t n, cap;
};
void vec_push(struct vec *v, void *p);

struct model {
	struct vec events;   /* every struct ev, in order */
	struct vec objects;  /* struct ev of type object */
	struct vec segments; /* segment */
	struct vec relocs;   /* reloc */
	struct vec tls;      /* tls-module and tls-block */
	char stage[32];
	int paused;
	char pause_at[128];
	size_t nrelocs_done, tls_bytes;
	char error[512];
	int version_ok;
	/* program output (from the pseudo-terminal), as lines */
	struct vec out_lines;
	char partial[4096];
	size_t partial_len;
	/* end */
	int exited, status_known, exit_code, signal;
};

/* Feed raw stream bytes; complete lines become events. Returns the number of new events. */
int model_feed(struct model *m, const char *buf, size_t n);
void model_output(struct model *m, const char *buf, size_t n);
void model_flush_output(struct model *m);

/* Pane rendering as plain text lines (shared by the TUI and --dump). */
enum pane { PANE_OBJECTS, PANE_SEGMENTS, PANE_RELOCS, PANE_TLS, PANE_EVENTS, PANE_OUTPUT, PANE_COUNT };
extern const char *const pane_names[PANE_COUNT];
int pane_from_name(const char *s);
size_t pane_rows(const struct model *m, enum pane p);
/* Row i of pane p into buf (row 0 is the header). */
void pane_row(const struct model *m, enum pane p, size_t i, char *buf, size_t cap);
#endif
