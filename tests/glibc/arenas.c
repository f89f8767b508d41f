/* Eight threads call malloc before the main thread ever has. Under glibc's loader the main thread's first
 * malloc happens inside pthread_create (the new thread's DTV comes from libc's calloc), so the main
 * thread holds the main arena and each thread gets an arena of its own: 9 heaps. A loader that allocates
 * DTVs elsewhere leaves the main arena free for a thread, and glibc's arena accounting then trips
 * (an assertion in __malloc_arena_thread_freeres now and then), and the main thread later takes a freed
 * thread arena. Prints where the main thread's memory comes from: the main arena is the brk heap. The
 * number of arenas varies from run to run (threads reuse freed arenas), so it is not printed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define N 8
static pthread_barrier_t bar;
static void *thread(void *a)
{
	pthread_barrier_wait(&bar);
	for (int i = 0; i < 100; i++) {
		void *volatile p = malloc(64 + (size_t)i); /* volatile: the pair is not optimized away */
		free(p);
	}
	return a;
}
int main(void)
{
	pthread_t t[N];
	pthread_barrier_init(&bar, 0, N);
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], 0, thread, 0);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], 0);
	void *brk_end = sbrk(0);
	char *p = malloc(100);
	printf("main thread's malloc from the main arena (brk heap): %d\n", p < (char *)brk_end);
	free(p);
	return 0;
}
