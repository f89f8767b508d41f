/* CPU features for glibc (`_rtld_global_ro._dl_x86_cpu_features`), after glibc 2.36's (Debian 12,
 * release/2.36 branch) sysdeps/x86/cpu-features.c (init_cpu_features, update_active, get_isa_level) and
 * sysdeps/x86/dl-cacheinfo.h (dl_init_cacheinfo): vendor/family/model, the CPUID leaves, the usable
 * ("active") features with the XCR0 checks, preferred[] bits, isa_1, the XSAVE state size, cache sizes
 * (what sysconf(_SC_LEVEL*_CACHE_*) reports) and the memcpy/memset thresholds. libc's IFUNC resolvers read
 * all of it to pick their string functions, during IRELATIVE processing.
 * Not ported: Intel/Zhaoxin per-model preference quirks (Silvermont, Tremont, TSX, ...) and tunables. */
#include <cpuid.h>
#include "cpu_bits.h"
#include "glibc.h"

enum { KIND_UNKNOWN, KIND_INTEL, KIND_AMD, KIND_ZHAOXIN, KIND_OTHER };
enum { IDX_1, IDX_7, IDX_80000001, IDX_D_ECX_1, IDX_80000007, IDX_80000008, IDX_7_ECX_1, IDX_19, IDX_14_ECX_0 };

#define CF(field) (cf + GLIBC_OFF_cpu_features__##field)
#define PUTU32(p, v) (*(unsigned *)(void *)(p) = (unsigned)(v))
#define PUTUL(p, v) (*(unsigned long *)(void *)(p) = (unsigned long)(v))

static void put_leaf(unsigned char *cf, int idx, unsigned leaf, unsigned sub)
{
	unsigned a, b, c, d;
	__cpuid_count(leaf, sub, a, b, c, d);
	/* features[idx].cpuid = {eax, ebx, ecx, edx}; .active (16 bytes further) stays zero. */
	unsigned char *f = CF(features) + idx * GLIBC_SIZEOF_cpuid_feature_internal;
	PUTU32(f, a);
	PUTU32(f + 4, b);
	PUTU32(f + 8, c);
	PUTU32(f + 12, d);
}

/* features[f / 128]: cpuid at +0, active at +16; register (f / 32) % 4; bit f % 32. */
static unsigned *feat_word(unsigned char *cf, int f, int active)
{
	return (unsigned *)(void *)(CF(features) + (f / 128) * GLIBC_SIZEOF_cpuid_feature_internal + (active ? 16 : 0) +
				    ((f / 32) % 4) * 4);
}
#define CPU_P(name) (*feat_word(cf, FEAT_##name, 0) & (1u << (FEAT_##name % 32)))
#define USABLE(name) (*feat_word(cf, FEAT_##name, 1) & (1u << (FEAT_##name % 32)))
#define SET(name) (*feat_word(cf, FEAT_##name, 1) |= 1u << (FEAT_##name % 32))
#define SET_ACTIVE(name)             \
	do {                         \
		if (CPU_P(name))     \
			SET(name);   \
	} while (0)

enum { /* preferred[0] bits (cpu-features-preferred_feature_index_1.def order) */
	PREF_Fast_Unaligned_Load = 1u << 3,
	PREF_Fast_Copy_Backward = 1u << 1,
	PREF_I586 = 1u << 6,
	PREF_I686 = 1u << 7,
	PREF_AVX_Fast_Unaligned_Load = 1u << 9,
};
#define STATE_SAVE_OFFSET (8 * 7 + 8)
#define STATE_SAVE_MASK ((1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7))

