/* Freestanding helpers. The compiler may emit calls to memcpy/memset/memmove/memcmp, so those keep
 * their standard names (hidden: they never interpose the program's own). */
#include "util.h"
#include "sys.h"

void *memcpy(void *d, const void *s, size_t n)
{
	/* Large copies: `rep movsb` (fast strings on every x86-64 of the last decade); small ones: words,
	 * unaligned where need be (one instruction on x86-64), then the tail. */
	if (n >= 256) {
		void *dd = d;
		__asm__ volatile("rep movsb" : "+D"(dd), "+S"(s), "+c"(n) : : "memory");
		return d;
	}
	typedef uint64_t u64_una __attribute__((aligned(1), may_alias));
	unsigned char *dp = d;
	const unsigned char *sp = s;
	for (; n >= 8; n -= 8, dp += 8, sp += 8)
		*(u64_una *)dp = *(const u64_una *)sp;
	while (n--)
		*dp++ = *sp++;
	return d;
}
void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (dp < sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	if (n >= 256) {
		void *dd = d;
		__asm__ volatile("rep stosb" : "+D"(dd), "+c"(n) : "a"(c) : "memory");
		return d;
	}
	typedef uint64_t u64_una __attribute__((aligned(1), may_alias));
	unsigned char *dp = d;
	uint64_t w = 0x0101010101010101ULL * (unsigned char)c;
	for (; n >= 8; n -= 8, dp += 8)
		*(u64_una *)dp = w;
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	typedef uint64_t u64_una __attribute__((aligned(1), may_alias));
	const unsigned char *x = a, *y = b;
	size_t i = 0;
	while (i + 8 <= n && *(const u64_una *)(x + i) == *(const u64_una *)(y + i))
		i += 8;
	for (; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t u_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* Eight bytes at a time while neither pointer is within 8 bytes of a page end (an 8-byte load there could
 * touch the next, possibly unmapped, page); symbol names are long, and lookups compare many. */
int u_strcmp(const char *a, const char *b)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	for (;;) {
		if (((uintptr_t)a & 4095) > 4088 || ((uintptr_t)b & 4095) > 4088)
			break;
		typedef uint64_t __attribute__((may_alias, aligned(1))) u64_unaligned;
		uint64_t x = *(const u64_unaligned *)a, y = *(const u64_unaligned *)b;
		if (x != y || ((x - ones) & ~x & highs))
			break; /* a difference or a NUL in these 8 bytes: finish bytewise */
		a += 8, b += 8;
	}
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int u_strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

char *u_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}

char *u_strrchr(const char *s, int c)
{
	const char *r = 0;
	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (!*s)
			return (char *)r;
	}
}

int u_startswith(const char *s, const char *prefix)
{
	return u_strncmp(s, prefix, strlen(prefix)) == 0;
}

void u_lock(u_lock_t *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			sys_call(SYS_sched_yield, 0, 0, 0);
}

void u_unlock(u_lock_t *l) { __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE); }

/* ---- allocation: size classes carved from mmap'd arenas; big blocks mmap'd alone. Freed blocks go back
 * to their class list, so thread TLS blocks and DTVs do not leak.
 * Up to 4 KiB every multiple of 16 is a class of its own: blocks are packed with no rounding beyond 16
 * bytes, because each page the loader touches costs a page fault, and those are most of a big
 * start-up's cost (a struct obj of 2.2 KiB took 3 KiB with classes per half power of two). Above 4 KiB:
 * two classes per power of two up to 64 KiB. All multiples of 16; callers that need more alignment
 * align themselves. */
#define SMALL_MAX 4096
#define NSMALL (SMALL_MAX / 16)
static const uint32_t big_class_size[] = { 6144, 8192, 12288, 16384, 24576, 32768, 49152, 65536 };
#define NCLASS (NSMALL + (unsigned)ARRAY_LEN(big_class_size))
static inline size_t class_size(unsigned cls)
{
	return cls < NSMALL ? (cls + 1) * 16 : big_class_size[cls - NSMALL];
}
#define ARENA_SIZE (1UL << 20)
struct blk_hdr {
	uint64_t size; /* usable size (class size or mmap size) */
	uint64_t cls;  /* class index, or NCLASS for a direct mapping */
};
static struct free_blk { struct free_blk *next; } *free_lists[NCLASS];
static char *arena_cur, *arena_end, *arena_ready; /* ready: populated up to there */
#define ARENA_READY_STEP (64UL << 10)
static u_lock_t alloc_lock;

