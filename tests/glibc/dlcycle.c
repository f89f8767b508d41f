/* dlopen/dlsym/dlclose of a library with TLS (one block aligned to 4096) in the main thread and a new
 * thread, RTLD_NOLOAD after dlclose, 2000 cycles with memory flat. */
#include <stdio.h>
#ifndef LIBDL
#define LIBDL "./libdltest.so"
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
typedef int (*getf)(void);
static void *th(void *a){ getf g = a; int x = g(); int y = g(); return (void*)(long)(x*100+y); }
static long rss(void){ FILE *f=fopen("/proc/self/statm","r"); long a,b; fscanf(f,"%ld %ld",&a,&b); fclose(f); return b; }
int main(){
  long r0=0;
  for (int i = 0; i < 2000; i++) {
    void *h = dlopen(LIBDL, RTLD_NOW|RTLD_LOCAL);
    if (!h) { printf("fail %s\n", dlerror()); return 1; }
    getf g = (getf)dlsym(h, "get");
    int a = g(), b = g();
    pthread_t t; void *res; pthread_create(&t, 0, th, (void*)g); pthread_join(t, &res);
    if (i == 0) printf("main %d %d thread %ld\n", a, b, (long)res);
    dlclose(h);
    if (dlopen(LIBDL, RTLD_NOW|RTLD_NOLOAD)) { printf("still loaded\n"); return 1; }
    if (i == 100) r0 = rss();
  }
  long r1 = rss();
  printf("rss growth ok=%d\n", r1 - r0 < 256);
  return 0;
}
