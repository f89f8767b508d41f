/* Finding and loading dependencies: DT_NEEDED breadth-first, searched like glibc's ld.so does:
 * DT_RPATH (requester and its loaders, unless the requester has DT_RUNPATH), LD_LIBRARY_PATH,
 * DT_RUNPATH (requester only), /etc/ld.so.cache, then the default directories. */
#include "elfld.h"
#include "audit.h"
#include "glibc_version.h"
#include "events.h"
#include "sys.h"
#include "parse.h"
#include "glibc.h"
#include "lddebug.h"

static const char *const default_dirs[] = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib" };
#define LIB_EXPANSION "lib/x86_64-linux-gnu"

/* ---- the subdirectories glibc tries in every directory of a search list, in its order, the directory
 * itself last (_dl_important_hwcaps): glibc-hwcaps/NAME for each name of --glibc-hwcaps-prepend, then the
 * built-in glibc-hwcaps/x86-64-v4, -v3, -v2 as far as the CPU's ISA level goes, less those that
 * --glibc-hwcaps-mask does not name; before 2.37 also the legacy hwcap subdirectories, the power set of the
 * important AT_HWCAP bits' names, the platform and "tls" (tls/x86_64/x86_64/, tls/x86_64/, ..., x86_64/). */
static const char **caps; /* ncaps entries, "" (the directory itself) last */
static int ncaps;
/* The options' colon-separated lists (dl_main_state's glibc_hwcaps_prepend and _mask): NULL when not
 * given; a mask names the built-in subdirectories to keep (exact names: "" keeps none). */
static const char *hwcaps_prepend, *hwcaps_mask;
static const char builtin_subdirs[] = "x86-64-v4:x86-64-v3:x86-64-v2"; /* _dl_hwcaps_subdirs, best first */
static uint32_t builtin_active;  /* _dl_hwcaps_subdirs_active: bit 0 = the first of builtin_subdirs */
static unsigned cpu_isa_1;       /* cpu_features->isa_1: bit 0 baseline, 1 v2, 2 v3, 3 v4 */
/* The glibc-hwcaps names searched, with their priorities (1 the best: their place in the search), sorted
 * by name: _dl_hwcaps_priorities, which ranks the ld.so.cache's glibc-hwcaps entries. */
static struct hwcaps_prio {
	const char *name;
	uint32_t len, prio;
} *prios;
static uint32_t nprios;
#if GLIBC_LAYOUT_MINOR < 37
static uint64_t legacy_hwcap, legacy_mask; /* GLRO(dl_hwcap), glibc.cpu.hwcap_mask */
static const char *legacy_platform;        /* GLRO(dl_platform) */
#endif

void search_hwcaps_options(const char *prepend, const char *mask)
{
	hwcaps_prepend = prepend;
	hwcaps_mask = mask;
}

/* glibc's _dl_hwcaps_split: the next non-empty segment of a ':' list after *seg (*len 0 at the start). */
static int hwcaps_split(const char **seg, size_t *len)
{
	if (!*seg)
		return 0;
	const char *s = *seg + *len;
	while (*s == ':')
		s++;
	if (!*s)
		return 0;
	size_t n = 0;
	while (s[n] && s[n] != ':')
		n++;
	*seg = s;
	*len = n;
	return 1;
}

/* _dl_hwcaps_contains: is `name` one of the list's names (a NULL list contains every name)? */
static int hwcaps_contains(const char *list, const char *name, size_t n)
{
	if (!list)
		return 1;
	const char *s = list;
	size_t l = 0;
	while (hwcaps_split(&s, &l))
		if (l == n && memcmp(s, name, n) == 0)
			return 1;
	return 0;
}

/* The names searched, each passed to fn in priority order: the prepended ones, then the built-in ones
 * active and not masked (_dl_hwcaps_split_masked). */
static void hwcaps_each(void (*fn)(const char *name, size_t len))
{
	const char *s = hwcaps_prepend;
	size_t l = 0;
	while (hwcaps_split(&s, &l))
		fn(s, l);
	s = builtin_subdirs, l = 0;
	for (uint32_t bits = builtin_active; hwcaps_split(&s, &l); bits >>= 1)
		if ((bits & 1) && hwcaps_contains(hwcaps_mask, s, l))
			fn(s, l);
}

static void hwcaps_count(const char *name, size_t len)
{
	(void)name, (void)len;
	ncaps++;
}

static void hwcaps_add(const char *name, size_t len)
{
	static const char prefix[] = "glibc-hwcaps/";
	char *p = u_alloc(sizeof prefix + len + 1);
	memcpy(p, prefix, sizeof prefix - 1);
	memcpy(p + sizeof prefix - 1, name, len);
	memcpy(p + sizeof prefix - 1 + len, "/", 2);
	caps[ncaps++] = p;
	prios[nprios] = (struct hwcaps_prio){ name, (uint32_t)len, nprios + 1 };
	nprios++;
}

/* memcmp over the shorter name, then the shorter first (sort_priorities_by_name, glibc_hwcaps_compare) */
static int hwcaps_namecmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : al < bl ? -1 : al > bl;
}

