/* Parsing the event stream into the model, and the panes as text rows. */
#include "model.h"
#include "dwarf_tls.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO_DWARF "note=(no\\sDWARF:\\svariables\\sunknown)"

const char *const pane_names[PANE_COUNT] = { "objects", "segments", "relocs", "tls", "events", "output", "map" };

int pane_from_name(const char *s)
{
	for (int i = 0; i < PANE_COUNT; i++)
		if (!strcmp(s, pane_names[i]))
			return i;
	return -1;
}

void vec_push(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 256;
		v->v = realloc(v->v, v->cap * sizeof *v->v);
		if (!v->v) {
			perror("elfld-tui");
			exit(1);
		}
	}
	v->v[v->n++] = p;
}

/* Undo the stream's escaping of n bytes at s (\s space, \\ backslash, \n, \t, \xHH, \0 empty) into o,
 * which has room for n + 1 bytes (unescaping never makes a value longer). Returns the end (its NUL). */
static char *unescape_into(const char *s, size_t n, char *o)
{
	if (n == 2 && s[0] == '\\' && s[1] == '0')
		n = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			*o++ = s[i];
			continue;
		}
		char c = s[++i];
		if (c == 's')
			*o++ = ' ';
		else if (c == 'n')
			*o++ = '\n';
		else if (c == 't')
			*o++ = '\t';
		else if (c == 'x' && i + 2 < n) {
			char h[3] = { s[i + 1], s[i + 2], 0 };
			char b = (char)strtol(h, NULL, 16);
			if (b) /* a NUL byte would end the value: it stays as written */
				*o++ = b;
			else {
				memcpy(o, s + i - 1, 4);
				o += 4;
			}
			i += 2;
		} else
			*o++ = c;
	}
	*o = 0;
	return o;
}

const char *ev_next_field(const struct ev *e, const char *key, const char **val)
{
	const char *k = key ? *val + strlen(*val) + 1 : e->f;
	if (!*k)
		return NULL;
	*val = k + strlen(k) + 1;
	return k;
}

const char *ev_get(const struct ev *e, const char *key)
{
	const char *v = NULL;
	for (const char *k = NULL; (k = ev_next_field(e, k, &v));)
		if (!strcmp(k, key))
			return v;
	return "";
}

/* Each "key=value" becomes "key\0value\0" (value unescaped); the list ends with an empty key. A word
 * without '=' or with an empty key is not a field. */
/* v->v[id] = p, for an object id (a decimal number from 0; others are not kept). */
static void vec_set(struct vec *v, const char *id, void *p)
{
	char *end;
	long i = strtol(id, &end, 10);
	if (*end || end == id || i < 0 || i > 1000000)
		return;
	while (v->n <= (size_t)i)
		vec_push(v, NULL);
	v->v[i] = p;
}

static const struct ev *vec_at(const struct vec *v, const char *id)
{
	char *end;
	long i = strtol(id, &end, 10);
	return *end || end == id || i < 0 || (size_t)i >= v->n ? NULL : v->v[i];
}

const struct ev *model_object(const struct model *m, const char *id)
{
	return vec_at(&m->by_id, id);
}

const struct ev *model_tls_module(const struct model *m, const char *id)
{
	return vec_at(&m->tls_by_id, id);
}

struct ev *ev_new(const char *type, const char *fields)
{
	size_t n = strlen(fields);
	struct ev *e = malloc(sizeof *e + n + 3);
	if (!e) {
		perror("elfld-tui");
		exit(1);
	}
	/* Event types are short words; a longer one is cut (strnlen, not
	   snprintf, which -O3's truncation warning rejects). */
	size_t tl = strnlen(type, sizeof e->type - 1);
	memcpy(e->type, type, tl);
	e->type[tl] = 0;
	char *o = e->f;
	for (const char *w = fields; *w;) {
		const char *end = strchr(w, ' '), *eq;
		if (!end)
			end = w + strlen(w);
		eq = memchr(w, '=', (size_t)(end - w));
		if (eq && eq > w) {
			memcpy(o, w, (size_t)(eq - w));
			o += eq - w;
			*o++ = 0;
			o = unescape_into(eq + 1, (size_t)(end - eq - 1), o) + 1;
		}
		w = *end ? end + 1 : end;
	}
	*o = 0;
	return e;
}

/* Escape a value for a pseudo-event line (the stream's rules). */
static void esc(char *o, size_t cap, const char *s)
{
	size_t k = 0;
	for (; *s && k + 3 < cap; s++) {
		if (*s == ' ')
			o[k++] = '\\', o[k++] = 's';
		else if (*s == '\\')
			o[k++] = '\\', o[k++] = '\\';
		else
			o[k++] = *s;
	}
	o[k] = 0;
	if (!k)
		snprintf(o, cap, "\\0");
}

