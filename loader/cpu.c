/* CPU features for glibc: _rtld_global_ro._dl_x86_cpu_features (struct cpu_features), and the
 * GLRO(dl_hwcap) / GLRO(dl_platform) that glibc sets beside it, computed as the system's own ld.so computes
 * them, release by release (GLIBC_LAYOUT_MINOR, from the generated layout header):
 *   36  Debian 12: glibc's release/2.36 branch;
 *   41  Debian 13: release/2.41 branch, which carries most of the later x86 work (Intel microarch table up
 *       to Nova Lake / Diamond Rapids, 0x8000001D AMD caches, AVX10, APX, ...);
 *   43  Debian unstable: glibc 2.43 (= 2.41's branch plus the Hygon tuning).
 * libc's IFUNC resolvers read all of it (during IRELATIVE processing) to pick their string functions;
 * sysconf(_SC_LEVEL*_CACHE_*) and the memcpy/memset strategy thresholds come from it too.
 *
 * One function per glibc function, under glibc's name:
 *   sysdeps/x86/cpu-features.c    init_cpu_features (cpu_features_init here), update_active,
 *                                 get_common_indices, get_extended_indices, intel_get_fam6_microarch (2.41+)
 *   sysdeps/x86/get-isa-level.h   get_isa_level
 *   sysdeps/x86/dl-hwcap2.h       dl_check_hwcap2 (2.41+)
 *   sysdeps/unix/sysv/linux/x86/cpu-features.c  get_cet_status (2.36)
 *   sysdeps/x86/dl-cacheinfo.h    dl_init_cacheinfo, handle_intel, intel_check_word, handle_amd,
 *                                 handle_zhaoxin, handle_hygon (2.41+), get_common_cache_info
 * Tunables are not applied: every TUNABLE_GET here yields the tunable's default (GLIBC_TUNABLES unset).
 * Debian 13/unstable's "Cache cpuid results in ld.so for Intel CPUs" backport only memoizes CPUID leaves 2
 * and 4 inside handle_intel; the values are the same as the uncached code below. */
#include <cpuid.h>
#include "cpu_bits.h"

/* CPUID traps to the hypervisor in a virtual machine (about 4 us each on the machines elfld is tested on)
 * and glibc's code asks the same leaves again and again (handle_amd reads 0x80000000 and 0x8000001D for
 * each of eleven cache parameters): each (leaf, subleaf) is asked once per start-up and remembered. The
 * answers are the same (the APIC ID in leaf 1 names the CPU of the first call, as in one glibc call).
 * Leaf 2 is not remembered: on old CPUs successive calls return successive descriptor sets. */
static struct cpuid_memo { unsigned leaf, sub, r[4]; } cpuid_memo[64];
static unsigned cpuid_nmemo;

static void cpuid_memo_get(unsigned leaf, unsigned sub, unsigned *a, unsigned *b, unsigned *c, unsigned *d)
{
	for (unsigned i = 0; i < cpuid_nmemo; i++)
		if (cpuid_memo[i].leaf == leaf && cpuid_memo[i].sub == sub) {
			*a = cpuid_memo[i].r[0], *b = cpuid_memo[i].r[1], *c = cpuid_memo[i].r[2], *d = cpuid_memo[i].r[3];
			return;
		}
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "0"(leaf), "2"(sub));
	if (leaf != 2 && cpuid_nmemo < sizeof cpuid_memo / sizeof cpuid_memo[0])
		cpuid_memo[cpuid_nmemo++] = (struct cpuid_memo){ leaf, sub, { *a, *b, *c, *d } };
}
#undef __cpuid
#undef __cpuid_count
#define __cpuid(leaf, a, b, c, d) __cpuid_count(leaf, 0, a, b, c, d)
#define __cpuid_count(leaf, sub, a, b, c, d) \
	cpuid_memo_get((unsigned)(leaf), (unsigned)(sub), (unsigned *)&(a), (unsigned *)&(b), (unsigned *)&(c), (unsigned *)&(d))
#include "glibc.h"
#include "sys.h"

#if GLIBC_LAYOUT_MINOR >= 41 && (GLIBC_NELEM_cpu_features__features < 10 || \
				  !defined GLIBC_OFF_cpu_features__memset_non_temporal_threshold || \
				  !defined GLIBC_OFF_cpu_features__cachesize_non_temporal_divisor)
#error "glibc 2.41+ layout lacks CPUID_INDEX_24_ECX_0, memset_non_temporal_threshold or cachesize_non_temporal_divisor"
#endif

#define CF(field) (cf + GLIBC_OFF_cpu_features__##field)
/* cf is GLRO(dl_x86_cpu_features): glibc.c has already stored AT_HWCAP2 in GLRO(dl_hwcap2) and AT_PLATFORM
 * in GLRO(dl_platform), as glibc's _dl_sysdep_start does before init_cpu_features. */
#define GLRO(field) (cf - GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features + GLIBC_OFF_rtld_global_ro__##field)
#define U32(p) (*(unsigned *)(void *)(p))
#define UL(p) (*(unsigned long *)(void *)(p))
#define BASIC(field) U32(CF(basic) + GLIBC_OFF_cpu_features_basic__##field)
#define MAX_CPUID ((int)BASIC(max_cpuid)) /* an int in glibc */
#define PREFERRED U32(CF(preferred))

enum cpu_features_kind {
	arch_kind_unknown,
	arch_kind_intel,
	arch_kind_amd,
	arch_kind_zhaoxin,
#if GLIBC_LAYOUT_MINOR >= 41
	arch_kind_hygon, /* 2.41+: a kind of its own (2.36 runs Hygon through the AMD code) */
#endif
	arch_kind_other
};

enum {
	CPUID_INDEX_1,
	CPUID_INDEX_7,
	CPUID_INDEX_80000001,
	CPUID_INDEX_D_ECX_1,
	CPUID_INDEX_80000007,
	CPUID_INDEX_80000008,
	CPUID_INDEX_7_ECX_1,
	CPUID_INDEX_19,
	CPUID_INDEX_14_ECX_0,
	CPUID_INDEX_24_ECX_0, /* 2.41+ */
};

/* preferred[0] bits, in the order of the release's cpu-features-preferred_feature_index_1.def. */
enum {
	arch_Fast_Rep_String,
	arch_Fast_Copy_Backward,
	arch_Slow_BSF,
	arch_Fast_Unaligned_Load,
	arch_Prefer_PMINUB_for_stringop,
	arch_Fast_Unaligned_Copy,
	arch_I586,
	arch_I686,
	arch_Slow_SSE4_2,
	arch_AVX_Fast_Unaligned_Load,
#if GLIBC_LAYOUT_MINOR >= 41
	arch_Prefer_MAP_32BIT_EXEC, /* 2.41+ inserts it here, moving every later bit up by one */
#endif
	arch_Prefer_No_VZEROUPPER,
	arch_Prefer_ERMS,
	arch_Prefer_No_AVX512,
	arch_MathVec_Prefer_No_AVX512,
	arch_Prefer_FSRM,
	arch_Avoid_Short_Distance_REP_MOVSB,
#if GLIBC_LAYOUT_MINOR >= 41
	arch_Avoid_Non_Temporal_Memset,
	arch_Avoid_STOSB,
#endif
};
#define BIT_ARCH(name) (1u << arch_##name)
#define ARCH_P(name) ((PREFERRED & BIT_ARCH(name)) != 0)

/* features[FEAT / 128]: .cpuid at +0, .active at +16; register (FEAT / 32) % 4; bit FEAT % 32. */
static unsigned *feature_reg(unsigned char *cf, int feat, int active)
{
	return (unsigned *)(void *)(CF(features) + (feat / 128) * GLIBC_SIZEOF_cpuid_feature_internal +
				    (active ? GLIBC_OFF_cpuid_feature_internal__active : 0) + (feat / 32 % 4) * 4);
}
#define CPU_P(name) ((*feature_reg(cf, FEAT_##name, 0) >> (FEAT_##name % 32)) & 1)  /* CPU_FEATURES_CPU_P */
#define USABLE(name) ((*feature_reg(cf, FEAT_##name, 1) >> (FEAT_##name % 32)) & 1) /* CPU_FEATURE_USABLE_P */
#define SET(name) (*feature_reg(cf, FEAT_##name, 1) |= 1u << (FEAT_##name % 32))     /* CPU_FEATURE_SET */
#define UNSET(name) (*feature_reg(cf, FEAT_##name, 1) &= ~(1u << (FEAT_##name % 32))) /* CPU_FEATURE_UNSET */
#define SET_ACTIVE(name)                 \
	do {                             \
		if (CPU_P(name))         \
			SET(name);       \
	} while (0)

/* features[idx].cpuid.{eax, ebx, ecx, edx}[reg] */
#define CPUID_REG(idx, reg) (((unsigned *)(void *)(CF(features) + (idx) * GLIBC_SIZEOF_cpuid_feature_internal))[reg])

/* __cpuid_count into features[idx].cpuid. */
static void cpuid_into(unsigned char *cf, int idx, unsigned leaf, unsigned subleaf)
{
	__cpuid_count(leaf, subleaf, CPUID_REG(idx, 0), CPUID_REG(idx, 1), CPUID_REG(idx, 2), CPUID_REG(idx, 3));
}

/* XCR0 state bits. */
enum {
	bit_XMM_state = 1 << 1,
	bit_YMM_state = 1 << 2,
	bit_Opmask_state = 1 << 5,
	bit_ZMM0_15_state = 1 << 6,
	bit_ZMM16_31_state = 1 << 7,
	bit_XTILECFG_state = 1 << 17,
	bit_XTILEDATA_state = 1 << 18,
	bit_APX_state = 1 << 19,
};

/* The XSAVE area _dl_runtime_resolve / _dl_tlsdesc_dynamic save (sysdeps/x86/sysdep.h). */
#if GLIBC_LAYOUT_MINOR >= 41
/* 2.41+: TLS descriptors also save RDI, RSI, RBX (24 more bytes); APX and the AMX states count, but the
 * AMX part is cut out of xsave_state_size again (only _dl_x86_features_tlsdesc_state_size keeps it). */
#define REGISTER_SAVE_AREA (8 * 7 + 8 + 24) /* TLSDESC_CALL_REGISTER_SAVE_AREA */
/* FULL_STATE_SAVE_MASK: SSE, AVX, BNDREGS, K, ZMM_H, ZMM, APX_F, and TILECFG, TILEDATA */
#define XSTATE_SAVE_MASK \
	((1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 19) | (1 << 17) | (1 << 18))
#define XSTATE_MAX_ID 19 /* X86_XSTATE_APX_F_ID */
#define XSTATE_TILECFG_ID 17
#define XSTATE_TILEDATA_ID 18
#else
#define REGISTER_SAVE_AREA (8 * 7 + 8) /* STATE_SAVE_OFFSET */
#define XSTATE_SAVE_MASK ((1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7)) /* STATE_SAVE_MASK */
#define XSTATE_MAX_ID 31
#endif

static unsigned get_isa_level(unsigned char *cf)
{
	unsigned isa_level = 0;
	if (USABLE(CMOV) && USABLE(CX8) && CPU_P(FPU) && USABLE(FXSR) && USABLE(MMX) && USABLE(SSE) && USABLE(SSE2)) {
		isa_level = 1; /* GNU_PROPERTY_X86_ISA_1_BASELINE */
		if (USABLE(CMPXCHG16B) && USABLE(LAHF64_SAHF64) && USABLE(POPCNT) && USABLE(SSE3) && USABLE(SSSE3) &&
		    USABLE(SSE4_1) && USABLE(SSE4_2)) {
			isa_level |= 2; /* V2 */
			if (USABLE(AVX) && USABLE(AVX2) && USABLE(BMI1) && USABLE(BMI2) && USABLE(F16C) && USABLE(FMA) &&
			    USABLE(LZCNT) && USABLE(MOVBE)) {
				isa_level |= 4; /* V3 */
				if (USABLE(AVX512F) && USABLE(AVX512BW) && USABLE(AVX512CD) && USABLE(AVX512DQ) &&
				    USABLE(AVX512VL))
					isa_level |= 8; /* V4 */
			}
		}
	}
	return isa_level;
}

#if GLIBC_LAYOUT_MINOR >= 41
/* 2.41+ (sysdeps/unix/sysv/linux/x86/dl-hwcap2.h): FSGSBASE is usable when the kernel says so in AT_HWCAP2. */
static void dl_check_hwcap2(unsigned char *cf)
{
	if (UL(GLRO(_dl_hwcap2)) & (1 << 1) /* HWCAP2_FSGSBASE */)
		SET_ACTIVE(FSGSBASE);
}
#endif

