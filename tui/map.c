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