/* The variables inside a TLS module's block, read from the object's DWARF, become rows of the TLS pane
 * right after the module (as pseudo-events of type "tls-var"). The DWARF is read on a thread (it can
 * take seconds); until then the row says so. */
static void add_tls_vars(struct model *m, const struct ev *mod)
{
	const struct ev *o = model_object(m, ev_get(mod, "obj"));
	const char *path = o ? ev_get(o, "path") : "";
	if (!*path) {
		vec_push(&m->tls, ev_new("tls-var", NO_DWARF));
		return;
	}
	struct ev *reading = ev_new("tls-var", "note=(reading\\sDWARF...)");
	vec_push(&m->tls, reading);
	dwarf_read_later(path, reading);
}

/* Replace v->v[at] by the n pointers of `with`. */
static void vec_splice(struct vec *v, size_t at, void **with, size_t n)
{
	if (v->n + n > v->cap + 1) {
		v->cap = v->n + n + 256;
		v->v = realloc(v->v, v->cap * sizeof *v->v);
		if (!v->v) {
			perror("elfld-tui");
			exit(1);
		}
	}
	memmove(v->v + at + n, v->v + at + 1, (v->n - at - 1) * sizeof *v->v);
	if (n)
		memcpy(v->v + at, with, n * sizeof *v->v);
	v->n = v->n + n - 1;
}

static void tls_var_rows(const struct dwarf_job *j, struct vec *rows)
{
	if (j->rc < 0) {
		vec_push(rows, ev_new("tls-var", NO_DWARF));
		return;
	}
	for (int i = 0; i < j->vars.n; i++) {
		const struct tls_var *tv = &j->vars.v[i];
		char name[200], type[200], where[200], line[700];
		esc(name, sizeof name, tv->name);
		esc(type, sizeof type, tv->type);
		snprintf(line, sizeof line, "%s:%lu", tv->file, tv->line);
		esc(where, sizeof where, line);
		snprintf(line, sizeof line, "name=%s vtype=%s offset=+0x%lx where=%s", name, type, tv->offset, where);
		vec_push(rows, ev_new("tls-var", line));
	}
}

int model_collect_dwarf(struct model *m)
{
	struct dwarf_job *j;
	int n = 0;
	while ((j = dwarf_read_done())) {
		struct vec rows = { 0 };
		tls_var_rows(j, &rows);
		for (size_t at = m->tls.n; at-- > 0;)
			if (m->tls.v[at] == j->key) {
				free(m->tls.v[at]);
				vec_splice(&m->tls, at, rows.v, rows.n);
				break;
			}
		free(rows.v);
		free(j);
		n++;
	}
	return n;
}

/* ---- the relocs pane's filter */
int reloc_filter_active(const struct reloc_filter *f)
{
	return f->obj[0] || f->type[0] || f->sym[0];
}

/* `want` names object `id`: its id, name (SONAME or file name), path, or the path's last part. */
static int object_matches(const struct model *m, const char *id, const char *want)
{
	if (!strcmp(id, want))
		return 1;
	const struct ev *o = model_object(m, id);
	if (!o)
		return 0;
	const char *path = ev_get(o, "path"), *slash = strrchr(path, '/');
	return !strcmp(ev_get(o, "name"), want) || !strcmp(path, want) || (slash && !strcmp(slash + 1, want));
}

/* R_X86_64_GLOB_DAT is asked for as itself or as GLOB_DAT, in any case. */
static int type_matches(const char *type_name, const char *want)
{
	static const char prefix[] = "R_X86_64_";
	if (!strcasecmp(type_name, want))
		return 1;
	return !strncmp(type_name, prefix, sizeof prefix - 1) && !strcasecmp(type_name + sizeof prefix - 1, want);
}

static int reloc_matches(struct model *m, const struct ev *e)
{
	const struct reloc_filter *f = &m->rfilter;
	if (f->type[0] && !type_matches(ev_get(e, "type_name"), f->type))
		return 0;
	if (f->sym[0] && !strstr(ev_get(e, "symbol"), f->sym))
		return 0;
	if (f->obj[0]) {
		const char *id = ev_get(e, "obj");
		if (strcmp(id, m->rf_obj_id)) {
			snprintf(m->rf_obj_id, sizeof m->rf_obj_id, "%s", id);
			m->rf_obj_match = object_matches(m, id, f->obj);
		}
		return m->rf_obj_match;
	}
	return 1;
}