static void caps_init(void)
{
	glibc_cpu_setup(); /* the ISA level (and GLRO(dl_hwcap), dl_platform) */
	extern unsigned char _rtld_global_ro[];
	unsigned char *cf = _rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features;
	cpu_isa_1 = *(unsigned *)(void *)(cf + GLIBC_OFF_cpu_features__isa_1);
	int active = !(cpu_isa_1 & 2) ? 0 : !(cpu_isa_1 & 4) ? 1 : !(cpu_isa_1 & 8) ? 2 : 3; /* v2, v3, v4 */
	builtin_active = 7u ^ ((1u << (3 - active)) - 1); /* _dl_hwcaps_subdirs_build_bitmask (3, active) */
	ncaps = 0;
	hwcaps_each(hwcaps_count);
	int nhw = ncaps;
	enum { MAX_LEGACY = 32 };
	caps = u_alloc(sizeof *caps * (size_t)(nhw + MAX_LEGACY + 1));
	prios = u_alloc(sizeof *prios * (size_t)(nhw ? nhw : 1));
	ncaps = 0;
	hwcaps_each(hwcaps_add);
	for (uint32_t i = 1; i < nprios; i++) /* insertion sort by name: equal names keep their order */
		for (uint32_t j = i; j > 0 && hwcaps_namecmp(prios[j].name, prios[j].len, prios[j - 1].name,
							     prios[j - 1].len) < 0; j--) {
			struct hwcaps_prio t = prios[j];
			prios[j] = prios[j - 1];
			prios[j - 1] = t;
		}
#if GLIBC_LAYOUT_MINOR < 37
	/* the power set: temp[] = the names of the set bits of dl_hwcap & hwcap_mask (glibc.cpu.hwcap_mask,
	 * default HWCAP_IMPORTANT: x86_64, avx512_1), the platform, "tls"; entry i holds the strings of the
	 * bits of (2^cnt - 1 - i), last string first */
	static const char *const hwcap_names[] = { "sse2", "x86_64", "avx512_1" };
	static char caps_buf[1024];
	uint64_t hwcap = legacy_hwcap = *(uint64_t *)(void *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_hwcap);
	uint64_t mask = legacy_mask = tunable_is_set("glibc.cpu.hwcap_mask") ? (uint64_t)tunable_get("glibc.cpu.hwcap_mask") : 6;
	const char *platform = legacy_platform =
		*(const char **)(void *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_platform);
	const char *temp[8];
	int cnt = 0;
	size_t used = 0;
	for (int n = 0; n < 3; n++)
		if ((hwcap & mask) & (1ull << n))
			temp[cnt++] = hwcap_names[n];
	if (platform)
		temp[cnt++] = platform;
	temp[cnt++] = "tls";
	for (int i = 0; i < (1 << cnt) - 1 && i < MAX_LEGACY; i++) {
		int m = (1 << cnt) - 1 - i;
		caps[ncaps++] = caps_buf + used;
		for (int n = cnt - 1; n >= 0; n--)
			if (m & (1 << n))
				used += (size_t)u_snprintf(caps_buf + used, sizeof caps_buf - used, "%s/", temp[n]);
		used++; /* the NUL */
	}
#endif
	caps[ncaps++] = ""; /* the directory itself */
}

/* --list-hwcaps: what ld.so --help says of them (print_hwcaps_subdirectories, before 2.37 also
 * print_legacy_hwcap_directories), the same lines. */
void search_print_hwcaps(void)
{
	if (!ncaps)
		caps_init();
	char b[2048];
	struct outbuf ob;
	ob_init(&ob, 1, b, sizeof b);
	ob_printf(&ob, "Subdirectories of glibc-hwcaps directories, in priority order:\n");
	const char *s = hwcaps_prepend;
	size_t l = 0;
	while (hwcaps_split(&s, &l)) {
		ob_write(&ob, "  ", 2);
		ob_write(&ob, s, l);
		ob_printf(&ob, " (searched)\n");
	}
	s = builtin_subdirs, l = 0;
	for (uint32_t bits = builtin_active; hwcaps_split(&s, &l); bits >>= 1) {
		int listed = hwcaps_contains(hwcaps_mask, s, l);
		ob_write(&ob, "  ", 2);
		ob_write(&ob, s, l);
		ob_printf(&ob, "%s\n", (bits & 1) ? (listed ? " (supported, searched)" : " (supported, masked)")
						   : !listed ? " (masked)" : "");
	}
#if GLIBC_LAYOUT_MINOR < 37
	ob_printf(&ob, "\nLegacy HWCAP subdirectories under library search path directories:\n");
	if (legacy_platform)
		ob_printf(&ob, "  %s (AT_PLATFORM; supported, searched)\n", legacy_platform);
	ob_printf(&ob, "  tls (supported, searched)\n");
	static const char *const names[] = { "avx512_1", "x86_64" }; /* HWCAP_IMPORTANT, the high bit first */
	for (int n = 2; n >= 1; n--) {
		uint64_t bit = 1ull << n;
		const char *f[3];
		int k = 0;
		if (legacy_hwcap & bit)
			f[k++] = "supported";
		if (!(legacy_mask & bit))
			f[k++] = "masked";
		if (legacy_hwcap & legacy_mask & bit)
			f[k++] = "searched";
		ob_printf(&ob, "  %s", names[2 - n]);
		for (int j = 0; j < k; j++)
			ob_printf(&ob, "%s%s", j ? ", " : " (", f[j]);
		ob_printf(&ob, "%s\n", k ? ")" : "");
	}
#endif
	ob_flush(&ob);
}

/* ---- /etc/ld.so.cache ("glibc-ld.so.cache1.1", possibly after the old "ld.so-1.7.0" part) */
struct cache_hdr {
	char magic[17], version[3];
	uint32_t nlibs, len_strings;
	uint8_t flags, pad[3];
	uint32_t ext_offset, unused[3];
};
struct cache_entry {
	int32_t flags;
	uint32_t key, value, osversion;
	uint64_t hwcap;
};
static const char *cache_base; /* the file */
static size_t cache_size;
static const struct cache_hdr *cache; /* its new-format part, where the entries' string offsets start */
static int cache_tried;

static void cache_open(void)
{
	cache_tried = 1;
	int fd = (int)sys_open("/etc/ld.so.cache", K_O_RDONLY | K_O_CLOEXEC, 0);
	if (fd < 0)
		return;
	struct k_stat st;
	if (sys_fstat(fd, &st) == 0 && st.st_size > (int64_t)sizeof(struct cache_hdr)) {
		long r = sys_mmap(0, (size_t)st.st_size, K_PROT_READ, K_MAP_PRIVATE, fd, 0);
		if (!sys_is_err(r)) {
			cache_base = (const char *)r;
			cache_size = (size_t)st.st_size;
		}
	}
	sys_close(fd);
	if (!cache_base)
		return;
	size_t off = 0;
	if (cache_size >= 16 && memcmp(cache_base, "ld.so-1.7.0", 11) == 0) {
		uint32_t n = *(const uint32_t *)(cache_base + 12);
		off = ALIGN_UP(16 + (size_t)n * 12, 8);
	}
	if (off + sizeof(struct cache_hdr) > cache_size || memcmp(cache_base + off, "glibc-ld.so.cache1.1", 20) != 0)
		return; /* unknown format: ignore the cache, as glibc does */
	const struct cache_hdr *h = (const struct cache_hdr *)(cache_base + off);
	if ((cache_size - off - sizeof *h) / sizeof(struct cache_entry) < h->nlibs)
		return;
	if (h->flags != 0 && (h->flags & 3) != 2) /* cache_file_new_matches_endian: little-endian or unknown */
		return;
	cache = h;
}

