/* The segments pane's address map: one object's PT_LOAD segments drawn to scale in its address range,
 * so that one sees at a glance what the range holds — code, read-only data, data, the zero-filled bss
 * beyond the file's bytes, the RELRO part made read-only after relocation — and the alignment gaps.
 * Each kind has its own character: the map must read without colours (the screen adds them). */
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_LOAD 1
#define PT_GNU_RELRO 0x6474e552
#define MAP_LABELS_MAX 64

const char map_legend[] = "x r-x code  r r-- read-only  w rw- data  X rwx  R relro  b bss (zeroed)  . gap";

enum style map_char_style(char c)
{
	switch (c) {
	case 'x': case 'X': return ST_EXEC;
	case 'w': return ST_WRITE;
	case 'r': return ST_READONLY;
	case 'R': return ST_RELRO;
	case 'b': return ST_BSS;
	default: return ST_NONE;
	}
}

static char perm_char(const char *perm)
{
	int x = strchr(perm, 'x') != NULL, w = strchr(perm, 'w') != NULL;
	return x && w ? 'X' : x ? 'x' : w ? 'w' : 'r';
}

static unsigned long hex(const struct ev *e, const char *key)
{
	return strtoul(ev_get(e, key), NULL, 16);
}

/* The bar: `width` columns for the bytes [lo, lo + range). */
struct bar {
	unsigned long lo, range;
	int width;
	char *col;
};

/* The columns [c0, c1) that show [a, b): every column the range touches, and at least one, so that a
 * segment of a few bytes in a range of megabytes is still seen. */
static int columns(const struct bar *b, unsigned long a, unsigned long e, int *c0, int *c1)
{
	if (e <= a || e <= b->lo || a >= b->lo + b->range)
		return 0;
	a = a < b->lo ? 0 : a - b->lo;
	e = e - b->lo > b->range ? b->range : e - b->lo;
	/* addresses are below 2^48 and widths below 2^9: the products fit */
	*c0 = (int)((unsigned long long)a * (unsigned)b->width / b->range);
	*c1 = (int)(((unsigned long long)e * (unsigned)b->width + b->range - 1) / b->range);
	if (*c1 <= *c0)
		*c1 = *c0 + 1;
	if (*c1 > b->width)
		*c1 = b->width;
	if (*c0 >= *c1)
		*c0 = *c1 - 1;
	return 1;
}

struct label {
	int c0, c1;
	char text[8];
};

static void paint(struct bar *b, unsigned long a, unsigned long e, char c, struct label *l, int *nl, const char *text)
{
	int c0, c1;
	if (!columns(b, a, e, &c0, &c1))
		return;
	memset(b->col + c0, c, (size_t)(c1 - c0));
	if (*nl < MAP_LABELS_MAX) {
		l[*nl] = (struct label){ c0, c1, "" };
		snprintf(l[(*nl)++].text, sizeof l->text, "%s", text);
	}
}

/* Labels go under the column where their part starts, left to right, each where it does not overwrite
 * the one before; a label that would start past the end of its part is left out rather than misplaced. */
static void place_labels(struct label *l, int nl, char *out, int width)
{
	for (int i = 1; i < nl; i++) /* by column; a segment before the parts inside it (stable) */
		for (int k = i; k > 0 && l[k - 1].c0 > l[k].c0; k--) {
			struct label t = l[k];
			l[k] = l[k - 1];
			l[k - 1] = t;
		}
	memset(out, ' ', (size_t)width);
	out[width] = 0;
	int next = 0;
	for (int i = 0; i < nl; i++) {
		int at = l[i].c0 > next ? l[i].c0 : next, len = (int)strlen(l[i].text);
		if (at >= l[i].c1 || at + len > width)
			continue;
		memcpy(out + at, l[i].text, (size_t)len);
		next = at + len + 1;
	}
	while (width > 0 && out[width - 1] == ' ')
		out[--width] = 0;
}