void model_set_reloc_filter(struct model *m, const struct reloc_filter *f)
{
	m->rfilter = *f;
	m->reloc_view.n = 0;
	m->rf_obj_id[0] = 0;
	if (!reloc_filter_active(f))
		return;
	for (size_t i = 0; i < m->relocs.n; i++)
		if (reloc_matches(m, m->relocs.v[i]))
			vec_push(&m->reloc_view, m->relocs.v[i]);
}

/* ---- lazy bindings: an open-addressed table of the lazy relocations, found again by their bind event */
static size_t lazy_hash(unsigned long where, long obj, size_t cap)
{
	return (size_t)((where >> 3) * 0x9e3779b97f4a7c15ul + (unsigned long)obj) & (cap - 1);
}

static struct lazy_slot *lazy_find(const struct model *m, unsigned long where, long obj)
{
	if (!m->lazy_cap)
		return NULL;
	for (size_t h = lazy_hash(where, obj, m->lazy_cap);; h = (h + 1) & (m->lazy_cap - 1)) {
		struct lazy_slot *sl = &m->lazy[h];
		if (!sl->reloc || (sl->where == where && sl->obj == obj))
			return sl;
	}
}

static void lazy_add(struct model *m, const struct ev *reloc)
{
	if (2 * (m->lazy_n + 1) > m->lazy_cap) {
		struct lazy_slot *old = m->lazy;
		size_t oldcap = m->lazy_cap;
		m->lazy_cap = oldcap ? 2 * oldcap : 1024;
		m->lazy = calloc(m->lazy_cap, sizeof *m->lazy);
		if (!m->lazy) {
			perror("elfld-tui");
			exit(1);
		}
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].reloc)
				*lazy_find(m, old[i].where, old[i].obj) = old[i];
		free(old);
	}
	unsigned long where = strtoul(ev_get(reloc, "where"), NULL, 16);
	long obj = strtol(ev_get(reloc, "obj"), NULL, 10);
	struct lazy_slot *sl = lazy_find(m, where, obj);
	if (!sl->reloc)
		m->lazy_n++;
	*sl = (struct lazy_slot){ where, obj, reloc, NULL }; /* (a dlopen at the same place: the new one) */
}

static void lazy_bound(struct model *m, const struct ev *bind)
{
	struct lazy_slot *sl = lazy_find(m, strtoul(ev_get(bind, "where"), NULL, 16), strtol(ev_get(bind, "obj"), NULL, 10));
	if (sl && sl->reloc) {
		m->nbound += !sl->bind;
		sl->bind = bind; /* LD_BIND_NOT binds at every call: the latest */
	}
}

const struct ev *model_binding(const struct model *m, const struct ev *reloc)
{
	const struct lazy_slot *sl = lazy_find(m, strtoul(ev_get(reloc, "where"), NULL, 16),
					       strtol(ev_get(reloc, "obj"), NULL, 10));
	return sl && sl->reloc == reloc ? sl->bind : NULL;
}

/* ---- values as people read them */
static const char *const known_stages[] = { "begin", "mapped", "tls-allocated", "relocated", "tls-initialized",
					    "protected", "initialized", "entry" };

void model_set_stages(struct model *m, char *const *names, int n)
{
	for (int i = 0; i < m->nstages; i++)
		free(m->stages[i]);
	free(m->stages);
	m->stages = calloc((size_t)(n > 0 ? n : 1), sizeof *m->stages);
	if (!m->stages) {
		perror("elfld-tui");
		exit(1);
	}
	for (int i = 0; i < n; i++)
		m->stages[i] = strdup(names[i]);
	m->nstages = n;
}

static int stage_index(const struct model *m, const char *s, int *n)
{
	const char *const *st = m->nstages ? (const char *const *)m->stages : known_stages;
	*n = m->nstages ? m->nstages : (int)(sizeof known_stages / sizeof *known_stages);
	for (int i = 0; i < *n; i++)
		if (!strcmp(st[i], s))
			return i;
	return -1;
}

static const char *stage_name(const struct model *m, int i)
{
	return m->nstages ? m->stages[i] : known_stages[i];
}


/* A step boundary (a stage, an object pause): what came since the one before is "this step". */
static void step_boundary(struct model *m)
{
	m->now.objects = m->objects.n;
	m->now.segments = m->segments.n;
	m->now.relocs = m->relocs.n;
	m->mark_prev = m->mark_cur;
	m->mark_cur = m->now;
}