/* glibc's _dl_cache_libcmp: runs of digits compare as numbers (libfoo.so.10 after libfoo.so.9). */
static int cache_libcmp(const char *p1, const char *p2)
{
	while (*p1) {
		if (*p1 >= '0' && *p1 <= '9') {
			if (!(*p2 >= '0' && *p2 <= '9'))
				return 1;
			unsigned long v1 = 0, v2 = 0;
			while (*p1 >= '0' && *p1 <= '9')
				v1 = v1 * 10 + (unsigned long)(*p1++ - '0');
			while (*p2 >= '0' && *p2 <= '9')
				v2 = v2 * 10 + (unsigned long)(*p2++ - '0');
			if (v1 != v2)
				return v1 < v2 ? -1 : 1;
		} else if (*p2 >= '0' && *p2 <= '9')
			return -1;
		else if (*p1 != *p2)
			return (unsigned char)*p1 - (unsigned char)*p2;
		else
			p1++, p2++;
	}
	return -(unsigned char)*p2;
}

/* The string at `off` from `base` if it lies, NUL-terminated, inside the cache file. */
static const char *file_str(const char *base, uint32_t off)
{
	size_t room = cache_size - (size_t)(base - cache_base);
	if (off >= room || u_strnlen(base + off, room - off) == room - off)
		return 0;
	return base + off;
}

/* An entry's string: an offset from the new-format header. */
static const char *cache_str(uint32_t off) { return file_str((const char *)cache, off); }

/* The priority of each glibc-hwcaps subdirectory the cache knows (its glibc_hwcaps extension: string
 * offsets from the file's start, sorted by name, which a hwcaps entry's hwcap indexes): the priority of that
 * name among those searched (prios), 0 for a name not searched; as glibc_hwcaps_priorities_init, a merge of
 * the two sorted lists. */
static uint32_t *cache_prio;
static uint32_t cache_prio_len;

static void cache_prio_init(void)
{
	uint32_t xo = cache->ext_offset;
	if (!xo || xo % 4 || (uint64_t)xo + 8 > cache_size)
		return; /* cache_extension_load */
	const uint32_t *x = (const uint32_t *)(const void *)(cache_base + xo);
	if (x[0] != (uint32_t)-358342284 || (uint64_t)xo + 8 + (uint64_t)x[1] * 16 > cache_size)
		return;
	const uint32_t *sec = 0;
	uint32_t size = 0;
	for (uint32_t i = 0; i < x[1]; i++) { /* tag, flags, offset, size */
		const uint32_t *s = x + 2 + (size_t)i * 4;
		if ((uint64_t)s[2] + s[3] > cache_size)
			return;
		if (s[0] == 1) /* cache_extension_tag_glibc_hwcaps */
			sec = (const uint32_t *)(const void *)(cache_base + s[2]), size = s[3];
	}
	if (!sec || !size || (uintptr_t)sec % 4 || size % 4) /* cache_extension_verify */
		return;
	uint32_t len = size / 4, l = 0, r = 0;
	cache_prio = u_alloc(sizeof *cache_prio * len);
	while (l < len && r < nprios) {
		const char *name = file_str(cache_base, sec[l]);
		int c = name ? hwcaps_namecmp(name, strlen(name), prios[r].name, prios[r].len) : -1;
		if (c > 0) {
			r++;
			continue;
		}
		cache_prio[l++] = c ? 0 : prios[r++].prio;
	}
	while (l < len)
		cache_prio[l++] = 0;
	cache_prio_len = len;
}

/* Whether a cache entry of `hwcap` may be taken. A glibc-hwcaps entry (the extension bit, 1 << 62, and the
 * library's ISA level in bits 32..41): if the CPU has that level. Another with hwcap bits: before 2.37 if they
 * are legacy hwcap bits the CPU has (and its platform, 48..51), from 2.37 never. */
static int cache_hwcap_ok(uint64_t hwcap, int named)
{
	if (named)
		return (cpu_isa_1 & (1u << ((hwcap >> 32) & 31))) != 0; /* dl_cache_hwcap_isa_level_compatible */
#if GLIBC_LAYOUT_MINOR < 37
	const uint64_t platforms = 0xfull << 48; /* _DL_HWCAP_PLATFORM */
	if (hwcap & ~((legacy_hwcap & legacy_mask) | platforms | 1ull << 63 /* tls */))
		return 0;
	uint64_t platform = ~0ull; /* _dl_string_platform, of i586 i686 haswell xeon_phi only the last two */
	if (legacy_platform && u_strcmp(legacy_platform, "haswell") == 0)
		platform = 1ull << 50;
	else if (legacy_platform && u_strcmp(legacy_platform, "xeon_phi") == 0)
		platform = 1ull << 51;
	return !(hwcap & platforms) || (hwcap & platforms) == platform;
#else
	return hwcap == 0;
#endif
}

/* Returns the path for `name` from the cache, or NULL, as glibc's search_cache: a binary search (ldconfig
 * sorts the entries by name, descending in _dl_cache_libcmp's order), then among the entries of that name
 * (x86-64 libc6 ones, flags 0x0303): the glibc-hwcaps entries, which ldconfig lists first, the one of the
 * best priority (the subdirectories searched: prepended, then the built-in ones the CPU has and the mask
 * keeps), else the first plain entry. A damaged cache can only make the search miss. */