static void *os_map(size_t n)
{
	long r = sys_mmap(0, n, K_PROT_READ | K_PROT_WRITE, K_MAP_PRIVATE | K_MAP_ANONYMOUS, -1, 0);
	if (sys_is_err(r)) {
		static const char msg[] = "elfld: out of memory\n";
		sys_write(2, msg, sizeof msg - 1);
		sys_exit_group(127);
	}
	return (void *)r;
}

/* *fresh: the block was never used (a new mapping or new arena space), so it is still zero. */
static void *alloc_blk(size_t n, int *fresh)
{
	size_t need = n + sizeof(struct blk_hdr);
	unsigned cls;
	if (need <= SMALL_MAX)
		cls = (unsigned)((need + 15) / 16 - 1);
	else
		for (cls = NSMALL; cls < NCLASS && class_size(cls) < need; cls++)
			;
	struct blk_hdr *h;
	if (cls == NCLASS) {
		size_t sz = ALIGN_UP(need, PAGE_SIZE);
		h = os_map(sz);
		h->size = sz - sizeof *h;
		h->cls = NCLASS;
		*fresh = 1;
		return h + 1;
	}
	size_t csz = class_size(cls);
	u_lock(&alloc_lock);
	*fresh = !free_lists[cls];
	if (free_lists[cls]) {
		h = (struct blk_hdr *)free_lists[cls];
		free_lists[cls] = free_lists[cls]->next;
	} else {
		if ((size_t)(arena_end - arena_cur) < csz) {
			arena_cur = arena_ready = os_map(ARENA_SIZE);
			arena_end = arena_cur + ARENA_SIZE;
		}
		h = (struct blk_hdr *)arena_cur;
		arena_cur += csz;
		if (arena_cur > arena_ready) {
			/* The arena is handed out in order, so nearly every page of it gets touched: fill the next
			 * 64 KiB in one call (a first touch faults, ~10 us on a virtual machine; a populated page
			 * costs a fraction of that). Kernels before 5.14 refuse the advice: pages then fault. */
			char *to = (char *)ALIGN_UP((uintptr_t)arena_cur, ARENA_READY_STEP);
			if (to > arena_end)
				to = arena_end;
			sys_madvise(arena_ready, (size_t)(to - arena_ready), K_MADV_POPULATE_WRITE);
			arena_ready = to;
		}
	}
	u_unlock(&alloc_lock);
	h->size = csz - sizeof *h;
	h->cls = cls;
	return h + 1;
}

void *u_alloc(size_t n)
{
	int fresh;
	return alloc_blk(n, &fresh);
}

void *u_zalloc(size_t n)
{
	int fresh;
	void *p = alloc_blk(n, &fresh);
	/* Anonymous memory never handed out is zero: writing zeros would only fault its pages in (a
	 * 3,000-symbol cache is 48 KiB, most of it never touched). */
	return fresh ? p : memset(p, 0, n);
}

void u_free(void *p)
{
	if (!p)
		return;
	struct blk_hdr *h = (struct blk_hdr *)p - 1;
	if (h->cls == NCLASS) {
		sys_munmap(h, h->size + sizeof *h);
		return;
	}
	unsigned cls = (unsigned)h->cls;
	u_lock(&alloc_lock);
	((struct free_blk *)h)->next = free_lists[cls];
	free_lists[cls] = (struct free_blk *)h;
	u_unlock(&alloc_lock);
}

void *u_realloc(void *p, size_t n)
{
	if (!p)
		return u_alloc(n);
	struct blk_hdr *h = (struct blk_hdr *)p - 1;
	if (h->size >= n)
		return p;
	void *q = u_alloc(n);
	memcpy(q, p, h->size);
	u_free(p);
	return q;
}

char *u_strndup(const char *s, size_t n)
{
	size_t l = u_strnlen(s, n);
	char *d = u_alloc(l + 1);
	memcpy(d, s, l);
	d[l] = 0;
	return d;
}

char *u_strdup(const char *s) { return u_strndup(s, (size_t)-1); }

/* ---- formatted output */
void ob_init(struct outbuf *ob, int fd, char *buf, size_t cap)
{
	ob->fd = fd;
	ob->buf = buf;
	ob->cap = cap;
	ob->len = 0;
}