void model_add_line(struct model *m, char *line)
{
	if (!m->version_ok) {
		char want[32];
		snprintf(want, sizeof want, "elfld-events %d", ELFLD_EVENTS_VERSION);
		m->version_ok = !strcmp(line, want) ? 1 : -1;
		return;
	}
	char *sp = strchr(line, ' ');
	if (sp)
		*sp = 0;
	struct ev *e = ev_new(line, sp ? sp + 1 : "");
	vec_push(&m->events, e);
	snprintf(m->stage, sizeof m->stage, "%s", ev_get(e, "stage"));
	m->paused = 0;
	m->now.seq = strtoul(ev_get(e, "seq"), NULL, 10);
	if (!strcmp(e->type, "stage")) {
		snprintf(m->stage_desc, sizeof m->stage_desc, "%s", ev_get(e, "desc"));
		step_boundary(m);
	} else if (!strcmp(e->type, "init"))
		m->now.inits++;
	else if (!strcmp(e->type, "relro"))
		m->now.relro++;
	if (!strcmp(e->type, "object")) {
		vec_push(&m->objects, e);
		vec_set(&m->by_id, ev_get(e, "obj"), e);
	}
	else if (!strcmp(e->type, "segment"))
		vec_push(&m->segments, e);
	else if (!strcmp(e->type, "reloc")) {
		vec_push(&m->relocs, e);
		if (!strcmp(ev_get(e, "lazy"), "1"))
			lazy_add(m, e);
		if (reloc_filter_active(&m->rfilter) && reloc_matches(m, e))
			vec_push(&m->reloc_view, e);
	}
	else if (!strcmp(e->type, "bind"))
		lazy_bound(m, e);
	else if (!strcmp(e->type, "reloc-done"))
		m->nrelocs_done += strtoul(ev_get(e, "total"), NULL, 10);
	else if (!strcmp(e->type, "tls-module")) {
		vec_push(&m->tls, e);
		vec_set(&m->tls_by_id, ev_get(e, "obj"), e);
		m->tls_bytes += strtoul(ev_get(e, "size"), NULL, 16);
		m->now.tls_mod++;
		add_tls_vars(m, e);
	} else if (!strcmp(e->type, "tls-block")) {
		vec_push(&m->tls, e);
		m->now.tls_blk++;
	}
	else if (!strcmp(e->type, "pause")) {
		int n;
		m->paused = 1;
		snprintf(m->pause_at, sizeof m->pause_at, "%s", ev_get(e, "at"));
		if (stage_index(m, m->pause_at, &n) < 0) /* object:NAME, relocated:NAME: a step of its own */
			step_boundary(m);
	} else if (!strcmp(e->type, "error"))
		snprintf(m->error, sizeof m->error, "%s", ev_get(e, "message"));
}

static void out_line(struct model *m)
{
	m->partial[m->partial_len] = 0;
	vec_push(&m->out_lines, strdup(m->partial));
	m->partial_len = 0;
	m->out_col = 0;
}

static void out_byte(struct model *m, char c)
{
	if (m->partial_len == sizeof m->partial - 1)
		out_line(m);
	m->partial[m->partial_len++] = c;
	m->out_col += ((unsigned char)c & 0xc0) != 0x80; /* UTF-8 continuation bytes take no column */
}

/* The escape sequence state after byte c: 1 after ESC, 2 in a CSI (ESC [ ... final byte), 3 in an OSC
 * (ESC ] ... BEL or ESC \), 0 when it is over. */
static int esc_step(int st, unsigned char c)
{
	switch (st) {
	case 1: return c == '[' ? 2 : c == ']' ? 3 : c >= 0x20 && c <= 0x2f ? 1 : 0;
	case 2: return c >= 0x40 && c <= 0x7e ? 0 : 2;
	case 3: return c == 7 ? 0 : c == 033 ? 1 : 3;
	default: return 0;
	}
}

/* The program writes to a terminal: colours, cursor moves and other control characters are for a
 * terminal, not for the pane's text, so they are left out; a tab becomes spaces to the next stop. */
void model_output(struct model *m, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (m->out_esc)
			m->out_esc = esc_step(m->out_esc, c);
		else if (c == 033)
			m->out_esc = 1;
		else if (c == '\n')
			out_line(m);
		else if (c == '\t')
			do
				out_byte(m, ' ');
			while (m->out_col % 8);
		else if (c >= 0x20 && c != 0x7f)
			out_byte(m, (char)c);
	}
}

void model_flush_output(struct model *m)
{
	if (m->partial_len)
		out_line(m);
}

