/* rseq as glibc's loader sets it up: __rseq_size, __rseq_offset, __rseq_flags as a program sees them (built
 * twice: as a default PIE, which copy-relocates them, and -fPIC, which reads them through the GOT); the
 * main thread's and a new thread's areas registered (cpu_id >= 0, the kernel keeps it current), and
 * printf from a new thread (on glibc 2.41 a wrong __rseq_offset crashes it). Exact cpu numbers vary, so
 * only "registered" is printed. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/rseq.h>

static int registered(void)
{
	if (!__rseq_size)
		return 0;
	struct rseq *rs = (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	return (int)rs->cpu_id >= 0 && rs->cpu_id_start == rs->cpu_id;
}

static void *thread(void *arg)
{
	(void)arg;
	printf("thread: registered %d\n", registered());
	return 0;
}

int main(void)
{
	printf("__rseq_size %u __rseq_offset %ld __rseq_flags %u\n", __rseq_size, (long)__rseq_offset, __rseq_flags);
	printf("main: registered %d\n", registered());
	pthread_t t;
	pthread_create(&t, 0, thread, 0);
	pthread_join(t, 0);
	return 0;
}
