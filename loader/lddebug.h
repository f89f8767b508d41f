/* LD_DEBUG as glibc's ld.so does it: the same categories, lines and order, written with glibc's
 * "     PID:\t" prefix to stderr or to LD_DEBUG_OUTPUT.PID (lddebug.c). elfld's own --trace is separate.
 * Every call site tests the mask first (LDDEBUG), so an unset LD_DEBUG costs one load and branch. */
#ifndef ELFLD_LDDEBUG_H
#define ELFLD_LDDEBUG_H
#include "elfld.h"

/* glibc's DL_DEBUG_* bits (sysdeps/generic/ldsodefs.h, the same in 2.36, 2.41 and 2.43): libc reads
 * GLRO(dl_debug_mask) itself ("initialize program", "transferring control"). */
enum {
	LDD_LIBS = 1 << 0,
	LDD_IMPCALLS = 1 << 1,
	LDD_BINDINGS = 1 << 2,
	LDD_SYMBOLS = 1 << 3,
	LDD_VERSIONS = 1 << 4,
	LDD_RELOC = 1 << 5,
	LDD_FILES = 1 << 6,
	LDD_STATISTICS = 1 << 7,
	LDD_UNUSED = 1 << 8,
	LDD_SCOPES = 1 << 9,
	LDD_HELP = 1 << 10,
	LDD_TLS = 1 << 11,
	LDD_SECURITY = 1 << 12,
};
#ifdef ELFLD_HOSTED /* tests/fuzz builds reloc.c and symbols.c hosted, without lddebug.c: LD_DEBUG off */
#define lddebug_mask 0u
static __attribute__((unused)) int lddebug_quiet;
static __attribute__((unused)) unsigned long lddebug_nlookups;
static inline int lddebug_reloc_cached(const struct obj *o, uint32_t symidx, uint32_t type)
{
	(void)o, (void)symidx, (void)type;
	return 1;
}
static inline void lddebug_reloc_begin(const struct obj *o, int lazy) { (void)o, (void)lazy; }
static inline void lddebug_lookup(const char *name, const struct obj *in) { (void)name, (void)in; }
static inline void lddebug_lookup_error(const char *o, const char *n, const char *v) { (void)o, (void)n, (void)v; }
static inline void lddebug_binding(const struct obj *req, const struct obj *def, const char *name, const char *ver,
				   int protected_ref)
{
	(void)req, (void)def, (void)name, (void)ver, (void)protected_ref;
}
#else
/* glibc's _dl_signal_cexception: a symbol lookup error, under any category but statistics */
void lddebug_lookup_error(const char *objname, const char *name, const char *ver) HIDDEN;
extern unsigned lddebug_mask HIDDEN;
#endif
#define LDDEBUG(bits) __builtin_expect((lddebug_mask & (bits)) != 0, 0)


void lddebug_init(void) HIDDEN; /* LD_DEBUG, LD_DEBUG_OUTPUT (main.c, before anything is loaded) */
/* glibc's _dl_debug_printf (the prefix at the start and after each newline of fmt) and _dl_debug_printf_c
 * (no prefix at the start); formats %s %u %lu %x %lx %zx with width, '0', '*' and %.*s */
void lddebug_printf(const char *fmt, ...) HIDDEN;
void lddebug_printf_c(const char *fmt, ...) HIDDEN;
const char *lddebug_name(const struct obj *o) HIDDEN; /* glibc's DSO_FILENAME (l_name) */
void lddebug_glro(void) HIDDEN;                       /* GLRO(dl_debug_mask), GLRO(dl_debug_printf) for libc */

/* the places (each called only when its category is on) */
extern int lddebug_dlopen_root HIDDEN;   /* load_dep is loading dlopen's own file (not a DT_NEEDED); 2: with no
                                          * loader (dlmopen of a path: no "loaded by" line) */
void lddebug_needed(const char *name, const struct obj *req) HIDDEN;      /* files */
void lddebug_mapped(const char *name, const struct obj *o, int before) HIDDEN; /* files: link map */
void lddebug_vdso(void) HIDDEN;                                            /* symbols, bindings */
#ifndef ELFLD_HOSTED
void lddebug_lookup(const char *name, const struct obj *in) HIDDEN;       /* symbols */
void lddebug_binding(const struct obj *req, const struct obj *def, const char *name, const char *ver,
		     int protected_ref) HIDDEN;                              /* bindings */
#endif
/* glibc's one-entry lookup cache of a relocation pass (RESOLVE_MAP's l_lookup_cache): 1 if glibc would not
 * look this symbol up again (and so prints nothing); lddebug_quiet hushes elfld's own lookup then. */
#ifndef ELFLD_HOSTED
int lddebug_reloc_cached(const struct obj *o, uint32_t symidx, uint32_t type) HIDDEN;
extern int lddebug_quiet HIDDEN;
#endif
/* the reference is a protected symbol (glibc says "protected symbol" then) */
static inline int lddebug_protected(const struct obj *req, uint32_t symidx)
{
	return symidx && symidx < req->nsyms && ELF64_ST_VISIBILITY(req->symtab[symidx].st_other) == STV_PROTECTED;
}
#ifndef ELFLD_HOSTED
void lddebug_reloc_begin(const struct obj *o, int lazy) HIDDEN;          /* reloc */
#endif
void lddebug_rtld(void) HIDDEN; /* ld.so's malloc switch (symbols, bindings) and own relocation (reloc) */
void lddebug_dlopen_scopes(const struct obj *root, int after_reloc) HIDDEN; /* scopes: a dlopen's */
void lddebug_scopes(void) HIDDEN;                                          /* scopes: initial objects */
int lddebug_unused(void) HIDDEN; /* ldd -u: list the unused direct dependencies; 1 if any */
void lddebug_statistics(int at_exit) HIDDEN;                               /* statistics */
void lddebug_time(int what) HIDDEN; /* statistics: 0 start, 1/2 loading begins/ends, 3/4 relocation */
#ifndef ELFLD_HOSTED
extern unsigned long lddebug_nlookups HIDDEN;
#endif
extern unsigned long lddebug_ncached HIDDEN;

#endif