/* The events behind a pane's rows (NULL for the output pane, whose rows are text). */
static const struct vec *pane_vec(const struct model *m, enum pane p)
{
	switch (p) {
	case PANE_OBJECTS: return &m->objects;
	case PANE_SEGMENTS: return &m->segments;
	case PANE_RELOCS: return reloc_filter_active(&m->rfilter) ? &m->reloc_view : &m->relocs;
	case PANE_TLS: return &m->tls;
	case PANE_EVENTS: return &m->events;
	default: return NULL;
	}
}

const struct ev *pane_event(const struct model *m, enum pane p, size_t i)
{
	if (p == PANE_MAP)
		return pmap_event(m, i);
	const struct vec *v = pane_vec(m, p);
	return v && i >= 1 && i - 1 < v->n ? v->v[i - 1] : NULL;
}

/* The output pane's last row is the line the program is writing, before its newline: a prompt
 * ("Name? ") shows while the program waits for its answer. */
size_t pane_rows(const struct model *m, enum pane p)
{
	if (p == PANE_OUTPUT)
		return m->out_lines.n + 1 + (m->partial_len > 0);
	if (p == PANE_MAP)
		return pmap_rows(m);
	const struct vec *v = pane_vec(m, p);
	return v ? v->n + 1 : 0;
}

int pane_row_new(const struct model *m, int p, size_t i)
{
	const struct ev *e = p == PANE_OUTPUT ? NULL : pane_event(m, p, i);
	const char *seq = e ? ev_get(e, "seq") : "";
	return *seq && strtoul(seq, NULL, 10) > m->mark_prev.seq;
}

/* "+4 objects, +17 program headers" into buf at o; returns the new end. */
static size_t plus(char *buf, size_t cap, size_t o, size_t now, size_t was, const char *one, const char *many)
{
	if (now <= was || o >= cap)
		return o;
	return o + (size_t)snprintf(buf + o, cap - o, "%s+%zu %s", o && buf[o - 1] != ' ' ? ", " : "", now - was,
				    now - was == 1 ? one : many);
}

void model_step_text(const struct model *m, char *buf, size_t cap)
{
	struct mark n = m->now;
	const struct mark *w = &m->mark_prev;
	int count, i = stage_index(m, m->stage, &count);
	n.objects = m->objects.n, n.segments = m->segments.n, n.relocs = m->relocs.n;
	size_t o = i >= 0 ? (size_t)snprintf(buf, cap, "[%d/%d] %s | this step: ", i + 1, count, m->stage)
			  : (size_t)snprintf(buf, cap, "%s | this step: ", m->stage[0] ? m->stage : "-");
	size_t start = o;
	if (o >= cap)
		return;
	o = plus(buf, cap, o, n.objects, w->objects, "object", "objects");
	o = plus(buf, cap, o, n.segments, w->segments, "program header", "program headers");
	o = plus(buf, cap, o, n.relocs, w->relocs, "relocation", "relocations");
	o = plus(buf, cap, o, n.tls_mod, w->tls_mod, "TLS module", "TLS modules");
	o = plus(buf, cap, o, n.tls_blk, w->tls_blk, "TLS block", "TLS blocks");
	o = plus(buf, cap, o, n.relro, w->relro, "RELRO range", "RELRO ranges");
	o = plus(buf, cap, o, n.inits, w->inits, "initializer", "initializers");
	if (o == start && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, "nothing new");
	if (m->stage_desc[0] && o < cap)
		snprintf(buf + o, cap - o, " | %s", m->stage_desc);
}

void pane_title(const struct model *m, enum pane p, char *buf, size_t cap)
{
	const struct reloc_filter *f = &m->rfilter;
	size_t o;
	switch (p) {
	case PANE_OBJECTS: snprintf(buf, cap, "%zu objects", m->objects.n); break;
	case PANE_SEGMENTS: snprintf(buf, cap, "%zu program headers", m->segments.n); break;
	case PANE_RELOCS:
		if (!reloc_filter_active(f)) {
			snprintf(buf, cap, "%zu relocations", m->relocs.n);
			break;
		}
		o = (size_t)snprintf(buf, cap, "%zu of %zu", m->reloc_view.n, m->relocs.n); /* short: 80 columns */
		if (f->obj[0] && o < cap)
			o += (size_t)snprintf(buf + o, cap - o, " | object %s", f->obj);
		if (f->type[0] && o < cap)
			o += (size_t)snprintf(buf + o, cap - o, " | type %s", f->type);
		if (f->sym[0] && o < cap)
			snprintf(buf + o, cap - o, " | symbol ~ %s", f->sym);
		break;
	case PANE_TLS: snprintf(buf, cap, "%zu bytes of TLS: modules, their blocks per thread, variables", m->tls_bytes); break;
	case PANE_EVENTS: snprintf(buf, cap, "%zu events", m->events.n); break;
	case PANE_OUTPUT:
		if (m->partial_len)
			snprintf(buf, cap, "%zu lines, and the last one unfinished (a prompt?)", m->out_lines.n);
		else
			snprintf(buf, cap, "%zu lines", m->out_lines.n);
		break;
	case PANE_MAP: snprintf(buf, cap, "the whole process by address: objects, TLS blocks, TCB, DTV, stack"); break;
	default: buf[0] = 0;
	}
}