static void update_active(unsigned char *cf)
{
	/* Copy the CPUID bits of the features usable without OS support. */
	SET_ACTIVE(SSE3); SET_ACTIVE(PCLMULQDQ); SET_ACTIVE(SSSE3); SET_ACTIVE(CMPXCHG16B); SET_ACTIVE(SSE4_1);
	SET_ACTIVE(SSE4_2); SET_ACTIVE(MOVBE); SET_ACTIVE(POPCNT); SET_ACTIVE(AES); SET_ACTIVE(OSXSAVE);
	SET_ACTIVE(TSC); SET_ACTIVE(CX8); SET_ACTIVE(CMOV); SET_ACTIVE(CLFSH); SET_ACTIVE(MMX); SET_ACTIVE(FXSR);
	SET_ACTIVE(SSE); SET_ACTIVE(SSE2); SET_ACTIVE(HTT); SET_ACTIVE(BMI1); SET_ACTIVE(HLE); SET_ACTIVE(BMI2);
	SET_ACTIVE(ERMS); SET_ACTIVE(RDSEED); SET_ACTIVE(ADX); SET_ACTIVE(CLFLUSHOPT); SET_ACTIVE(CLWB);
	SET_ACTIVE(SHA); SET_ACTIVE(PREFETCHWT1); SET_ACTIVE(OSPKE); SET_ACTIVE(WAITPKG); SET_ACTIVE(GFNI);
	SET_ACTIVE(RDPID); SET_ACTIVE(RDRAND); SET_ACTIVE(CLDEMOTE); SET_ACTIVE(MOVDIRI); SET_ACTIVE(MOVDIR64B);
	SET_ACTIVE(FSRM); SET_ACTIVE(RTM_ALWAYS_ABORT); SET_ACTIVE(SERIALIZE); SET_ACTIVE(TSXLDTRK);
	SET_ACTIVE(LAHF64_SAHF64); SET_ACTIVE(LZCNT); SET_ACTIVE(SSE4A); SET_ACTIVE(PREFETCHW); SET_ACTIVE(TBM);
	SET_ACTIVE(RDTSCP); SET_ACTIVE(WBNOINVD); SET_ACTIVE(FZLRM); SET_ACTIVE(FSRS); SET_ACTIVE(FSRCS);
	SET_ACTIVE(PTWRITE);
#if GLIBC_LAYOUT_MINOR >= 41
	SET_ACTIVE(RAO_INT); SET_ACTIVE(CMPCCXADD); SET_ACTIVE(PREFETCHI);
#endif
	if (!CPU_P(RTM_ALWAYS_ABORT))
		SET_ACTIVE(RTM);
#if GLIBC_LAYOUT_MINOR < 41
	/* Debian builds with --enable-cet (CET_ENABLED): copied here, cleared again at the end of
	 * init_cpu_features unless the kernel reports them enabled (get_cet_status). 2.41+ has
	 * "#if CET_ENABLED && 0" here: IBT and SHSTK are never marked active. */
	SET_ACTIVE(IBT);
	SET_ACTIVE(SHSTK);
#endif

	enum { os_xmm = 1, os_ymm = 2, os_zmm = 4 };
	unsigned os_vector_size = os_xmm;
	(void)os_vector_size; /* only 2.41+ reads it */
	if (CPU_P(OSXSAVE)) { /* can we call xgetbv? */
		unsigned xcrlow, xcrhigh;
#if GLIBC_LAYOUT_MINOR >= 41
		SET_ACTIVE(AVX10);
#endif
		__asm__("xgetbv" : "=a"(xcrlow), "=d"(xcrhigh) : "c"(0));
		if ((xcrlow & (bit_YMM_state | bit_XMM_state)) == (bit_YMM_state | bit_XMM_state)) {
			if (CPU_P(AVX)) {
				os_vector_size |= os_ymm;
				SET(AVX);
				if (CPU_P(AVX2)) {
					SET(AVX2);
					PREFERRED |= BIT_ARCH(AVX_Fast_Unaligned_Load);
				}
#if GLIBC_LAYOUT_MINOR >= 41
				SET_ACTIVE(AVX_IFMA); SET_ACTIVE(AVX_NE_CONVERT); SET_ACTIVE(AVX_VNNI_INT8);
#endif
				SET_ACTIVE(AVX_VNNI); SET_ACTIVE(FMA); SET_ACTIVE(VAES); SET_ACTIVE(VPCLMULQDQ);
				SET_ACTIVE(XOP); SET_ACTIVE(F16C);
			}
			if ((xcrlow & (bit_Opmask_state | bit_ZMM0_15_state | bit_ZMM16_31_state)) ==
			    (bit_Opmask_state | bit_ZMM0_15_state | bit_ZMM16_31_state)) {
				os_vector_size |= os_zmm;
				if (CPU_P(AVX512F)) {
					SET(AVX512F);
					SET_ACTIVE(AVX512CD); SET_ACTIVE(AVX512ER); SET_ACTIVE(AVX512PF);
					SET_ACTIVE(AVX512VL); SET_ACTIVE(AVX512DQ); SET_ACTIVE(AVX512BW);
					SET_ACTIVE(AVX512_4FMAPS); SET_ACTIVE(AVX512_4VNNIW); SET_ACTIVE(AVX512_BITALG);
					SET_ACTIVE(AVX512_IFMA); SET_ACTIVE(AVX512_VBMI); SET_ACTIVE(AVX512_VBMI2);
					SET_ACTIVE(AVX512_VNNI); SET_ACTIVE(AVX512_VPOPCNTDQ);
					SET_ACTIVE(AVX512_VP2INTERSECT); SET_ACTIVE(AVX512_BF16); SET_ACTIVE(AVX512_FP16);
				}
			}
		}
#if GLIBC_LAYOUT_MINOR >= 41
		/* AVX10: leaf 0x24 says which vector lengths; usable as far as the OS saves them. */
		if (CPU_P(AVX10) && MAX_CPUID >= 0x24) {
			cpuid_into(cf, CPUID_INDEX_24_ECX_0, 0x24, 0);
			if (os_vector_size & os_xmm)
				SET_ACTIVE(AVX10_XMM);
			if (os_vector_size & os_ymm)
				SET_ACTIVE(AVX10_YMM);
			if (os_vector_size & os_zmm)
				SET_ACTIVE(AVX10_ZMM);
		}
#endif
		if ((xcrlow & (bit_XTILECFG_state | bit_XTILEDATA_state)) == (bit_XTILECFG_state | bit_XTILEDATA_state)) {
			SET_ACTIVE(AMX_BF16); SET_ACTIVE(AMX_TILE); SET_ACTIVE(AMX_INT8);
#if GLIBC_LAYOUT_MINOR >= 41
			SET_ACTIVE(AMX_FP16); SET_ACTIVE(AMX_COMPLEX);
#endif
		}
#if GLIBC_LAYOUT_MINOR >= 41
		if (xcrlow & bit_APX_state)
			SET_ACTIVE(APX_F);
#endif
		/* Usable only when OSXSAVE is. */
		SET(XSAVE);
		SET_ACTIVE(XSAVEOPT); SET_ACTIVE(XSAVEC); SET_ACTIVE(XGETBV_ECX_1); SET_ACTIVE(XFD);

		/* xsave_state_size: the XSAVE area plus the integer register save area, 64-byte aligned; with
		 * XSAVEC, the compacted size of the saved states. */
		if (MAX_CPUID >= 0xd) {
			unsigned eax, ebx, ecx, edx;
			__cpuid_count(0xd, 0, eax, ebx, ecx, edx);
			if (ebx != 0) {
				unsigned xsave_state_full_size = ALIGN_UP(ebx + REGISTER_SAVE_AREA, 64);
				UL(CF(xsave_state_size)) = xsave_state_full_size;
				U32(CF(xsave_state_full_size)) = xsave_state_full_size;
				if (CPU_P(XSAVEC)) {
					unsigned xstate_comp_offsets[XSTATE_MAX_ID + 1], xstate_comp_sizes[XSTATE_MAX_ID + 1];
					xstate_comp_offsets[0] = 0;
					xstate_comp_offsets[1] = 160;
					xstate_comp_offsets[2] = 576;
					xstate_comp_sizes[0] = 160;
					xstate_comp_sizes[1] = 256;
					for (unsigned i = 2; i <= XSTATE_MAX_ID; i++) {
						if (XSTATE_SAVE_MASK & (1u << i)) {
							__cpuid_count(0xd, i, eax, ebx, ecx, edx);
							xstate_comp_sizes[i] = eax;
						} else {
							ecx = 0;
							xstate_comp_sizes[i] = 0;
						}
						if (i > 2) {
							xstate_comp_offsets[i] = xstate_comp_offsets[i - 1] + xstate_comp_sizes[i - 1];
							if (ecx & (1 << 1))
								xstate_comp_offsets[i] = ALIGN_UP(xstate_comp_offsets[i], 64);
						}
					}
					unsigned size = xstate_comp_offsets[XSTATE_MAX_ID] + xstate_comp_sizes[XSTATE_MAX_ID];
					if (size) {
						size = ALIGN_UP(size + REGISTER_SAVE_AREA, 64);
#if GLIBC_LAYOUT_MINOR >= 41
						/* Leave out TILECFG..TILEDATA (equal offsets without AMX). */
						size -= xstate_comp_offsets[XSTATE_TILEDATA_ID + 1] -
							xstate_comp_offsets[XSTATE_TILECFG_ID];
#endif
						UL(CF(xsave_state_size)) = size;
						SET(XSAVEC);
					}
				}
			}
		}
	}
	if (CPU_P(OSPKE))
		SET(PKU);
	if (CPU_P(AESKLE)) { /* Key Locker */
		SET(AESKLE);
		SET_ACTIVE(KL);
		SET_ACTIVE(WIDE_KL);
	}
#if GLIBC_LAYOUT_MINOR >= 41
	dl_check_hwcap2(cf);
#endif
	U32(CF(isa_1)) = get_isa_level(cf);
}

static void get_extended_indices(unsigned char *cf)
{
	unsigned eax, ebx, ecx, edx;
	__cpuid(0x80000000, eax, ebx, ecx, edx);
	if (eax >= 0x80000001)
		cpuid_into(cf, CPUID_INDEX_80000001, 0x80000001, 0);
	if (eax >= 0x80000007)
		cpuid_into(cf, CPUID_INDEX_80000007, 0x80000007, 0);
	if (eax >= 0x80000008)
		cpuid_into(cf, CPUID_INDEX_80000008, 0x80000008, 0);
}

/* family == NULL (unknown vendors): leaf 1 is not read at all. */
static void get_common_indices(unsigned char *cf, unsigned *family, unsigned *model, unsigned *extended_model,
			       unsigned *stepping)
{
	if (family) {
		cpuid_into(cf, CPUID_INDEX_1, 1, 0);
		unsigned eax = CPUID_REG(CPUID_INDEX_1, 0);
		*family = (eax >> 8) & 0x0f;
		*model = (eax >> 4) & 0x0f;
		*extended_model = (eax >> 12) & 0xf0;
		*stepping = eax & 0x0f;
		if (*family == 0x0f) {
			*family += (eax >> 20) & 0xff;
			*model += *extended_model;
		}
	}
	if (MAX_CPUID >= 7) {
		cpuid_into(cf, CPUID_INDEX_7, 7, 0);
		cpuid_into(cf, CPUID_INDEX_7_ECX_1, 7, 1);
	}
	if (MAX_CPUID >= 0xd)
		cpuid_into(cf, CPUID_INDEX_D_ECX_1, 0xd, 1);
	if (MAX_CPUID >= 0x14)
		cpuid_into(cf, CPUID_INDEX_14_ECX_0, 0x14, 0);
	if (MAX_CPUID >= 0x19)
		cpuid_into(cf, CPUID_INDEX_19, 0x19, 0);
	/* dl_check_minsigstacksize: GLRO(dl_minsigstacksize) is glibc.c's (AT_MINSIGSTKSZ). */
}

