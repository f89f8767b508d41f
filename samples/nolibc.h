/* Just enough to write freestanding test programs: raw system calls and printing. */
#ifndef NOLIBC_H
#define NOLIBC_H
static inline long sc3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}
static inline void out(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	sc3(1, 1, (long)s, n);
}
static inline void outn(unsigned long v)
{
	char b[24];
	int i = 23;
	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	out(b + i);
}
/* _start: argc at (%rsp); %rdx holds the finalizer the loader passes (x86-64 ABI). */
#define NOLIBC_START(mainfn)                                                                     \
	static void (*nolibc_fini)(void);                                                        \
	__attribute__((used)) static void nolibc_start(long *sp, void (*fini)(void))             \
	{                                                                                        \
		nolibc_fini = fini;                                                              \
		int st = mainfn((int)sp[0], (char **)(sp + 1));                                  \
		if (nolibc_fini)                                                                 \
			nolibc_fini();                                                           \
		for (;;)                                                                         \
			sc3(231, st, 0, 0);                                                      \
	}                                                                                        \
	__asm__(".globl _start\n_start:\n mov %rsp, %rdi\n mov %rdx, %rsi\n and $-16, %rsp\n"     \
		" call nolibc_start\n hlt\n");
#endif