/* ---- styles: what a row stands for */
static enum style perm_style(const char *perm)
{
	return strchr(perm, 'x') ? ST_EXEC : strchr(perm, 'w') ? ST_WRITE : ST_READONLY;
}

static enum style segment_style(const struct ev *e)
{
	unsigned long type = strtoul(ev_get(e, "type"), NULL, 16);
	return type == 1 ? perm_style(ev_get(e, "perm")) : type == 7 ? ST_TLS : type == 0x6474e552 ? ST_RELRO : ST_NONE;
}

static enum style reloc_style(const struct ev *e)
{
	const char *t = ev_get(e, "type_name");
	if (!strncmp(t, "R_X86_64_", 9))
		t += 9;
	if (!strcmp(t, "JUMP_SLOT"))
		return ST_BIND_FUNC;
	if (strstr(t, "TPOFF") || strstr(t, "DTPMOD") || strstr(t, "TLS"))
		return ST_TLS;
	if (!strcmp(t, "COPY"))
		return ST_COPY;
	if (!strcmp(t, "IRELATIVE"))
		return ST_IFUNC;
	if (!strcmp(t, "RELATIVE") || !strcmp(t, "RELR")) /* the bulk: no colour, so the others stand out */
		return ST_NONE;
	return ST_BIND_DATA;
}

enum style pane_row_style(const struct model *m, enum pane p, size_t i)
{
	const struct ev *e = pane_event(m, p, i);
	if (!e)
		return ST_NONE;
	if (!strcmp(e->type, "segment"))
		return segment_style(e);
	if (!strcmp(e->type, "reloc"))
		return reloc_style(e);
	if (!strcmp(e->type, "tls-module") || (p == PANE_EVENTS && !strncmp(e->type, "tls-", 4)))
		return ST_TLS;
	if (!strcmp(e->type, "error"))
		return ST_ERROR;
	if (!strcmp(e->type, "stage"))
		return ST_STAGE;
	return ST_NONE;
}

const char *model_objname(const struct model *m, const char *id)
{
	const struct ev *o = model_object(m, id);
	return o ? ev_get(o, "name") : "?";
}

const char *model_event_stage(const struct model *m, const struct ev *e)
{
	const char *s = ev_get(e, "stage");
	int n, i = stage_index(m, s, &n), at;
	if (i < 0)
		return s; /* a stage this model does not know: as the stream says */
	if (!strcmp(e->type, "stage")) {
		const char *name = ev_get(e, "name");
		return *name ? name : s;
	}
	if (!strcmp(e->type, "pause") && stage_index(m, ev_get(e, "at"), &at) >= 0)
		return ev_get(e, "at");
	if (i + 1 < n)
		return stage_name(m, i + 1);
	return !strcmp(e->type, "entry") ? s : "running";
}

void tp_text(long long v, char *buf, size_t cap)
{
	snprintf(buf, cap, "tp%c0x%llx", v < 0 ? '-' : '+', v < 0 ? -(unsigned long long)v : (unsigned long long)v);
}

static const char *segment_type_name(unsigned long t)
{
	switch (t) {
	case 0: return "NULL";
	case 1: return "LOAD";
	case 2: return "DYNAMIC";
	case 3: return "INTERP";
	case 4: return "NOTE";
	case 5: return "SHLIB";
	case 6: return "PHDR";
	case 7: return "TLS";
	case 0x6474e550: return "GNU_EH_FRAME";
	case 0x6474e551: return "GNU_STACK";
	case 0x6474e552: return "GNU_RELRO";
	case 0x6474e553: return "GNU_PROPERTY";
	case 0x6474e554: return "GNU_SFRAME";
	default: return NULL;
	}
}

/* A relocation's value: what was written, except a TLS offset from the thread pointer (TPOFF64, and a
 * TLSDESC of a static block, whose argument is that offset), which reads tp-0x1004. */
