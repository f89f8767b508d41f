/* LD_AUDIT / --audit: the rtld-audit interface (rtld-audit(7)) as glibc's ld.so runs it (elf/rtld.c
 * load_audit_module, elf/dl-audit.c). Each audit module is dlmopen'ed into a namespace of its own, before
 * the program's libraries are loaded (main.c sets up the thread pointer first, as glibc's init_tls), la_version
 * negotiates, and its la_* functions are called from then on:
 *   la_objsearch   search.c: the name asked for (LA_SER_ORIG), then every path tried, with its list's code
 *   la_objopen     each object mapped (program, ld.so, vDSO, libraries, dlopen's); its return value says
 *                  which bindings la_symbind sees (LA_FLG_BINDFROM / LA_FLG_BINDTO)
 *   la_activity    LA_ACT_ADD / DELETE / CONSISTENT around the changes of a namespace
 *   la_symbind64   reloc.c (JUMP_SLOTs bound at load time), lazy.c (the first call), dlsym (libc calls
 *                  _dl_audit_symbind_alt)
 *   la_preinit     libc's __libc_start_main calls _dl_audit_preinit after the program's constructors
 *   la_objclose    dlclose (each object unloaded, after its destructors) and exit (init.c's elfld_fini)
 * Cookies and la_objopen's flags are elfld's (struct obj's audit[]): libc reads only GLRO(dl_naudit).
 * Objects of an auditing namespace are never reported. */
#include "audit.h"
#include "glibc.h"
#include "lddebug.h"
#include "sys.h"
#include "tls.h"
#define _LINK_H 1 /* LAV_CURRENT alone: <link.h> would bring its declarations */
#include <bits/link_lavcurrent.h> /* what this glibc's ld.so offers */

enum { LA_FLG_BINDTO = 1, LA_FLG_BINDFROM = 2 };
enum { LA_SYMB_NOPLTENTER = 1, LA_SYMB_NOPLTEXIT = 2, LA_SYMB_DLSYM = 8, LA_SYMB_ALTVALUE = 16 };

unsigned audit_n HIDDEN;
int audit_loading HIDDEN;

/* One audit module's functions, in glibc's order (struct audit_ifaces). */
struct audit_ifaces {
	void (*activity)(uintptr_t *, unsigned);
	char *(*objsearch)(const char *, uintptr_t *, unsigned);
	unsigned (*objopen)(struct obj *, long, uintptr_t *);
	void (*preinit)(uintptr_t *);
	uintptr_t (*symbind)(Elf64_Sym *, unsigned, uintptr_t *, uintptr_t *, unsigned *, const char *);
	void *pltenter, *pltexit;
	unsigned (*objclose)(uintptr_t *);
};
static struct audit_ifaces ifaces[NS_MAX];
static int have_symbind; /* some module has la_symbind64 (or PLT hooks): lazy bindings keep their results */
static int have_plt;     /* some module has la_x86_64_gnu_pltenter or _pltexit */

/* glibc's struct auditstate, one per auditor, in each object (l_audit[]); the cookie starts as the link map */
struct audit_state {
	uintptr_t cookie;
	unsigned bindflags;
};

static struct audit_state *state(struct obj *o, unsigned i)
{
	if (!o->audit) {
		struct audit_state *s = u_zalloc(sizeof *s * NS_MAX);
		for (int k = 0; k < NS_MAX; k++)
			s[k].cookie = (uintptr_t)o;
		o->audit = s;
	}
	return &((struct audit_state *)o->audit)[i];
}

static int auditing_ns(int ns) { return L.ns[ns].auditing; }

/* ---- the list of modules: colon-separated strings, split as glibc's audit_list_next */
static const char *lists[8];
static int nlists;
int audit_argc HIDDEN;
char **audit_argv HIDDEN;

void audit_add_list(const char *list)
{
	if (!list || nlists == (int)ARRAY_LEN(lists))
		return;
	lists[nlists++] = list;
}

/* dso_name_valid_for_suid: in secure mode, no names with a directory */
static int name_valid(const char *p)
{
	if (L.secure) {
		size_t len = strlen(p);
		if (len >= 255 || u_strchr(p, '/'))
			return 0;
	}
	return *p != 0;
}

int audit_requested(void)
{
	for (int i = 0; i < nlists; i++)
		for (const char *p = lists[i]; *p; p++)
			if (*p != ':')
				return 1;
	return 0;
}