static void update_active(unsigned char *cf, unsigned maxleaf)
{
	unsigned *preferred = (unsigned *)(void *)CF(preferred);
	/* Usable without OS support: copy the CPUID bit. */
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
	if (!CPU_P(RTM_ALWAYS_ABORT))
		SET_ACTIVE(RTM);
	SET_ACTIVE(IBT); /* Debian builds glibc with CET enabled */
	SET_ACTIVE(SHSTK);
	if (CPU_P(OSXSAVE)) {
		unsigned xcrlow, xcrhigh;
		__asm__("xgetbv" : "=a"(xcrlow), "=d"(xcrhigh) : "c"(0));
		if ((xcrlow & 6) == 6) { /* XMM and YMM state */
			if (CPU_P(AVX)) {
				SET(AVX);
				if (CPU_P(AVX2)) {
					SET(AVX2);
					preferred[0] |= PREF_AVX_Fast_Unaligned_Load;
				}
				SET_ACTIVE(AVX_VNNI); SET_ACTIVE(FMA); SET_ACTIVE(VAES); SET_ACTIVE(VPCLMULQDQ);
				SET_ACTIVE(XOP); SET_ACTIVE(F16C);
			}
			if ((xcrlow & 0xe0) == 0xe0 && CPU_P(AVX512F)) { /* opmask, ZMM0-15 upper, ZMM16-31 */
				SET(AVX512F);
				SET_ACTIVE(AVX512CD); SET_ACTIVE(AVX512ER); SET_ACTIVE(AVX512PF); SET_ACTIVE(AVX512VL);
				SET_ACTIVE(AVX512DQ); SET_ACTIVE(AVX512BW); SET_ACTIVE(AVX512_4FMAPS);
				SET_ACTIVE(AVX512_4VNNIW); SET_ACTIVE(AVX512_BITALG); SET_ACTIVE(AVX512_IFMA);
				SET_ACTIVE(AVX512_VBMI); SET_ACTIVE(AVX512_VBMI2); SET_ACTIVE(AVX512_VNNI);
				SET_ACTIVE(AVX512_VPOPCNTDQ); SET_ACTIVE(AVX512_VP2INTERSECT); SET_ACTIVE(AVX512_BF16);
				SET_ACTIVE(AVX512_FP16);
			}
		}
		if ((xcrlow & (3u << 17)) == (3u << 17)) { /* XTILECFG, XTILEDATA */
			SET_ACTIVE(AMX_BF16); SET_ACTIVE(AMX_TILE); SET_ACTIVE(AMX_INT8);
		}
		SET(XSAVE);
		SET_ACTIVE(XSAVEOPT); SET_ACTIVE(XSAVEC); SET_ACTIVE(XGETBV_ECX_1); SET_ACTIVE(XFD);
		if (maxleaf >= 0xd) {
			unsigned a, b, c, d;
			__cpuid_count(0xd, 0, a, b, c, d);
			if (b) {
				unsigned full = (b + STATE_SAVE_OFFSET + 63) & ~63u;
				PUTUL(CF(xsave_state_size), full);
				PUTU32(CF(xsave_state_full_size), full);
				if (CPU_P(XSAVEC)) {
					unsigned off[32], sz[32];
					off[0] = 0, off[1] = 160, off[2] = 576;
					sz[0] = 160, sz[1] = 256;
					for (unsigned i = 2; i < 32; i++) {
						c = 0;
						if (STATE_SAVE_MASK & (1u << i)) {
							__cpuid_count(0xd, i, a, b, c, d);
							sz[i] = a;
						} else
							sz[i] = 0;
						if (i > 2) {
							off[i] = off[i - 1] + sz[i - 1];
							if (c & 2)
								off[i] = (off[i] + 63) & ~63u;
						}
					}
					unsigned size = off[31] + sz[31];
					if (size) {
						PUTUL(CF(xsave_state_size), (size + STATE_SAVE_OFFSET + 63) & ~63u);
						SET(XSAVEC);
					}
				}
			}
		}
	}
	if (CPU_P(OSPKE))
		SET(PKU);
	if (CPU_P(AESKLE)) {
		SET(AESKLE);
		SET_ACTIVE(KL);
		SET_ACTIVE(WIDE_KL);
	}
	/* get_isa_level */
	unsigned isa = 0;
	if (USABLE(CMOV) && USABLE(CX8) && USABLE(FXSR) && USABLE(MMX) && USABLE(SSE) && USABLE(SSE2)) {
		isa = 1;
		if (USABLE(CMPXCHG16B) && USABLE(LAHF64_SAHF64) && USABLE(POPCNT) && USABLE(SSE3) && USABLE(SSSE3) &&
		    USABLE(SSE4_1) && USABLE(SSE4_2)) {
			isa |= 2;
			if (USABLE(AVX) && USABLE(AVX2) && USABLE(BMI1) && USABLE(BMI2) && USABLE(F16C) && USABLE(FMA) &&
			    USABLE(LZCNT) && USABLE(MOVBE)) {
				isa |= 4;
				if (USABLE(AVX512F) && USABLE(AVX512BW) && USABLE(AVX512CD) && USABLE(AVX512DQ) &&
				    USABLE(AVX512VL))
					isa |= 8;
			}
		}
	}
	PUTU32(CF(isa_1), isa);
}

