/* LD_AUDIT / --audit: glibc's rtld-audit interface (rtld-audit(7)), audit.c. With no audit module loaded
 * every hook in the loader is one test of audit_n, as glibc's GLRO(dl_naudit). */
#ifndef ELFLD_AUDIT_H
#define ELFLD_AUDIT_H
#include "elfld.h"

/* rtld-audit(7)'s constants (link.h) */
enum { LA_ACT_CONSISTENT = 0, LA_ACT_ADD = 1, LA_ACT_DELETE = 2 };
enum { LA_SER_ORIG = 1, LA_SER_LIBPATH = 2, LA_SER_RUNPATH = 4, LA_SER_CONFIG = 8, LA_SER_DEFAULT = 0x40,
       LA_SER_SECURE = 0x80 };

/* glibc's struct reloc_result: one per DT_JMPREL entry of an audited object (l_reloc_result) */
struct audit_reloc {
	uintptr_t addr;       /* the bound value, once init */
	struct obj *bound;    /* the defining object */
	unsigned boundndx;    /* the definition's index in its symbol table */
	uint32_t enterexit;   /* LA_SYMB_NOPLTENTER/NOPLTEXIT per auditor (2 bits each, summary first) */
	unsigned flags;
	unsigned init;
};

#ifdef ELFLD_HOSTED /* tests/fuzz: reloc.c without the loader */
#define audit_n 0u
static inline uintptr_t audit_symbind(struct obj *l, struct audit_reloc *rr, const Elf64_Sym *defsym, uintptr_t value,
				      struct obj *result)
{
	(void)l, (void)rr, (void)defsym, (void)result;
	return value;
}
static inline void audit_reloc_alloc(struct obj *o) { (void)o; }
static inline int audit_profiling(const struct obj *o) { (void)o; return 0; }
#else
extern unsigned audit_n HIDDEN;          /* audit modules loaded: glibc's GLRO(dl_naudit) */
extern int audit_loading HIDDEN;         /* an audit module is being loaded (glibc's __RTLD_AUDIT) */
extern int audit_argc HIDDEN;            /* the program's arguments, for the modules' initializers */
extern char **audit_argv HIDDEN;

/* start-up (main.c) */
void audit_add_list(const char *list) HIDDEN; /* LD_AUDIT, --audit, DT_AUDIT, DT_DEPAUDIT, in that order */
int audit_requested(void) HIDDEN;
void audit_tls_surplus(void) HIDDEN;     /* glibc's static TLS surplus grows by each module's share */
void audit_load_modules(void) HIDDEN;    /* each in a new namespace; then la_objopen of program and ld.so */
/* the callbacks, each a no-op for an object of an auditing namespace */
void audit_objopen(struct obj *o) HIDDEN;
void audit_activity(int ns, unsigned action) HIDDEN; /* namespace's first object */
void audit_adding(int ns) HIDDEN;        /* LA_ACT_ADD, once, when a load maps its first new object */
void audit_consistent(int ns) HIDDEN;    /* LA_ACT_CONSISTENT if audit_adding said ADD */
const char *audit_objsearch(const char *name, const struct obj *loader, unsigned code) HIDDEN;
void audit_objclose(struct obj *o) HIDDEN;
uintptr_t audit_symbind(struct obj *l, struct audit_reloc *rr, const Elf64_Sym *defsym, uintptr_t value,
			struct obj *result) HIDDEN;
void audit_symbind_alt(struct obj *l, const Elf64_Sym *ref, void **value, struct obj *result) HIDDEN;
void audit_malloc_lookups(void) HIDDEN;  /* ld.so's lookups of libc's malloc & co., as dlsym's */
void audit_malloc_lookup(const char *name) HIDDEN; /* one of them (lddebug_rtld, between its lines) */
void audit_reloc_alloc(struct obj *o) HIDDEN; /* after relocating: la_symbind/PLT hooks want its results */
int audit_profiling(const struct obj *o) HIDDEN; /* its PLT calls go through la_pltenter/la_pltexit */
void audit_pltenter(struct obj *l, struct audit_reloc *rr, uintptr_t *value, void *regs, long *framesize) HIDDEN;
uintptr_t audit_fixup(struct obj *o, size_t index, struct obj *def, const Elf64_Sym *defsym, uintptr_t value) HIDDEN;
#endif
#endif
