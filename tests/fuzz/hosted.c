/* What the loader's runtime (util.c, events.c, tls.c, map.c, main.c) gives dynamic.c, symbols.c and
 * reloc.c, reimplemented on libc so those files run unchanged in an ordinary process under ASan/UBSan.
 * u_fatal() jumps back to hosted_try(); every allocation since the last hosted_arena_mark() can be
 * released in one go, because a fatal error leaves the loader's structures half built (the real loader
 * exits at that point, so it never frees them). */
#include "hosted.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "events.h"
#include "tls.h"

struct loader L = { .nns = 1 };
struct u_catch *u_catch_frame; /* never set: errors come back through hosted_try */
int events_detail;
unsigned long hosted_events;

/* ---- allocation: a list of blocks, newest first, so an arena mark is just a pointer into it */
struct block {
	struct block *next, *prev;
	size_t size;
	max_align_t data[];
};
static struct block *blocks;
static struct block *mark;

void *u_alloc(size_t n)
{
	struct block *b = malloc(sizeof *b + (n ? n : 1));
	if (!b)
		abort(); /* the loader dies too; the harness limits sizes so this does not happen */
	b->size = n;
	b->prev = 0;
	b->next = blocks;
	if (blocks)
		blocks->prev = b;
	blocks = b;
	return b->data;
}

void *u_zalloc(size_t n)
{
	return memset(u_alloc(n), 0, n);
}

void u_free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)((char *)p - offsetof(struct block, data));
	if (b == mark)
		mark = b->next; /* the mark moves down to the next older block */
	if (b->prev)
		b->prev->next = b->next;
	else
		blocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
	free(b);
}

void *u_realloc(void *p, size_t n)
{
	void *q = u_alloc(n);
	if (p) {
		struct block *b = (struct block *)((char *)p - offsetof(struct block, data));
		memcpy(q, p, b->size < n ? b->size : n);
		u_free(p);
	}
	return q;
}

void hosted_arena_mark(void)
{
	mark = blocks;
}

void hosted_arena_release(void)
{
	while (blocks && blocks != mark)
		u_free(blocks->data);
}

int u_strcmp(const char *a, const char *b)
{
	return strcmp(a, b);
}

/* ---- errors */
static jmp_buf *catch_jb;
static char fatal_msg[1024];

void u_err(const char *fmt, ...)
{
	(void)fmt; /* warnings (DT_TEXTREL) are not errors */
}

void u_fatal(const char *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(fatal_msg, sizeof fatal_msg, "elfld: %s: ", file);
	vsnprintf(fatal_msg + n, sizeof fatal_msg - (size_t)n, fmt, ap);
	va_end(ap);
	if (!catch_jb) {
		fprintf(stderr, "%s (outside hosted_try)\n", fatal_msg);
		abort();
	}
	longjmp(*catch_jb, 1);
}

const char *hosted_try(void (*fn)(void *), void *arg)
{
	jmp_buf jb, *outer = catch_jb;
	catch_jb = &jb;
	if (setjmp(jb)) {
		catch_jb = outer;
		return fatal_msg;
	}
	fn(arg);
	catch_jb = outer;
	return 0;
}

/* ---- events: read every string and number an event carries (a bad pointer shows up under ASan) */
void event_emit(struct elfld_event *ev)
{
	hosted_events++;
	if (ev->type == EV_RELOC) {
		hosted_events += strlen(ev->u.reloc.type_name) + strlen(ev->u.reloc.symbol) + strlen(ev->u.reloc.version);
		hosted_events += ev->u.reloc.value != 0;
	}
}

/* ---- the rest of the loader, as far as these files reach it */
int tls_make_static(struct obj *o)
{
	(void)o;
	return 0;
}

void tlsdesc_set(uint64_t *desc, struct obj *ref, struct obj *def, uint64_t off)
{
	(void)ref;
	desc[0] = def->tls_modid;
	desc[1] = off; /* the real one also allocates dynamic arguments; the target check covers both words */
}

static long ok_protect(void *addr, size_t len, int prot)
{
	(void)addr, (void)len, (void)prot;
	return 0;
}
static const struct mem_ops hosted_mem = { .protect = ok_protect };
const struct mem_ops *mem = &hosted_mem;

/* lazy.c, as far as reloc.c uses it: the GOT words and slots are written as there (the resolver is not
 * called: nothing runs in the hosted build). */
int lazy_binds(const struct obj *o)
{
	return L.lazy && !o->bind_now && o->jmprel;
}
void lazy_setup(struct obj *o, uintptr_t *got)
{
	got[1] = (uintptr_t)o;
	got[2] = 0;
}
uintptr_t lazy_slot(struct obj *o, uintptr_t where)
{
	typedef uintptr_t unaligned __attribute__((aligned(1), may_alias));
	return *(unaligned *)where + o->l_addr;
}

/* dlopen.c's: nothing is dlopened in the hosted build. */
void obj_add_dependency(struct obj *user, struct obj *def)
{
	(void)user;
	(void)def;
}