/* _dl_tls_static_surplus_init(naudit): room for the modules' libc and others, counted from the names */
void audit_tls_surplus(void)
{
	enum { LIBC_IE_TLS = 144, OTHER_IE_TLS = 144 };
	size_t naudit = 0;
	for (int i = 0; i < nlists; i++)
		for (const char *p = lists[i]; *p;) {
			size_t len = 0;
			while (p[len] && p[len] != ':')
				len++;
			char fname[256];
			if (len > 0 && len < sizeof fname) { /* audit_list_count: the names audit_list_next returns */
				memcpy(fname, p, len);
				fname[len] = 0;
				naudit += name_valid(fname);
			}
			p += len;
			if (*p == ':')
				p++;
		}
	int64_t nns = tunable_get("glibc.rtld.nns");
	if (nns > NS_MAX)
		nns = NS_MAX;
	if ((size_t)(NS_MAX - nns) < naudit) {
		u_err("Failed loading %lu audit modules, %lu are supported.\n", (unsigned long)naudit,
		      (unsigned long)(NS_MAX - nns));
		sys_exit_group(127);
	}
	tls_static_surplus += naudit * (LIBC_IE_TLS + OTHER_IE_TLS);
}

/* glibc's lookup_doit: the module's own scope, with LD_DEBUG's lines for the lookup (and, for a function
 * it lacks, the "(fatal)" line of the error glibc catches) */
static void *module_sym(struct obj *m, const char *name)
{
	uint32_t gh = gnu_hash_name(name), sh = sysv_hash_name(name);
	for (int i = 0; i < m->local_scope.n; i++) {
		struct obj *o = m->local_scope.v[i];
		if (LDDEBUG(LDD_SYMBOLS)) /* (ld.so's proxy: glibc looks in, and names, its l_real) */
			lddebug_lookup(name, o->is_proxy ? L.rtld : o);
		const Elf64_Sym *s = obj_lookup_flags(o, name, gh, sh, 0, 0, LOOKUP_NEWEST);
		if (s) {
			if (LDDEBUG(LDD_BINDINGS))
				lddebug_binding(m, o->is_proxy ? L.rtld : o, name, 0, 0);
			return (void *)symbol_address(o, s, name);
		}
	}
	if (lddebug_mask)
		lddebug_lookup_error(m->l_name, name, 0);
	return 0;
}

/* Secure mode: a module (named without a slash) only from the system directories, not through the cache,
 * and only a set-user-ID file (glibc's __RTLD_SECURE). */
struct suid_walk {
	struct search_walk w;
	const char *name;
	char path[4096];
};

static int suid_dir(struct search_walk *w, const char *dir)
{
	struct suid_walk *s = (struct suid_walk *)w;
	struct k_stat st;
	u_snprintf(s->path, sizeof s->path, "%s/%s", dir, s->name);
	return sys_stat(s->path, &st) == 0 && (st.st_mode & K_S_IFMT) == K_S_IFREG && (st.st_mode & 04000 /* S_ISUID */);
}

static void load_module(const char *name)
{
	const char *err = 0;
	struct suid_walk sw = { { suid_dir, 0, 0 }, name, { 0 } };
	if (L.secure && !search_walk(0, &sw.w)) {
		u_err("ERROR: ld.so: object '%s' cannot be loaded as audit interface: cannot open shared object file; ignored.\n",
		      name);
		return;
	}
	struct obj *m = glibc_audit_dlopen(L.secure ? sw.path : name, &err);
	if (!m) {
		u_err("ERROR: ld.so: object '%s' cannot be loaded as audit interface: %s; ignored.\n", name, err);
		return;
	}
	unsigned (*laversion)(unsigned) = (unsigned (*)(unsigned))module_sym(m, "la_version");
	if (!laversion) {
		glibc_dlclose(m);
		u_err("ERROR: ld.so: object '%s' cannot be loaded as audit interface: undefined symbol: la_version; ignored.\n",
		      name);
		return;
	}
	unsigned lav = laversion(LAV_CURRENT);
	if (lav == 0) { /* the module asks to be left out: said only under LD_DEBUG=files */
		if (LDDEBUG(LDD_FILES))
			lddebug_printf("file=%s [%lu]; audit interface function la_version returned zero; ignored.\n",
				       m->l_name, (unsigned long)m->ns);
		glibc_dlclose(m);
		return;
	}
	if (lav > LAV_CURRENT) { /* _dl_audit_check_version; glibc says it with _dl_debug_printf */
		lddebug_printf("ERROR: audit interface '%s' requires version %d (maximum supported version %d); ignored.\n",
			       name, (int)lav, LAV_CURRENT);
		glibc_dlclose(m);
		return;
	}
	static const char names[] = "la_activity\0la_objsearch\0la_objopen\0la_preinit\0la_symbind64\0"
				    "la_x86_64_gnu_pltenter\0la_x86_64_gnu_pltexit\0la_objclose\0";
	void **f = (void **)&ifaces[audit_n];
	for (const char *n = names; *n; n += strlen(n) + 1)
		*f++ = module_sym(m, n);
	if (ifaces[audit_n].symbind || ifaces[audit_n].pltenter || ifaces[audit_n].pltexit)
		have_symbind = 1;
	if (ifaces[audit_n].pltenter || ifaces[audit_n].pltexit)
		have_plt = 1;
	audit_n++;
	L.ns[m->ns].auditing = 1;
	glibc_audit_module(m, audit_n);
}