#if GLIBC_LAYOUT_MINOR >= 41
/* 2.41+ names Intel family 6 models by microarchitecture (2.36 switches on the model numbers directly). */
enum intel_microarch {
	INTEL_ATOM_BONNELL, INTEL_ATOM_SILVERMONT, INTEL_ATOM_AIRMONT, INTEL_ATOM_GOLDMONT,
	INTEL_ATOM_GOLDMONT_PLUS, INTEL_ATOM_SIERRAFOREST, INTEL_ATOM_CLEARWATERFOREST, INTEL_ATOM_GRANDRIDGE,
	INTEL_ATOM_TREMONT,
	INTEL_BIGCORE_MEROM, INTEL_BIGCORE_PENRYN, INTEL_BIGCORE_DUNNINGTON, INTEL_BIGCORE_NEHALEM,
	INTEL_BIGCORE_WESTMERE, INTEL_BIGCORE_SANDYBRIDGE, INTEL_BIGCORE_IVYBRIDGE, INTEL_BIGCORE_HASWELL,
	INTEL_BIGCORE_BROADWELL, INTEL_BIGCORE_SKYLAKE, INTEL_BIGCORE_KABYLAKE, INTEL_BIGCORE_COMETLAKE,
	INTEL_BIGCORE_SKYLAKE_AVX512, INTEL_BIGCORE_CANNONLAKE, INTEL_BIGCORE_ICELAKE, INTEL_BIGCORE_TIGERLAKE,
	INTEL_BIGCORE_ROCKETLAKE, INTEL_BIGCORE_SAPPHIRERAPIDS, INTEL_BIGCORE_RAPTORLAKE,
	INTEL_BIGCORE_EMERALDRAPIDS, INTEL_BIGCORE_METEORLAKE, INTEL_BIGCORE_LUNARLAKE, INTEL_BIGCORE_ARROWLAKE,
	INTEL_BIGCORE_PANTHERLAKE, INTEL_BIGCORE_GRANITERAPIDS, INTEL_BIGCORE_DIAMONDRAPIDS,
	INTEL_BIGCORE_WILDCATLAKE, INTEL_BIGCORE_NOVALAKE,
	INTEL_MIXED_LAKEFIELD, INTEL_MIXED_ALDERLAKE,
	INTEL_KNIGHTS_MILL, INTEL_KNIGHTS_LANDING,
	INTEL_UNKNOWN,
};

static enum intel_microarch intel_get_fam6_microarch(unsigned model)
{
	switch (model) {
	case 0x1C: case 0x26: case 0x27: case 0x35: case 0x36: return INTEL_ATOM_BONNELL; /* and Saltwell */
	case 0x37: case 0x4A: case 0x4D: case 0x5D: return INTEL_ATOM_SILVERMONT;
	case 0x4C: case 0x5A: case 0x75: return INTEL_ATOM_AIRMONT;
	case 0x5C: case 0x5F: return INTEL_ATOM_GOLDMONT;
	case 0x7A: return INTEL_ATOM_GOLDMONT_PLUS;
	case 0xAF: return INTEL_ATOM_SIERRAFOREST;
	case 0xDD: return INTEL_ATOM_CLEARWATERFOREST;
	case 0xB6: return INTEL_ATOM_GRANDRIDGE;
	case 0x86: case 0x96: case 0x9C: return INTEL_ATOM_TREMONT;
	case 0x0F: case 0x16: return INTEL_BIGCORE_MEROM;
	case 0x17: return INTEL_BIGCORE_PENRYN;
	case 0x1D: return INTEL_BIGCORE_DUNNINGTON;
	case 0x1A: case 0x1E: case 0x1F: case 0x2E: return INTEL_BIGCORE_NEHALEM;
	case 0x25: case 0x2C: case 0x2F: return INTEL_BIGCORE_WESTMERE;
	case 0x2A: case 0x2D: return INTEL_BIGCORE_SANDYBRIDGE;
	case 0x3A: case 0x3E: return INTEL_BIGCORE_IVYBRIDGE;
	case 0x3C: case 0x3F: case 0x45: case 0x46: return INTEL_BIGCORE_HASWELL;
	case 0x3D: case 0x47: case 0x4F: case 0x56: return INTEL_BIGCORE_BROADWELL;
	case 0x4E: case 0x5E: return INTEL_BIGCORE_SKYLAKE;
	case 0x8E: case 0x9E: return INTEL_BIGCORE_KABYLAKE; /* and Amber/Coffee/Whiskey Lake */
	case 0xA5: case 0xA6: return INTEL_BIGCORE_COMETLAKE;
	case 0x66: return INTEL_BIGCORE_CANNONLAKE;
	case 0x55: return INTEL_BIGCORE_SKYLAKE_AVX512; /* and Cascade/Cooper Lake */
	case 0x6A: case 0x6C: case 0x7D: case 0x7E: case 0x9D: return INTEL_BIGCORE_ICELAKE;
	case 0x8C: case 0x8D: return INTEL_BIGCORE_TIGERLAKE;
	case 0xA7: return INTEL_BIGCORE_ROCKETLAKE;
	case 0x8F: return INTEL_BIGCORE_SAPPHIRERAPIDS;
	case 0xB7: case 0xBA: case 0xBF: return INTEL_BIGCORE_RAPTORLAKE;
	case 0xCF: return INTEL_BIGCORE_EMERALDRAPIDS;
	case 0xAA: case 0xAC: return INTEL_BIGCORE_METEORLAKE;
	case 0xBD: return INTEL_BIGCORE_LUNARLAKE;
	case 0xB5: case 0xC5: case 0xC6: return INTEL_BIGCORE_ARROWLAKE;
	case 0xCC: return INTEL_BIGCORE_PANTHERLAKE;
	case 0xD5: return INTEL_BIGCORE_WILDCATLAKE;
	case 0xAD: case 0xAE: return INTEL_BIGCORE_GRANITERAPIDS;
	case 0x8A: return INTEL_MIXED_LAKEFIELD;
	case 0x97: case 0x9A: case 0xBE: return INTEL_MIXED_ALDERLAKE;
	case 0x85: return INTEL_KNIGHTS_MILL;
	case 0x57: return INTEL_KNIGHTS_LANDING;
	default: return INTEL_UNKNOWN;
	}
}
#endif

#if GLIBC_LAYOUT_MINOR < 41
/* 2.36 with CET enabled: the kernel's CET status from arch_prctl (ARCH_CET_STATUS), the interface of the
 * out-of-tree CET patches. Upstream kernels reject it (EINVAL; their shadow stack interface, 6.6+, is
 * ARCH_SHSTK_STATUS 0x5005, which only 2.39+ use, and only for CET-marked programs in _dl_cet_setup_features,
 * not for cpu_features), so IBT and SHSTK end up inactive. */
static unsigned get_cet_status(void)
{
	unsigned long long cet_status[3] = { 0, 0, 0 }; /* features, shadow stack base, size */
	if (sys_call(SYS_arch_prctl, 0x3001 /* ARCH_CET_STATUS */, cet_status, 0) == 0)
		return (unsigned)cet_status[0];
	return 0;
}
#endif

/* ---- dl-cacheinfo.h ---- */

/* sysconf names (<bits/confname.h>), in glibc's SIZE, ASSOC, LINESIZE order. */
enum {
	SC_LEVEL1_ICACHE_SIZE = 185, SC_LEVEL1_ICACHE_ASSOC, SC_LEVEL1_ICACHE_LINESIZE,
	SC_LEVEL1_DCACHE_SIZE, SC_LEVEL1_DCACHE_ASSOC, SC_LEVEL1_DCACHE_LINESIZE,
	SC_LEVEL2_CACHE_SIZE, SC_LEVEL2_CACHE_ASSOC, SC_LEVEL2_CACHE_LINESIZE,
	SC_LEVEL3_CACHE_SIZE, SC_LEVEL3_CACHE_ASSOC, SC_LEVEL3_CACHE_LINESIZE,
	SC_LEVEL4_CACHE_SIZE, SC_LEVEL4_CACHE_ASSOC, SC_LEVEL4_CACHE_LINESIZE,
};
#define M(sc) ((sc) - SC_LEVEL1_ICACHE_SIZE)

/* CPUID leaf 2 descriptors (sorted by idx, for the binary search). */
static const struct intel_02_cache_info {
	unsigned char idx, assoc, linesize, rel_name;
	unsigned size;
} intel_02_known[] = {
	{ 0x06, 4, 32, M(SC_LEVEL1_ICACHE_SIZE), 8192 },     { 0x08, 4, 32, M(SC_LEVEL1_ICACHE_SIZE), 16384 },
	{ 0x09, 4, 32, M(SC_LEVEL1_ICACHE_SIZE), 32768 },    { 0x0a, 2, 32, M(SC_LEVEL1_DCACHE_SIZE), 8192 },
	{ 0x0c, 4, 32, M(SC_LEVEL1_DCACHE_SIZE), 16384 },    { 0x0d, 4, 64, M(SC_LEVEL1_DCACHE_SIZE), 16384 },
	{ 0x0e, 6, 64, M(SC_LEVEL1_DCACHE_SIZE), 24576 },    { 0x21, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 262144 },
	{ 0x22, 4, 64, M(SC_LEVEL3_CACHE_SIZE), 524288 },    { 0x23, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 1048576 },
	{ 0x25, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 2097152 },   { 0x29, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 4194304 },
	{ 0x2c, 8, 64, M(SC_LEVEL1_DCACHE_SIZE), 32768 },    { 0x30, 8, 64, M(SC_LEVEL1_ICACHE_SIZE), 32768 },
	{ 0x39, 4, 64, M(SC_LEVEL2_CACHE_SIZE), 131072 },    { 0x3a, 6, 64, M(SC_LEVEL2_CACHE_SIZE), 196608 },
	{ 0x3b, 2, 64, M(SC_LEVEL2_CACHE_SIZE), 131072 },    { 0x3c, 4, 64, M(SC_LEVEL2_CACHE_SIZE), 262144 },
	{ 0x3d, 6, 64, M(SC_LEVEL2_CACHE_SIZE), 393216 },    { 0x3e, 4, 64, M(SC_LEVEL2_CACHE_SIZE), 524288 },
	{ 0x3f, 2, 64, M(SC_LEVEL2_CACHE_SIZE), 262144 },    { 0x41, 4, 32, M(SC_LEVEL2_CACHE_SIZE), 131072 },
	{ 0x42, 4, 32, M(SC_LEVEL2_CACHE_SIZE), 262144 },    { 0x43, 4, 32, M(SC_LEVEL2_CACHE_SIZE), 524288 },
	{ 0x44, 4, 32, M(SC_LEVEL2_CACHE_SIZE), 1048576 },   { 0x45, 4, 32, M(SC_LEVEL2_CACHE_SIZE), 2097152 },
	{ 0x46, 4, 64, M(SC_LEVEL3_CACHE_SIZE), 4194304 },   { 0x47, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 8388608 },
	{ 0x48, 12, 64, M(SC_LEVEL2_CACHE_SIZE), 3145728 },  { 0x49, 16, 64, M(SC_LEVEL2_CACHE_SIZE), 4194304 },
	{ 0x4a, 12, 64, M(SC_LEVEL3_CACHE_SIZE), 6291456 },  { 0x4b, 16, 64, M(SC_LEVEL3_CACHE_SIZE), 8388608 },
	{ 0x4c, 12, 64, M(SC_LEVEL3_CACHE_SIZE), 12582912 }, { 0x4d, 16, 64, M(SC_LEVEL3_CACHE_SIZE), 16777216 },
	{ 0x4e, 24, 64, M(SC_LEVEL2_CACHE_SIZE), 6291456 },  { 0x60, 8, 64, M(SC_LEVEL1_DCACHE_SIZE), 16384 },
	{ 0x66, 4, 64, M(SC_LEVEL1_DCACHE_SIZE), 8192 },     { 0x67, 4, 64, M(SC_LEVEL1_DCACHE_SIZE), 16384 },
	{ 0x68, 4, 64, M(SC_LEVEL1_DCACHE_SIZE), 32768 },    { 0x78, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 1048576 },
	{ 0x79, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 131072 },    { 0x7a, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 262144 },
	{ 0x7b, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 524288 },    { 0x7c, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 1048576 },
	{ 0x7d, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 2097152 },   { 0x7f, 2, 64, M(SC_LEVEL2_CACHE_SIZE), 524288 },
	{ 0x80, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 524288 },    { 0x82, 8, 32, M(SC_LEVEL2_CACHE_SIZE), 262144 },
	{ 0x83, 8, 32, M(SC_LEVEL2_CACHE_SIZE), 524288 },    { 0x84, 8, 32, M(SC_LEVEL2_CACHE_SIZE), 1048576 },
	{ 0x85, 8, 32, M(SC_LEVEL2_CACHE_SIZE), 2097152 },   { 0x86, 4, 64, M(SC_LEVEL2_CACHE_SIZE), 524288 },
	{ 0x87, 8, 64, M(SC_LEVEL2_CACHE_SIZE), 1048576 },   { 0xd0, 4, 64, M(SC_LEVEL3_CACHE_SIZE), 524288 },
	{ 0xd1, 4, 64, M(SC_LEVEL3_CACHE_SIZE), 1048576 },   { 0xd2, 4, 64, M(SC_LEVEL3_CACHE_SIZE), 2097152 },
	{ 0xd6, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 1048576 },   { 0xd7, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 2097152 },
	{ 0xd8, 8, 64, M(SC_LEVEL3_CACHE_SIZE), 4194304 },   { 0xdc, 12, 64, M(SC_LEVEL3_CACHE_SIZE), 2097152 },
	{ 0xdd, 12, 64, M(SC_LEVEL3_CACHE_SIZE), 4194304 },  { 0xde, 12, 64, M(SC_LEVEL3_CACHE_SIZE), 8388608 },
	{ 0xe2, 16, 64, M(SC_LEVEL3_CACHE_SIZE), 2097152 },  { 0xe3, 16, 64, M(SC_LEVEL3_CACHE_SIZE), 4194304 },
	{ 0xe4, 16, 64, M(SC_LEVEL3_CACHE_SIZE), 8388608 },  { 0xea, 24, 64, M(SC_LEVEL3_CACHE_SIZE), 12582912 },
	{ 0xeb, 24, 64, M(SC_LEVEL3_CACHE_SIZE), 18874368 }, { 0xec, 24, 64, M(SC_LEVEL3_CACHE_SIZE), 25165824 },
};

