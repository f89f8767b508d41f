/* Parsing the event stream into the model, and the panes as text rows. */
#include "model.h"
#include "dwarf_tls.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pane_names[PANE_COUNT] = { "objects", "segments", "relocs", "tls", "events", "output" };

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

/* Undo the stream's escaping: \s space, \\ backslash, \n, \t, \xHH, \0 empty. */
static void unescape_into(const char *s, size_t n, char *o, size_t cap)
{
	size_t k = 0;
	if (n == 2 && s[0] == '\\' && s[1] == '0')
		n = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			o[k++] = s[i];
			continue;
		}
		char c = s[++i];
		if (c == 's')
			o[k++] = ' ';
		else if (c == 'n')
			o[k++] = '\n';
		else if (c == 't')
			o[k++] = '\t';
		else if (c == 'x' && i + 2 < n) {
			char h[3] = { s[i + 1], s[i + 2], 0 };
			o[k++] = (char)strtol(h, NULL, 16);
			i += 2;
		} else
			o[k++] = c;
	}
	o[k] = 0;
}

const char *ev_get(const struct ev *e, const char *key)
{
	static char ring[16][1024];
	static unsigned next;
	size_t kl = strlen(key);
	for (const char *p = e->line; (p = strchr(p, ' ')); p++) {
		if (strncmp(p + 1, key, kl) || p[1 + kl] != '=')
			continue;
		const char *v = p + 2 + kl, *end = strchr(v, ' ');
		char *o = ring[next++ % 16];
		unescape_into(v, end ? (size_t)(end - v) : strlen(v), o, sizeof ring[0]);
		return o;
	}
	return "";
}

struct ev *ev_new(const char *type, const char *fields)
{
	size_t n = strlen(fields);
	struct ev *e = malloc(sizeof *e + n + 2);
	if (!e) {
		perror("elfld-tui");
		exit(1);
	}
	snprintf(e->type, sizeof e->type, "%s", type);
	e->line[0] = ' ';
	memcpy(e->line + 1, fields, n + 1);
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
 * right after the module (as pseudo-events of type "tls-var"). */
static void add_tls_vars(struct model *m, const struct ev *mod)
{
	const char *path = "";
	for (size_t i = 0; i < m->objects.n; i++)
		if (!strcmp(ev_get(m->objects.v[i], "obj"), ev_get(mod, "obj")))
			path = ev_get(m->objects.v[i], "path");
	static struct tls_vars vars;
	if (!*path || dwarf_tls_vars(path, &vars) < 0) {
		vec_push(&m->tls, ev_new("tls-var", "note=(no\\sDWARF:\\svariables\\sunknown)"));
		return;
	}
	for (int i = 0; i < vars.n; i++) {
		char name[200], type[200], where[200], line[700];
		esc(name, sizeof name, vars.v[i].name);
		esc(type, sizeof type, vars.v[i].type);
		snprintf(line, sizeof line, "%s:%lu", vars.v[i].file, vars.v[i].line);
		esc(where, sizeof where, line);
		snprintf(line, sizeof line, "name=%s vtype=%s offset=+0x%lx where=%s", name, type, vars.v[i].offset, where);
		vec_push(&m->tls, ev_new("tls-var", line));
	}
}

static void add_event(struct model *m, char *line)
{
	if (!m->version_ok) {
		m->version_ok = !strncmp(line, "elfld-events 1", 14) ? 1 : -1;
		return;
	}
	char *sp = strchr(line, ' ');
	if (sp)
		*sp = 0;
	struct ev *e = ev_new(line, sp ? sp + 1 : "");
	vec_push(&m->events, e);
	snprintf(m->stage, sizeof m->stage, "%s", ev_get(e, "stage"));
	m->paused = 0;
	if (!strcmp(e->type, "object"))
		vec_push(&m->objects, e);
	else if (!strcmp(e->type, "segment"))
		vec_push(&m->segments, e);
	else if (!strcmp(e->type, "reloc"))
		vec_push(&m->relocs, e);
	else if (!strcmp(e->type, "reloc-done"))
		m->nrelocs_done += strtoul(ev_get(e, "total"), NULL, 10);
	else if (!strcmp(e->type, "tls-module")) {
		vec_push(&m->tls, e);
		m->tls_bytes += strtoul(ev_get(e, "size"), NULL, 16);
		add_tls_vars(m, e);
	} else if (!strcmp(e->type, "tls-block"))
		vec_push(&m->tls, e);
	else if (!strcmp(e->type, "pause")) {
		m->paused = 1;
		snprintf(m->pause_at, sizeof m->pause_at, "%s", ev_get(e, "at"));
	} else if (!strcmp(e->type, "error"))
		snprintf(m->error, sizeof m->error, "%s", ev_get(e, "message"));
}

static char stream_partial[1 << 16];
static size_t stream_len;

int model_feed(struct model *m, const char *buf, size_t n)
{
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			stream_partial[stream_len] = 0;
			add_event(m, stream_partial);
			stream_len = 0;
			added++;
		} else if (stream_len < sizeof stream_partial - 1)
			stream_partial[stream_len++] = buf[i];
	}
	return added;
}

void model_output(struct model *m, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\r')
			continue;
		if (buf[i] == '\n' || m->partial_len == sizeof m->partial - 1) {
			m->partial[m->partial_len] = 0;
			vec_push(&m->out_lines, strdup(m->partial));
			m->partial_len = 0;
		} else
			m->partial[m->partial_len++] = buf[i];
	}
}

void model_flush_output(struct model *m)
{
	if (m->partial_len) {
		m->partial[m->partial_len] = 0;
		vec_push(&m->out_lines, strdup(m->partial));
		m->partial_len = 0;
	}
}