void audit_load_modules(void)
{
	for (int i = 0; i < nlists; i++) {
		const char *p = lists[i];
		while (*p) {
			size_t len = 0;
			while (p[len] && p[len] != ':')
				len++;
			char fname[256];
			fname[0] = 0;
			if (len > 0 && len < sizeof fname) {
				memcpy(fname, p, len);
				fname[len] = 0;
			}
			p += len;
			if (*p == ':')
				p++;
			if (name_valid(fname)) {
				if (audit_n == NS_MAX - 1) /* glibc's limit: DL_NNS minus the program's namespace */
					break;
				load_module(fname);
			}
		}
	}
	if (audit_n) { /* the objects loaded before the modules: the program and ld.so */
		audit_objopen(L.main);
		audit_objopen(L.rtld);
	}
}

/* ---- the callbacks (elf/dl-audit.c) */
void audit_objopen(struct obj *o)
{
	if (!audit_n || auditing_ns(o->ns)) /* (a second module's objects are reported to the first) */
		return;
	for (unsigned i = 0; i < audit_n; i++)
		if (ifaces[i].objopen) {
			struct audit_state *s = state(o, i);
			s->bindflags = ifaces[i].objopen(o, o->ns, &s->cookie);
			o->audit_any_plt |= s->bindflags != 0;
		}
}

static void activity_map(struct obj *head, unsigned action)
{
	for (unsigned i = 0; i < audit_n; i++)
		if (ifaces[i].activity)
			ifaces[i].activity(&state(head, i)->cookie, action);
}

void audit_activity(int ns, unsigned action)
{
	struct obj *head = ns ? L.ns[ns].head : L.main;
	if (!audit_n || !head || auditing_ns(ns))
		return;
	activity_map(head, action);
}

/* glibc sends LA_ACT_ADD when a load maps its first object (the namespace's list was consistent), and
 * LA_ACT_CONSISTENT when that load is done. */
static int adding[NS_MAX];
void audit_adding(int ns)
{
	if (!audit_n || adding[ns])
		return;
	adding[ns] = 1; /* (glibc's r_state RT_ADD, an audit module's load too) */
	if (!audit_loading)
		audit_activity(ns, LA_ACT_ADD);
}

void audit_consistent(int ns)
{
	if (!audit_n || !adding[ns])
		return;
	adding[ns] = 0;
	audit_activity(ns, LA_ACT_CONSISTENT);
}

const char *audit_objsearch(const char *name, const struct obj *loader, unsigned code)
{
	if (!loader || auditing_ns(loader->ns) || !code)
		return name;
	for (unsigned i = 0; i < audit_n; i++)
		if (ifaces[i].objsearch) {
			name = ifaces[i].objsearch(name, &state((struct obj *)loader, i)->cookie, code);
			if (!name)
				return 0;
		}
	return name;
}

void audit_objclose(struct obj *o)
{
	if (!audit_n || auditing_ns(o->ns))
		return;
	for (unsigned i = 0; i < audit_n; i++)
		if (ifaces[i].objclose)
			ifaces[i].objclose(&state(o, i)->cookie);
}

/* _dl_audit_symbind: a binding of `l`'s JUMP_SLOT (rr NULL: bound at load time) to `defsym` in `result`,
 * whose address is `value`. Returns the address to use. */
