/* What some tunables change, as a program sees it: glibc.malloc.perturb (fresh memory filled with the byte
 * inverted), glibc.malloc.arena_max (8 threads malloc at once: with arena_max=1 they all share the main
 * arena, 1 heap), glibc.pthread.rseq (0: no registration, __rseq_size 0). tunables.sh runs it with
 * GLIBC_TUNABLES, the MALLOC_* aliases, malformed and out-of-range values, natively and under elfld. */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/rseq.h>
#define N 8
static pthread_barrier_t bar;
static void *thread(void *a)
{
	pthread_barrier_wait(&bar);
	void *volatile p = malloc(1000);
	pthread_barrier_wait(&bar); /* every thread holds its arena at once */
	free(p);
	return a;
}
int main(void)
{
	unsigned char *volatile m = malloc(64);
	printf("fresh malloc byte 0x%02x\n", m[0]);
	free(m);
	struct rseq *rs = (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	printf("__rseq_size %s, registered %d\n", __rseq_size ? "non-zero" : "0", (int)rs->cpu_id >= 0);
	pthread_t t[N];
	pthread_barrier_init(&bar, 0, N);
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, thread, 0);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], 0);
	char *buf = 0;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	malloc_info(0, f);
	fclose(f);
	int heaps = 0;
	for (char *p = buf; (p = strstr(p, "<heap nr=")); p++)
		heaps++;
	printf("arenas: %s\n", heaps == 1 ? "1" : "more than 1");
	free(buf);
	return 0;
}