static const char *cache_lookup(const char *name)
{
	if (!cache_tried)
		cache_open();
	if (!cache)
		return 0;
	if (!ncaps)
		caps_init();
	const struct cache_entry *e = (const struct cache_entry *)(cache + 1);
	long left = 0, right = (long)cache->nlibs - 1;
	while (left <= right) {
		long mid = (left + right) / 2;
		const char *k = cache_str(e[mid].key);
		if (!k)
			return 0;
		int c = cache_libcmp(name, k);
		if (c == 0) {
			while (mid > 0 && (k = cache_str(e[mid - 1].key)) && cache_libcmp(name, k) == 0)
				mid--;
			const char *best = 0, *v;
			uint32_t best_prio = 0;
			for (; mid <= right && (k = cache_str(e[mid].key)) && cache_libcmp(name, k) == 0; mid++) {
				uint64_t hwcap = e[mid].hwcap;
				int named = ((hwcap >> 32) & ~0x3ffull) == 1ull << 30; /* dl_cache_hwcap_extension */
				if (e[mid].flags != 0x0303 || !(v = cache_str(e[mid].value)))
					continue;
				if (named && !cache_hwcap_ok(hwcap, 1))
					continue;
				if (!named && best)
					break; /* the hwcaps entries are over: the best of them */
				if (!named && !cache_hwcap_ok(hwcap, 0))
					continue;
				if (named) {
					if (!cache_prio_len)
						cache_prio_init();
					uint32_t p = (uint32_t)hwcap < cache_prio_len ? cache_prio[(uint32_t)hwcap] : 0;
					if (!p || (best && p >= best_prio))
						continue; /* not searched, or not better */
					best_prio = p;
				}
				best = v;
				if (!named)
					break;
			}
			return best;
		}
		if (c < 0)
			left = mid + 1;
		else
			right = mid - 1;
	}
	return 0;
}

/* What is known of a directory + subdirectory, as glibc's r_search_path_elem status: a subdirectory found
 * missing once is not tried again. Directories are few; a linear list. */
enum { CAP_UNKNOWN, CAP_EXISTS, CAP_MISSING };
static struct dir_status {
	struct dir_status *next;
	unsigned char *status; /* one per caps[] */
	char name[];
} *dir_statuses;

static struct dir_status *dir_status(const char *dir)
{
	for (struct dir_status *d = dir_statuses; d; d = d->next)
		if (u_strcmp(d->name, dir) == 0)
			return d;
	size_t n = strlen(dir);
	struct dir_status *d = u_zalloc(sizeof *d + n + 1 + (size_t)ncaps);
	memcpy(d->name, dir, n + 1);
	d->status = (unsigned char *)d->name + n + 1;
	d->next = dir_statuses;
	dir_statuses = d;
	return d;
}

/* The statuses of dir's subdirectories (caps_init on first use); sub gets subdirectory i's path, without
 * the trailing slash (the directory itself for the last one). */
static struct dir_status *dir_caps(const char *dir)
{
	if (!ncaps)
		caps_init();
	return dir_status(dir);
}

static void cap_path(const char *dir, int i, char *sub, size_t cap)
{
	size_t n = (size_t)u_snprintf(sub, cap, "%s%s%s", dir, *caps[i] ? "/" : "", caps[i]);
	if (n > 1 && n < cap && sub[n - 1] == '/')
		sub[n - 1] = 0;
}

/* ---- path helpers */
/* $ORIGIN: the directory of the object as found; for the program, of its real path (symlinks resolved),
 * as glibc takes it from /proc/self/exe (e.g. /usr/bin/java -> /usr/lib/jvm/.../bin/java). */
static void origin_of(const struct obj *o, char *out, size_t cap)
{
	const char *p = o ? o->path : L.progname;
	if ((!o || o->is_main) && L.main_realpath)
		p = L.main_realpath;
	const char *s = u_strrchr(p, '/');
	if (!s) {
		u_snprintf(out, cap, ".");
		return;
	}
	size_t n = (size_t)(s - p);
	if (n == 0)
		n = 1;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

/* Expand $ORIGIN, $LIB, $PLATFORM (also ${...}) in one directory. Returns 0 if not allowed (secure). */
static int expand_dir(const char *dir, size_t len, const struct obj *req, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		if (dir[i] == '$') {
			const char *n = dir + i + 1;
			size_t rest = len - i - 1, nl = 0;
			int brace = rest && *n == '{';
			const char *val = 0;
			char origin[4096];
			static const char *const names[] = { "ORIGIN", "LIB", "PLATFORM" };
			for (int k = 0; k < 3; k++) {
				size_t kl = strlen(names[k]);
				if (rest >= kl + (size_t)brace * 2 && u_strncmp(n + brace, names[k], kl) == 0 &&
				    (!brace || n[kl + 1] == '}')) {
					nl = kl + (size_t)brace * 2;
					if (k == 0) {
						if (L.secure)
							return 0;
						origin_of(req, origin, sizeof origin);
						val = origin;
					} else
						val = k == 1 ? LIB_EXPANSION : (L.platform ? L.platform : "x86_64");
					break;
				}
			}
			if (val) {
				size_t vl = strlen(val);
				if (o + vl >= cap)
					return 0;
				memcpy(out + o, val, vl);
				o += vl;
				i += 1 + nl;
				continue;
			}
		}
		if (o + 1 >= cap)
			return 0;
		out[o++] = dir[i++];
	}
	out[o] = 0;
	return 1;
}

static void search_event(const char *name, const struct obj *req, const char *how, const char *dir, const char *result)
{
	struct elfld_event ev = { .type = EV_SEARCH, .obj = req ? req->id : -1 };
	ev.u.search.name = name;
	ev.u.search.needed_by = req ? req->path : "(command line)";
	ev.u.search.how = how;
	ev.u.search.dir = dir;
	ev.u.search.result = result;
	event_emit(&ev);
}

/* The last candidate skipped for being another architecture, for the "cannot find" message. */
static char skipped[512];

