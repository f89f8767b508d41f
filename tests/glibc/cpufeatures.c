/* The CPU features libc reads from its loader (_rtld_global_ro._dl_x86_cpu_features, whose offset comes
 * from the generated layout header): usable features, preferences, ISA level, XSAVE size, cache sizes and
 * thresholds must be exactly what the system loader computes. Only the initial APIC ID (byte 3 of
 * CPUID.1:EBX) is masked: it names the CPU the process happened to run on. */
#include <dlfcn.h>
#include <stdio.h>
#include "glibc_layout.h"
int main(void)
{
	const unsigned char *ro = dlsym(RTLD_DEFAULT, "_rtld_global_ro");
	if (!ro) {
		printf("no _rtld_global_ro\n");
		return 1;
	}
	const unsigned char *cf = ro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features;
	for (unsigned i = 0; i < GLIBC_SIZEOF_cpu_features; i += 4) {
		unsigned w = *(const unsigned *)(cf + i);
		if (i == GLIBC_OFF_cpu_features__features + 4) /* features[0].cpuid.ebx */
			w &= 0x00ffffff;
		printf("%3u: %08x\n", i, w);
	}
	printf("hwcap %lx hwcap2 %lx\n", *(const unsigned long *)(ro + GLIBC_OFF_rtld_global_ro___dl_hwcap),
	       *(const unsigned long *)(ro + GLIBC_OFF_rtld_global_ro___dl_hwcap2));
	return 0;
}