uintptr_t audit_symbind(struct obj *l, struct audit_reloc *rr, const Elf64_Sym *defsym, uintptr_t value,
			struct obj *result)
{
	int for_jmp_slot = rr == 0;
	unsigned boundndx = (unsigned)(defsym - result->symtab);
	if (!for_jmp_slot) {
		rr->bound = result;
		rr->boundndx = boundndx;
	}
	if (!(l->audit_any_plt | result->audit_any_plt)) {
		if (!for_jmp_slot)
			rr->enterexit = (1u << NS_MAX) - 1;
		return value;
	}
	Elf64_Sym sym = *defsym;
	sym.st_value = value;
	uint32_t enterexit = LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT;
	unsigned flags = 0;
	uintptr_t new_value = value;
	for (unsigned i = 0; i < audit_n; i++) {
		struct audit_state *ls = state(l, i), *rs = state(result, i);
		if ((ls->bindflags & LA_FLG_BINDFROM) && (rs->bindflags & LA_FLG_BINDTO)) {
			if (ifaces[i].symbind) {
				flags |= for_jmp_slot ? LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT : 0;
				new_value = ifaces[i].symbind(&sym, boundndx, &ls->cookie, &rs->cookie, &flags,
							      result->strtab + defsym->st_name);
				if (new_value != sym.st_value) {
					flags |= LA_SYMB_ALTVALUE;
					sym.st_value = new_value;
				}
			}
			enterexit &= flags & (LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT);
			enterexit |= (flags & (LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT)) << ((i + 1) * 2);
		} else
			enterexit |= (uint32_t)(LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT) << ((i + 1) * 2);
	}
	if (!for_jmp_slot) {
		rr->enterexit = enterexit;
		rr->flags = flags;
	}
	return flags & LA_SYMB_ALTVALUE ? sym.st_value : value;
}

/* _dl_audit_symbind_alt: dlsym's binding (and ld.so's own lookups of malloc & co.), as glibc's, whose loop
 * moves to the next module only past one that was called. */
void audit_symbind_alt(struct obj *l, const Elf64_Sym *ref, void **value, struct obj *result)
{
	if (!audit_n || !(l->audit_any_plt | result->audit_any_plt))
		return;
	unsigned ndx = (unsigned)(ref - result->symtab);
	unsigned altvalue = 0;
	Elf64_Sym sym = *ref;
	sym.st_value = (uintptr_t)*value;
	unsigned a = 0;
	for (unsigned i = 0; i < audit_n; i++) {
		struct audit_state *ms = state(l, i), *rs = state(result, i);
		if (ifaces[a].symbind && ((ms->bindflags & LA_FLG_BINDFROM) || (rs->bindflags & LA_FLG_BINDTO))) {
			unsigned flags = altvalue | LA_SYMB_DLSYM;
			uintptr_t nv = ifaces[a].symbind(&sym, ndx, &ms->cookie, &rs->cookie, &flags,
							 result->strtab + ref->st_name);
			if (nv != sym.st_value) {
				altvalue = LA_SYMB_ALTVALUE;
				sym.st_value = nv;
			}
			a++;
		}
		*value = (void *)sym.st_value;
	}
}

/* glibc's ld.so switches to libc's malloc after relocation, looking calloc, free, malloc and realloc up in
 * the program's scope with dlsym's audit (__rtld_malloc_init_real): the modules see those four bindings. */
void audit_malloc_lookup(const char *n)
{
	static const char ver[] = "GLIBC_2.2.5";
	const struct dep_list *g = &L.ns[0].global;
	for (int i = 0; i < g->n; i++) {
		const Elf64_Sym *s = obj_lookup_flags(g->v[i], n, gnu_hash_name(n), sysv_hash_name(n), ver, sysv_hash_name(ver), 0);
		if (s) {
			void *value = (void *)(g->v[i]->l_addr + s->st_value);
			audit_symbind_alt(L.main, s, &value, g->v[i]);
			return;
		}
	}
}

void audit_malloc_lookups(void)
{
	static const char names[] = "calloc\0free\0malloc\0realloc\0";
	if (!audit_n || (lddebug_mask & (LDD_SYMBOLS | LDD_BINDINGS | LDD_STATISTICS))) /* (lddebug_rtld did them) */
		return;
	for (const char *n = names; *n; n += strlen(n) + 1)
		audit_malloc_lookup(n);
}

/* After an object's relocation (glibc's l_reloc_result): its lazy bindings keep their audited results. */
void audit_reloc_alloc(struct obj *o)
{
	if (!have_symbind || audit_loading || auditing_ns(o->ns) || !o->jmprel || o->audit_rr)
		return;
	o->audit_rr = u_zalloc(sizeof(struct audit_reloc) * (o->pltrelsz / sizeof(Elf64_Rela) ? o->pltrelsz / sizeof(Elf64_Rela) : 1));
}