/* Open a candidate. As glibc does, a file of another class or machine is skipped (32-bit libraries can sit
 * in the same directories), but a file that is not ELF at all is an error, named as such. */
static int open_failed; /* the last try_open found no file to open (LD_DEBUG=libs says so from 2.42) */
static int try_open(const char *path, struct elf_file *f)
{
	int fd = (int)sys_open(path, K_O_RDONLY | K_O_CLOEXEC | K_O_NONBLOCK, 0);
	open_failed = fd < 0;
	if (fd < 0)
		return -1;
	long n = sys_pread(fd, f->head, sizeof f->head, 0);
	if (n < 0) { /* a directory of that name (EISDIR), as glibc: not a candidate */
		sys_close(fd);
		return -1;
	}
	const unsigned char *h = (const unsigned char *)f->head;
	if (n < 4 || memcmp(h, "\177ELF", 4) != 0) {
		sys_close(fd);
		const char *msg = n < 4 ? "file too short to be a shared library" : "not an ELF file (bad magic)";
		u_fatal(path, "%s", u_catch_frame ? elf_glibc_wording(msg) : msg);
	}
	if (n < 20 || h[4] != ELFCLASS64 || (h[18] | h[19] << 8) != EM_X86_64) {
		u_snprintf(skipped, sizeof skipped, "; skipped %s: %s", path,
			   n < 20 ? "truncated" : h[4] != ELFCLASS64 ? "32-bit ELF" : "not x86-64");
		sys_close(fd);
		return -1;
	}
	f->fd = fd;
	f->n = n;
	f->have_st = 0;
	return fd;
}

/* Calls w->dir(w, dir) for each directory of a search list (':' or ';' separated, $ORIGIN etc. expanded,
 * relative ones dropped in secure mode) until it returns nonzero; returns that value, else 0. */
static int each_dir(const char *list, const struct obj *origin_obj, struct search_walk *w)
{
	while (list && *list) {
		const char *e = list;
		while (*e && *e != ':' && *e != ';')
			e++;
		char dir[4096];
		int r = 0;
		if (e == list) /* empty element means the current directory */
			u_snprintf(dir, sizeof dir, ".");
		else if (!expand_dir(list, (size_t)(e - list), origin_obj, dir, sizeof dir))
			dir[0] = 0;
		if (dir[0] && !(L.secure && dir[0] != '/'))
			r = w->dir(w, dir);
		if (r)
			return r;
		list = *e ? e + 1 : e;
	}
	return 0;
}

/* LD_DEBUG=libs: glibc's print_search_path, " search path=DIR[:DIR...]\t\t(WHAT[ from file OBJ])": every
 * directory of the list with each of its subdirectories not yet found missing. */
struct print_walk {
	struct search_walk w;
	int first;
};

static int print_dir(struct search_walk *w, const char *dir)
{
	struct print_walk *p = (struct print_walk *)w;
	struct dir_status *d = dir_caps(dir);
	for (int i = 0; i < ncaps; i++) {
		if (d->status[i] == CAP_MISSING)
			continue;
		char sub[4096];
		cap_path(dir, i, sub, sizeof sub);
		lddebug_printf_c(p->first ? "%s" : ":%s", sub);
		p->first = 0;
	}
	return 0;
}

static void print_search_path(const char *list, const struct obj *o, const char *what, const struct obj *from)
{
	struct print_walk p = { { print_dir, 0, 0 }, 1 };
	lddebug_printf(" search path=");
	if (list)
		each_dir(list, o, &p.w);
	else
		for (size_t i = 0; i < ARRAY_LEN(default_dirs); i++)
			print_dir(&p.w, default_dirs[i]);
	if (from)
		lddebug_printf_c("\t\t(%s from file %s)\n", what, lddebug_name(from));
	else
		lddebug_printf_c("\t\t(%s)\n", what);
}

/* glibc's search order for a name without a slash, the one place it is written: DT_RPATH of the
 * requester and of the program (unless the requester has DT_RUNPATH), LD_LIBRARY_PATH (not in secure
 * mode), DT_RUNPATH, then, unless the requester says DF_1_NODEFLIB, /etc/ld.so.cache (if w->cache) and
 * the default directories. w->how names the list being walked. Stops at the first nonzero answer. */
int search_walk(const struct obj *req, struct search_walk *w)
{
	int r;
	int dbg = w->cache && LDDEBUG(LDD_LIBS); /* a search for a library (not dlinfo's) */
	if (req && !req->runpath)
		for (const struct obj *o = req; o; o = o == L.main ? 0 : L.main)
			if (o->rpath && (w->how = "DT_RPATH", dbg ? print_search_path(o->rpath, o, "RPATH", o) : (void)0,
					 (r = each_dir(o->rpath, o, w))))
				return r;
	if (L.lib_path && !L.secure &&
	    (w->how = "LD_LIBRARY_PATH", dbg ? print_search_path(L.lib_path, req, "LD_LIBRARY_PATH", 0) : (void)0,
	     (r = each_dir(L.lib_path, req, w))))
		return r;
	if (req && req->runpath &&
	    (w->how = "DT_RUNPATH", dbg ? print_search_path(req->runpath, req, "RUNPATH", req) : (void)0,
	     (r = each_dir(req->runpath, req, w))))
		return r;
	if (req && (req->flags_1 & DF_1_NODEFLIB))
		return 0;
	if (w->cache && (w->how = "ld.so.cache", (r = w->cache(w))))
		return r;
	w->how = "default";
	if (dbg)
		print_search_path(0, 0, "system search path", 0);
	for (size_t i = 0; i < ARRAY_LEN(default_dirs); i++)
		if ((r = w->dir(w, default_dirs[i])))
			return r;
	return 0;
}

struct try_walk {
	struct search_walk w; /* first: the walk calls back with it */
	const char *name;
	const struct obj *req;
	char *out;
	size_t cap;
	struct elf_file *f;
};