static const char *reloc_value(const struct ev *e, char *buf, size_t cap)
{
	const char *t = ev_get(e, "type_name"), *v = ev_get(e, "value");
	long long sv = (long long)strtoull(v, NULL, 0);
	if (!strcmp(t, "R_X86_64_TPOFF64") || (!strcmp(t, "R_X86_64_TLSDESC") && sv < 0)) {
		tp_text(sv, buf, cap);
		return buf;
	}
	return v;
}

/* A TLS block's offset from the thread pointer; a dynamic module has none (its tp_offset is 0). */
static const char *tls_offset_text(const struct ev *e, char *buf, size_t cap)
{
	if (!strcmp(e->type, "tls-module") && !strcmp(ev_get(e, "kind"), "dynamic"))
		return "dynamic";
	tp_text(strtoll(ev_get(e, "tp_offset"), NULL, 0), buf, cap);
	return buf;
}

const char *model_field_text(const struct model *m, const struct ev *e, const char *key, char *buf, size_t cap)
{
	const char *v = ev_get(e, key);
	if (!strcmp(e->type, "segment") && !strcmp(key, "type")) {
		const char *n = segment_type_name(strtoul(v, NULL, 16));
		return n ? n : v;
	}
	if (!strcmp(e->type, "reloc") && !strcmp(key, "type")) {
		const char *n = ev_get(e, "type_name");
		return *n ? n : v;
	}
	if (!strcmp(e->type, "reloc") && !strcmp(key, "value"))
		return reloc_value(e, buf, cap);
	if (!strcmp(key, "tp_offset") && *v)
		return tls_offset_text(e, buf, cap);
	if (!strcmp(e->type, "object") && !strcmp(key, "tls_modid")) {
		const struct ev *t = model_tls_module(m, ev_get(e, "obj"));
		return t ? ev_get(t, "modid") : "-";
	}
	return v;
}

/* The events pane's details: every field after seq, stage and obj, as key=value with the values named
 * (model_field_text); a value with spaces in quotes, empty strings left out. */
static void event_details(const struct model *m, const struct ev *e, char *buf, size_t cap)
{
	size_t o = 0;
	const char *v = NULL;
	buf[0] = 0;
	for (const char *k = NULL; (k = ev_next_field(e, k, &v)) && o + 1 < cap;) {
		char tmp[64];
		if (!strcmp(k, "seq") || !strcmp(k, "stage") || !strcmp(k, "obj") || !*v ||
		    (!strcmp(e->type, "reloc") && !strcmp(k, "type_name")))
			continue;
		const char *t = model_field_text(m, e, k, tmp, sizeof tmp);
		o += (size_t)snprintf(buf + o, cap - o, strchr(t, ' ') ? " %s=\"%s\"" : " %s=%s", k, t);
	}
}

