/* gdbt-threads: two threads with their own TLS. The second thread gets its static TLS block, TCB and
 * DTV from the loader's _dl_allocate_tls (as glibc's pthread_create does) and starts with raw clone. */
#include "rt.h"
__thread int FOO = 0xf00;
extern __thread int BAR;
int *bar_addr(void);
void *_dl_allocate_tls(void *mem);

static int child_tid = 1;
static char child_stack[65536] __attribute__((aligned(16)));

__attribute__((noinline)) void thread_checkpoint(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline)) void main_checkpoint(void) { __asm__ volatile("" ::: "memory"); }

static void report(const char *who)
{
	struct line l = { .n = 0 };
	ln_str(&l, who);
	ln_kv(&l, "tid", (unsigned long)sc1(186, 0));
	ln_kv(&l, "FOO", (unsigned)FOO);
	ln_kv(&l, "&FOO", (uintptr_t)&FOO);
	ln_kv(&l, "BAR", (unsigned)BAR);
	ln_kv(&l, "&BAR", (uintptr_t)bar_addr());
	ln_kv(&l, "tp", rt_tp());
	ln_end(&l);
}

static void thread_main(void *arg)
{
	(void)arg;
	FOO = 2;
	BAR = 0x2222;
	report("thread:");
	thread_checkpoint();
}

/* clone(flags, stack, ptid, ctid, tls); the child pops fn and arg from its new stack. */
static long spawn(void (*fn)(void *), void *arg, void *stack_top, int *ctid, uintptr_t tls)
{
	void **sp = stack_top;
	*--sp = arg;
	*--sp = (void *)fn;
	long flags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000;
	/* VM FS FILES SIGHAND THREAD SYSVSEM SETTLS PARENT_SETTID CHILD_CLEARTID */
	long r;
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = (long)tls;
	__asm__ volatile("syscall\n\ttest %%rax, %%rax\n\tjnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\tpop %%rax\n\tpop %%rdi\n\tcall *%%rax\n\t"
			 "mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall\n1:"
			 : "=a"(r)
			 : "a"(56), "D"(flags), "S"(sp), "d"(ctid), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	FOO = 1;
	BAR = 0x1111;
	report("main:");
	uintptr_t tp = (uintptr_t)_dl_allocate_tls(0);
	((uintptr_t *)tp)[0] = tp;            /* tcb */
	((uintptr_t *)tp)[2] = tp;            /* self */
	((uintptr_t *)tp)[5] = rt_canary();   /* stack_guard, as nptl copies it */
	if (spawn(thread_main, 0, child_stack + sizeof child_stack, &child_tid, tp) < 0) {
		rt_puts("clone failed\n");
		return 1;
	}
	while (__atomic_load_n(&child_tid, __ATOMIC_ACQUIRE))
		sc4(202, (long)&child_tid, 0 /* FUTEX_WAIT */, child_tid, 0);
	report("main:");
	main_checkpoint();
	return 0;
}
