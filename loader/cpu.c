/* CPU features for glibc: STUB to be replaced by a port of glibc 2.36's init_cpu_features and
 * dl_init_cacheinfo. Leaves feature bits zero (libc then uses baseline SSE2 routines) and sets cache
 * sizes that libc's memcpy thresholds need to be non-zero. */
#include "glibc.h"

void cpu_features_init(unsigned char *cf)
{
	*(unsigned long *)(cf + GLIBC_OFF_cpu_features__data_cache_size) = 32 * 1024;
	*(unsigned long *)(cf + GLIBC_OFF_cpu_features__shared_cache_size) = 1024 * 1024;
	*(unsigned long *)(cf + GLIBC_OFF_cpu_features__non_temporal_threshold) = 768 * 1024;
	*(unsigned long *)(cf + GLIBC_OFF_cpu_features__rep_movsb_threshold) = 2048;
	*(unsigned long *)(cf + GLIBC_OFF_cpu_features__rep_movsb_stop_threshold) = 768 * 1024;
	*(unsigned long *)(cf + GLIBC_OFF_cpu_features__rep_stosb_threshold) = 2048;
}