/* A reader that went away must not kill the program with SIGPIPE: block it around the write and take
 * back the pending signal if the write failed with EPIPE, then stop writing to that descriptor. */
void ob_flush(struct outbuf *ob)
{
	size_t off = 0;
	if (ob->fd == -1) /* a string buffer: nothing to flush to */
		return;
	if (ob->fd == -2) { /* the reader went away: drop */
		ob->len = 0;
		return;
	}
	uint64_t pipe_set = 1UL << (13 - 1), old = 0;
	sys_call6(14 /* rt_sigprocmask */, 0 /* SIG_BLOCK */, (long)&pipe_set, (long)&old, 8, 0, 0);
	while (off < ob->len) {
		long r = sys_write(ob->fd, ob->buf + off, ob->len - off);
		if (r == -4 /* EINTR */)
			continue;
		if (r <= 0) {
			if (r == -32 /* EPIPE */ && !(old & pipe_set)) {
				uint64_t ts[2] = { 0, 0 };
				sys_call6(128 /* rt_sigtimedwait */, (long)&pipe_set, 0, (long)ts, 8, 0, 0);
			}
			ob->fd = -2; /* reader gone: drop from now on, the loader and the program carry on */
			break;
		}
		off += (size_t)r;
	}
	sys_call6(14, 2 /* SIG_SETMASK */, (long)&old, 0, 8, 0, 0);
	ob->len = 0;
}

void ob_putc(struct outbuf *ob, char c)
{
	if (ob->len == ob->cap) {
		if (ob->fd == -1)
			return;
		ob_flush(ob);
	}
	ob->buf[ob->len++] = c;
}

void ob_write(struct outbuf *ob, const char *s, size_t n)
{
	while (n) {
		if (ob->len == ob->cap) {
			if (ob->fd == -1)
				return;
			ob_flush(ob);
		}
		size_t k = ob->cap - ob->len;
		if (k > n)
			k = n;
		memcpy(ob->buf + ob->len, s, k);
		ob->len += k;
		s += k;
		n -= k;
	}
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				     "8081828384858687888990919293949596979899";

size_t u_fmt_hex(char *p, uint64_t v)
{
	/* A byte (two digits) at a time, from the end; the digit count from the highest set bit. */
	static const char hex[] = "0123456789abcdef";
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1; /* ceil(significant bits / 4) */
	int i = n;
	for (; i >= 2; i -= 2, v >>= 8) {
		p[i - 1] = hex[v & 15];
		p[i - 2] = hex[(v >> 4) & 15];
	}
	if (i)
		p[0] = hex[v & 15];
	return (size_t)n;
}

size_t u_fmt_dec(char *p, uint64_t v)
{
	/* The digit count first, then two digits per division from the end (the usual table method),
	 * written in place. */
	size_t n = 1;
	for (uint64_t t = v; t >= 10; t /= 10)
		n++;
	char *e = p + n;
	while (v >= 100) {
		unsigned k = (unsigned)(v % 100) * 2;
		v /= 100;
		*--e = digit_pairs[k + 1];
		*--e = digit_pairs[k];
	}
	if (v >= 10) {
		*--e = digit_pairs[v * 2 + 1];
		*--e = digit_pairs[v * 2];
	} else
		*--e = (char)('0' + v);
	return n;
}
char *ob_room(struct outbuf *ob, size_t n)
{
	if (ob->cap - ob->len < n) {
		if (ob->fd == -1 || n > ob->cap)
			return 0;
		ob_flush(ob);
	}
	return ob->buf + ob->len;
}

static void put_num(struct outbuf *ob, uint64_t v, unsigned base, int neg, int width, char pad, int left)
{
	char tmp[24];
	size_t n = base == 16 ? u_fmt_hex(tmp, v) : u_fmt_dec(tmp, v);
	int len = (int)n + neg;
	int fill = width > len ? width - len : 0;
	if (!left)
		while (fill-- > 0)
			ob_putc(ob, pad);
	if (neg)
		ob_putc(ob, '-');
	ob_write(ob, tmp, n);
	if (left)
		while (fill-- > 0)
			ob_putc(ob, ' ');
}

/* Escape for the event stream: space, backslash, control characters. */
void ob_escaped(struct outbuf *ob, const char *s)
{
	if (!s || !*s) {
		ob_write(ob, "\\0", 2); /* empty string marker */
		return;
	}
	const char *clean = s; /* most strings (symbol names, paths) need no escape: one copy */
	while ((unsigned char)*clean > ' ' && *clean != '\\' && *clean != 127)
		clean++;
	ob_write(ob, s, (size_t)(clean - s));
	for (s = clean; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ')
			ob_write(ob, "\\s", 2);
		else if (c == '\\')
			ob_write(ob, "\\\\", 2);
		else if (c == '\n')
			ob_write(ob, "\\n", 2);
		else if (c == '\t')
			ob_write(ob, "\\t", 2);
		else if (c < 32 || c == 127) {
			ob_write(ob, "\\x", 2);
			ob_putc(ob, "0123456789abcdef"[c >> 4]);
			ob_putc(ob, "0123456789abcdef"[c & 15]);
		} else
			ob_putc(ob, (char)c);
	}
}

void ob_vprintf(struct outbuf *ob, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			ob_putc(ob, *fmt);
			continue;
		}
		fmt++;
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		if (*fmt == '-')
			left = 1, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng = 1, fmt++;
		switch (*fmt) {
		case 'd': {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(ob, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad, left);
			break;
		}
		case 'u':
			put_num(ob, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad, left);
			break;
		case 'x':
			put_num(ob, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad, left);
			break;
		case 'p':
			ob_write(ob, "0x", 2);
			put_num(ob, (uintptr_t)va_arg(ap, void *), 16, 0, width, pad, left);
			break;
		case 'c':
			ob_putc(ob, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t l = strlen(s);
			int fill = width > (int)l ? width - (int)l : 0;
			if (!left)
				while (fill-- > 0)
					ob_putc(ob, ' ');
			ob_write(ob, s, l);
			if (left)
				while (fill-- > 0)
					ob_putc(ob, ' ');
			break;
		}
		case '%':
			ob_putc(ob, '%');
			break;
		default:
			ob_putc(ob, '%');
			ob_putc(ob, *fmt);
			if (!*fmt)
				return;
		}
	}
}

