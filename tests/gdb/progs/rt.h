/* A tiny freestanding runtime for the GDB test programs: raw syscalls, output, _start.
 * These programs run only under elfld-run (no libc, no system loader). */
#ifndef GDBT_RT_H
#define GDBT_RT_H
typedef unsigned long size_t;
typedef unsigned long uintptr_t;

static inline long sc1(long n, long a) { long r; __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory"); return r; }
static inline long sc3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}
static inline long sc4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return r;
}
static inline __attribute__((noreturn)) void rt_exit(int code) { for (;;) sc1(231, code); }
static inline size_t rt_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static inline void rt_puts(const char *s) { sc3(1, 1, (long)s, (long)rt_strlen(s)); }

/* Write "NAME=0xHEX" items; out() builds one line and writes it with a single syscall. */
struct line { char b[512]; size_t n; };
static inline void ln_str(struct line *l, const char *s) { while (*s && l->n < sizeof l->b - 1) l->b[l->n++] = *s++; }
static inline void ln_hex(struct line *l, unsigned long v)
{
	char t[19]; int i = 18; t[i] = 0;
	do { t[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
	t[--i] = 'x'; t[--i] = '0';
	ln_str(l, t + i);
}
static inline void ln_kv(struct line *l, const char *k, unsigned long v) { ln_str(l, " "); ln_str(l, k); ln_str(l, "="); ln_hex(l, v); }
static inline void ln_end(struct line *l) { ln_str(l, "\n"); sc3(1, 1, (long)l->b, (long)l->n); l->n = 0; }

static inline uintptr_t rt_tp(void) { uintptr_t tp; __asm__("mov %%fs:0, %0" : "=r"(tp)); return tp; }
static inline unsigned long rt_canary(void) { unsigned long c; __asm__("mov %%fs:0x28, %0" : "=r"(c)); return c; }

/* gcc may turn any initializer or copy into a call to memset/memcpy (gcc 16 does for `struct line l = {0}`);
 * freestanding code must provide them. rep stos/movs: a C loop could be turned back into the call. */
__attribute__((visibility("hidden"), used)) void *memset(void *d, int c, size_t n)
{
	void *r = d;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return r;
}
__attribute__((visibility("hidden"), used)) void *memcpy(void *d, const void *s, size_t n)
{
	void *r = d;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return r;
}

/* The program's main; _start passes the initial stack pointer. */
int main(int argc, char **argv);
__attribute__((used)) static void rt_cstart(long *sp) { rt_exit(main((int)sp[0], (char **)(sp + 1))); }
__asm__(".text\n.globl _start\n.type _start,@function\n_start:\n"
	"\txor %ebp, %ebp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall rt_cstart\n\thlt\n.size _start, .-_start\n");
void __stack_chk_fail(void) { rt_puts("stack smashing detected\n"); rt_exit(99); }
#endif
