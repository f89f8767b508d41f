/* An rtld-audit(7) module for the glibc-audit test: prints every callback on stderr (names, never
 * addresses), so that a run under elfld can be compared with the native one.
 *   AUDIT_VERSION=N   la_version returns N (0: the module asks to be ignored; 99: too new)
 *   AUDIT_REDIRECT=1  la_objsearch renames libauditee-missing.so to libauditee2.so, refuses
 *                     libauditee-refused.so
 *   AUDIT_CTOR=1      the module's constructor calls dlsym, dlopen, dlerror
 *   AUDIT_ALLSEARCH=1 la_objsearch prints every name, not only the test's libraries
 *   AUDIT_ALT=1       la_symbind64 binds auditee_which to the module's own function
 * Built a second time with -DPLT (libauditplt.so): also la_x86_64_gnu_pltenter/pltexit, which print the
 * calls from the program to libauditee.so with their integer and double arguments and return values
 * (pltenter asks for pltexit with a frame size; AUDIT_ALT=1: pltenter sends auditee_add elsewhere).
 * Cookies: la_objopen replaces each object's cookie with its short name, which the other callbacks print
 * (refcook/defcook identify the objects of a binding). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cookie_name(uintptr_t *c)
{
	return c && *c ? (const char *)*c : "?";
}

static const char *short_name(const char *n)
{
	if (!n)
		return "(null)";
	if (!*n)
		return "(program)";
	const char *s = strrchr(n, '/');
	return s ? s + 1 : n;
}

static int interesting(const char *name)
{
	return strcmp(name, "(program)") == 0 || strncmp(name, "libauditee", 10) == 0;
}

/* AUDIT_CTOR=1: the module's constructor uses its libc's dynamic-linking calls (before the program's
 * libraries are even loaded): dlsym, a dlopen that works and one that fails, dlerror. */
__attribute__((constructor)) static void init(void)
{
	if (!getenv("AUDIT_CTOR"))
		return;
	void *p = dlsym(RTLD_DEFAULT, "printf");
	void *h = dlopen("libm.so.6", RTLD_NOW);
	void *x = dlopen("libauditee-nonexistent.so", RTLD_NOW);
	fprintf(stderr, "constructor: dlsym %s, dlopen libm.so.6 %s, dlopen of a missing one: %s\n", p ? "found" : "NULL",
		h ? "ok" : dlerror(), x ? "loaded?" : dlerror());
}

unsigned int la_version(unsigned int v)
{
	const char *e = getenv("AUDIT_VERSION");
	fprintf(stderr, "la_version %u\n", v);
	return e ? (unsigned)atoi(e) : LAV_CURRENT;
}

static const char *flagname(unsigned f)
{
	switch (f) {
	case LA_SER_ORIG: return "ORIG";
	case LA_SER_LIBPATH: return "LIBPATH";
	case LA_SER_RUNPATH: return "RUNPATH";
	case LA_SER_CONFIG: return "CONFIG";
	case LA_SER_DEFAULT: return "DEFAULT";
	case LA_SER_SECURE: return "SECURE";
	}
	return "?";
}

char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag)
{
	/* only the test's own libraries: the system's search differs in nothing but noise */
	if (strstr(name, "libauditee") || getenv("AUDIT_ALLSEARCH"))
		fprintf(stderr, "la_objsearch %s %s (for %s)\n", name, flagname(flag), cookie_name(cookie));
	if (getenv("AUDIT_REDIRECT") && flag == LA_SER_ORIG && strcmp(name, "libauditee-missing.so") == 0) {
		fprintf(stderr, "  -> libauditee2.so\n");
		return (char *)"libauditee2.so";
	}
	if (getenv("AUDIT_REDIRECT") && flag == LA_SER_ORIG && strcmp(name, "libauditee-refused.so") == 0) {
		fprintf(stderr, "  -> refused\n");
		return NULL;
	}
	return (char *)name;
}

unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie)
{
	const char *n = short_name(map->l_name);
	fprintf(stderr, "la_objopen %s lmid=%ld cookie-is-map=%d\n", n, (long)lmid, *cookie == (uintptr_t)map);
	*cookie = (uintptr_t)strdup(n);
	return interesting(n) || strncmp(n, "libc.so", 7) == 0 ? LA_FLG_BINDTO | LA_FLG_BINDFROM : 0;
}

void la_activity(uintptr_t *cookie, unsigned int flag)
{
	fprintf(stderr, "la_activity %s %s\n", cookie_name(cookie),
		flag == LA_ACT_ADD ? "ADD" : flag == LA_ACT_DELETE ? "DELETE" : flag == LA_ACT_CONSISTENT ? "CONSISTENT" : "?");
}

void la_preinit(uintptr_t *cookie)
{
	fprintf(stderr, "la_preinit %s\n", cookie_name(cookie));
}

static int audit_which(void) { return 42; }

uintptr_t la_symbind64(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook, unsigned int *flags,
		       const char *symname)
{
	(void)ndx;
	if (!interesting(cookie_name(refcook)))
		return sym->st_value;
	fprintf(stderr, "la_symbind64 %s %s -> %s flags=%#x\n", symname, cookie_name(refcook), cookie_name(defcook), *flags);
	if (getenv("AUDIT_ALT") && strcmp(symname, "auditee_which") == 0)
		return (uintptr_t)audit_which;
	return sym->st_value;
}

unsigned int la_objclose(uintptr_t *cookie)
{
	fprintf(stderr, "la_objclose %s\n", cookie_name(cookie));
	return 0;
}

#ifdef PLT
static double xmm_double(const void *xmm)
{
	double d;
	memcpy(&d, xmm, sizeof d);
	return d;
}

static int audit_add(int a, int b) { return 100 * a + b; }

Elf64_Addr la_x86_64_gnu_pltenter(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook,
				  La_x86_64_regs *regs, unsigned int *flags, const char *symname, long int *framesizep)
{
	(void)ndx;
	if (strcmp(cookie_name(refcook), "(program)") || strncmp(cookie_name(defcook), "libauditee", 10))
		return sym->st_value;
	fprintf(stderr, "pltenter %s -> %s %s flags=%#x", cookie_name(refcook), cookie_name(defcook), symname, *flags);
	if (strcmp(symname, "auditee_add") == 0)
		fprintf(stderr, " (%ld, %ld)", (long)regs->lr_rdi, (long)regs->lr_rsi);
	if (strcmp(symname, "auditee_scale") == 0)
		fprintf(stderr, " (%g, %g)", xmm_double(&regs->lr_xmm[0]), xmm_double(&regs->lr_xmm[1]));
	fprintf(stderr, "\n");
	*framesizep = 64;
	if (getenv("AUDIT_ALT") && strcmp(symname, "auditee_add") == 0)
		return (uintptr_t)audit_add;
	return sym->st_value;
}

unsigned int la_x86_64_gnu_pltexit(Elf64_Sym *sym, unsigned int ndx, uintptr_t *refcook, uintptr_t *defcook,
				   const La_x86_64_regs *inregs, La_x86_64_retval *outregs, const char *symname)
{
	(void)sym, (void)ndx, (void)inregs;
	if (strcmp(cookie_name(refcook), "(program)") || strncmp(cookie_name(defcook), "libauditee", 10))
		return 0;
	if (strcmp(symname, "auditee_scale") == 0)
		fprintf(stderr, "pltexit %s = %g\n", symname, xmm_double(&outregs->lrv_xmm0));
	else
		fprintf(stderr, "pltexit %s = %ld\n", symname, (long)(int)outregs->lrv_rax);
	return 0;
}
#endif
