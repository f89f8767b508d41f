/* 5000 short-lived threads with TLS in the program: every thread sees the initial image; memory flat. */
#include <pthread.h>
#include <stdio.h>
__thread char buf[4096]; __thread int x = 5;
static long rss(void){ FILE *f=fopen("/proc/self/statm","r"); long a,b; fscanf(f,"%ld %ld",&a,&b); fclose(f); return b; }
static void *f(void *a){ buf[0] = (char)(long)a; return (void*)(long)(x + buf[0]); }
int main(){ long r0 = 0; for (int i = 0; i < 5000; i++) { pthread_t t; void *r; pthread_create(&t,0,f,(void*)(long)(i&7)); pthread_join(t,&r); if ((long)r != 5 + (i&7)) { puts("bad"); return 1; } if (i == 200) r0 = rss(); } printf("flat=%d\n", rss() - r0 < 64); return 0; }
