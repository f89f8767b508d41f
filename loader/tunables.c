/* glibc's tunables (elf/dl-tunables.c): GLIBC_TUNABLES=name=value:... and the old environment aliases
 * (MALLOC_ARENA_MAX, ...), read at start-up as the release's ld.so reads them, answered to libc through
 * __tunable_get_val/__tunable_is_initialized, and used by elfld itself where ld.so's own work depends on
 * them (the rseq area, the static TLS surplus). The table - names, ids (their order), types, defaults,
 * bounds, security levels, aliases - is the system ld.so's own tunable_list, read at build time
 * (tools/glibc-layout). What differs by release: 2.36 parses leniently and, for set-user-ID programs,
 * honours each tunable's security level; 2.41 rejects a malformed GLIBC_TUNABLES or value with a warning,
 * ignores every tunable in secure mode, and applies the aliases after GLIBC_TUNABLES. */
#include "elfld.h"
#include "glibc.h"
#include "glibc_version.h"

enum { TUNABLE_INT_32, TUNABLE_UINT_64, TUNABLE_SIZE_T, TUNABLE_STRING };
enum { SECLEVEL_SXID_ERASE, SECLEVEL_SXID_IGNORE, SECLEVEL_NONE };

static struct tunable {
	const char *name;
	int type;
	int64_t val, min, max;
	int seclevel;
	const char *alias;
	int initialized;
	const char *str; /* a string tunable's value (the environment's bytes), and its length */
	size_t len;
} tunable_list[] = {
#define T(name, type, def, min, max, sec, alias) { name, type, def, min, max, sec, alias, 0, 0, 0 },
	GLIBC_TUNABLES(T)
#undef T
};

/* glibc's _dl_strtoul: optional blanks and sign, 0x for hex, a leading 0 for octal; UINT64_MAX on
 * overflow. */
static uint64_t dl_strtoul(const char *p, const char **end)
{
	uint64_t r = 0;
	int positive = 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '+')
		positive = *p++ == '+';
	if (*p < '0' || *p > '9') {
		*end = p;
		return 0;
	}
	unsigned base = 10, max_digit = 9;
	if (*p == '0') {
		if (p[1] == 'x' || p[1] == 'X')
			base = 16, p += 2;
		else
			base = 8, max_digit = 7;
	}
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= (char)('0' + max_digit))
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (r >= (UINT64_MAX - d) / base) {
			*end = p;
			return UINT64_MAX;
		}
		r = r * base + d;
	}
	*end = p;
	return positive ? r : -r;
}

static int lt(int64_t a, int64_t b, int uns) { return uns ? (uint64_t)a < (uint64_t)b : a < b; }

/* do_tunable_update_val: a value outside the bounds is dropped without a word (both releases). */
static void update(struct tunable *t, const char *s, size_t len, int64_t num)
{
	if (t->type == TUNABLE_STRING) { /* a copy: 2.36 hands out a NUL-terminated string */
		t->str = u_strndup(s, len), t->len = len, t->initialized = 1;
		return;
	}
	int uns = t->type == TUNABLE_UINT_64 || t->type == TUNABLE_SIZE_T;
	if (lt(num, t->min, uns) || lt(t->max, num, uns))
		return;
	t->val = num;
	t->initialized = 1;
}

static struct tunable *find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(tunable_list); i++)
		if (!u_strncmp(tunable_list[i].name, name, len) && tunable_list[i].name[len] == 0)
			return &tunable_list[i];
	return 0;
}

/* One "name=value" of GLIBC_TUNABLES or an alias's value; 0 if 2.41 would call the value invalid. */
static int initialize(struct tunable *t, const char *value, size_t len)
{
	if (t->type == TUNABLE_STRING) {
		update(t, value, len, 0);
		return 1;
	}
	const char *end;
	int64_t v = (int64_t)dl_strtoul(value, &end);
	if (GLIBC_LAYOUT_MINOR >= 41 && end != value + len)
		return 0;
	update(t, value, len, v);
	return 1;
}

static void invalid_value(const struct tunable *t, const char *value, size_t len)
{
	char v[256]; /* (elfld's printf has no %.*s) */
	if (len >= sizeof v)
		len = sizeof v - 1;
	memcpy(v, value, len);
	v[len] = 0;
	u_err("WARNING: ld.so: invalid GLIBC_TUNABLES value `%s' for option `%s': ignored.\n", v, t->name);
}