/* _dl_fixup's audit part: the first binding of a slot goes through la_symbind, later ones reuse it. */
uintptr_t audit_fixup(struct obj *o, size_t index, struct obj *def, const Elf64_Sym *defsym, uintptr_t value)
{
	struct audit_reloc *rr = &((struct audit_reloc *)o->audit_rr)[index];
	if (__atomic_load_n(&rr->init, __ATOMIC_ACQUIRE))
		return rr->addr;
	if (defsym)
		value = audit_symbind(o, rr, defsym, value, def);
	if (!L.bind_not) {
		rr->addr = value;
		__atomic_store_n(&rr->init, 1, __ATOMIC_RELEASE);
	}
	return value;
}

/* glibc's consider_profiling: a module has PLT hooks and this is not an audit module's own relocation */
int audit_profiling(const struct obj *o)
{
	return have_plt && !audit_loading && !auditing_ns(o->ns);
}

typedef uintptr_t pltenter_fn(Elf64_Sym *, unsigned, uintptr_t *, uintptr_t *, void *, unsigned *, const char *, long *);
typedef unsigned pltexit_fn(Elf64_Sym *, unsigned, uintptr_t *, uintptr_t *, const void *, void *, const char *);

/* _dl_audit_pltenter */
void audit_pltenter(struct obj *l, struct audit_reloc *rr, uintptr_t *value, void *regs, long *framesize)
{
	if (!audit_n || (rr->enterexit & LA_SYMB_NOPLTENTER))
		return;
	const Elf64_Sym *defsym = rr->bound->symtab + rr->boundndx;
	Elf64_Sym sym = *defsym;
	sym.st_value = *value;
	const char *symname = rr->bound->strtab + sym.st_name;
	unsigned flags = rr->flags;
	for (unsigned i = 0; i < audit_n; i++) {
		pltenter_fn *enter = (pltenter_fn *)ifaces[i].pltenter;
		if (enter && (rr->enterexit & (LA_SYMB_NOPLTENTER << (2 * (i + 1)))) == 0) {
			long new_framesize = -1;
			struct audit_state *ls = state(l, i), *bs = state(rr->bound, i);
			uintptr_t nv = enter(&sym, rr->boundndx, &ls->cookie, &bs->cookie, regs, &flags, symname, &new_framesize);
			if (nv != sym.st_value) {
				flags |= LA_SYMB_ALTVALUE;
				sym.st_value = nv;
			}
			rr->enterexit |= (flags & (LA_SYMB_NOPLTENTER | LA_SYMB_NOPLTEXIT)) << (2 * (i + 1));
			if ((rr->enterexit & (LA_SYMB_NOPLTEXIT << (2 * (i + 1)))) == 0 && new_framesize != -1 &&
			    *framesize != -2) {
				if (*framesize == -1)
					*framesize = new_framesize;
				else if (new_framesize != *framesize)
					*framesize = new_framesize > *framesize ? new_framesize : *framesize;
			}
		}
	}
	*value = sym.st_value;
}

/* ---- called by libc */
/* __libc_start_main, after the program's constructors */
EXPORT void _dl_audit_preinit(struct obj *l)
{
	if (!audit_n)
		return;
	for (unsigned i = 0; i < audit_n; i++)
		if (ifaces[i].preinit)
			ifaces[i].preinit(&state(l, i)->cookie);
}

/* dlsym (libc's _dl_sym_post, only when GLRO(dl_naudit) > 0) */
EXPORT void _dl_audit_symbind_alt(struct obj *l, const Elf64_Sym *ref, void **value, struct obj *result)
{
	audit_symbind_alt(l, ref, value, result);
}

/* _dl_runtime_profile_* (lazyprof.S), after a call la_pltenter asked to see return: la_pltexit with the
 * registers at the call and at the return (glibc's test of each module's bit, `>>` included). */
void _dl_audit_pltexit(struct obj *l, size_t index, const void *inregs, void *outregs) HIDDEN;
void _dl_audit_pltexit(struct obj *l, size_t index, const void *inregs, void *outregs)
{
	struct audit_reloc *rr = &((struct audit_reloc *)l->audit_rr)[index];
	const Elf64_Sym *defsym = rr->bound->symtab + rr->boundndx;
	Elf64_Sym sym = *defsym;
	sym.st_value = rr->addr;
	const char *symname = rr->bound->strtab + sym.st_name;
	for (unsigned i = 0; i < audit_n; i++) {
		pltexit_fn *leave = (pltexit_fn *)ifaces[i].pltexit;
		if (leave && (rr->enterexit & (LA_SYMB_NOPLTEXIT >> (2 * i))) == 0) {
			struct audit_state *ls = state(l, i), *bs = state(rr->bound, i);
			leave(&sym, rr->boundndx, &ls->cookie, &bs->cookie, inregs, outregs, symname);
		}
	}
}