static const struct obj *search_loader; /* LD_AUDIT: the object la_objsearch is told about (load_dep) */
/* la_objsearch for a path tried, with its list's code (glibc's open_verify); 0: an auditor refused it. */
static int audit_search(struct try_walk *t)
{
	const char *h = t->w.how;
	unsigned code = h[0] == 'D' ? LA_SER_RUNPATH : h[0] == 'L' ? LA_SER_LIBPATH : h[0] == 'l' ? LA_SER_CONFIG : LA_SER_DEFAULT;
	const char *n = audit_objsearch(t->out, search_loader, code);
	if (!n)
		return 0;
	if (n != t->out && u_strcmp(n, t->out))
		u_snprintf(t->out, t->cap, "%s", n);
	return 1;
}

/* Opens t->out; the search event names `where` (the directory, or the cache's answer). */
static int try_out(struct try_walk *t, const char *where)
{
	if (audit_n && !audit_search(t)) /* LD_AUDIT: la_objsearch may rename or refuse the path */
		return 0;
	int fd = try_open(t->out, t->f);
	search_event(t->name, t->req, t->w.how, where, fd >= 0 ? "found" : "no");
#if GLIBC_LAYOUT_MINOR >= 42
	if (fd < 0 && open_failed && LDDEBUG(LDD_LIBS)) /* open_verify's line, 2.42+ */
		lddebug_printf("    (no such file)\n");
#endif
	return fd >= 0;
}

/* The name in each subdirectory (caps_init) of dir, then in dir, as glibc's open_path: a subdirectory where
 * the open fails and that is not a directory is marked missing and skipped from then on. */
static int try_dir(struct search_walk *w, const char *dir)
{
	struct try_walk *t = (struct try_walk *)w;
	struct dir_status *d = dir_caps(dir);
	for (int i = 0; i < ncaps; i++) {
		if (d->status[i] == CAP_MISSING)
			continue;
		char sub[4096]; /* the directory tried (the search event names it) */
		cap_path(dir, i, sub, sizeof sub);
		u_snprintf(t->out, t->cap, "%s/%s", sub, t->name);
		if (LDDEBUG(LDD_LIBS))
			lddebug_printf("  trying file=%s\n", t->out);
		if (try_out(t, sub))
			return 1;
		if (d->status[i] == CAP_UNKNOWN) {
			struct k_stat st;
			d->status[i] = sys_stat(sub, &st) == 0 && (st.st_mode & K_S_IFMT) == K_S_IFDIR ? CAP_EXISTS : CAP_MISSING;
		}
	}
	return 0;
}

static int try_cache(struct search_walk *w)
{
	struct try_walk *t = (struct try_walk *)w;
	if (LDDEBUG(LDD_LIBS))
		lddebug_printf(" search cache=%s\n", "/etc/ld.so.cache");
	const char *c = cache_lookup(t->name);
	if (!c)
		return 0;
	if (LDDEBUG(LDD_LIBS))
		lddebug_printf("  trying file=%s\n", c);
	u_snprintf(t->out, t->cap, "%s", c);
	return try_out(t, t->out);
}

int search_library(const char *name, const struct obj *req, char *out, size_t cap, struct elf_file *f)
{
	skipped[0] = 0;
	if (u_strchr(name, '/')) {
		/* $ORIGIN, $LIB, $PLATFORM in a path (glibc's expand_dynamic_string_token; sotruss's LD_AUDIT) */
		if (!u_strchr(name, '$') || (!req && !L.main))
			u_snprintf(out, cap, "%s", name);
		else if (!expand_dir(name, strlen(name), req ? req : L.main, out, cap)) /* (a preload: the program's) */
			return 0;
		f->fd = (int)sys_open(out, K_O_RDONLY | K_O_CLOEXEC | K_O_NONBLOCK, 0);
		f->n = -1; /* read by load_object, whose checks name what is wrong with it */
		f->have_st = 0;
		search_event(name, req, "path", "", f->fd >= 0 ? "found" : "no");
#if GLIBC_LAYOUT_MINOR >= 42
		if (f->fd < 0 && LDDEBUG(LDD_LIBS)) /* open_verify's line, 2.42+ */
			lddebug_printf("    (no such file)\n");
#endif
		return f->fd >= 0;
	}
	struct try_walk t = { { try_dir, try_cache, 0 }, name, req, out, cap, f }; /* try_open fills f */
	if (LDDEBUG(LDD_LIBS))
		lddebug_printf("find library=%s [%lu]; searching\n", name, (unsigned long)L.load_ns);
	int found = search_walk(req, &t.w);
	if (LDDEBUG(LDD_LIBS))
		lddebug_printf("\n");
	return found;
}

static int is_rtld_name(const char *name)
{
	const char *b = u_strrchr(name, '/');
	b = b ? b + 1 : name;
	return u_strcmp(b, "ld-linux-x86-64.so.2") == 0;
}

/* Loaded objects by SONAME, so that each DT_NEEDED of each library is not a walk of every object (800
 * libraries needing libc and their predecessor: 1.3 million string compares). */
#define SONAME_BUCKETS 256 /* both tables in one page: chains of ~3 at 800 libraries */
static struct {
	struct obj *soname[SONAME_BUCKETS];
	struct obj *file[SONAME_BUCKETS];
} heads;

static unsigned file_bucket(uint64_t dev, uint64_t ino)
{
	return (unsigned)((ino * 0x9e3779b97f4a7c15ULL ^ dev) >> 56) % SONAME_BUCKETS;
}

void soname_index(struct obj *o, int add)
{
	/* by device and inode: files elfld mapped (glibc: the program has no file id) */
	if (o->ino && !o->mapped_by_kernel && !o->is_main && !o->is_proxy) {
		struct obj **p = &heads.file[file_bucket(o->dev, o->ino)];
		if (add) {
			o->file_next = *p;
			*p = o;
		} else
			for (; *p; p = &(*p)->file_next)
				if (*p == o) {
					*p = o->file_next;
					break;
				}
	}
	if (!o->soname || o->is_main)
		return;
	struct obj **p = &heads.soname[elf_gnu_hash(o->soname) % SONAME_BUCKETS];
	if (add) {
		o->soname_next = *p;
		*p = o;
		return;
	}
	for (; *p; p = &(*p)->soname_next)
		if (*p == o) {
			*p = o->soname_next;
			return;
		}
}

