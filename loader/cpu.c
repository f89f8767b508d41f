/* CPU features for glibc (`_rtld_global_ro._dl_x86_cpu_features`), after glibc 2.36's
 * sysdeps/x86/cpu-features.c (init_cpu_features) and sysdeps/x86/dl-cacheinfo.h (dl_init_cacheinfo).
 *
 * Done: vendor/family/model/stepping, the raw CPUID leaves glibc records, cache sizes and line sizes
 * (what sysconf(_SC_LEVEL*_CACHE_*) reports), the per-thread shared cache share, and the memcpy/memset
 * thresholds derived from them (libc's __x86_cacheinfo copies these during IRELATIVE processing).
 * Not yet: the "active" (usable) feature bits, preferred[] and isa_1. With them zero libc picks its
 * baseline SSE2 string functions: correct, but not the AVX2/EVEX ones the system loader would select. */
#include <cpuid.h>
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

	/* Non-temporal stores from 1/4 of the L3, at least 3/4 of a thread's share; without ERMS marked usable
	 * (see above) glibc takes that low bound. */
	unsigned long non_temporal = (unsigned long)per_thread * 3 / 4;
	if (non_temporal < 0x4040)
		non_temporal = 0x4040;
	else if (non_temporal > (~0UL >> 4))
		non_temporal = ~0UL >> 4;
	/* No AVX is marked usable (see above), so the 16-byte-vector defaults apply. */
	PUTUL(CF(data_cache_size), data);
	PUTUL(CF(shared_cache_size), shared);
	PUTUL(CF(non_temporal_threshold), non_temporal);
	PUTUL(CF(rep_movsb_threshold), 2048);
	PUTUL(CF(rep_stosb_threshold), 2048);
	PUTUL(CF(rep_movsb_stop_threshold), kind == KIND_AMD && core > 0 ? (unsigned long)core : non_temporal);
}
