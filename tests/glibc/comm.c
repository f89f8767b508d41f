/* The process's name (/proc/self/comm, what ps and top show): the kernel names a process after the file
 * it executed, so under elfld-run it must be the program's, not the loader's. Also a thread's default. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
static void show(const char *who)
{
	char buf[64] = "";
	FILE *f = fopen("/proc/thread-self/comm", "r");
	if (f && fgets(buf, sizeof buf, f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
	printf("%s comm: %s\n", who, buf);
}
static void *thread(void *a)
{
	(void)a;
	show("thread");
	return 0;
}
int main(void)
{
	show("main");
	pthread_t t;
	pthread_create(&t, 0, thread, 0);
	pthread_join(t, 0);
	return 0;
}
