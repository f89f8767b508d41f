/* The event stream as elfld-run writes it to the TUI: text lines, or the binary form
 * (--events-format=binary, docs/events.md "Binary stream"), whose records are turned back into the text
 * stream's lines for the model. The TUI asks for the binary form: on a big program it is a third of the
 * bytes and far less formatting for the loader (clang-tidy --version: 32 MB instead of 111 MB), so the
 * program under the TUI starts nearly as fast as without it. The decoding is the one of
 * tools/elfld-events-decode; tests/tui checks both give the same panes. */
#define _GNU_SOURCE /* memmem */
#include "model.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 24

struct ev_schema {
	char *name;
	int nf;
	char *fname[MAX_FIELDS];
	char kind[MAX_FIELDS]; /* U X I S */
};

static struct {
	enum { UNKNOWN, TEXT, BINARY, DAMAGED } form;
	char *in; /* bytes not yet turned into events */
	size_t len, cap;
	int have_schema;
	struct ev_schema *types;
	int ntypes;
	char **stages;
	int nstages;
	unsigned long seq;
	char *line; /* the line being built */
	size_t llen, lcap;
} S;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("elfld-tui");
		exit(1);
	}
	return p;
}

static void put(const char *s, size_t n)
{
	if (S.llen + n + 1 > S.lcap) {
		S.lcap = (S.llen + n + 1) * 2;
		S.line = xrealloc(S.line, S.lcap);
	}
	memcpy(S.line + S.llen, s, n);
	S.llen += n;
	S.line[S.llen] = 0;
}

static void putf(const char *fmt, unsigned long long v)
{
	char b[32];
	put(b, (size_t)snprintf(b, sizeof b, fmt, v));
}

/* The text stream's escaping of a string value (an empty one is \0). */
static void put_escaped(const unsigned char *s, size_t n)
{
	if (!n)
		put("\\0", 2);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		char b[8];
		if (c == ' ')
			put("\\s", 2);
		else if (c == '\\')
			put("\\\\", 2);
		else if (c == '\n')
			put("\\n", 2);
		else if (c == '\t')
			put("\\t", 2);
		else if (c < 32 || c == 127)
			put(b, (size_t)snprintf(b, sizeof b, "\\x%02x", c));
		else
			put((const char *)&c, 1);
	}
}

/* LEB128 at *pos; 0 if the record is not all there yet. */
static int varint(size_t *pos, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned shift = 0; *pos < S.len && shift < 64; shift += 7) {
		unsigned char b = (unsigned char)S.in[(*pos)++];
		r |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*v = r;
			return 1;
		}
	}
	return 0;
}

/* The schema: "elfld-events-binary V", the lines of --events-schema, an empty line. -1 if malformed. */
static int read_schema(struct model *m)
{
	char *end = memmem(S.in, S.len, "\n\n", 2);
	if (!end)
		return 0;
	*end = 0;
	char *save, *l = strtok_r(S.in, "\n", &save);
	char head[64];
	snprintf(head, sizeof head, "elfld-events %s", l + strlen("elfld-events-binary "));
	model_add_line(m, head);
	while ((l = strtok_r(NULL, "\n", &save))) {
		char *w, *ws, *first = strtok_r(l, " ", &ws);
		if (!strcmp(first, "stages")) {
			while ((w = strtok_r(NULL, " ", &ws))) {
				S.stages = xrealloc(S.stages, (size_t)(S.nstages + 1) * sizeof *S.stages);
				S.stages[S.nstages++] = strdup(w);
			}
			continue;
		}
		S.types = xrealloc(S.types, (size_t)(S.ntypes + 1) * sizeof *S.types);
		struct ev_schema *t = &S.types[S.ntypes++];
		memset(t, 0, sizeof *t);
		t->name = strdup(first);
		for (int k = 0; (w = strtok_r(NULL, " ", &ws)); k++) {
			char *colon = strchr(w, ':');
			if (k < 3 || !colon) /* seq:U stage:S obj:I come first, in every record */
				continue;
			if (t->nf == MAX_FIELDS)
				return -1;
			*colon = 0;
			t->fname[t->nf] = strdup(w);
			t->kind[t->nf++] = colon[1];
		}
	}
	model_set_stages(m, S.stages, S.nstages); /* the events pane names the stage an event belongs to */
	size_t used = (size_t)(end + 2 - S.in);
	memmove(S.in, S.in + used, S.len - used);
	S.len -= used;
	S.have_schema = 1;
	return 1;
}