void pane_row(const struct model *m, enum pane p, size_t i, char *buf, size_t cap)
{
	const struct ev *e = NULL;
	char t1[64], t2[64];
	if (i == 0) {
		static const char *const hdr[PANE_COUNT] = {
			"ID  KIND     NAME                       BASE                RANGE                          TLS  BUILD-ID",
			"OBJ  NAME                  TYPE      PERM  ADDRESS             MEMSZ       FILESZ      OFFSET      NOTE",
			"OBJ  NAME                  TYPE                ADDRESS             SYMBOL                         VALUE               FROM",
			"KIND    MODULE  OBJECT                SIZE     ALIGN    TP-OFFSET  ADDRESS / IMAGE     THREAD",
			"SEQ     STAGE            EVENT         OBJ  DETAILS",
			"PROGRAM OUTPUT",
			"",
		};
		if (p == PANE_MAP) {
			pmap_row(m, 0, buf, cap);
			return;
		}
		snprintf(buf, cap, "%s", hdr[p]);
		return;
	}
	i--;
	switch (p) {
	case PANE_OBJECTS: {
		e = m->objects.v[i];
		const struct ev *t = model_tls_module(m, ev_get(e, "obj")); /* the TLS module id comes later */
		char range[80], name[300];
		snprintf(range, sizeof range, "%s-%s", ev_get(e, "start"), ev_get(e, "end"));
		const char *ns = ev_get(e, "ns"); /* a dlmopen namespace's copy says which */
		snprintf(name, sizeof name, *ns && strcmp(ns, "0") ? "%s [ns %s]" : "%s", ev_get(e, "name"), ns);
		snprintf(buf, cap, "%-3s %-8s %-26s %-19s %-29s  %-4s %s", ev_get(e, "obj"), ev_get(e, "kind"), name,
			 ev_get(e, "base"), range, t ? ev_get(t, "modid") : "-", ev_get(e, "build_id"));
		break;
	}
	case PANE_SEGMENTS: {
		e = m->segments.v[i];
		unsigned long type = strtoul(ev_get(e, "type"), NULL, 16);
		unsigned long memsz = strtoul(ev_get(e, "memsz"), NULL, 16), filesz = strtoul(ev_get(e, "filesz"), NULL, 16);
		snprintf(buf, cap, "%-4s %-21s %-9s %-5s %-19s %-11s %-11s %-11s %s", ev_get(e, "obj"),
			 model_objname(m, ev_get(e, "obj")), model_field_text(m, e, "type", t1, sizeof t1), ev_get(e, "perm"),
			 ev_get(e, "addr"), ev_get(e, "memsz"), ev_get(e, "filesz"), ev_get(e, "offset"),
			 type == 1 && memsz > filesz ? "bss zeroed" : "");
		break;
	}
	case PANE_RELOCS: {
		e = pane_event(m, p, i + 1); /* through the filter */
		/* a lazy slot: "pending" with the PLT address it holds until the first call, then what that bound */
		const struct ev *b = !strcmp(ev_get(e, "lazy"), "1") ? model_binding(m, e) : NULL;
		char from[160];
		if (b) {
			unsigned long long ns = strtoull(ev_get(b, "time_ns"), NULL, 10);
			snprintf(from, sizeof from, "%s  bound at %llu.%03llu ms, thread %s",
				 strcmp(ev_get(b, "def_obj"), "-1") ? model_objname(m, ev_get(b, "def_obj")) : "(undefined weak)",
				 ns / 1000000, ns / 1000 % 1000, ev_get(b, "tid"));
		} else if (!strcmp(ev_get(e, "lazy"), "1"))
			snprintf(from, sizeof from, "pending: PLT until the first call");
		else
			snprintf(from, sizeof from, "%s", strcmp(ev_get(e, "def_obj"), "-1") ? model_objname(m, ev_get(e, "def_obj")) : "");
		snprintf(buf, cap, "%-4s %-21s %-19s %-19s %-30s %-19s %s", ev_get(e, "obj"), model_objname(m, ev_get(e, "obj")),
			 ev_get(e, "type_name"), ev_get(e, "where"), ev_get(e, "symbol"),
			 b ? ev_get(b, "value") : reloc_value(e, t1, sizeof t1), from);
		break;
	}
	case PANE_TLS:
		e = m->tls.v[i];
		if (!strcmp(e->type, "tls-var")) {
			if (*ev_get(e, "note"))
				snprintf(buf, cap, "  var   %s", ev_get(e, "note"));
			else
				snprintf(buf, cap, "  var   %-24s %-28s %-10s %s", ev_get(e, "name"), ev_get(e, "vtype"),
					 ev_get(e, "offset"), ev_get(e, "where"));
		} else if (!strcmp(e->type, "tls-module"))
			snprintf(buf, cap, "module  %-7s %-21s %-8s %-8s %-10s image %s", ev_get(e, "modid"),
				 model_objname(m, ev_get(e, "obj")), ev_get(e, "size"), ev_get(e, "align"),
				 tls_offset_text(e, t1, sizeof t1), ev_get(e, "image"));
		else {
			/* tid 0: the block was made for a thread being created (its id is not known yet) */
			const char *tid = ev_get(e, "tid");
			snprintf(buf, cap, "block   %-7s %-21s %-8s %-8s %-10s %-19s %s%s", ev_get(e, "modid"),
				 model_objname(m, ev_get(e, "obj")), ev_get(e, "size"), "", tls_offset_text(e, t2, sizeof t2),
				 ev_get(e, "addr"), strcmp(tid, "0") ? "tid " : "new thread", strcmp(tid, "0") ? tid : "");
		}
		break;
	case PANE_EVENTS: {
		e = m->events.v[i];
		int o = snprintf(buf, cap, "%-7s %-16s %-13s %-4s", ev_get(e, "seq"), model_event_stage(m, e), e->type,
				 ev_get(e, "obj"));
		if (o >= 0 && (size_t)o < cap)
			event_details(m, e, buf + o, cap - (size_t)o);
		break;
	}
	case PANE_OUTPUT:
		if (i < m->out_lines.n)
			snprintf(buf, cap, "%s", (const char *)m->out_lines.v[i]);
		else /* the line being written */
			snprintf(buf, cap, "%.*s", (int)m->partial_len, m->partial);
		break;
	case PANE_MAP:
		pmap_row(m, i + 1, buf, cap);
		break;
	default:
		buf[0] = 0;
	}
}