static const struct intel_02_cache_info *intel_02_find(unsigned idx) /* glibc's bsearch */
{
	unsigned lo = 0, hi = sizeof intel_02_known / sizeof intel_02_known[0];
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (intel_02_known[mid].idx == idx)
			return &intel_02_known[mid];
		if (intel_02_known[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* One register of CPUID leaf 2: descriptor bytes; 0xff sends to leaf 4 (every current Intel CPU). */
static long intel_check_word(int name, unsigned value, int *has_level_2, int *no_level_2_or_3, unsigned char *cf)
{
	if (value & 0x80000000) /* reserved */
		return 0;
	int folded_rel_name = (M(name) / 3) * 3;
	while (value != 0) {
		unsigned byte = value & 0xff;
		if (byte == 0x40) {
			*no_level_2_or_3 = 1;
			if (folded_rel_name == M(SC_LEVEL3_CACHE_SIZE))
				break;
		} else if (byte == 0xff) {
			/* CPUID leaf 4 has it all: iterate over its subleaves. */
			unsigned eax, ebx, ecx, edx, round = 0;
			for (;;) {
				__cpuid_count(4, round, eax, ebx, ecx, edx);
				unsigned type = eax & 0x1f; /* 0 null, 1 data, 2 instruction, 3 unified */
				if (type == 0)
					break;
				unsigned level = (eax >> 5) & 0x7;
				if ((level == 1 && type == 1 && folded_rel_name == M(SC_LEVEL1_DCACHE_SIZE)) ||
				    (level == 1 && type == 2 && folded_rel_name == M(SC_LEVEL1_ICACHE_SIZE)) ||
				    (level == 2 && folded_rel_name == M(SC_LEVEL2_CACHE_SIZE)) ||
				    (level == 3 && folded_rel_name == M(SC_LEVEL3_CACHE_SIZE)) ||
				    (level == 4 && folded_rel_name == M(SC_LEVEL4_CACHE_SIZE))) {
					unsigned offset = M(name) - folded_rel_name;
					if (offset == 0) /* size */
						return ((ebx >> 22) + 1) * (((ebx >> 12) & 0x3ff) + 1) * ((ebx & 0xfff) + 1) *
						       (ecx + 1);
					if (offset == 1)
						return (ebx >> 22) + 1;
					return (ebx & 0xfff) + 1;
				}
				++round;
			}
			return -1; /* no other cache information anywhere */
		} else {
			if (byte == 0x49 && folded_rel_name == M(SC_LEVEL3_CACHE_SIZE)) {
				/* Family 15 model 6 encodes its L3 like other models their L2. */
				if (BASIC(family) == 15 && BASIC(model) == 6) {
					name = SC_LEVEL2_CACHE_SIZE + (name - SC_LEVEL3_CACHE_SIZE);
					folded_rel_name = M(SC_LEVEL2_CACHE_SIZE);
				}
			}
			const struct intel_02_cache_info *found = intel_02_find(byte);
			if (found) {
				if (found->rel_name == folded_rel_name) {
					unsigned offset = M(name) - folded_rel_name;
					if (offset == 0)
						return found->size;
					if (offset == 1)
						return found->assoc;
					return found->linesize;
				}
				if (found->rel_name == M(SC_LEVEL2_CACHE_SIZE))
					*has_level_2 = 1;
			}
		}
		value >>= 8; /* next byte */
	}
	return 0;
}

static long handle_intel(int name, unsigned char *cf)
{
	unsigned maxidx = BASIC(max_cpuid);
	if (maxidx < 2) /* older CPUs */
		return -1;
	long result = 0;
	int no_level_2_or_3 = 0, has_level_2 = 0;
	unsigned eax, ebx, ecx, edx;
	__cpuid(2, eax, ebx, ecx, edx);
	/* The low byte of EAX should be 1 (and is ignored); if it is not, use leaf 4. */
	if ((eax & 0xff) != 1)
		return intel_check_word(name, 0xff, &has_level_2, &no_level_2_or_3, cf);
	eax &= 0xffffff00;
	if ((result = intel_check_word(name, eax, &has_level_2, &no_level_2_or_3, cf)) != 0 ||
	    (result = intel_check_word(name, ebx, &has_level_2, &no_level_2_or_3, cf)) != 0 ||
	    (result = intel_check_word(name, ecx, &has_level_2, &no_level_2_or_3, cf)) != 0 ||
	    (result = intel_check_word(name, edx, &has_level_2, &no_level_2_or_3, cf)) != 0)
		return result;
	if (name >= SC_LEVEL2_CACHE_SIZE && name <= SC_LEVEL3_CACHE_LINESIZE && no_level_2_or_3)
		return -1;
	return 0;
}

/* The associativity codes of CPUID 0x80000006 (15: fully associative, size / line size). */
static long amd_assoc(unsigned code, unsigned size, unsigned linesize)
{
	switch (code) {
	case 0: case 1: case 2: case 4: return code;
	case 6: return 8;
	case 8: return 16;
	case 10: return 32;
	case 11: return 48;
	case 12: return 64;
	case 13: return 96;
	case 14: return 128;
	case 15: return linesize ? size / linesize : 0; /* glibc would divide by zero */
	default: return 0;
	}
}

static long handle_amd(int name, unsigned char *cf)
{
	unsigned eax, ebx, ecx = 0, edx, max_cpuid = 0;
	(void)cf;
#if GLIBC_LAYOUT_MINOR >= 41
	if (name > SC_LEVEL3_CACHE_LINESIZE) /* no level 4 cache (yet) */
		return 0;
#endif
	__cpuid(0x80000000, max_cpuid, ebx, ecx, edx);
#if GLIBC_LAYOUT_MINOR >= 41
	/* 2.41+: the cache topology leaf 0x8000001D first (subleaf 0 L1d, 1 L1i, 2 L2, 3 L3). Its size leaves
	 * out the partitions field, as glibc's does. */
	if (max_cpuid >= 0x8000001D) {
		unsigned count = 0x1;
		if (name >= SC_LEVEL3_CACHE_SIZE)
			count = 0x3;
		else if (name >= SC_LEVEL2_CACHE_SIZE)
			count = 0x2;
		else if (name >= SC_LEVEL1_DCACHE_SIZE)
			count = 0x0;
		__cpuid_count(0x8000001D, count, eax, ebx, ecx, edx);
		if (ecx != 0) {
			switch (name) {
			case SC_LEVEL1_ICACHE_ASSOC: case SC_LEVEL1_DCACHE_ASSOC:
			case SC_LEVEL2_CACHE_ASSOC: case SC_LEVEL3_CACHE_ASSOC:
				return ((ebx >> 22) & 0x3ff) + 1;
			case SC_LEVEL1_ICACHE_LINESIZE: case SC_LEVEL1_DCACHE_LINESIZE:
			case SC_LEVEL2_CACHE_LINESIZE: case SC_LEVEL3_CACHE_LINESIZE:
				return (ebx & 0xfff) + 1;
			default: /* sizes */
				return (((ebx >> 22) & 0x3ff) + 1) * ((ebx & 0xfff) + 1) * (ecx + 1);
			}
		}
	}
	/* Legacy leaves (pre-Bulldozer CPUs, hypervisors that zero 0x8000001D). */
#endif
	unsigned fn = 0x80000005 + (name >= SC_LEVEL2_CACHE_SIZE);
	if (max_cpuid < fn)
		return 0;
	__cpuid(fn, eax, ebx, ecx, edx);
	if (name < SC_LEVEL1_DCACHE_SIZE) {
		name += SC_LEVEL1_DCACHE_SIZE - SC_LEVEL1_ICACHE_SIZE;
		ecx = edx;
	}
	switch (name) {
	case SC_LEVEL1_DCACHE_SIZE:
		return (ecx >> 14) & 0x3fc00;
	case SC_LEVEL1_DCACHE_ASSOC:
		ecx >>= 16;
		if ((ecx & 0xff) == 0xff) /* fully associative */
			return (ecx << 2) & 0x3fc00;
		return ecx & 0xff;
	case SC_LEVEL1_DCACHE_LINESIZE:
		return ecx & 0xff;
	case SC_LEVEL2_CACHE_SIZE:
		return (ecx & 0xf000) == 0 ? 0 : (ecx >> 6) & 0x3fffc00;
	case SC_LEVEL2_CACHE_ASSOC:
		return amd_assoc((ecx >> 12) & 0xf, (ecx >> 6) & 0x3fffc00, ecx & 0xff);
	case SC_LEVEL2_CACHE_LINESIZE:
		return (ecx & 0xf000) == 0 ? 0 : ecx & 0xff;
	case SC_LEVEL3_CACHE_SIZE: {
		if ((edx & 0xf000) == 0)
			return 0;
#if GLIBC_LAYOUT_MINOR >= 41
		/* 2.41+: one CCX's share (threads sharing the L3 per 0x8000001D, times the L3 per thread). */
		long total_l3_cache = (edx & 0x3ffc0000) << 1, l3_cache_per_thread = 0;
		unsigned threads = 0;
		if (max_cpuid >= 0x80000008) {
			__cpuid(0x80000008, eax, ebx, ecx, edx);
			threads = (ecx & 0xff) + 1;
		}
		if (threads == 0) {
			__cpuid(0x00000001, eax, ebx, ecx, edx);
			if (edx & (1 << 28))
				threads = (ebx >> 16) & 0xff;
		}
		if (threads > 0)
			l3_cache_per_thread = total_l3_cache / threads;
		if (BASIC(family) >= 0x17) {
			__cpuid_count(0x8000001D, 0x3, eax, ebx, ecx, edx);
			unsigned threads_per_ccx = ((eax >> 14) & 0xfff) + 1;
			return l3_cache_per_thread * threads_per_ccx;
		}
		return l3_cache_per_thread;
#else
		return (edx & 0x3ffc0000) << 1; /* the whole L3 */
#endif
	}
	case SC_LEVEL3_CACHE_ASSOC:
		return amd_assoc((edx >> 12) & 0xf, (edx & 0x3ffc0000) << 1, edx & 0xff);
	case SC_LEVEL3_CACHE_LINESIZE:
		return (edx & 0xf000) == 0 ? 0 : edx & 0xff;
	default: /* 2.36 asks for the L4 too: unknown name ("cannot happen" assertion in glibc) */
		return -1;
	}
}

static long handle_zhaoxin(int name)
{
	unsigned eax, ebx, ecx, edx, round = 0;
	int folded_rel_name = (M(name) / 3) * 3;
	for (;;) {
		__cpuid_count(4, round, eax, ebx, ecx, edx);
		unsigned type = eax & 0x1f;
		if (type == 0)
			break;
		unsigned level = (eax >> 5) & 0x7;
		if ((level == 1 && type == 1 && folded_rel_name == M(SC_LEVEL1_DCACHE_SIZE)) ||
		    (level == 1 && type == 2 && folded_rel_name == M(SC_LEVEL1_ICACHE_SIZE)) ||
		    (level == 2 && folded_rel_name == M(SC_LEVEL2_CACHE_SIZE)) ||
		    (level == 3 && folded_rel_name == M(SC_LEVEL3_CACHE_SIZE))) {
			unsigned offset = M(name) - folded_rel_name;
			if (offset == 0)
				return ((ebx >> 22) + 1) * (((ebx >> 12) & 0x3ff) + 1) * ((ebx & 0xfff) + 1) * (ecx + 1);
			if (offset == 1)
				return (ebx >> 22) + 1;
			return (ebx & 0xfff) + 1;
		}
		++round;
	}
	return 0;
}

#if GLIBC_LAYOUT_MINOR >= 41
static long handle_hygon(int name)
{
	unsigned eax, ebx, ecx, edx, count = 0x1;
	if (name >= SC_LEVEL3_CACHE_SIZE)
		count = 0x3;
	else if (name >= SC_LEVEL2_CACHE_SIZE)
		count = 0x2;
	else if (name >= SC_LEVEL1_DCACHE_SIZE)
		count = 0x0;
	__cpuid_count(0x8000001D, count, eax, ebx, ecx, edx);
	switch (name) {
	case SC_LEVEL1_ICACHE_ASSOC: case SC_LEVEL1_DCACHE_ASSOC:
	case SC_LEVEL2_CACHE_ASSOC: case SC_LEVEL3_CACHE_ASSOC:
		return ((ebx >> 22) & 0x3ff) + 1;
	case SC_LEVEL1_ICACHE_LINESIZE: case SC_LEVEL1_DCACHE_LINESIZE:
	case SC_LEVEL2_CACHE_LINESIZE: case SC_LEVEL3_CACHE_LINESIZE:
		return (ebx & 0xfff) + 1;
	default:
		return (((ebx >> 22) & 0x3ff) + 1) * ((ebx & 0xfff) + 1) * (ecx + 1);
	}
}
#endif

/* Intel and Zhaoxin: the threads sharing the highest cache level (leaves 4 and 11), for its per-thread
 * share; non-inclusive caches add the L2. */
static void get_common_cache_info(unsigned char *cf, long *shared_ptr, long *shared_per_thread_ptr,
				  unsigned *threads_ptr, long core)
{
	unsigned eax, ebx, ecx, edx;
	int threads_l2, threads_l3; /* logical processors sharing L2 / L3 */
	int max_cpuid = MAX_CPUID;
	unsigned family = BASIC(family), model = BASIC(model);
	long shared = *shared_ptr, shared_per_thread = *shared_per_thread_ptr;
	unsigned threads = *threads_ptr;
	int inclusive_cache = 1, support_count_mask = 1;
	unsigned level = 3; /* try L3 first */

	if (BASIC(kind) == arch_kind_zhaoxin && family == 6)
		support_count_mask = 0;
	if (shared <= 0) { /* no L3: try L2 */
		level = 2;
		shared = core;
		shared_per_thread = core;
		threads_l2 = 0;
		threads_l3 = -1;
	} else {
		threads_l2 = 0;
		threads_l3 = 0;
	}
	if (CPU_P(HTT)) { /* HTT 0: a single logical processor */
		if (max_cpuid >= 4) {
			int i = 0;
			/* Query until cache levels 2 and 3 are enumerated. */
			int check = 0x1 | (threads_l3 == 0) << 1;
			do {
				__cpuid_count(4, i++, eax, ebx, ecx, edx);
				/* Some Pentium Ds fail to iterate all cache parameters. */
				if (BASIC(kind) == arch_kind_intel && (eax & 0x1f) == 0)
					goto intel_bug_no_cache_info;
				switch ((eax >> 5) & 0x7) {
				default:
					break;
				case 2:
					if (check & 0x1) {
						threads_l2 = (eax >> 14) & 0x3ff;
						check &= ~0x1;
					}
					break;
				case 3:
					if (check & (0x1 << 1)) {
						threads_l3 = (eax >> 14) & 0x3ff;
						inclusive_cache = (edx & 0x2) != 0;
						check &= ~(0x1 << 1);
					}
					break;
				}
			} while (check);
			/* With leaf 11, those are the maximum numbers of addressable IDs sharing the cache: apply
			 * the count mask of the logical processors in one core. */
			if (max_cpuid >= 11 && support_count_mask) {
				i = 0;
				/* Count SMT only if there is L3 cache. Always count core if there is no L3 cache. */
				int count = ((threads_l2 > 0 && level == 3) |
					     ((threads_l3 > 0 || (threads_l2 > 0 && level == 2)) << 1));
				while (count) {
					__cpuid_count(11, i++, eax, ebx, ecx, edx);
					int shipped = ebx & 0xff;
					int type = ecx & 0xff00;
					if (shipped == 0 || type == 0)
						break;
					else if (type == 0x100) { /* SMT */
						if (count & 0x1) {
							int count_mask = 31 - __builtin_clz((unsigned)threads_l2); /* bsr */
							count_mask = (int)~(~0u << (count_mask + 1));
							threads_l2 = (shipped - 1) & count_mask;
							count &= ~0x1;
						}
					} else if (type == 0x200) { /* core */
						if (count & (0x1 << 1)) {
							int threads_core = (level == 2 ? threads_l2 : threads_l3);
							int count_mask = 31 - __builtin_clz((unsigned)threads_core);
							count_mask = (int)~(~0u << (count_mask + 1));
							threads_core = (shipped - 1) & count_mask;
							if (level == 2)
								threads_l2 = threads_core;
							else
								threads_l3 = threads_core;
							count &= ~(0x1 << 1);
						}
					}
				}
			}
			if (threads_l2 > 0)
				threads_l2 += 1;
			if (threads_l3 > 0)
				threads_l3 += 1;
			if (level == 2) {
				if (threads_l2) {
					threads = threads_l2;
					if (BASIC(kind) == arch_kind_intel && threads > 2 && family == 6)
						switch (model) {
						case 0x37: case 0x4a: case 0x4d: case 0x5a: case 0x5d:
							threads = 2; /* Silvermont: L2 shared by 2 cores */
							break;
						default:
							break;
						}
				}
			} else if (threads_l3)
				threads = threads_l3;
		} else {
		intel_bug_no_cache_info:
			/* Assume all logical threads share the highest cache level. */
			threads = (CPUID_REG(CPUID_INDEX_1, 1) >> 16) & 0xff;
		}
		if (shared_per_thread > 0 && threads > 0)
			shared_per_thread /= threads;
	}
	if (!inclusive_cache) { /* non-inclusive L2 and L3 */
		long core_per_thread = threads_l2 > 0 ? (core / threads_l2) : core;
		shared_per_thread += core_per_thread;
		shared += core;
	}
	*shared_ptr = shared;
	*shared_per_thread_ptr = shared_per_thread;
	*threads_ptr = threads;
}

static void dl_init_cacheinfo(unsigned char *cf)
{
	long data = -1, shared = -1, shared_per_thread = -1;
	unsigned threads = 0;
	unsigned long level1_icache_size = -1, level1_icache_linesize = -1, level1_dcache_size = -1,
		      level1_dcache_assoc = -1, level1_dcache_linesize = -1, level2_cache_size = -1,
		      level2_cache_assoc = -1, level2_cache_linesize = -1, level3_cache_size = -1,
		      level3_cache_assoc = -1, level3_cache_linesize = -1, level4_cache_size = -1;
	unsigned kind = BASIC(kind);
#if GLIBC_LAYOUT_MINOR < 41
	long core = -1; /* the L2 size (2.36 reads it for AMD only) */
#endif

	if (kind == arch_kind_intel) {
		data = handle_intel(SC_LEVEL1_DCACHE_SIZE, cf);
		shared = handle_intel(SC_LEVEL3_CACHE_SIZE, cf);
		shared_per_thread = shared;
		level1_icache_size = handle_intel(SC_LEVEL1_ICACHE_SIZE, cf);
		level1_icache_linesize = handle_intel(SC_LEVEL1_ICACHE_LINESIZE, cf);
		level1_dcache_size = data;
		level1_dcache_assoc = handle_intel(SC_LEVEL1_DCACHE_ASSOC, cf);
		level1_dcache_linesize = handle_intel(SC_LEVEL1_DCACHE_LINESIZE, cf);
		level2_cache_size = handle_intel(SC_LEVEL2_CACHE_SIZE, cf);
		level2_cache_assoc = handle_intel(SC_LEVEL2_CACHE_ASSOC, cf);
		level2_cache_linesize = handle_intel(SC_LEVEL2_CACHE_LINESIZE, cf);
		level3_cache_size = shared;
		level3_cache_assoc = handle_intel(SC_LEVEL3_CACHE_ASSOC, cf);
		level3_cache_linesize = handle_intel(SC_LEVEL3_CACHE_LINESIZE, cf);
		level4_cache_size = handle_intel(SC_LEVEL4_CACHE_SIZE, cf);
		get_common_cache_info(cf, &shared, &shared_per_thread, &threads, (long)level2_cache_size);
	} else if (kind == arch_kind_zhaoxin) {
		data = handle_zhaoxin(SC_LEVEL1_DCACHE_SIZE);
		shared = handle_zhaoxin(SC_LEVEL3_CACHE_SIZE);
		shared_per_thread = shared;
		level1_icache_size = handle_zhaoxin(SC_LEVEL1_ICACHE_SIZE);
		level1_icache_linesize = handle_zhaoxin(SC_LEVEL1_ICACHE_LINESIZE);
		level1_dcache_size = data;
		level1_dcache_assoc = handle_zhaoxin(SC_LEVEL1_DCACHE_ASSOC);
		level1_dcache_linesize = handle_zhaoxin(SC_LEVEL1_DCACHE_LINESIZE);
		level2_cache_size = handle_zhaoxin(SC_LEVEL2_CACHE_SIZE);
		level2_cache_assoc = handle_zhaoxin(SC_LEVEL2_CACHE_ASSOC);
		level2_cache_linesize = handle_zhaoxin(SC_LEVEL2_CACHE_LINESIZE);
		level3_cache_size = shared;
		level3_cache_assoc = handle_zhaoxin(SC_LEVEL3_CACHE_ASSOC);
		level3_cache_linesize = handle_zhaoxin(SC_LEVEL3_CACHE_LINESIZE);
		get_common_cache_info(cf, &shared, &shared_per_thread, &threads, (long)level2_cache_size);
	} else if (kind == arch_kind_amd) {
		data = handle_amd(SC_LEVEL1_DCACHE_SIZE, cf);
		shared = handle_amd(SC_LEVEL3_CACHE_SIZE, cf);
		level1_icache_size = handle_amd(SC_LEVEL1_ICACHE_SIZE, cf);
		level1_icache_linesize = handle_amd(SC_LEVEL1_ICACHE_LINESIZE, cf);
		level1_dcache_size = data;
		level1_dcache_assoc = handle_amd(SC_LEVEL1_DCACHE_ASSOC, cf);
		level1_dcache_linesize = handle_amd(SC_LEVEL1_DCACHE_LINESIZE, cf);
		level2_cache_size = handle_amd(SC_LEVEL2_CACHE_SIZE, cf);
		level2_cache_assoc = handle_amd(SC_LEVEL2_CACHE_ASSOC, cf);
		level2_cache_linesize = handle_amd(SC_LEVEL2_CACHE_LINESIZE, cf);
		level3_cache_size = shared;
		level3_cache_assoc = handle_amd(SC_LEVEL3_CACHE_ASSOC, cf);
		level3_cache_linesize = handle_amd(SC_LEVEL3_CACHE_LINESIZE, cf);
#if GLIBC_LAYOUT_MINOR >= 41
		/* 2.41+: handle_amd already gave one CCX's L3 share; pre-Zen L3s are exclusive of the L2. */
		level4_cache_size = handle_amd(SC_LEVEL4_CACHE_SIZE, cf); /* 0 */
		if (shared <= 0)
			shared = level2_cache_size; /* no L3: the L2 is all there is */
		else if (BASIC(family) < 0x17)
			shared += level2_cache_size;
		shared_per_thread = shared;
#else
		/* 2.36: shared stays the whole L3; shared_per_thread is one thread's share (APIC ID width or
		 * logical processor count), times the threads of one CCX on Zen. */
		unsigned eax, ebx, ecx, edx, max_cpuid_ex;
		core = level2_cache_size;
		shared_per_thread = shared;
		__cpuid(0x80000000, max_cpuid_ex, ebx, ecx, edx);
		if (shared <= 0) {
			shared = core;
			shared_per_thread = core;
		} else {
			if (max_cpuid_ex >= 0x80000008) {
				__cpuid(0x80000008, max_cpuid_ex, ebx, ecx, edx);
				threads = 1 << ((ecx >> 12) & 0x0f);
			}
			if (threads == 0 || BASIC(family) >= 0x17) {
				__cpuid(0x00000001, max_cpuid_ex, ebx, ecx, edx);
				if (edx & (1 << 28))
					threads = (ebx >> 16) & 0xff;
			}
			if (threads > 0)
				shared_per_thread /= threads;
			if (BASIC(family) >= 0x17) {
				__cpuid_count(0x8000001D, 0x3, eax, ebx, ecx, edx);
				unsigned threads_per_ccx = ((eax >> 14) & 0xfff) + 1;
				shared_per_thread *= threads_per_ccx;
			} else {
				shared += core;
				shared_per_thread += core;
			}
		}
#endif
	}
#if GLIBC_LAYOUT_MINOR >= 41
	else if (kind == arch_kind_hygon) {
		data = handle_hygon(SC_LEVEL1_DCACHE_SIZE);
		shared = handle_hygon(SC_LEVEL3_CACHE_SIZE);
		shared_per_thread = shared;
		level1_icache_size = handle_hygon(SC_LEVEL1_ICACHE_SIZE);
		level1_icache_linesize = handle_hygon(SC_LEVEL1_ICACHE_LINESIZE);
		level1_dcache_size = data;
		level1_dcache_assoc = handle_hygon(SC_LEVEL1_DCACHE_ASSOC);
		level1_dcache_linesize = handle_hygon(SC_LEVEL1_DCACHE_LINESIZE);
		level2_cache_size = handle_hygon(SC_LEVEL2_CACHE_SIZE);
		level2_cache_assoc = handle_hygon(SC_LEVEL2_CACHE_ASSOC);
		level2_cache_linesize = handle_hygon(SC_LEVEL2_CACHE_LINESIZE);
		level3_cache_size = shared;
		level3_cache_assoc = handle_hygon(SC_LEVEL3_CACHE_ASSOC);
		level3_cache_linesize = handle_hygon(SC_LEVEL3_CACHE_LINESIZE);
	}
#endif
	(void)threads; /* only get_common_cache_info's own use */

	UL(CF(level1_icache_size)) = level1_icache_size;
	UL(CF(level1_icache_linesize)) = level1_icache_linesize;
	UL(CF(level1_dcache_size)) = level1_dcache_size;
	UL(CF(level1_dcache_assoc)) = level1_dcache_assoc;
	UL(CF(level1_dcache_linesize)) = level1_dcache_linesize;
	UL(CF(level2_cache_size)) = level2_cache_size;
	UL(CF(level2_cache_assoc)) = level2_cache_assoc;
	UL(CF(level2_cache_linesize)) = level2_cache_linesize;
	UL(CF(level3_cache_size)) = level3_cache_size;
	UL(CF(level3_cache_assoc)) = level3_cache_assoc;
	UL(CF(level3_cache_linesize)) = level3_cache_linesize;
	UL(CF(level4_cache_size)) = level4_cache_size;

	/* Non-temporal stores from a fraction of the whole cache (1/4; 2.41+: 1/cachesize_non_temporal_divisor,
	 * set per microarchitecture by init_cpu_features), but at least 3/4 of a thread's share (only that
	 * without ERMS: 2.41+ except on Zhaoxin). */
#if GLIBC_LAYOUT_MINOR >= 41
	unsigned long cachesize_non_temporal_divisor = UL(CF(cachesize_non_temporal_divisor));
	if (cachesize_non_temporal_divisor == 0)
		cachesize_non_temporal_divisor = 4;
	/* NB: an unsigned division, as in glibc: a negative (unknown) shared becomes huge. */
	unsigned long non_temporal_threshold = shared / cachesize_non_temporal_divisor;
#else
	unsigned long non_temporal_threshold = shared / 4;
#endif
	unsigned long non_temporal_threshold_lowbound = shared_per_thread * 3 / 4;
	if (non_temporal_threshold < non_temporal_threshold_lowbound)
		non_temporal_threshold = non_temporal_threshold_lowbound;
#if GLIBC_LAYOUT_MINOR >= 41
	if (!USABLE(ERMS) && kind != arch_kind_zhaoxin)
#else
	if (!USABLE(ERMS))
#endif
		non_temporal_threshold = non_temporal_threshold_lowbound;
	unsigned long maximum_non_temporal_threshold = ~0UL >> 4, minimum_non_temporal_threshold = 0x4040;
	if (non_temporal_threshold < minimum_non_temporal_threshold)
#if GLIBC_LAYOUT_MINOR >= 41
		non_temporal_threshold = 64 * 1024 * 1024; /* probably no cache info: 64 MiB */
#else
		non_temporal_threshold = minimum_non_temporal_threshold;
#endif
	else if (non_temporal_threshold > maximum_non_temporal_threshold)
		non_temporal_threshold = maximum_non_temporal_threshold;

	/* REP MOVSB from 4096 * (VEC_SIZE / 16) for 64- and 32-byte vectors, 2048 for 16-byte ones; 2112 with
	 * FSRM. */
	unsigned long rep_movsb_threshold, minimum_rep_movsb_threshold;
	if (USABLE(AVX512F) && !ARCH_P(Prefer_No_AVX512))
		rep_movsb_threshold = 4096 * (64 / 16), minimum_rep_movsb_threshold = 64 * 8;
	else if (ARCH_P(AVX_Fast_Unaligned_Load))
		rep_movsb_threshold = 4096 * (32 / 16), minimum_rep_movsb_threshold = 32 * 8;
	else
		rep_movsb_threshold = 2048 * (16 / 16), minimum_rep_movsb_threshold = 16 * 8;
	if (USABLE(FSRM))
		rep_movsb_threshold = 2112;
#if GLIBC_LAYOUT_MINOR >= 41
	/* On AMD (Zen3+ ERMS) REP MOVSB is often slower than the vector loop (BZ #30994). */
	if (kind == arch_kind_amd)
		rep_movsb_threshold = non_temporal_threshold;
#endif
	unsigned long rep_stosb_threshold = 2048; /* the x86_rep_stosb_threshold tunable's default */

	/* The tunables (GLIBC_TUNABLES=glibc.cpu.x86_...): 0 (their default) leaves data and shared as
	 * computed; thresholds only within their bounds. */
	long tunable_size = (long)tunable_get("glibc.cpu.x86_data_cache_size");
	if (tunable_size != 0)
		data = tunable_size;
	tunable_size = (long)tunable_get("glibc.cpu.x86_shared_cache_size");
	if (tunable_size != 0)
		shared = tunable_size;
#if GLIBC_LAYOUT_MINOR >= 41
	/* (from the computed non-temporal threshold, before its tunable) */
	unsigned long memset_non_temporal_threshold = ~0UL;
	if (!ARCH_P(Avoid_Non_Temporal_Memset))
		memset_non_temporal_threshold = non_temporal_threshold;
#endif
	tunable_size = (long)tunable_get("glibc.cpu.x86_non_temporal_threshold");
	if (tunable_size > (long)minimum_non_temporal_threshold && (unsigned long)tunable_size <= maximum_non_temporal_threshold)
		non_temporal_threshold = (unsigned long)tunable_size;
#if GLIBC_LAYOUT_MINOR >= 41
	tunable_size = (long)tunable_get("glibc.cpu.x86_memset_non_temporal_threshold");
	if (tunable_size > (long)minimum_non_temporal_threshold && (unsigned long)tunable_size <= maximum_non_temporal_threshold)
		memset_non_temporal_threshold = (unsigned long)tunable_size;
#endif
	tunable_size = (long)tunable_get("glibc.cpu.x86_rep_movsb_threshold");
	if (tunable_size > (long)minimum_rep_movsb_threshold)
		rep_movsb_threshold = (unsigned long)tunable_size;
	rep_stosb_threshold = (unsigned long)tunable_get("glibc.cpu.x86_rep_stosb_threshold");
#if GLIBC_LAYOUT_MINOR >= 41
	if (kind == arch_kind_amd && !tunable_is_set("glibc.cpu.x86_rep_stosb_threshold"))
		rep_stosb_threshold = ~0UL; /* the vector loop beats ERMS on Zen3+ */
	/* The tunables report what was chosen (TUNABLE_SET_WITH_BOUNDS; ld.so --list-tunables shows it). */
	tunable_set_bounds("glibc.cpu.x86_memset_non_temporal_threshold", (int64_t)memset_non_temporal_threshold,
			   (int64_t)minimum_non_temporal_threshold, -1);
	/* Without ERMS, memset reaches non-temporal stores only through its stosb path (after the tunable
	 * took the final value, as glibc). */
	if (ARCH_P(Avoid_STOSB))
		rep_stosb_threshold = (unsigned long)tunable_get("glibc.cpu.x86_memset_non_temporal_threshold");
	UL(CF(memset_non_temporal_threshold)) = memset_non_temporal_threshold;
#endif
	tunable_set_bounds("glibc.cpu.x86_rep_stosb_threshold", (int64_t)rep_stosb_threshold, 1, -1);
	tunable_set_bounds("glibc.cpu.x86_data_cache_size", data, 0, -1);
	tunable_set_bounds("glibc.cpu.x86_shared_cache_size", shared, 0, -1);
	tunable_set_bounds("glibc.cpu.x86_non_temporal_threshold", (int64_t)non_temporal_threshold,
			   (int64_t)minimum_non_temporal_threshold, (int64_t)maximum_non_temporal_threshold);
	tunable_set_bounds("glibc.cpu.x86_rep_movsb_threshold", (int64_t)rep_movsb_threshold,
			   (int64_t)minimum_rep_movsb_threshold, -1);
	UL(CF(data_cache_size)) = data;
	UL(CF(shared_cache_size)) = shared;
	UL(CF(non_temporal_threshold)) = non_temporal_threshold;
	UL(CF(rep_movsb_threshold)) = rep_movsb_threshold;
	UL(CF(rep_stosb_threshold)) = rep_stosb_threshold;
#if GLIBC_LAYOUT_MINOR >= 41
	UL(CF(rep_movsb_stop_threshold)) = non_temporal_threshold; /* all vendors */
#else
	/* 2.36: ERMS stops at the L2 size on AMD, at the non-temporal threshold elsewhere. */
	UL(CF(rep_movsb_stop_threshold)) = kind == arch_kind_amd ? (unsigned long)core : non_temporal_threshold;
#endif
}

/* glibc.cpu.hwcaps=-xxx,yyy,... (sysdeps/x86/cpu-tunables.c, set_hwcaps): a CPU feature named with a minus
 * is made unusable; a preferred (arch) flag set or cleared, some only when the feature they need is
 * usable. Names are case-sensitive, unknown ones ignored. Kinds: what glibc's CHECK_GLIBC_IFUNC_* macro
 * does with the name. */
enum { HW_CPU_OFF, HW_CPU_BOTH, HW_XSAVEC_OFF, HW_PREF_OFF, HW_PREF_BOTH, HW_PREF_NEED };
static const struct {
	const char *name;
	unsigned char kind;
	short bit;  /* FEAT_x, or arch_x for the preferred ones */
	short need; /* HW_PREF_NEED: the feature that must be usable to set it */
} hwcap_names[] = {
	{ "AVX", HW_CPU_OFF, FEAT_AVX, 0 }, { "CX8", HW_CPU_OFF, FEAT_CX8, 0 }, { "FMA", HW_CPU_OFF, FEAT_FMA, 0 },
	{ "HTT", HW_CPU_OFF, FEAT_HTT, 0 }, { "IBT", HW_CPU_OFF, FEAT_IBT, 0 }, { "RTM", HW_CPU_OFF, FEAT_RTM, 0 },
	{ "AVX2", HW_CPU_OFF, FEAT_AVX2, 0 }, { "BMI1", HW_CPU_OFF, FEAT_BMI1, 0 }, { "BMI2", HW_CPU_OFF, FEAT_BMI2, 0 },
	{ "CMOV", HW_CPU_OFF, FEAT_CMOV, 0 }, { "ERMS", HW_CPU_OFF, FEAT_ERMS, 0 }, { "FMA4", HW_CPU_OFF, FEAT_FMA4, 0 },
	{ "SSE2", HW_CPU_OFF, FEAT_SSE2, 0 }, { "I586", HW_PREF_OFF, arch_I586, 0 }, { "I686", HW_PREF_OFF, arch_I686, 0 },
#if GLIBC_LAYOUT_MINOR >= 41
	{ "SHSTK", HW_CPU_BOTH, FEAT_SHSTK, 0 }, /* 2.41: also turned on */
#else
	{ "SHSTK", HW_CPU_OFF, FEAT_SHSTK, 0 },
#endif
	{ "LZCNT", HW_CPU_OFF, FEAT_LZCNT, 0 }, { "MOVBE", HW_CPU_OFF, FEAT_MOVBE, 0 },
	{ "SSSE3", HW_CPU_OFF, FEAT_SSSE3, 0 }, { "XSAVE", HW_CPU_OFF, FEAT_XSAVE, 0 },
	{ "POPCNT", HW_CPU_OFF, FEAT_POPCNT, 0 }, { "SSE4_1", HW_CPU_OFF, FEAT_SSE4_1, 0 },
	{ "SSE4_2", HW_CPU_OFF, FEAT_SSE4_2, 0 }, { "XSAVEC", HW_XSAVEC_OFF, FEAT_XSAVEC, 0 },
	{ "AVX512F", HW_CPU_OFF, FEAT_AVX512F, 0 }, { "OSXSAVE", HW_CPU_OFF, FEAT_OSXSAVE, 0 },
	{ "AVX512CD", HW_CPU_OFF, FEAT_AVX512CD, 0 }, { "AVX512BW", HW_CPU_OFF, FEAT_AVX512BW, 0 },
	{ "AVX512DQ", HW_CPU_OFF, FEAT_AVX512DQ, 0 }, { "AVX512ER", HW_CPU_OFF, FEAT_AVX512ER, 0 },
	{ "AVX512PF", HW_CPU_OFF, FEAT_AVX512PF, 0 }, { "AVX512VL", HW_CPU_OFF, FEAT_AVX512VL, 0 },
	{ "Slow_BSF", HW_PREF_BOTH, arch_Slow_BSF, 0 }, { "Prefer_ERMS", HW_PREF_BOTH, arch_Prefer_ERMS, 0 },
	{ "Prefer_FSRM", HW_PREF_BOTH, arch_Prefer_FSRM, 0 },
#if GLIBC_LAYOUT_MINOR >= 41
	{ "Avoid_STOSB", HW_PREF_BOTH, arch_Avoid_STOSB, 0 },
	{ "Avoid_Non_Temporal_Memset", HW_PREF_BOTH, arch_Avoid_Non_Temporal_Memset, 0 },
#endif
	{ "Slow_SSE4_2", HW_PREF_NEED, arch_Slow_SSE4_2, FEAT_SSE4_2 },
	{ "Fast_Rep_String", HW_PREF_BOTH, arch_Fast_Rep_String, 0 },
	{ "Prefer_No_AVX512", HW_PREF_NEED, arch_Prefer_No_AVX512, FEAT_AVX512F },
	{ "Fast_Copy_Backward", HW_PREF_BOTH, arch_Fast_Copy_Backward, 0 },
	{ "Fast_Unaligned_Load", HW_PREF_BOTH, arch_Fast_Unaligned_Load, 0 },
	{ "Fast_Unaligned_Copy", HW_PREF_BOTH, arch_Fast_Unaligned_Copy, 0 },
	{ "Prefer_No_VZEROUPPER", HW_PREF_NEED, arch_Prefer_No_VZEROUPPER, FEAT_AVX },
	{ "AVX_Fast_Unaligned_Load", HW_PREF_NEED, arch_AVX_Fast_Unaligned_Load, FEAT_AVX },
	{ "MathVec_Prefer_No_AVX512", HW_PREF_NEED, arch_MathVec_Prefer_No_AVX512, FEAT_AVX512F },
	{ "Prefer_PMINUB_for_stringop", HW_PREF_NEED, arch_Prefer_PMINUB_for_stringop, FEAT_SSE2 },
};

static void set_hwcaps(unsigned char *cf, const char *p, size_t len)
{
	for (const char *end = p + len; p < end;) {
		const char *c = p;
		while (c < end && *c != ',')
			c++;
		const char *n = p;
		size_t nl = (size_t)(c - p);
		int disable = nl && *n == '-';
		if (disable)
			n++, nl--;
		p = c + 1;
		for (size_t i = 0; i < ARRAY_LEN(hwcap_names); i++) {
			if (strlen(hwcap_names[i].name) != nl || u_strncmp(hwcap_names[i].name, n, nl))
				continue;
			int bit = hwcap_names[i].bit;
			unsigned *active = feature_reg(cf, bit, 1);
			switch (hwcap_names[i].kind) {
			case HW_CPU_OFF:
				if (disable)
					*active &= ~(1u << (bit % 32));
				break;
			case HW_CPU_BOTH: /* CPU_FEATURE_SET_ACTIVE: only what the CPU has */
				if (disable)
					*active &= ~(1u << (bit % 32));
				else
					*active |= *feature_reg(cf, bit, 0) & (1u << (bit % 32));
				break;
			case HW_XSAVEC_OFF: /* the XSAVE (not compacted) state size again */
				if (disable) {
					UL(CF(xsave_state_size)) = U32(CF(xsave_state_full_size));
					*active &= ~(1u << (bit % 32));
				}
				break;
			case HW_PREF_OFF:
				if (disable)
					PREFERRED &= ~(1u << bit);
				break;
			case HW_PREF_NEED:
				if (disable)
					PREFERRED &= ~(1u << bit);
				else if ((*feature_reg(cf, hwcap_names[i].need, 1) >> (hwcap_names[i].need % 32)) & 1)
					PREFERRED |= 1u << bit;
				break;
			default: /* HW_PREF_BOTH */
				if (disable)
					PREFERRED &= ~(1u << bit);
				else
					PREFERRED |= 1u << bit;
			}
			break;
		}
	}
}

/* init_cpu_features */
void cpu_features_init(unsigned char *cf)
{
	unsigned ebx, ecx, edx;
	unsigned family = 0, model = 0, stepping = 0;
	unsigned kind;

#if GLIBC_LAYOUT_MINOR >= 41
	/* Avoid non-temporal memset except on Intel, AMD and Hygon (cleared below). */
	PREFERRED |= BIT_ARCH(Avoid_Non_Temporal_Memset);
	UL(CF(cachesize_non_temporal_divisor)) = 4;
#endif
	__cpuid(0, BASIC(max_cpuid), ebx, ecx, edx);

	if (ebx == 0x756e6547 && ecx == 0x6c65746e && edx == 0x49656e69) { /* GenuineIntel */
		unsigned extended_model;
		kind = arch_kind_intel;
		get_common_indices(cf, &family, &model, &extended_model, &stepping);
		get_extended_indices(cf);
		update_active(cf);
#if GLIBC_LAYOUT_MINOR >= 41
		PREFERRED &= ~BIT_ARCH(Avoid_Non_Temporal_Memset);
		enum intel_microarch microarch = INTEL_UNKNOWN;
		if (family == 0x06) {
			model += extended_model;
			microarch = intel_get_fam6_microarch(model);
			/* Disable TSX where kernels without the microcode update would leave it on. */
			switch (microarch) {
			default:
				break;
			case INTEL_BIGCORE_SKYLAKE_AVX512:
				if (stepping <= 5)
					goto disable_tsx;
				break;
			case INTEL_BIGCORE_KABYLAKE:
				/* All client steppings, up to 0xc (Core i7-8665U). */
				if (stepping > 0xc)
					break;
				/* fall through */
			case INTEL_BIGCORE_SKYLAKE:
			disable_tsx:
				UNSET(HLE);
				UNSET(RTM);
				SET(RTM_ALWAYS_ABORT);
				break;
			case INTEL_BIGCORE_HASWELL:
				/* Xeon E7 v3 (0x3f) from stepping 4 has working TSX. */
				if (model == 0x3f && stepping >= 4)
					break;
				UNSET(RTM);
				break;
			}
		} else if (family == 18) {
			if (model == 0x01 || model == 0x03)
				microarch = INTEL_BIGCORE_NOVALAKE;
		} else if (family == 19) {
			if (model == 0x01)
				microarch = INTEL_BIGCORE_DIAMONDRAPIDS;
		}

		switch (microarch) {
		case INTEL_ATOM_BONNELL:
			PREFERRED |= BIT_ARCH(Slow_BSF); /* BSF is slow on Bonnell */
			break;
		case INTEL_ATOM_AIRMONT: case INTEL_ATOM_SILVERMONT: case INTEL_ATOM_GOLDMONT:
		case INTEL_ATOM_GOLDMONT_PLUS: case INTEL_KNIGHTS_LANDING:
			/* Unaligned load versions are faster than SSSE3. */
			PREFERRED |= BIT_ARCH(Fast_Unaligned_Load) | BIT_ARCH(Fast_Unaligned_Copy) |
				     BIT_ARCH(Prefer_PMINUB_for_stringop) | BIT_ARCH(Slow_SSE4_2);
			break;
		case INTEL_ATOM_TREMONT:
			PREFERRED |= BIT_ARCH(Fast_Rep_String) | BIT_ARCH(Fast_Unaligned_Load) |
				     BIT_ARCH(Fast_Unaligned_Copy) | BIT_ARCH(Prefer_PMINUB_for_stringop) |
				     BIT_ARCH(Slow_SSE4_2);
			break;
		default:
		default_tuning:
			/* Unknown: a Core i3/i5/i7 if it has AVX. */
			if (!CPU_P(AVX))
				break;
		enable_modern_features:
			PREFERRED |= BIT_ARCH(Fast_Rep_String) | BIT_ARCH(Fast_Unaligned_Load) |
				     BIT_ARCH(Fast_Unaligned_Copy) | BIT_ARCH(Prefer_PMINUB_for_stringop);
			break;
		case INTEL_BIGCORE_NEHALEM: case INTEL_BIGCORE_WESTMERE:
			UL(CF(cachesize_non_temporal_divisor)) = 8; /* older: lower non-temporal threshold */
			goto enable_modern_features;
		case INTEL_BIGCORE_SANDYBRIDGE: case INTEL_BIGCORE_IVYBRIDGE: case INTEL_BIGCORE_HASWELL:
		case INTEL_BIGCORE_BROADWELL:
			UL(CF(cachesize_non_temporal_divisor)) = 8;
			goto default_tuning;
		case INTEL_BIGCORE_SKYLAKE_AVX512: case INTEL_BIGCORE_CANNONLAKE:
			/* Non-temporal memset is not profitable on Skylake servers (mesh interconnect). */
			PREFERRED |= BIT_ARCH(Avoid_Non_Temporal_Memset);
			/* fall through */
		case INTEL_BIGCORE_COMETLAKE: case INTEL_BIGCORE_SKYLAKE: case INTEL_BIGCORE_KABYLAKE:
		case INTEL_BIGCORE_ICELAKE: case INTEL_BIGCORE_TIGERLAKE: case INTEL_BIGCORE_ROCKETLAKE:
		case INTEL_BIGCORE_RAPTORLAKE: case INTEL_BIGCORE_METEORLAKE: case INTEL_BIGCORE_LUNARLAKE:
		case INTEL_BIGCORE_ARROWLAKE: case INTEL_BIGCORE_PANTHERLAKE: case INTEL_BIGCORE_WILDCATLAKE:
		case INTEL_BIGCORE_NOVALAKE: case INTEL_BIGCORE_SAPPHIRERAPIDS: case INTEL_BIGCORE_EMERALDRAPIDS:
		case INTEL_BIGCORE_GRANITERAPIDS: case INTEL_BIGCORE_DIAMONDRAPIDS: case INTEL_MIXED_LAKEFIELD:
		case INTEL_MIXED_ALDERLAKE:
			UL(CF(cachesize_non_temporal_divisor)) = 2; /* newer: larger threshold */
			goto default_tuning;
		}
#else
		/* 2.36: by family 6 model number. */
		if (family == 0x06) {
			model += extended_model;
			switch (model) {
			case 0x1c: case 0x26:
				PREFERRED |= BIT_ARCH(Slow_BSF); /* BSF is slow on Atom */
				break;
			case 0x57: /* Knights Landing */
			case 0x7a: /* Goldmont Plus */
			case 0x5c: case 0x5f: /* Goldmont */
			case 0x4c: case 0x5a: case 0x75: /* Airmont */
			case 0x37: case 0x4a: case 0x4d: case 0x5d: /* Silvermont */
				PREFERRED |= BIT_ARCH(Fast_Unaligned_Load) | BIT_ARCH(Fast_Unaligned_Copy) |
					     BIT_ARCH(Prefer_PMINUB_for_stringop) | BIT_ARCH(Slow_SSE4_2);
				break;
			case 0x86: case 0x96: case 0x9c: /* Tremont */
				PREFERRED |= BIT_ARCH(Fast_Rep_String) | BIT_ARCH(Fast_Unaligned_Load) |
					     BIT_ARCH(Fast_Unaligned_Copy) | BIT_ARCH(Prefer_PMINUB_for_stringop) |
					     BIT_ARCH(Slow_SSE4_2);
				break;
			default:
				/* Unknown family 6: a Core i3/i5/i7 if it has AVX. */
				if (!CPU_P(AVX))
					break;
				/* fall through */
			case 0x1a: case 0x1e: case 0x1f: case 0x25: case 0x2c: case 0x2e: case 0x2f:
				PREFERRED |= BIT_ARCH(Fast_Rep_String) | BIT_ARCH(Fast_Unaligned_Load) |
					     BIT_ARCH(Fast_Unaligned_Copy) | BIT_ARCH(Prefer_PMINUB_for_stringop);
				break;
			}
			/* Disable TSX where kernels without the microcode update would leave it on. */
			switch (model) {
			case 0x55:
				if (stepping <= 5)
					goto disable_tsx;
				break;
			case 0x8e: case 0x9e:
				if (stepping > 0xc)
					break;
				/* fall through */
			case 0x4e: case 0x5e:
			disable_tsx:
				UNSET(HLE);
				UNSET(RTM);
				SET(RTM_ALWAYS_ABORT);
				break;
			case 0x3f:
				if (stepping >= 4) /* Xeon E7 v3 from stepping 4 has working TSX */
					break;
				/* fall through */
			case 0x3c: case 0x45: case 0x46:
				UNSET(RTM);
				break;
			}
		}
#endif
		/* AVX512ER is unique to Xeon Phi: no VZEROUPPER there. Elsewhere avoid AVX512 (frequency drop)
		 * unless the CPU also has AVX-VNNI, and VZEROUPPER (RTM aborts) where RTM is usable. */
		if (CPU_P(AVX512ER))
			PREFERRED |= BIT_ARCH(Prefer_No_VZEROUPPER);
		else {
			if (!CPU_P(AVX_VNNI))
				PREFERRED |= BIT_ARCH(Prefer_No_AVX512);
			if (USABLE(RTM))
				PREFERRED |= BIT_ARCH(Prefer_No_VZEROUPPER);
		}
		if (CPU_P(FSRM))
			PREFERRED |= BIT_ARCH(Avoid_Short_Distance_REP_MOVSB);
	} else if ((ebx == 0x68747541 && ecx == 0x444d4163 && edx == 0x69746e65) /* AuthenticAMD */
#if GLIBC_LAYOUT_MINOR < 41
		   || (ebx == 0x6f677948 && ecx == 0x656e6975 && edx == 0x6e65476e) /* 2.36: HygonGenuine too */
#endif
	) {
		unsigned extended_model;
		kind = arch_kind_amd;
		get_common_indices(cf, &family, &model, &extended_model, &stepping);
		get_extended_indices(cf);
		update_active(cf);
#if GLIBC_LAYOUT_MINOR >= 41
		PREFERRED &= ~BIT_ARCH(Avoid_Non_Temporal_Memset);
#endif
		if (USABLE(AVX)) /* FMA4 (leaf 0x80000001) needs AVX */
			SET_ACTIVE(FMA4);
		if (family == 0x15 && model >= 0x60 && model <= 0x7f) { /* Excavator */
			PREFERRED |= BIT_ARCH(Fast_Unaligned_Load) | BIT_ARCH(Fast_Copy_Backward);
			PREFERRED &= ~BIT_ARCH(AVX_Fast_Unaligned_Load); /* unaligned AVX loads are slower */
		}
	} else if ((ebx == 0x746e6543 && ecx == 0x736c7561 && edx == 0x48727561) || /* CentaurHauls */
		   (ebx == 0x68532020 && ecx == 0x20206961 && edx == 0x68676e61)) { /* "  Shanghai  " */
		/* glibc declares a local stepping here, shadowing the one stored: basic.stepping stays 0. */
		unsigned extended_model, zhaoxin_stepping;
		kind = arch_kind_zhaoxin;
		get_common_indices(cf, &family, &model, &extended_model, &zhaoxin_stepping);
		get_extended_indices(cf);
		update_active(cf);
		model += extended_model;
		if (family == 0x6) {
			if (model == 0xf || model == 0x19) { /* older Zhaoxin */
				UNSET(AVX);
				UNSET(AVX2);
				PREFERRED |= BIT_ARCH(Slow_SSE4_2);
				PREFERRED &= ~BIT_ARCH(AVX_Fast_Unaligned_Load);
			}
		} else if (family == 0x7) {
			switch (model) {
			case 0x1b: /* Wudaokou */
				UNSET(AVX);
				UNSET(AVX2);
				PREFERRED |= BIT_ARCH(Slow_SSE4_2);
				PREFERRED &= ~BIT_ARCH(AVX_Fast_Unaligned_Load);
				break;
			case 0x3b: /* Lujiazui */
				UNSET(AVX);
				UNSET(AVX2);
				PREFERRED &= ~BIT_ARCH(AVX_Fast_Unaligned_Load);
				break;
#if GLIBC_LAYOUT_MINOR >= 41
			case 0x5b: /* Yongfeng */
				UL(CF(cachesize_non_temporal_divisor)) = 2;
				/* fall through */
			case 0x6b: /* Shijidadao */
				PREFERRED &= ~BIT_ARCH(AVX_Fast_Unaligned_Load);
				/* sse2_unaligned memset, strcpy, strcat */
				PREFERRED |= BIT_ARCH(Prefer_No_VZEROUPPER) | BIT_ARCH(Fast_Unaligned_Load);
				break;
#endif
			}
		}
	}
#if GLIBC_LAYOUT_MINOR >= 41
	else if (ebx == 0x6f677948 && ecx == 0x656e6975 && edx == 0x6e65476e) { /* HygonGenuine */
		unsigned extended_model;
		kind = arch_kind_hygon;
		get_common_indices(cf, &family, &model, &extended_model, &stepping);
		get_extended_indices(cf);
		update_active(cf);
		PREFERRED &= ~BIT_ARCH(Avoid_Non_Temporal_Memset);
#if GLIBC_LAYOUT_MINOR >= 43
		if (model < 0x4)
			PREFERRED &= ~BIT_ARCH(AVX_Fast_Unaligned_Load); /* unaligned AVX loads are slower */
		else if (model == 0x7)
			PREFERRED |= BIT_ARCH(Prefer_No_AVX512); /* EVEX beats AVX512 there */
#endif
	}
#endif
	else {
		kind = arch_kind_other;
		get_common_indices(cf, 0, 0, 0, 0);
		update_active(cf);
	}

	if (CPU_P(CX8))
		PREFERRED |= BIT_ARCH(I586);
	if (CPU_P(CMOV))
		PREFERRED |= BIT_ARCH(I686);
#if GLIBC_LAYOUT_MINOR >= 41
	if (!USABLE(ERMS)) /* no ERMS: avoid stosb for memset */
		PREFERRED |= BIT_ARCH(Avoid_STOSB);
#endif

	BASIC(kind) = kind;
	BASIC(family) = family;
	BASIC(model) = model;
	BASIC(stepping) = stepping;

	dl_init_cacheinfo(cf);

	size_t hwcaps_len;
	const char *hwcaps = tunable_string("glibc.cpu.hwcaps", &hwcaps_len);
	if (hwcaps)
		set_hwcaps(cf, hwcaps, hwcaps_len);
#if GLIBC_LAYOUT_MINOR >= 41
	if (tunable_is_set("glibc.cpu.prefer_map_32bit_exec") && tunable_get("glibc.cpu.prefer_map_32bit_exec"))
		PREFERRED |= BIT_ARCH(Prefer_MAP_32BIT_EXEC);
#endif
	int disable_xsave_features = 0;
	if (!USABLE(OSXSAVE)) { /* usable only with OSXSAVE */
		UNSET(XSAVE); UNSET(XSAVEOPT); UNSET(XSAVEC); UNSET(XGETBV_ECX_1); UNSET(XFD);
		disable_xsave_features = 1;
	}
	if (disable_xsave_features || (!USABLE(XSAVE) && !USABLE(XSAVEC))) {
		UL(CF(xsave_state_size)) = 0;
		UNSET(AVX); UNSET(AVX2); UNSET(AVX_VNNI); UNSET(FMA); UNSET(VAES); UNSET(VPCLMULQDQ); UNSET(XOP);
		UNSET(F16C); UNSET(AVX512F); UNSET(AVX512CD); UNSET(AVX512ER); UNSET(AVX512PF); UNSET(AVX512VL);
		UNSET(AVX512DQ); UNSET(AVX512BW); UNSET(AVX512_4FMAPS); UNSET(AVX512_4VNNIW); UNSET(AVX512_BITALG);
		UNSET(AVX512_IFMA); UNSET(AVX512_VBMI); UNSET(AVX512_VBMI2); UNSET(AVX512_VNNI);
		UNSET(AVX512_VPOPCNTDQ); UNSET(AVX512_VP2INTERSECT); UNSET(AVX512_BF16); UNSET(AVX512_FP16);
		UNSET(AMX_BF16); UNSET(AMX_TILE); UNSET(AMX_INT8);
		UNSET(FMA4);
	}

	/* GLRO(dl_hwcap): HWCAP_X86_64, plus HWCAP_X86_AVX512_1 on Intel with AVX512 (not Xeon Phi);
	 * GLRO(dl_platform) (else AT_PLATFORM's "x86_64"): "xeon_phi" or "haswell" on Intel. */
	unsigned long hwcap = 1 << 1; /* HWCAP_X86_64 */
	if (kind == arch_kind_intel) {
		const char *platform = 0;
		unsigned long platformlen = 0;
		if (USABLE(AVX512CD)) {
			if (USABLE(AVX512ER)) {
				if (USABLE(AVX512PF))
					platform = "xeon_phi", platformlen = 8;
			} else if (USABLE(AVX512BW) && USABLE(AVX512DQ) && USABLE(AVX512VL))
				hwcap |= 1 << 2; /* HWCAP_X86_AVX512_1 */
		}
		if (!platform && USABLE(AVX2) && USABLE(FMA) && USABLE(BMI1) && USABLE(BMI2) && USABLE(LZCNT) &&
		    USABLE(MOVBE) && USABLE(POPCNT))
			platform = "haswell", platformlen = 7;
		if (platform) {
			*(const char **)(void *)GLRO(_dl_platform) = platform;
			UL(GLRO(_dl_platformlen)) = platformlen; /* what rtld's dl_main derives from it */
		}
	}
	UL(GLRO(_dl_hwcap)) = hwcap;

#if GLIBC_LAYOUT_MINOR < 41
	/* 2.36, CET enabled: keep IBT / SHSTK only if the kernel has them on. (A non-zero status would also
	 * go to GL(dl_x86_feature_1), in _rtld_global: never happens on upstream kernels.) */
	unsigned cet_status = get_cet_status();
	if (!(cet_status & 1 /* GNU_PROPERTY_X86_FEATURE_1_IBT */))
		UNSET(IBT);
	if (!(cet_status & 2 /* GNU_PROPERTY_X86_FEATURE_1_SHSTK */))
		UNSET(SHSTK);
#endif
	/* (2.41+: glibc.cpu.x86_ibt / x86_shstk tunables, not set; the CET status query moved to
	 * _dl_cet_setup_features, for CET-marked programs, and does not touch cpu_features.) */
#ifdef GLIBC_OFF_rtld_global_ro___dl_x86_64_runtime_resolve /* 2.41+: chosen here, read by runtime_setup */
	unsigned long save_size;
	*(void **)(void *)GLRO(_dl_x86_64_runtime_resolve) = cpu_plt_resolver(cf, &save_size);
#endif
}

/* The PLT resolver glibc's ld.so puts in GOT[2] for lazy binding (2.36: elf_machine_runtime_setup; 2.41+:
 * init_cpu_features, in GLRO(dl_x86_64_runtime_resolve)): it saves the vector registers with XSAVEC, XSAVE
 * or FXSAVE as the CPU allows. *save_size: the area it needs (xsave_state_size; 0 for FXSAVE). */
void *cpu_plt_resolver(unsigned char *cf, unsigned long *save_size)
{
	*save_size = UL(CF(xsave_state_size));
	if (*save_size)
		return USABLE(XSAVEC) ? (void *)_dl_runtime_resolve_xsavec : (void *)_dl_runtime_resolve_xsave;
	return (void *)_dl_runtime_resolve_fxsave;
}

/* LD_AUDIT with la_pltenter/la_pltexit: the PLT trampoline glibc's elf_machine_runtime_setup chooses
 * instead (lazyasm.S): it saves the vector registers the CPU has. */
void *cpu_plt_profiler(unsigned char *cf)
{
	return USABLE(AVX512F) ? (void *)_dl_runtime_profile_avx512
	       : USABLE(AVX) ? (void *)_dl_runtime_profile_avx : (void *)_dl_runtime_profile_sse;
}
