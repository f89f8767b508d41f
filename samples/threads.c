/* Two threads, each with its own TLS: the program clone()s a thread whose TLS block comes from the loader
 * (_dl_allocate_tls, the interface glibc's pthread_create uses). The new thread starts from the initial
 * images (.tdata), not from the main thread's changed values. */
#include "nolibc.h"
__thread int counter = 1;
extern __thread int BAR __attribute__((tls_model("initial-exec")));
void *_dl_allocate_tls(void *mem);
void _dl_deallocate_tls(void *tcb, _Bool dealloc_tcb);
static volatile int child_tid = 1;
static int child_counter, child_bar;
static char stack[65536] __attribute__((aligned(16)));
static void child(void)
{
	counter += 10;
	BAR += 20;
	child_counter = counter;
	child_bar = BAR;
	for (;;)
		sc3(60 /* exit */, 0, 0, 0);
}
static long spawn(unsigned long tp)
{
	long flags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x200000;
	/* CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|CHILD_CLEARTID */
	register long r10 __asm__("r10") = (long)&child_tid;
	register long r8 __asm__("r8") = (long)tp;
	long ret;
	__asm__ volatile("syscall\n test %%rax, %%rax\n jnz 1f\n call *%[fn]\n 1:"
			 : "=a"(ret)
			 : "a"(56), "D"(flags), "S"(stack + sizeof stack), "d"(0), "r"(r10), "r"(r8), [fn] "r"(child)
			 : "rcx", "r11", "memory");
	return ret;
}
static int threads_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	counter = 5;
	BAR = 7;
	unsigned long tp = (unsigned long)_dl_allocate_tls(0);
	((unsigned long *)tp)[0] = tp; /* tcb->tcb and tcb->self: pthread_create's job in glibc */
	((unsigned long *)tp)[2] = tp;
	if (spawn(tp) < 0) {
		out("clone failed\n");
		return 1;
	}
	while (child_tid) /* the kernel clears it and wakes us when the thread exits */
		sc3(202 /* futex */, (long)&child_tid, 0 /* FUTEX_WAIT */, child_tid);
	out("main:  counter = ");
	outn((unsigned long)counter);
	out(", BAR = ");
	outn((unsigned long)BAR);
	out("\nchild: counter = ");
	outn((unsigned long)child_counter);
	out(", BAR = ");
	outn((unsigned long)child_bar);
	out("\n");
	_dl_deallocate_tls((void *)tp, 1);
	return 0;
}
NOLIBC_START(threads_main)