/* ld.so in namespace `ns` (not 0): glibc never maps a second copy but gives the namespace its own link_map
 * that refers to the real one (l_real), found by the library search as any library would be. */
static struct obj *rtld_in_namespace(int ns, const char *name)
{
	char path[4096];
	static struct elf_file f;
	const char *real = L.rtld->l_name;
	if (search_library(name, 0, path, sizeof path, &f)) {
		sys_close(f.fd);
		real = path;
	}
	struct obj *p = u_alloc(sizeof *p);
	memcpy(p, L.rtld, sizeof *p);
	p->is_proxy = 1;
	p->ns = ns;
	p->path = u_strdup(real);
	p->abspath = p->path;
	p->l_name = p->path;
	p->deps = p->local_scope = (struct dep_list){ 0, 0, 0 };
	p->extra_scope = 0;
	p->deepbind = 0;
	p->gdb_node = 0;
	p->libname = 0;
	p->sink_data = 0;
	p->tlsdesc_args = 0;
	p->audit = p->audit_rr = 0; /* LD_AUDIT: its own cookies */
	p->audit_any_plt = 0;
	p->refcount = 0;
	p->deps_done = 1;
	p->dlopened = 1; /* unloaded with the last object of its namespace that needs it */
	p->initialized = 0; /* (glibc's l_init_called of the proxy: set by its first dlopen) */
	obj_append(p);
	return p;
}

/* An already loaded object of the namespace being loaded into satisfying `name` (same SONAME, same path
 * as opened or absolute), or NULL. */
static struct obj *find_loaded(const char *name)
{
	int ns = L.load_ns;
	if (is_rtld_name(name)) {
		if (!ns)
			return L.rtld;
		for (struct obj *o = L.ns[ns].head; o; o = o->l_next)
			if (o->is_proxy)
				return o;
		return 0; /* load_dep makes the namespace's proxy */
	}
	/* The first loaded object with that SONAME (the chain is newest first: take the last match) */
	struct obj *found = 0;
	for (struct obj *o = heads.soname[elf_gnu_hash(name) % SONAME_BUCKETS]; o; o = o->soname_next)
		if (o->ns == ns && u_strcmp(o->soname, name) == 0)
			found = o;
	if (found || !u_strchr(name, '/'))
		return found; /* a bare name is a SONAME (or a file found again by device and inode) */
	for (struct obj *o = L.ns[ns].head; o; o = o->l_next) {
		if (o->is_main)
			continue;
		if (u_strcmp(o->path, name) == 0 || (o->abspath && u_strcmp(o->abspath, name) == 0))
			return o;
	}
	return 0;
}

static struct obj *find_by_file(uint64_t dev, uint64_t ino)
{
	for (struct obj *o = heads.file[file_bucket(dev, ino)]; o; o = o->file_next)
		if (o->ino == ino && o->dev == dev && o->ns == L.load_ns)
			return o;
	return 0;
}

struct obj *find_loaded_name(const char *name)
{
	return find_loaded(name);
}

struct obj *find_loaded_file(const char *name)
{
	struct obj *o = find_loaded(name);
	struct k_stat st;
	if (!o && u_strchr(name, '/') && sys_stat(name, &st) == 0)
		o = find_by_file(st.st_dev, st.st_ino);
	return o;
}

/* Load `name` for `req` (NULL: LD_PRELOAD / command line). Returns the object and whether it is new. */
struct obj *load_dep(const char *name, struct obj *req, int *is_new)
{
	*is_new = 0;
	struct obj *o = find_loaded(name);
	if (o)
		return o;
	char path[4096];
	static struct elf_file f; /* one search at a time (dlopen holds the loader lock) */
	if (LDDEBUG(LDD_FILES))
		lddebug_needed(name, req);
	/* LD_AUDIT: la_objsearch may rename the library or refuse it (glibc's _dl_map_object, LA_SER_ORIG).
	 * The loader it is asked for: the requester, the program for a preload; for an audit module's own
	 * name ld.so's map, none if it is a path (glibc's dlmopen from dl_main finds no caller map then). */
	const char *asked = name;
	search_loader = req ? req : L.main;
	if (audit_loading && lddebug_dlopen_root)
		search_loader = u_strchr(name, '/') && !u_strchr(name, '$') ? 0 : L.rtld;
	if (audit_n && !(name = audit_objsearch(name, search_loader, LA_SER_ORIG)))
		name = "";
	if (L.load_ns && is_rtld_name(name)) {
		*is_new = 1;
		o = rtld_in_namespace(L.load_ns, asked);
		if (audit_n && GLIBC_AUDIT_2_41_EVENTS) { /* LD_AUDIT: 2.41 reports ld.so's proxy too */
			audit_adding(o->ns);
			audit_objopen(o);
		}
		return o;
	}
	if (!*name || !search_library(name, req, path, sizeof path, &f)) {
		const char *errname = name; /* "" if an auditor refused it: glibc's error then names nothing */
		name = asked;
		if (L.trace && req) { /* ldd: "name => not found", and go on */
			o = obj_new(name);
			o->soname = o->name = o->needed_as = u_strdup(name);
			o->l_name = (char *)o->name; /* as glibc names a faked map (ldd -u lists it so) */
			o->faked = 1;
			o->deps_done = 1;
			obj_append(o);
			*is_new = 1;
			return o;
		}
		if (u_catch_frame) { /* dlopen: glibc's wording, which programs print and test */
			u_catch_frame->errcode = 2; /* ENOENT */
			u_fatal(errname, "cannot open shared object file");
		}
		if (req)
			u_fatal(req->path, "cannot find library %s (searched %s%s%sld.so.cache and default directories%s)",
				name, req->rpath && !req->runpath ? "DT_RPATH, " : "",
				L.lib_path && !L.secure ? "LD_LIBRARY_PATH, " : "", req->runpath ? "DT_RUNPATH, " : "",
				skipped);
		u_fatal(name, "cannot find preloaded library");
	}
	f.have_st = sys_fstat(f.fd, &f.st) == 0;
	if (f.have_st && (o = find_by_file(f.st.st_dev, f.st.st_ino))) {
		sys_close(f.fd);
		return o;
	}
	if (LDDEBUG(LDD_FILES))
		lddebug_mapped(name, 0, 1);
	o = load_object(path, &f, req ? req->path : "LD_PRELOAD");
	sys_close(f.fd);
	if (LDDEBUG(LDD_FILES))
		lddebug_mapped(name, o, 0);
	if (audit_n) { /* a namespace whose list was consistent gets LA_ACT_ADD first */
		audit_adding(o->ns);
		audit_objopen(o);
	}
	if (L.trace) /* only the trace shows it; the name lives in a mapped DT_NEEDED string until exit */
		o->needed_as = name;
	*is_new = 1;
	return o;
}