/* One record at *pos into S.line: 1 done, 0 not all there, -1 malformed. */
static int read_record(size_t *pos)
{
	uint64_t type, stage, obj, v;
	if (!varint(pos, &type) || !varint(pos, &stage) || !varint(pos, &obj))
		return 0;
	if (type >= (uint64_t)S.ntypes || stage >= (uint64_t)S.nstages)
		return -1;
	const struct ev_schema *t = &S.types[type];
	S.llen = 0;
	put(t->name, strlen(t->name));
	putf(" seq=%llu", S.seq + 1);
	put(" stage=", 7);
	put(S.stages[stage], strlen(S.stages[stage]));
	putf(" obj=%lld", (unsigned long long)(int64_t)((obj >> 1) ^ -(obj & 1)));
	for (int k = 0; k < t->nf; k++) {
		put(" ", 1);
		put(t->fname[k], strlen(t->fname[k]));
		put("=", 1);
		if (!varint(pos, &v))
			return 0;
		switch (t->kind[k]) {
		case 'U': putf("%llu", v); break;
		case 'X': putf("0x%llx", v); break;
		case 'I': putf("%lld", (unsigned long long)(int64_t)((v >> 1) ^ -(v & 1))); break;
		default:
			if (v > S.len - *pos)
				return 0;
			put_escaped((const unsigned char *)S.in + *pos, v);
			*pos += v;
		}
	}
	S.seq++;
	return 1;
}

static int feed_binary(struct model *m)
{
	int added = 0;
	if (!S.have_schema) {
		int r = read_schema(m);
		if (r < 0)
			goto damaged;
		if (r == 0)
			return 0;
	}
	size_t pos = 0, done = 0;
	int r;
	while ((r = read_record(&pos)) == 1) {
		model_add_line(m, S.line);
		added++;
		done = pos;
	}
	memmove(S.in, S.in + done, S.len - done);
	S.len -= done;
	if (r < 0)
		goto damaged;
	return added;
damaged: /* not what elfld writes: say so and read no further rather than show garbage */
	model_add_line(m, (char[]){ "error seq=0 stage=begin obj=-1 message=elfld-tui:\\sdamaged\\sbinary\\sevent\\sstream" });
	S.form = DAMAGED;
	S.len = 0;
	return added + 1;
}

static int feed_text(struct model *m)
{
	int added = 0;
	size_t start = 0;
	for (size_t i = 0; i < S.len; i++)
		if (S.in[i] == '\n') {
			S.in[i] = 0;
			model_add_line(m, S.in + start);
			start = i + 1;
			added++;
		}
	memmove(S.in, S.in + start, S.len - start);
	S.len -= start;
	return added;
}

int model_feed(struct model *m, const char *buf, size_t n)
{
	if (S.len + n + 1 > S.cap) {
		S.cap = (S.len + n + 1) * 2;
		S.in = xrealloc(S.in, S.cap);
	}
	memcpy(S.in + S.len, buf, n);
	S.len += n;
	if (S.form == UNKNOWN) {
		static const char magic[] = "elfld-events-binary ";
		size_t k = S.len < sizeof magic - 1 ? S.len : sizeof magic - 1;
		if (memcmp(S.in, magic, k))
			S.form = TEXT;
		else if (k == sizeof magic - 1)
			S.form = BINARY;
		else
			return 0; /* too few bytes to tell */
	}
	if (S.form == DAMAGED) {
		S.len = 0;
		return 0;
	}
	return S.form == BINARY ? feed_binary(m) : feed_text(m);
}