/* Cache parameters, as sysconf names them. */
struct caches {
	long l1i_size, l1i_line, l1d_size, l1d_assoc, l1d_line, l2_size, l2_assoc, l2_line, l3_size, l3_assoc, l3_line;
};

static long amd_assoc(unsigned v, unsigned long size, unsigned line)
{
	static const unsigned char map[16] = { 0, 1, 2, 0, 4, 0, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0 };
	unsigned k = (v >> 12) & 0xf;
	if (k == 15)
		return line ? (long)(size / line) : 0;
	return map[k];
}

/* handle_amd: CPUID 0x80000005 (L1) and 0x80000006 (L2, L3). */
static void amd_caches(struct caches *c)
{
	unsigned a, b, ecx, edx, max;
	__cpuid(0x80000000, max, b, ecx, edx);
	if (max >= 0x80000005) {
		__cpuid(0x80000005, a, b, ecx, edx);
		c->l1d_size = (ecx >> 14) & 0x3fc00;
		c->l1d_assoc = ((ecx >> 16) & 0xff) == 0xff ? ((ecx >> 16) << 2) & 0x3fc00 : (ecx >> 16) & 0xff;
		c->l1d_line = ecx & 0xff;
		c->l1i_size = (edx >> 14) & 0x3fc00;
		c->l1i_line = edx & 0xff;
	}
	if (max >= 0x80000006) {
		__cpuid(0x80000006, a, b, ecx, edx);
		if (ecx & 0xf000) {
			c->l2_size = (ecx >> 6) & 0x3fffc00;
			c->l2_line = ecx & 0xff;
		}
		c->l2_assoc = amd_assoc(ecx, (ecx >> 6) & 0x3fffc00, ecx & 0xff);
		if (edx & 0xf000) {
			c->l3_size = (long)((edx & 0x3ffc0000) << 1);
			c->l3_line = edx & 0xff;
		}
		c->l3_assoc = amd_assoc(edx, (unsigned long)(edx & 0x3ffc0000) << 1, edx & 0xff);
	}
}

/* Intel and Zhaoxin: CPUID leaf 4, one subleaf per cache (what glibc's descriptor walk ends in on every
 * current CPU: leaf 2 answers 0xff, "use leaf 4"). */
static void leaf4_caches(struct caches *c, unsigned maxleaf, unsigned *l3_threads)
{
	if (maxleaf < 4)
		return;
	for (unsigned i = 0; i < 16; i++) {
		unsigned a, b, cc, d;
		__cpuid_count(4, i, a, b, cc, d);
		unsigned type = a & 0x1f, level = (a >> 5) & 7;
		if (!type)
			break;
		long ways = ((b >> 22) & 0x3ff) + 1, parts = ((b >> 12) & 0x3ff) + 1, line = (b & 0xfff) + 1, sets = cc + 1;
		long size = ways * parts * line * sets;
		if (level == 1 && type == 1) {
			c->l1d_size = size, c->l1d_assoc = ways, c->l1d_line = line;
		} else if (level == 1 && type == 2) {
			c->l1i_size = size, c->l1i_line = line;
		} else if (level == 2) {
			c->l2_size = size, c->l2_assoc = ways, c->l2_line = line;
		} else if (level == 3) {
			c->l3_size = size, c->l3_assoc = ways, c->l3_line = line;
			*l3_threads = ((a >> 14) & 0x3ff) + 1;
		}
	}
}

