/* Small freestanding helpers: strings, memory, formatted output, allocation, errors. */
#ifndef ELFLD_UTIL_H
#define ELFLD_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HIDDEN __attribute__((visibility("hidden")))
#define EXPORT __attribute__((visibility("default"), used))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((uintptr_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uintptr_t)(a)-1))
#define PAGE_SIZE 4096UL
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t u_strnlen(const char *s, size_t max);
int u_strcmp(const char *a, const char *b);
int u_strncmp(const char *a, const char *b, size_t n);
char *u_strchr(const char *s, int c);
char *u_strrchr(const char *s, int c);
int u_startswith(const char *s, const char *prefix);

/* Allocation: thread-safe, never returns NULL (dies instead). */
void *u_alloc(size_t n);
void *u_zalloc(size_t n);
void *u_realloc(void *p, size_t n);
void u_free(void *p);
char *u_strdup(const char *s);
char *u_strndup(const char *s, size_t n);

/* Output buffer: printf-like formatting with %s %d %u %ld %lu %x %lx %p %c %%, plus
 * width/zero-pad/left-align. Flushes to fd when full. */
struct outbuf {
	int fd;
	size_t len, cap;
	char *buf;
};
void ob_init(struct outbuf *ob, int fd, char *buf, size_t cap);
void ob_putc(struct outbuf *ob, char c);
void ob_write(struct outbuf *ob, const char *s, size_t n);
void ob_printf(struct outbuf *ob, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ob_vprintf(struct outbuf *ob, const char *fmt, va_list ap);
void ob_flush(struct outbuf *ob);
/* The fast path for formatters: room for n more bytes at the returned pointer (flushing first if
 * needed); the caller writes them and advances ob->len. NULL if the buffer cannot take n bytes. */
char *ob_room(struct outbuf *ob, size_t n);
/* v in lower-case hex (no prefix) / decimal at p; returns the number of characters (at most 20). */
size_t u_fmt_hex(char *p, uint64_t v);
size_t u_fmt_dec(char *p, uint64_t v);
/* A string escaped for the event stream: space \\s, backslash \\\\, newline \\n, tab \\t, other control
 * characters \\xHH, the empty string as \\0. */
void ob_escaped(struct outbuf *ob, const char *s);
/* Format into a fixed buffer (always NUL-terminated, truncation marked with "..."). */
size_t u_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void u_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void u_verr(const char *fmt, va_list ap);
/* "elfld: FILE: message" and exit 127 (nothing of the program has run yet). */
__attribute__((noreturn)) void u_fatal(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Errors inside dlopen do not exit: u_fatal jumps back to the active catch frame with the message. */
struct u_catch {
	uint64_t jb[8];
	int errcode;     /* errno-style code for the error, 0 if none */
	char file[512];  /* the FILE of "elfld: FILE: message" */
	char msg[1024];
};
extern struct u_catch *u_catch_frame;
int elfld_setjmp(uint64_t *jb) __attribute__((returns_twice));
__attribute__((noreturn)) void elfld_longjmp(uint64_t *jb, int v);

/* Simple spinlock usable before and after the program's threads exist. */
typedef struct { volatile int v; } u_lock_t;
void u_lock(u_lock_t *l);
void u_unlock(u_lock_t *l);

/* Environment lookup over the program's envp. */
extern char **u_environ;
const char *u_getenv(const char *name);

#endif