static void human(unsigned long n, char *buf, size_t cap)
{
	if (n >= 1UL << 30)
		snprintf(buf, cap, "%.1f GiB", (double)n / (1UL << 30));
	else if (n >= 1UL << 20)
		snprintf(buf, cap, "%.1f MiB", (double)n / (1UL << 20));
	else if (n >= 1UL << 10)
		snprintf(buf, cap, "%.1f KiB", (double)n / (1UL << 10));
	else
		snprintf(buf, cap, "%lu B", n);
}

int map_object(const struct model *m, const char *obj_id, int width, char lines[MAP_LINES][512])
{
	const char *obj = obj_id;
	const struct ev *o = model_object(m, obj);
	if (width > 500)
		width = 500;
	if (!o || width < 8)
		return -1;
	char col[512];
	struct bar b = { hex(o, "start"), hex(o, "end") - hex(o, "start"), width, col };
	if (!b.range || hex(o, "end") < b.lo)
		return -1;
	struct label labels[MAP_LABELS_MAX];
	int nl = 0, loads = 0;
	memset(col, '.', (size_t)width);
	/* segments first, then what is inside them: RELRO (at a segment's start), then bss (at its end, so that
	 * a column with both shows the bss, which would otherwise vanish in a small object) */
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < m->segments.n; i++) {
			const struct ev *s = m->segments.v[i];
			unsigned long type = hex(s, "type"), a = hex(s, "addr"), mem = hex(s, "memsz"), file = hex(s, "filesz");
			if (strcmp(ev_get(s, "obj"), obj))
				continue;
			if (pass == 0 && type == PT_LOAD) {
				paint(&b, a, a + mem, perm_char(ev_get(s, "perm")), labels, &nl, ev_get(s, "perm"));
				loads++;
			} else if (pass == 1 && type == PT_GNU_RELRO)
				paint(&b, a, a + mem, 'R', labels, &nl, "relro");
			else if (pass == 2 && type == PT_LOAD && mem > file)
				paint(&b, a + file, a + mem, 'b', labels, &nl, "bss");
		}
	/* RELRO smaller than a column and sharing it with the bss start: it keeps that column if the bss goes
	 * on beyond it (both stay visible). */
	for (size_t i = 0; i < m->segments.n; i++) {
		const struct ev *s = m->segments.v[i];
		int c0, c1;
		if (strcmp(ev_get(s, "obj"), obj) || hex(s, "type") != PT_GNU_RELRO ||
		    !columns(&b, hex(s, "addr"), hex(s, "addr") + hex(s, "memsz"), &c0, &c1) ||
		    memchr(col + c0, 'R', (size_t)(c1 - c0)))
			continue;
		if (col[c0] == 'b' && c0 + 1 < width && col[c0 + 1] == 'b')
			col[c0] = 'R';
	}
	if (!loads)
		return -1;
	char size[32], per[32];
	human(b.range, size, sizeof size);
	human(b.range / (unsigned long)width, per, sizeof per);
	snprintf(lines[0], sizeof lines[0], "%s at %s: %s, 1 column = %s", ev_get(o, "name"), ev_get(o, "start"), size,
		 per);
	snprintf(lines[1], sizeof lines[1], "|%.*s|", width, col);
	lines[2][0] = ' ';
	place_labels(labels, nl, lines[2] + 1, width);
	return 0;
}

/* ---- the process map pane: everything the loader put in the address space, sorted by address. Objects
 * (with their PT_LOAD segments under them), each thread's TLS blocks, its TCB (where the thread pointer
 * points) and DTV, the stack pointer at entry; the space between as "gap" rows. Rebuilt from the events
 * when new ones have come (map.c keeps it in the model's pmap). */
struct prow {
	unsigned long lo, hi; /* hi == lo: a point (an address the loader reported, not a range) */
	int depth;            /* 1: inside the row above (a segment of an object) */
	size_t order;         /* event order: ties keep it */
	const struct ev *e;   /* NULL for a gap */
	char kind[8];
	char what[160];
};