size_t pane_rows(const struct model *m, enum pane p)
{
	switch (p) {
	case PANE_OBJECTS: return m->objects.n + 1;
	case PANE_SEGMENTS: return m->segments.n + 1;
	case PANE_RELOCS: return m->relocs.n + 1;
	case PANE_TLS: return m->tls.n + 1;
	case PANE_EVENTS: return m->events.n + 1;
	case PANE_OUTPUT: return m->out_lines.n + 1;
	default: return 0;
	}
}

static const char *objname(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->objects.n; i++) {
		const struct ev *o = m->objects.v[i];
		if (!strcmp(ev_get(o, "obj"), id))
			return ev_get(o, "name");
	}
	return "?";
}

void pane_row(const struct model *m, enum pane p, size_t i, char *buf, size_t cap)
{
	const struct ev *e = NULL;
	if (i == 0) {
		static const char *const hdr[PANE_COUNT] = {
			"ID  KIND     NAME                       BASE                RANGE                                  TLS  BUILD-ID",
			"OBJ  NAME                  TYPE     PERM  ADDRESS             MEMSZ       FILESZ      OFFSET      NOTE",
			"OBJ  NAME                  TYPE                ADDRESS             SYMBOL                         VALUE               FROM",
			"KIND    MODULE  OBJECT                SIZE     ALIGN    TP-OFFSET  ADDRESS / IMAGE     THREAD",
			"SEQ     STAGE            EVENT         OBJ  DETAILS",
			"PROGRAM OUTPUT",
		};
		snprintf(buf, cap, "%s", hdr[p]);
		return;
	}
	i--;
	switch (p) {
	case PANE_OBJECTS: {
		e = m->objects.v[i];
		const char *mod = "-"; /* the TLS module id comes later, in a tls-module event */
		for (size_t k = 0; k < m->tls.n; k++) {
			const struct ev *t = m->tls.v[k];
			if (!strcmp(t->type, "tls-module") && !strcmp(ev_get(t, "obj"), ev_get(e, "obj")))
				mod = ev_get(t, "modid");
		}
		snprintf(buf, cap, "%-3s %-8s %-26s %-19s %s-%s  %-4s %s", ev_get(e, "obj"), ev_get(e, "kind"),
			 ev_get(e, "name"), ev_get(e, "base"), ev_get(e, "start"), ev_get(e, "end"), mod,
			 ev_get(e, "build_id"));
		break;
	}
	case PANE_SEGMENTS: {
		e = m->segments.v[i];
		unsigned long type = strtoul(ev_get(e, "type"), NULL, 16);
		const char *tn = type == 1 ? "LOAD" : type == 2 ? "DYNAMIC" : type == 7 ? "TLS" : type == 0x6474e552 ? "RELRO" : "other";
		unsigned long memsz = strtoul(ev_get(e, "memsz"), NULL, 16), filesz = strtoul(ev_get(e, "filesz"), NULL, 16);
		snprintf(buf, cap, "%-4s %-21s %-8s %-5s %-19s %-11s %-11s %-11s %s", ev_get(e, "obj"),
			 objname(m, ev_get(e, "obj")), tn, ev_get(e, "perm"), ev_get(e, "addr"), ev_get(e, "memsz"),
			 ev_get(e, "filesz"), ev_get(e, "offset"), type == 1 && memsz > filesz ? "bss zeroed" : "");
		break;
	}
	case PANE_RELOCS:
		e = m->relocs.v[i];
		snprintf(buf, cap, "%-4s %-21s %-19s %-19s %-30s %-19s %s", ev_get(e, "obj"), objname(m, ev_get(e, "obj")),
			 ev_get(e, "type_name"), ev_get(e, "where"), ev_get(e, "symbol"), ev_get(e, "value"),
			 strcmp(ev_get(e, "def_obj"), "-1") ? objname(m, ev_get(e, "def_obj")) : "");
		break;
	case PANE_TLS:
		e = m->tls.v[i];
		if (!strcmp(e->type, "tls-var")) {
			if (*ev_get(e, "note"))
				snprintf(buf, cap, "  var   %s", ev_get(e, "note"));
			else
				snprintf(buf, cap, "  var   %-24s %-20s %-10s %s", ev_get(e, "name"), ev_get(e, "vtype"),
					 ev_get(e, "offset"), ev_get(e, "where"));
		} else if (!strcmp(e->type, "tls-module"))
			snprintf(buf, cap, "module  %-7s %-21s %-8s %-8s %-10s image %s", ev_get(e, "modid"),
				 objname(m, ev_get(e, "obj")), ev_get(e, "size"), ev_get(e, "align"), ev_get(e, "tp_offset"),
				 ev_get(e, "image"));
		else
			snprintf(buf, cap, "block   %-7s %-21s %-8s %-8s %-10s %-19s tid %s", ev_get(e, "modid"),
				 objname(m, ev_get(e, "obj")), ev_get(e, "size"), "", ev_get(e, "tp_offset"),
				 ev_get(e, "addr"), ev_get(e, "tid"));
		break;
	case PANE_EVENTS: {
		e = m->events.v[i];
		/* the fields after seq, stage and obj, as the stream wrote them */
		const char *rest = e->line;
		for (int k = 0; k < 3 && rest; k++)
			rest = strchr(rest + 1, ' ');
		snprintf(buf, cap, "%-7s %-16s %-13s %-4s%s", ev_get(e, "seq"), ev_get(e, "stage"), e->type, ev_get(e, "obj"),
			 rest ? rest : "");
		break;
	}
	case PANE_OUTPUT:
		snprintf(buf, cap, "%s", (const char *)m->out_lines.v[i]);
		break;
	default:
		buf[0] = 0;
	}
}