void cpu_features_init(unsigned char *cf)
{
	unsigned maxleaf, b, c, d, a;
	__cpuid(0, maxleaf, b, c, d);
	int kind = KIND_OTHER;
	if (b == 0x756e6547 && c == 0x6c65746e && d == 0x49656e69) /* GenuineIntel */
		kind = KIND_INTEL;
	else if ((b == 0x68747541 && c == 0x444d4163 && d == 0x69746e65) || /* AuthenticAMD */
		 (b == 0x6f677948 && c == 0x656e6975 && d == 0x6e65476e))   /* HygonGenuine */
		kind = KIND_AMD;
	else if ((b == 0x746e6543 && c == 0x736c7561 && d == 0x48727561) || /* CentaurHauls */
		 (b == 0x68532020 && c == 0x20206961 && d == 0x68676e61))   /* "  Shanghai  " */
		kind = KIND_ZHAOXIN;
	unsigned char *basic = CF(basic);
	PUTU32(basic + GLIBC_OFF_cpu_features_basic__kind, kind);
	PUTU32(basic + GLIBC_OFF_cpu_features_basic__max_cpuid, maxleaf);

	/* get_common_indices: family, model, stepping as glibc computes them. */
	__cpuid(1, a, b, c, d);
	unsigned family = (a >> 8) & 0x0f, model = (a >> 4) & 0x0f, ext_model = (a >> 12) & 0xf0, stepping = a & 0x0f;
	if (family == 0x0f) {
		family += (a >> 20) & 0xff;
		model += ext_model;
	} else if (family == 0x06 && (kind == KIND_INTEL || kind == KIND_ZHAOXIN))
		model += ext_model;
	PUTU32(basic + GLIBC_OFF_cpu_features_basic__family, family);
	PUTU32(basic + GLIBC_OFF_cpu_features_basic__model, model);
	PUTU32(basic + GLIBC_OFF_cpu_features_basic__stepping, stepping);

	put_leaf(cf, IDX_1, 1, 0);
	if (maxleaf >= 7) {
		put_leaf(cf, IDX_7, 7, 0);
		put_leaf(cf, IDX_7_ECX_1, 7, 1);
	}
	if (maxleaf >= 0xd)
		put_leaf(cf, IDX_D_ECX_1, 0xd, 1);
	if (maxleaf >= 0x14)
		put_leaf(cf, IDX_14_ECX_0, 0x14, 0);
	if (maxleaf >= 0x19)
		put_leaf(cf, IDX_19, 0x19, 0);
	unsigned maxext;
	__cpuid(0x80000000, maxext, b, c, d);
	if (maxext >= 0x80000001)
		put_leaf(cf, IDX_80000001, 0x80000001, 0);
	if (maxext >= 0x80000007)
		put_leaf(cf, IDX_80000007, 0x80000007, 0);
	if (maxext >= 0x80000008)
		put_leaf(cf, IDX_80000008, 0x80000008, 0);
	update_active(cf, maxleaf);
	unsigned *preferred = (unsigned *)(void *)CF(preferred);
	if (kind == KIND_AMD) {
		if (USABLE(AVX))
			SET_ACTIVE(FMA4);
		if (family == 0x15 && model >= 0x60 && model <= 0x7f) /* Excavator */
			preferred[0] = (preferred[0] | PREF_Fast_Unaligned_Load | PREF_Fast_Copy_Backward) &
				       ~(unsigned)PREF_AVX_Fast_Unaligned_Load;
	}
	if (CPU_P(CX8))
		preferred[0] |= PREF_I586;
	if (CPU_P(CMOV))
		preferred[0] |= PREF_I686;

	/* dl_init_cacheinfo */
	struct caches ca = { 0 };
	long threads = 0;
	if (kind == KIND_AMD)
		amd_caches(&ca);
	else if (kind == KIND_INTEL || kind == KIND_ZHAOXIN) {
		unsigned t = 0;
		leaf4_caches(&ca, maxleaf, &t);
		threads = t;
	}
	/* As glibc's release/2.36 branch (Debian 12): `shared` stays the whole L3, `shared_per_thread` is one
	 * thread's share of it. */
	long data = ca.l1d_size, core = ca.l2_size, shared = ca.l3_size, per_thread = ca.l3_size;
	if (kind == KIND_AMD) {
		if (shared <= 0)
			shared = per_thread = core; /* no L3: the L2 is all there is */
		else {
			if (maxext >= 0x80000008) {
				__cpuid(0x80000008, a, b, c, d);
				threads = 1L << ((c >> 12) & 0x0f);
			}
			if (threads == 0 || family >= 0x17) {
				__cpuid(1, a, b, c, d);
				if (d & (1u << 28))
					threads = (b >> 16) & 0xff;
			}
			if (threads > 0)
				per_thread /= threads;
			if (family >= 0x17) { /* Zen: the L3 share of one CCX */
				__cpuid_count(0x8000001D, 3, a, b, c, d);
				per_thread *= ((a >> 14) & 0xfff) + 1;
			} else {
				shared += core;
				per_thread += core;
			}
		}
	} else if (shared > 0) {
		if (threads > 1)
			per_thread /= threads;
	} else
		shared = per_thread = core;
	PUTUL(CF(level1_icache_size), ca.l1i_size);
	PUTUL(CF(level1_icache_linesize), ca.l1i_line);
	PUTUL(CF(level1_dcache_size), ca.l1d_size);
	PUTUL(CF(level1_dcache_assoc), ca.l1d_assoc);
	PUTUL(CF(level1_dcache_linesize), ca.l1d_line);
	PUTUL(CF(level2_cache_size), ca.l2_size);
	PUTUL(CF(level2_cache_assoc), ca.l2_assoc);
	PUTUL(CF(level2_cache_linesize), ca.l2_line);
	PUTUL(CF(level3_cache_size), ca.l3_size);
	PUTUL(CF(level3_cache_assoc), ca.l3_assoc);
	PUTUL(CF(level3_cache_linesize), ca.l3_line);
	PUTUL(CF(level4_cache_size), -1L); /* glibc leaves it "unknown" */

	/* Non-temporal stores from 1/4 of the L3, at least 3/4 of a thread's share (that low bound if ERMS is
	 * not usable). */
	unsigned long non_temporal = (unsigned long)shared / 4, lowbound = (unsigned long)per_thread * 3 / 4;
	if (non_temporal < lowbound || !USABLE(ERMS))
		non_temporal = lowbound;
	if (non_temporal < 0x4040)
		non_temporal = 0x4040;
	else if (non_temporal > (~0UL >> 4))
		non_temporal = ~0UL >> 4;
	unsigned long rep_movsb = 2048; /* 16-byte vectors */
	if (USABLE(AVX512F) && !(preferred[0] & (1u << 12) /* Prefer_No_AVX512 */))
		rep_movsb = 4096 * (64 / 16);
	else if (preferred[0] & PREF_AVX_Fast_Unaligned_Load)
		rep_movsb = 4096 * (32 / 16);
	if (USABLE(FSRM))
		rep_movsb = 2112;
	PUTUL(CF(data_cache_size), data);
	PUTUL(CF(shared_cache_size), shared);
	PUTUL(CF(non_temporal_threshold), non_temporal);
	PUTUL(CF(rep_movsb_threshold), rep_movsb);
	PUTUL(CF(rep_stosb_threshold), 2048);
	PUTUL(CF(rep_movsb_stop_threshold), kind == KIND_AMD && core > 0 ? (unsigned long)core : non_temporal);
}