struct pmap {
	size_t built_for; /* events.n when built */
	struct prow *rows;
	size_t n, cap;
};

static void pmap_add(struct pmap *p, unsigned long lo, unsigned long hi, int depth, const struct ev *e, const char *kind,
		     const char *what)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->rows = realloc(p->rows, p->cap * sizeof *p->rows);
		if (!p->rows) {
			perror("elfld-tui");
			exit(1);
		}
	}
	struct prow *r = &p->rows[p->n];
	*r = (struct prow){ lo, hi, depth, p->n, e, "", "" };
	snprintf(r->kind, sizeof r->kind, "%s", kind);
	snprintf(r->what, sizeof r->what, "%s", what);
	p->n++;
}

static int prow_cmp(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->depth != y->depth) /* an object before its first segment */
		return x->depth - y->depth;
	if (x->hi != y->hi) /* the wider first */
		return x->hi > y->hi ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Has the object announced by event i been unmapped (dlclose) since? (the unmap events' indexes: un) */
static int unmapped(const struct model *m, size_t i, const size_t *un, size_t nun)
{
	const char *start = ev_get(m->events.v[i], "start");
	for (size_t k = 0; k < nun; k++)
		if (un[k] > i && !strcmp(ev_get(m->events.v[un[k]], "start"), start))
			return 1;
	return 0;
}

static struct pmap *pmap_get(const struct model *m)
{
	struct pmap *p = m->pmap;
	if (!p) { /* the cache is the model's, made on first use (the pane functions see a const model) */
		p = calloc(1, sizeof *p);
		if (!p) {
			perror("elfld-tui");
			exit(1);
		}
		((struct model *)m)->pmap = p;
		p->built_for = (size_t)-1;
	}
	if (p->built_for == m->events.n)
		return p;
	p->built_for = m->events.n;
	struct pmap tmp = { 0, NULL, 0, 0 };
	char what[160], size[32], lines[MAP_LINES][512];
	int nthreads = 0;
	const char *tps[64];
	size_t un[256], nun = 0;
	for (size_t i = 0; i < m->events.n && nun < 256; i++)
		if (!strcmp(((const struct ev *)m->events.v[i])->type, "unmap"))
			un[nun++] = i;
	for (size_t i = 0; i < m->events.n; i++) {
		const struct ev *e = m->events.v[i];
		if (!strcmp(e->type, "object")) {
			const char *id = ev_get(e, "obj");
			int bar = !map_object(m, id, 24, lines);
			snprintf(what, sizeof what, "%.60s (%s)%s%.26s%s", ev_get(e, "name"), ev_get(e, "kind"), bar ? "  " : "",
				 bar ? lines[1] : "", unmapped(m, i, un, nun) ? "  unmapped since (dlclose)" : "");
			pmap_add(&tmp, hex(e, "start"), hex(e, "end"), 0, e, "object", what);
		} else if (!strcmp(e->type, "segment") && hex(e, "type") == PT_LOAD) {
			const struct ev *o = model_object(m, ev_get(e, "obj"));
			unsigned long a = hex(e, "addr"), mem = hex(e, "memsz"), file = hex(e, "filesz");
			snprintf(what, sizeof what, "  %s LOAD of %s%s", ev_get(e, "perm"), o ? ev_get(o, "name") : "?",
				 mem > file ? ", bss zeroed at its end" : "");
			pmap_add(&tmp, a, a + mem, 1, e, "segment", what);
		} else if (!strcmp(e->type, "tls-block")) {
			const char *tid = ev_get(e, "tid"), *tp = ev_get(e, "tp");
			unsigned long a = hex(e, "addr");
			char off[40];
			tp_text(strtoll(ev_get(e, "tp_offset"), NULL, 0), off, sizeof off);
			snprintf(what, sizeof what, "module %s (%s) %s block, %s%s, at %s", ev_get(e, "modid"),
				 model_objname(m, ev_get(e, "obj")), ev_get(e, "kind"), strcmp(tid, "0") ? "thread " : "a new thread",
				 strcmp(tid, "0") ? tid : "", off);
			pmap_add(&tmp, a, a + hex(e, "size"), 0, e, "TLS", what);
			int seen = 0;
			for (int t = 0; t < nthreads; t++)
				seen |= !strcmp(tps[t], tp);
			if (!seen && nthreads < 64) { /* the thread's TCB and DTV, once */
				tps[nthreads++] = tp;
				snprintf(what, sizeof what, "TCB of %s%s: the thread pointer (%%fs) points here",
					 strcmp(tid, "0") ? "thread " : "a new thread", strcmp(tid, "0") ? tid : "");
				pmap_add(&tmp, hex(e, "tp"), hex(e, "tp"), 0, e, "TCB", what);
				snprintf(what, sizeof what, "DTV of %s%s (module id -> its block)",
					 strcmp(tid, "0") ? "thread " : "a new thread", strcmp(tid, "0") ? tid : "");
				pmap_add(&tmp, hex(e, "dtv"), hex(e, "dtv"), 0, e, "DTV", what);
			}
		} else if (!strcmp(e->type, "entry"))
			pmap_add(&tmp, hex(e, "sp"), hex(e, "sp"), 0, e, "stack", "the stack: the program's stack pointer at entry (argc)");
	}
	if (tmp.n) /* (qsort of NULL, even for nothing, is undefined) */
		qsort(tmp.rows, tmp.n, sizeof *tmp.rows, prow_cmp);
	/* the gaps between what the loader reported (a point lies in a gap or inside a range: no gap row) */
	struct pmap out = { p->built_for, NULL, 0, 0 };
	unsigned long reach = 0;
	for (size_t i = 0; i < tmp.n; i++) {
		struct prow *r = &tmp.rows[i];
		if (reach && r->lo > reach) {
			human(r->lo - reach, size, sizeof size);
			snprintf(what, sizeof what, "... %s (nothing the loader reported)", size);
			pmap_add(&out, reach, r->lo, 0, NULL, "gap", what);
		}
		pmap_add(&out, r->lo, r->hi, r->depth, r->e, r->kind, r->what);
		if (r->hi > reach)
			reach = r->hi;
	}
	free(tmp.rows);
	free(p->rows);
	*p = out;
	return p;
}

size_t pmap_rows(const struct model *m)
{
	return pmap_get(m)->n + 1;
}

void pmap_row(const struct model *m, size_t i, char *buf, size_t cap)
{
	if (i == 0) {
		snprintf(buf, cap, "%-14s  %-14s  %-10s  %-7s %s", "START", "END", "SIZE", "KIND", "WHAT");
		return;
	}
	const struct pmap *p = pmap_get(m);
	if (i > p->n) {
		buf[0] = 0;
		return;
	}
	const struct prow *r = &p->rows[i - 1];
	char lo[24], hi[24] = "-", size[32] = "-";
	snprintf(lo, sizeof lo, "%#lx", r->lo);
	if (r->hi > r->lo) {
		snprintf(hi, sizeof hi, "%#lx", r->hi);
		human(r->hi - r->lo, size, sizeof size);
	}
	snprintf(buf, cap, "%-14s  %-14s  %-10s  %-7s %s", lo, hi, size, r->kind, r->what);
}

const struct ev *pmap_event(const struct model *m, size_t i)
{
	const struct pmap *p = pmap_get(m);
	return i >= 1 && i <= p->n ? p->rows[i - 1].e : NULL;
}

/* ---- the TLS pane's memory view: one thread's static TLS as it lies below the thread pointer (x86-64:
 * variant II, blocks at negative offsets, the TCB at tp), then its DTV's slots and the dynamic blocks. */
static int block_cmp(const void *a, const void *b)
{
	unsigned long x = hex(*(const struct ev *const *)a, "addr"), y = hex(*(const struct ev *const *)b, "addr");
	return x < y ? -1 : x > y;
}

const char *tls_row_thread(const struct model *m, size_t i)
{
	const struct ev *e = pane_event(m, PANE_TLS, i);
	return e && !strcmp(e->type, "tls-block") ? ev_get(e, "tp") : "";
}

int tls_memory(const struct model *m, const char *tp, char lines[][512], int max)
{
	const struct ev *blk[256];
	int n = 0, k = 0;
	for (size_t i = 0; i < m->tls.n && n < 256; i++) {
		const struct ev *e = m->tls.v[i];
		if (strcmp(e->type, "tls-block"))
			continue;
		if (!tp || !*tp)
			tp = ev_get(e, "tp");
		if (!strcmp(ev_get(e, "tp"), tp))
			blk[n++] = e;
	}
	if (!n || max < 3)
		return 0;
	const char *tid = "0";
	for (int i = 0; i < n; i++)
		if (strcmp(ev_get(blk[i], "tid"), "0"))
			tid = ev_get(blk[i], "tid");
	qsort(blk, (size_t)n, sizeof *blk, block_cmp);
	unsigned long tpv = strtoul(tp, NULL, 16);
	snprintf(lines[k++], 512, "thread %s: thread pointer %s, DTV at %s; its static TLS from low to high addresses:",
		 strcmp(tid, "0") ? tid : "(being created)", tp, ev_get(blk[0], "dtv"));
	unsigned long prev_end = 0;
	for (int i = 0; i < n && k < max - 2; i++) {
		const struct ev *e = blk[i];
		unsigned long a = hex(e, "addr"), sz = hex(e, "size");
		if (strcmp(ev_get(e, "kind"), "static"))
			continue; /* dynamic blocks: below */
		char off[40];
		if (prev_end && a > prev_end && k < max - 2)
			snprintf(lines[k++], 512, "  %#-16lx %-9s (%lu bytes of padding: the next block's alignment)", prev_end,
				 "", a - prev_end);
		tp_text((long long)(a - tpv), off, sizeof off);
		snprintf(lines[k++], 512, "  %#-16lx %-9s module %s block (%s), %#lx bytes  <- DTV[%s]", a, off,
			 ev_get(e, "modid"), model_objname(m, ev_get(e, "obj")), sz, ev_get(e, "modid"));
		prev_end = a + sz;
	}
	if (prev_end && prev_end < tpv && k < max - 2)
		snprintf(lines[k++], 512, "  %#-16lx %-9s (%lu bytes of padding up to the thread pointer)", prev_end, "",
			 tpv - prev_end);
	snprintf(lines[k++], 512, "  %#-16lx %-9s TCB: the thread pointer (%%fs:0) points here; tcb->dtv = %s", tpv, "tp",
		 ev_get(blk[0], "dtv"));
	/* the DTV: a slot per module (in module order), pointing at the thread's block */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strtoul(ev_get(blk[j - 1], "modid"), NULL, 10) > strtoul(ev_get(blk[j], "modid"), NULL, 10); j--) {
			const struct ev *t = blk[j];
			blk[j] = blk[j - 1];
			blk[j - 1] = t;
		}
	const struct ev *last = blk[n - 1]; /* (the DTV as the newest of these blocks saw it) */
	for (int i = 0; i < n; i++)
		if (strtoul(ev_get(blk[i], "seq"), NULL, 10) > strtoul(ev_get(last, "seq"), NULL, 10))
			last = blk[i];
	size_t o = (size_t)snprintf(lines[k], 512, "  DTV %s (generation %s, %s slots):", ev_get(blk[0], "dtv"),
				    ev_get(last, "dtv_gen"), ev_get(last, "dtv_slots"));
	for (int i = 0; i < n && o < 500; i++)
		o += (size_t)snprintf(lines[k] + o, 512 - o, " [%s] %s%s", ev_get(blk[i], "modid"), ev_get(blk[i], "addr"),
				      strcmp(ev_get(blk[i], "kind"), "static") ? " (dynamic)" : "");
	k++;
	return k;
}
