/* dl_iterate_phdr: the program (named ""), the vDSO, libc, ld.so, with TLS module ids; the vDSO clock.
 * ld.so's program header count is not printed: elfld is ld.so here, a different file. */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
static int cb(struct dl_phdr_info *i, size_t s, void *d){ (void)s;(void)d; const char *n=strrchr(i->dlpi_name,'/'); printf("obj %s phnum=%d tls=%zu\n", n?n+1:i->dlpi_name, strstr(i->dlpi_name, "ld-linux") ? -1 : i->dlpi_phnum, i->dlpi_tls_modid); return 0; }
int main(){ dl_iterate_phdr(cb, 0); struct timespec ts; printf("clock=%d\n", clock_gettime(CLOCK_MONOTONIC,&ts)); return 0; }
