/* What libc derives from its loader: CPU cache sizes (cpu_features), page size, AT_ values, the vDSO clock,
 * the stack protector canary and pointer guard being set. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <time.h>
#include <string.h>
int main(void)
{
	printf("L1d %ld L2 %ld L3 %ld line %ld\n", sysconf(_SC_LEVEL1_DCACHE_SIZE), sysconf(_SC_LEVEL2_CACHE_SIZE),
	       sysconf(_SC_LEVEL3_CACHE_SIZE), sysconf(_SC_LEVEL1_DCACHE_LINESIZE));
	printf("pagesize %ld hwcap %lx hwcap2 %lx clktck %ld\n", sysconf(_SC_PAGESIZE), getauxval(AT_HWCAP),
	       getauxval(AT_HWCAP2), sysconf(_SC_CLK_TCK));
	printf("platform %s secure %lu\n", (char *)getauxval(AT_PLATFORM), getauxval(AT_SECURE));
	struct timespec ts;
	printf("clock %d\n", clock_gettime(CLOCK_MONOTONIC, &ts));
	static char big[1 << 22], big2[1 << 22];
	memset(big, 7, sizeof big);
	memcpy(big2, big, sizeof big); /* large copies use the non-temporal threshold from cpu_features */
	printf("memcpy %d strlen %zu\n", memcmp(big, big2, sizeof big), strlen("elfld"));
	return 0;
}