void ob_printf(struct outbuf *ob, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ob_vprintf(ob, fmt, ap);
	va_end(ap);
}

size_t u_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	struct outbuf ob;
	ob_init(&ob, -1, buf, cap - 1);
	va_list ap;
	va_start(ap, fmt);
	ob_vprintf(&ob, fmt, ap);
	va_end(ap);
	buf[ob.len] = 0;
	return ob.len;
}

void u_verr(const char *fmt, va_list ap)
{
	char b[1024];
	struct outbuf ob;
	ob_init(&ob, 2, b, sizeof b);
	ob_vprintf(&ob, fmt, ap);
	ob_flush(&ob);
}

void u_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	u_verr(fmt, ap);
	va_end(ap);
}

struct u_catch *u_catch_frame;

void u_fatal(const char *file, const char *fmt, ...)
{
	char b[1024];
	struct outbuf ob;
	if (u_catch_frame) {
		struct u_catch *c = u_catch_frame;
		u_catch_frame = 0;
		u_snprintf(c->file, sizeof c->file, "%s", file ? file : "");
		ob_init(&ob, -1, c->msg, sizeof c->msg - 1);
		va_list ap;
		va_start(ap, fmt);
		ob_vprintf(&ob, fmt, ap);
		va_end(ap);
		c->msg[ob.len] = 0;
		elfld_longjmp(c->jb, 1);
	}
	ob_init(&ob, 2, b, sizeof b);
	ob_printf(&ob, "elfld: ");
	if (file)
		ob_printf(&ob, "%s: ", file);
	va_list ap;
	va_start(ap, fmt);
	ob_vprintf(&ob, fmt, ap);
	va_end(ap);
	size_t len = ob.len;
	ob_putc(&ob, '\n');
	ob_flush(&ob);
	b[len < sizeof b ? len : sizeof b - 1] = 0;
	extern void events_fatal(const char *msg) HIDDEN;
	events_fatal(b);
	sys_exit_group(127);
}

char **u_environ;

const char *u_getenv(const char *name)
{
	size_t n = strlen(name);
	for (char **e = u_environ; e && *e; e++)
		if (u_strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return 0;
}