/* Breadth-first over `scope` (which holds the roots): append each new dependency. Objects loaded here
 * by dlopen are marked (`dlopened`) and collected in `loaded`. */
void deps_bfs(struct dep_list *scope, int dlopened, struct dep_list *loaded)
{
	for (int qi = 0; qi < scope->n; qi++) {
		struct obj *o = scope->v[qi];
		int resolved = o->deps_done; /* loaded before: its dependencies are known, just walk them */
		o->deps_done = 1;
		for (int k = 0; k < o->nneeded; k++) {
			int is_new;
			struct obj *d = resolved ? o->deps.v[k] : load_dep(o->needed[k], o, &is_new);
			if (!resolved) {
				dep_push(&o->deps, d);
				if (is_new)
					d->loader = o;
				if (is_new && dlopened) {
					d->dlopened = 1;
					dep_push(loaded, d);
				}
				struct elfld_event ev = { .type = EV_DEP, .obj = o->id };
				ev.u.dep.needed = o->needed[k];
				ev.u.dep.dep = d->id;
				event_emit(&ev);
			}
			int in = 0;
			for (int i = 0; i < scope->n && !in; i++)
				in = scope->v[i] == d;
			if (!in)
				dep_push(scope, d);
		}
	}
}

/* One preloaded library into the global scope. A preload that cannot be loaded is not fatal: glibc prints
 * its ERROR line and goes on without it. */
static void preload_one(const char *name, const char *where)
{
	static struct u_catch c;
	if (L.secure && u_strchr(name, '/'))
		return;
	c.errcode = 0;
	if (elfld_setjmp(c.jb)) {
		u_err("ERROR: ld.so: object '%s' from %s cannot be preloaded (%s): ignored.\n", name, where, c.msg);
		return;
	}
	u_catch_frame = &c;
	int is_new;
	struct obj *o = load_dep(name, 0, &is_new);
	u_catch_frame = 0;
	if (is_new || o == L.rtld) {
		struct dep_list *scope = &L.ns[0].global;
		for (int i = 0; i < scope->n; i++)
			if (scope->v[i] == o)
				return;
		dep_push(scope, o);
	}
}

/* LD_PRELOAD / --preload: names separated by spaces or colons (glibc's handle_preload_list). */
static void preload_list(const char *p, const char *where)
{
	while (*p) {
		const char *e = p;
		while (*e && *e != ':' && *e != ' ')
			e++;
		if (e > p)
			preload_one(u_strndup(p, (size_t)(e - p)), where);
		p = *e ? e + 1 : e;
	}
}

static int preload_sep(char c) { return c == ' ' || c == '\t' || c == '\n' || c == ':'; }

/* /etc/ld.so.preload, parsed exactly as glibc's rtld.c does, quirk included: comments ('#' to the end of
 * the line) are blanked by a search that restarts at the start of the file over a shrinking length, so a
 * comment far enough down the file is not recognised and its words are names to preload. */
static void preload_file_list(char *file, size_t size, const char *where)
{
	size_t rest = size;
	while (rest > 0) {
		char *comment = file;
		while (comment < file + rest && *comment != '#')
			comment++;
		if (comment == file + rest)
			break;
		rest -= (size_t)(comment - file);
		do
			*comment = ' ';
		while (--rest > 0 && *++comment != '\n');
	}
	char *problem = 0; /* a last name with no separator after it */
	if (!preload_sep(file[size - 1])) {
		problem = file + size;
		while (problem > file && !preload_sep(problem[-1]))
			problem--;
		if (problem > file)
			problem[-1] = 0;
	} else
		file[size - 1] = 0;
	if (file != problem) {
		for (char *p = file; p;) {
			char *e = p;
			while (*e && !preload_sep(*e))
				e++;
			char *next = *e ? e + 1 : 0;
			*e = 0;
			if (*p)
				preload_one(u_strdup(p), where);
			p = next;
		}
	}
	if (problem)
		preload_one(u_strndup(problem, size - (size_t)(problem - file)), where);
}

/* Breadth-first: the global scope is the program, preloads (LD_PRELOAD or --preload, then
 * /etc/ld.so.preload, as glibc), then each level of DT_NEEDED in order. */
void deps_load_all(void)
{
	dep_push(&L.ns[0].global, L.main);
	if (L.preload)
		preload_list(L.preload, "LD_PRELOAD");
	static const char preload_file[] = "/etc/ld.so.preload";
	int fd = (int)sys_open(preload_file, K_O_RDONLY | K_O_CLOEXEC, 0);
	if (fd >= 0) { /* rare: read into the heap, not a .bss buffer every start-up would populate */
		enum { MAX = 65536 };
		char *buf = u_alloc(MAX);
		long n = sys_read(fd, buf, MAX - 1);
		sys_close(fd);
		if (n > 0) {
			buf[n] = 0;
			preload_file_list(buf, (size_t)n, preload_file);
		}
		u_free(buf);
	}
	if (audit_n && L.vdso) /* glibc: la_objopen for the vDSO after the preloads */
		audit_objopen(L.vdso);
	deps_bfs(&L.ns[0].global, 0, 0);
}