#if GLIBC_LAYOUT_MINOR >= 41
/* 2.41's parse_tunables: the whole string is checked first; a malformed one is ignored altogether. */
static void parse_glibc_tunables(const char *s)
{
	struct { struct tunable *t; const char *value; size_t len; } set[ARRAY_LEN(tunable_list)];
	memset(set, 0, sizeof set);
	const char *p = s;
	for (int done = !*p; !done;) {
		const char *name = p;
		while (*p != '=' && *p != ':' && *p)
			p++;
		if (!*p)
			goto malformed;
		if (*p == ':') {
			p++;
			continue;
		}
		size_t nlen = (size_t)(p - name);
		const char *value = ++p;
		while (*p != '=' && *p != ':' && *p)
			p++;
		if (*p == '=')
			goto malformed;
		done = !*p;
		struct tunable *t = find(name, nlen);
		if (t)
			set[t - tunable_list].t = t, set[t - tunable_list].value = value,
					      set[t - tunable_list].len = (size_t)(p - value);
		if (!done)
			p++;
	}
	struct tunable *sec = find("glibc.rtld.enable_secure", 24);
	if (sec && set[sec - tunable_list].t) {
		const char *end, *v = set[sec - tunable_list].value;
		uint64_t n = dl_strtoul(v, &end);
		if (end != v + set[sec - tunable_list].len)
			invalid_value(sec, v, set[sec - tunable_list].len);
		else if (n == 1) {
			L.secure = 1;
			return;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(set); i++)
		if (set[i].t && !initialize(set[i].t, set[i].value, set[i].len))
			invalid_value(set[i].t, set[i].value, set[i].len);
	return;
malformed:
	u_err("WARNING: ld.so: invalid GLIBC_TUNABLES `%s': ignored.\n", s);
}
#else
/* 2.36's parse_tunables: pair by pair, what is not a known "name=value" skipped silently; in secure mode
 * only tunables marked SECLEVEL_NONE count. (glibc also rewrites GLIBC_TUNABLES in the environment of a
 * set-user-ID program, dropping SXID_ERASE tunables; elfld leaves the environment alone.) */
static void parse_glibc_tunables(const char *s)
{
	const char *p = s;
	while (*p) {
		const char *name = p;
		size_t len = 0;
		while (p[len] != '=' && p[len] != ':' && p[len])
			len++;
		if (!p[len])
			break;
		if (p[len] == ':') {
			p += len + 1;
			continue;
		}
		struct tunable *t = find(name, len);
		p += len + 1;
		const char *value = p;
		len = 0;
		while (p[len] != ':' && p[len])
			len++;
		if (t && !(L.secure && t->seclevel != SECLEVEL_NONE))
			initialize(t, value, len);
		if (!p[len])
			break;
		p += len + 1;
	}
}
#endif

static const char *env_value(const char *entry, const char *name)
{
	size_t n = strlen(name);
	return !u_strncmp(entry, name, n) && entry[n] == '=' ? entry + n + 1 : 0;
}

void tunables_init(char **envp)
{
	static int done; /* once: the library search may need the CPU features (glibc-hwcaps) before glibc_setup */
	if (done++)
		return;
	if (GLIBC_LAYOUT_MINOR >= 41 && L.secure)
		return; /* 2.41: no tunable for set-user-ID programs */
	const char *v;
	for (char **e = envp; e && *e; e++) {
		if ((v = env_value(*e, "GLIBC_TUNABLES"))) {
			parse_glibc_tunables(v);
			if (L.secure)
				return; /* glibc.rtld.enable_secure=1 (2.41) */
			continue;
		}
		if (GLIBC_LAYOUT_MINOR >= 41)
			continue; /* the aliases come afterwards */
		for (size_t i = 0; i < ARRAY_LEN(tunable_list); i++) {
			struct tunable *t = &tunable_list[i];
			if (t->initialized || !t->alias[0] || !(v = env_value(*e, t->alias)))
				continue;
			if (!(L.secure && t->seclevel != SECLEVEL_NONE))
				initialize(t, v, strlen(v));
			break;
		}
	}
	if (GLIBC_LAYOUT_MINOR < 41)
		return;
	/* 2.41: an alias counts only for a tunable GLIBC_TUNABLES did not set; the last occurrence wins */
	for (size_t i = 0; i < ARRAY_LEN(tunable_list); i++) {
		struct tunable *t = &tunable_list[i];
		const char *val = 0;
		for (char **e = envp; t->alias[0] && e && *e; e++)
			if ((v = env_value(*e, t->alias)))
				val = v;
		if (val && !t->initialized && !initialize(t, val, strlen(val)))
			invalid_value(t, val, strlen(val));
	}
}

/* A numeric tunable's value, for elfld's own use (ld.so's work that depends on one). */
int64_t tunable_get(const char *name)
{
	struct tunable *t = find(name, strlen(name));
	return t ? t->val : 0;
}

/* Whether GLIBC_TUNABLES or an alias set it (glibc's TUNABLE_IS_INITIALIZED; a callback runs only then). */
int tunable_is_set(const char *name)
{
	struct tunable *t = find(name, strlen(name));
	return t && t->initialized;
}

/* A string tunable's value as set (not NUL-terminated: *len bytes), NULL if it was not set. */
const char *tunable_string(const char *name, size_t *len)
{
	struct tunable *t = find(name, strlen(name));
	if (!t || !t->initialized || t->type != TUNABLE_STRING || !t->str)
		return 0;
	*len = t->len;
	return t->str;
}

/* TUNABLE_SET_WITH_BOUNDS (do_tunable_update_val with bounds): the bounds may only narrow; a value
 * outside them leaves the tunable as it was. */
void tunable_set_bounds(const char *name, int64_t val, int64_t min, int64_t max)
{
	struct tunable *t = find(name, strlen(name));
	if (!t)
		return;
	int uns = t->type == TUNABLE_UINT_64 || t->type == TUNABLE_SIZE_T;
	if (lt(min, t->min, uns))
		min = t->min;
	if (lt(t->max, max, uns))
		max = t->max;
	if (lt(max, min, uns))
		min = t->min, max = t->max;
	if (lt(val, min, uns) || lt(max, val, uns))
		return;
	t->val = val, t->min = min, t->max = max, t->initialized = 1;
}

/* ld.so --list-tunables (__tunables_print). */
void tunables_print(void)
{
	char b[8192];
	struct outbuf ob;
	ob_init(&ob, 1, b, sizeof b);
	for (size_t i = 0; i < ARRAY_LEN(tunable_list); i++) {
		const struct tunable *t = &tunable_list[i];
		if (t->type == TUNABLE_STRING)
			ob_printf(&ob, t->str ? "%s: %s\n" : "%s:\n", t->name, t->str ? t->str : "");
		else if (t->type == TUNABLE_INT_32)
			ob_printf(&ob, "%s: %d (min: %d, max: %d)\n", t->name, (int)t->val, (int)t->min, (int)t->max);
		else
			ob_printf(&ob, "%s: 0x%lx (min: 0x%lx, max: 0x%lx)\n", t->name, (unsigned long)t->val,
				  (unsigned long)t->min, (unsigned long)t->max);
	}
	ob_flush(&ob);
}

/* _dl_tls_static_surplus_init: room in the static TLS block for initial-exec TLS of libraries dlopened
 * later, from glibc.rtld.nns and glibc.rtld.optional_static_tls (1664 bytes with the defaults). */
size_t tunables_tls_surplus(size_t *optional)
{
	enum { LIBC_IE_TLS = 144, OTHER_IE_TLS = 144, DL_NNS = 16 };
	int64_t nns = tunable_get("glibc.rtld.nns"), opt = tunable_get("glibc.rtld.optional_static_tls");
	if (nns > DL_NNS)
		nns = DL_NNS;
	*optional = (size_t)opt;
	size_t legacy = 1664 - (3 * LIBC_IE_TLS + 4 * OTHER_IE_TLS + 512);
	return (size_t)((nns - 1) * LIBC_IE_TLS + nns * OTHER_IE_TLS + opt) + legacy;
}

/* libc asks by id; a set tunable's callback gets a glibc tunable_val_t: up to 2.40 a union of the number
 * and a string pointer, since 2.41 the number followed by a {pointer, length} pair. */
EXPORT void __tunable_get_val(unsigned id, void *valp, void (*callback)(void *))
{
	if (id >= ARRAY_LEN(tunable_list))
		return;
	struct tunable *t = &tunable_list[id];
	static struct { const char *str; size_t len; } strval[ARRAY_LEN(tunable_list)];
	uint64_t val[3] = { (uint64_t)t->val, 0, 0 };
	if (t->type == TUNABLE_INT_32)
		*(int32_t *)valp = (int32_t)t->val;
	else if (t->type != TUNABLE_STRING)
		*(uint64_t *)valp = (uint64_t)t->val;
	else if (GLIBC_LAYOUT_MINOR >= 41) {
		strval[id].str = t->str, strval[id].len = t->len;
		*(const void **)valp = &strval[id];
		val[1] = (uint64_t)(uintptr_t)t->str, val[2] = t->len;
	} else
		*(const char **)valp = t->str, val[0] = (uint64_t)(uintptr_t)t->str;
	if (t->initialized && callback)
		callback(val);
}

EXPORT int __tunable_is_initialized(unsigned id)
{
	return id < ARRAY_LEN(tunable_list) && tunable_list[id].initialized;
}
