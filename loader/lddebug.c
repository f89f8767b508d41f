/* LD_DEBUG, as glibc's ld.so (elf/rtld.c process_dl_debug, elf/dl-printf.c _dl_debug_vdprintf): the
 * categories, the help text, the unknown-option warning, LD_DEBUG_OUTPUT (FILE.PID), secure mode, and the
 * lines themselves, which the places that do the work (search.c, reloc.c, symbols.c, init.c, dlopen.c,
 * versions.c) ask for here when their category is on. Strings and order are glibc's; the differences
 * that remain are listed in docs/glibc.md ("LD_DEBUG"). */
#include "lddebug.h"
#include "audit.h"
#include "glibc_version.h"
#include "sys.h"

unsigned lddebug_mask;
int lddebug_quiet, lddebug_dlopen_root;
unsigned long lddebug_nlookups, lddebug_ncached;
static int debug_fd = 2; /* GLRO(dl_debug_fd): stderr unless LD_DEBUG_OUTPUT */

/* ---- output: glibc's _dl_debug_vdprintf. The "PID:\t" tag (the pid right-aligned in 10 columns) starts
 * the output (unless tag < 0) and every line after a newline of the format itself (not of an argument),
 * if more of the format follows. One write per call, as glibc's one writev, when it fits. */
struct dbuf {
	size_t n;
	char b[1024];
};

static void dput(struct dbuf *d, const char *s, size_t n)
{
	while (n) {
		if (d->n == sizeof d->b) {
			sys_write(debug_fd, d->b, d->n);
			d->n = 0;
		}
		size_t k = sizeof d->b - d->n < n ? sizeof d->b - d->n : n;
		memcpy(d->b + d->n, s, k);
		d->n += k;
		s += k;
		n -= k;
	}
}

static void dnum(struct dbuf *d, unsigned long v, int base, int width, char fill)
{
	char t[24];
	int k = (int)sizeof t;
	do {
		t[--k] = "0123456789abcdef"[v % (unsigned)base];
		v /= (unsigned)base;
	} while (v);
	while ((int)sizeof t - k < width && k > 0)
		t[--k] = fill;
	dput(d, t + k, sizeof t - (size_t)k);
}

static void vdebug(int tag, const char *fmt, va_list ap)
{
	struct dbuf d;
	d.n = 0;
	char pid[12];
	int have_pid = 0;
	while (*fmt) {
		if (tag > 0) {
			if (!have_pid) {
				long p = sys_getpid();
				int k = 10;
				do {
					pid[--k] = (char)('0' + p % 10);
					p /= 10;
				} while (p && k > 0);
				while (k > 0)
					pid[--k] = ' ';
				pid[10] = ':';
				pid[11] = '\t';
				have_pid = 1;
			}
			dput(&d, pid, 12);
			tag = -1;
		}
		const char *start = fmt;
		while (*fmt && *fmt != '%' && *fmt != '\n')
			fmt++;
		dput(&d, start, (size_t)(fmt - start));
		if (*fmt == '%') {
			fmt++;
			char fill = ' ';
			int width = -1, prec = -1, lng = 0;
			if (*fmt == '0')
				fill = '0', fmt++;
			if (*fmt == '*')
				width = va_arg(ap, int), fmt++;
			else
				while (*fmt >= '0' && *fmt <= '9')
					width = (width < 0 ? 0 : width * 10) + (*fmt++ - '0');
			if (*fmt == '.' && fmt[1] == '*')
				prec = va_arg(ap, int), fmt += 2;
			while (*fmt == 'l' || *fmt == 'Z' || *fmt == 'z')
				lng = 1, fmt++;
			switch (*fmt) {
			case 'u':
			case 'x': {
				unsigned long v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
				dnum(&d, v, *fmt == 'u' ? 10 : 16, width, fill);
				break;
			}
			case 'd': {
				long v = lng ? va_arg(ap, long) : va_arg(ap, int);
				if (v < 0)
					dput(&d, "-", 1);
				dnum(&d, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, width, fill);
				break;
			}
			case 's': {
				const char *s = va_arg(ap, const char *);
				size_t n = strlen(s);
				if (prec >= 0 && (size_t)prec < n)
					n = (size_t)prec;
				dput(&d, s, n);
				break;
			}
			case '%':
				dput(&d, "%", 1);
				break;
			default:
				break;
			}
			if (*fmt)
				fmt++;
		} else if (*fmt == '\n') {
			dput(&d, "\n", 1);
			tag = 1;
			fmt++;
		}
	}
	if (d.n)
		sys_write(debug_fd, d.b, d.n);
}

void lddebug_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdebug(1, fmt, ap);
	va_end(ap);
}

void lddebug_printf_c(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdebug(-1, fmt, ap);
	va_end(ap);
}

/* glibc's DSO_FILENAME (l_name): the program (l_name "") is called by argv[0]. */
const char *lddebug_name(const struct obj *o)
{
	if (!o)
		return "";
	if (o->is_main || !o->l_name || !*o->l_name)
		return L.prog_argv0 && *L.prog_argv0 ? L.prog_argv0 : "<main program>";
	return o->l_name;
}

/* ---- LD_DEBUG itself (rtld.c process_dl_debug: names separated by spaces, commas or colons) */
static const struct {
	const char *name, *help;
	unsigned mask;
} opts[] = {
	{ "libs", "display library search paths", LDD_LIBS | LDD_IMPCALLS },
	{ "reloc", "display relocation processing", LDD_RELOC | LDD_IMPCALLS },
	{ "files", "display progress for input file", LDD_FILES | LDD_IMPCALLS },
	{ "symbols", "display symbol table processing", LDD_SYMBOLS | LDD_IMPCALLS },
	{ "bindings", "display information about symbol binding", LDD_BINDINGS | LDD_IMPCALLS },
	{ "versions", "display version dependencies", LDD_VERSIONS | LDD_IMPCALLS },
	{ "scopes", "display scope information", LDD_SCOPES },
#if GLIBC_LAYOUT_MINOR >= 43 /* 2.43 added tls and security (their own lines are not produced by elfld) */
	{ "tls", "display TLS structures processing", LDD_TLS },
	{ "security", "show security warnings for input files", LDD_SECURITY },
	{ "all", "all previous options combined",
	  LDD_LIBS | LDD_RELOC | LDD_FILES | LDD_SYMBOLS | LDD_BINDINGS | LDD_VERSIONS | LDD_IMPCALLS | LDD_SCOPES |
		  LDD_TLS | LDD_SECURITY },
#else
	{ "all", "all previous options combined",
	  LDD_LIBS | LDD_RELOC | LDD_FILES | LDD_SYMBOLS | LDD_BINDINGS | LDD_VERSIONS | LDD_IMPCALLS | LDD_SCOPES },
#endif
	{ "statistics", "display relocation statistics", LDD_STATISTICS },
	{ "unused", "determined unused DSOs", LDD_UNUSED },
	{ "help", "display this help message and exit", LDD_HELP },
};

static int is_sep(char c) { return c == ' ' || c == ',' || c == ':'; }

static void parse(const char *s, int *any)
{
	while (*s) {
		if (is_sep(*s)) {
			s++;
			continue;
		}
		size_t len = 1;
		while (s[len] && !is_sep(s[len]))
			len++;
		size_t k;
		for (k = 0; k < ARRAY_LEN(opts); k++)
			if (strlen(opts[k].name) == len && memcmp(s, opts[k].name, len) == 0) {
				lddebug_mask |= opts[k].mask;
				*any = 1;
				break;
			}
		if (k == ARRAY_LEN(opts)) {
			char copy[256];
			size_t n = len < sizeof copy - 1 ? len : sizeof copy - 1;
			memcpy(copy, s, n);
			copy[n] = 0;
			u_err("warning: debug option `%s' unknown; try LD_DEBUG=help\n", copy);
		}
		s += len;
	}
	if (lddebug_mask & LDD_HELP) {
		char b[2048];
		struct outbuf ob;
		ob_init(&ob, 1, b, sizeof b);
		ob_printf(&ob, "Valid options for the LD_DEBUG environment variable are:\n\n");
		for (size_t k = 0; k < ARRAY_LEN(opts); k++)
			ob_printf(&ob, "  %s%s%s\n", opts[k].name, "         " + strlen(opts[k].name) - 3, opts[k].help);
		ob_printf(&ob, "\nTo direct the debugging output into a file instead of standard output\n"
			       "a filename can be specified using the LD_DEBUG_OUTPUT environment variable.\n");
		ob_flush(&ob);
		sys_exit_group(0);
	}
}

void lddebug_init(void)
{
	const char *output = 0;
	int any = 0;
	for (char **e = L.envp; *e; e++) {
		if (u_startswith(*e, "LD_DEBUG=")) {
#if GLIBC_LAYOUT_MINOR >= 39 /* process_envvars_secure: LD_DEBUG is not even read for set-user-ID programs */
			if (L.secure)
				continue;
#endif
			parse(*e + 9, &any);
		} else if (u_startswith(*e, "LD_DEBUG_OUTPUT="))
			output = *e + 16;
	}
	if (lddebug_mask & LDD_STATISTICS)
		lddebug_time(0);
	if (L.secure) {
		/* 2.36: parsed (warnings, help) but off unless /etc/suid-debug exists; LD_DEBUG_OUTPUT ignored */
		if (sys_call(SYS_access, "/etc/suid-debug", 0 /* F_OK */, 0) != 0)
			lddebug_mask = 0;
		return;
	}
#if GLIBC_LAYOUT_MINOR >= 39
	any = lddebug_mask != 0;
#endif
	if (any && output) {
		char path[4096];
		u_snprintf(path, sizeof path, "%s.%ld", output, sys_getpid());
		long fd = sys_open(path, 1 /* O_WRONLY */ | 02000 /* O_APPEND */ | K_O_CREAT | 0400000 /* O_NOFOLLOW */, 0666);
		debug_fd = fd < 0 ? 1 : (int)fd; /* glibc: standard output if the file cannot be opened */
	}
}

/* libc prints "initialize program" and "transferring control" itself (csu/libc-start.c), through these. */
void lddebug_glro(void)
{
	extern unsigned char _rtld_global_ro[];
	*(unsigned *)(void *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_debug_mask) = lddebug_mask;
	*(int *)(void *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_debug_fd) = debug_fd;
	*(void **)(void *)(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_debug_printf) = (void *)lddebug_printf;
}

/* ---- files */
void lddebug_needed(const char *name, const struct obj *req)
{
	if (lddebug_dlopen_root == 2) /* dlmopen of a path: glibc knows no loader to name */
		return;
	if (!req)
		req = L.main; /* a preload: glibc loads it for the program's map */
	lddebug_printf(lddebug_dlopen_root ? "\nfile=%s [%lu];  dynamically loaded by %s [%lu]\n"
					   : "\nfile=%s [%lu];  needed by %s [%lu]\n",
		       name, (unsigned long)L.load_ns, lddebug_name(req), (unsigned long)req->ns);
}

void lddebug_mapped(const char *name, const struct obj *o, int before)
{
	if (before) {
		lddebug_printf("file=%s [%lu];  generating link map\n", name, (unsigned long)L.load_ns);
		return;
	}
	/* glibc's maplength: from the first PT_LOAD's page to the end of the last one's memory */
	uintptr_t lo = 0, hi = 0;
	int first = 1;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_LOAD) {
			if (first)
				lo = ALIGN_DOWN(o->phdr[i].p_vaddr, PAGE_SIZE);
			first = 0;
			hi = o->phdr[i].p_vaddr + o->phdr[i].p_memsz;
		}
	lddebug_printf("  dynamic: 0x%0*lx  base: 0x%0*lx   size: 0x%0*Zx\n"
		       "    entry: 0x%0*lx  phdr: 0x%0*lx  phnum:   %*u\n\n",
		       16, (unsigned long)o->l_ld, 16, (unsigned long)o->l_addr, 16,
		       (unsigned long)(hi - lo), 16, (unsigned long)o->entry, 16,
		       (unsigned long)o->phdr, 16, (unsigned)o->phnum);
}

/* ---- symbols and bindings */
void lddebug_lookup_error(const char *objname, const char *name, const char *ver)
{
	if (lddebug_mask & ~LDD_STATISTICS)
		lddebug_printf("%s: error: symbol lookup error: undefined symbol: %s%s%s (fatal)\n", objname, name,
			       ver && *ver ? ", version " : "", ver && *ver ? ver : "");
}

void lddebug_lookup(const char *name, const struct obj *in)
{
	if (!lddebug_quiet)
		lddebug_printf("symbol=%s;  lookup in file=%s [%lu]\n", name, lddebug_name(in), (unsigned long)in->ns);
}

void lddebug_binding(const struct obj *req, const struct obj *def, const char *name, const char *ver,
		     int protected_ref)
{
	if (lddebug_quiet || !(lddebug_mask & LDD_BINDINGS))
		return;
	lddebug_printf("binding file %s [%lu] to %s [%lu]: %s symbol `%s'", lddebug_name(req), (unsigned long)req->ns,
		       lddebug_name(def), (unsigned long)def->ns, protected_ref ? "protected" : "normal", name);
	if (ver)
		lddebug_printf_c(" [%s]\n", ver);
	else
		lddebug_printf_c("\n");
}

/* What setup_vdso_pointers asks the vDSO for (the version is LINUX_2.6), before the libraries are loaded. */
void lddebug_vdso(void)
{
	static const char *const names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
					     "__vdso_getcpu", "__vdso_clock_getres",
#if GLIBC_LAYOUT_MINOR >= 41
					     "__vdso_getrandom",
#endif
	};
	if (!L.vdso)
		return;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		lddebug_nlookups++;
		if (lddebug_mask & LDD_SYMBOLS)
			lddebug_lookup(names[i], L.vdso);
		const Elf64_Sym *s = obj_lookup_flags(L.vdso, names[i], gnu_hash_name(names[i]), sysv_hash_name(names[i]),
						      "LINUX_2.6", sysv_hash_name("LINUX_2.6"), 0);
		if (s)
			lddebug_binding(L.vdso, L.vdso, names[i], "LINUX_2.6", 0);
	}
}

/* RESOLVE_MAP (elf/dl-reloc.c): a symbol that is not local and not of hidden/protected/internal
 * visibility is looked up unless it is the symbol and type class of the object's previous lookup. */
static const struct obj *cache_obj;
static const Elf64_Sym *cache_sym;
static int cache_class;

int lddebug_reloc_cached(const struct obj *o, uint32_t symidx, uint32_t type)
{
	const Elf64_Sym *s = &o->symtab[symidx];
	int cls = (type == R_X86_64_JUMP_SLOT || type == R_X86_64_DTPMOD64 || type == R_X86_64_DTPOFF64 ||
		   type == R_X86_64_TPOFF64 || type == R_X86_64_TLSDESC)
			  ? 1
			  : type == R_X86_64_COPY ? 2 : 0;
	if (ELF64_ST_BIND(s->st_info) == STB_LOCAL || ELF64_ST_VISIBILITY(s->st_other) != STV_DEFAULT)
		return 1;
	if (cache_obj == o && cache_sym == s && cache_class == cls) {
		lddebug_ncached++;
		return 1;
	}
	cache_obj = o;
	cache_sym = s;
	cache_class = cls;
	return 0;
}

/* ---- reloc */
void lddebug_reloc_begin(const struct obj *o, int lazy)
{
	cache_obj = 0;
	if (lddebug_mask & LDD_RELOC)
		lddebug_printf("\nrelocation processing: %s%s\n", lddebug_name(o), lazy ? " (lazy)" : "");
}

/* After the objects are relocated glibc's ld.so switches to libc's malloc (__rtld_malloc_init_real, as
 * elfld does then: the program's scope asked for calloc, free, malloc, realloc), then relocates itself
 * ("relocation processing" without "(lazy)"). What 2.36's ld.so binds in its own relocation
 * (_dl_catch_exception & co., in libc before 2.37) elfld does not print: it relocates nothing of its own. */
#ifdef GLIBC_HAS_DEBUG_POST_RELOCATE
static int obj_in_scope(const struct obj *o)
{
	for (int k = 0; k < L.ns[0].global.n; k++)
		if (L.ns[0].global.v[k] == o)
			return 1;
	return 0;
}
#endif

void lddebug_rtld(void)
{
	static const char *const names[] = { "calloc", "free", "malloc", "realloc" };
#if GLIBC_LAYOUT_MINOR >= 41 /* ld.so relocates itself first, then switches malloc */
	if (lddebug_mask & LDD_RELOC)
		lddebug_printf("\nrelocation processing: %s\n", lddebug_name(L.rtld));
#endif
	for (size_t i = 0; i < ARRAY_LEN(names) && (lddebug_mask & (LDD_SYMBOLS | LDD_BINDINGS | LDD_STATISTICS)); i++) {
		const char *ver = "GLIBC_2.2.5";
		lddebug_nlookups++;
		for (int k = 0; k < L.ns[0].global.n; k++) {
			struct obj *o = L.ns[0].global.v[k];
			if (lddebug_mask & LDD_SYMBOLS)
				lddebug_lookup(names[i], o);
			if (obj_lookup_flags(o, names[i], gnu_hash_name(names[i]), sysv_hash_name(names[i]), ver,
					     sysv_hash_name(ver), 0)) {
				lddebug_binding(L.main, o, names[i], ver, 0);
				if (audit_n) /* LD_AUDIT: la_symbind64 for it, between the lines as glibc */
					audit_malloc_lookup(names[i]);
				break;
			}
		}
	}
#if GLIBC_LAYOUT_MINOR < 41
	if (lddebug_mask & LDD_RELOC)
		lddebug_printf("\nrelocation processing: %s\n", lddebug_name(L.rtld));
#endif
#ifdef GLIBC_HAS_DEBUG_POST_RELOCATE
	/* _dl_debug_post_relocate: the program's scope asked for `_r_debug' (a copy-relocated one is updated),
	 * found in ld.so: elfld */
	if (lddebug_mask & (LDD_SYMBOLS | LDD_BINDINGS | LDD_STATISTICS)) {
		lddebug_nlookups++;
		struct obj *found = 0;
		for (int k = 0; k <= L.ns[0].global.n && !found; k++) {
			struct obj *o = k < L.ns[0].global.n ? L.ns[0].global.v[k] : L.rtld;
			if (k == L.ns[0].global.n && (!o || obj_in_scope(o)))
				break;
			if (lddebug_mask & LDD_SYMBOLS)
				lddebug_lookup("_r_debug", o);
			if (obj_lookup_flags(o, "_r_debug", gnu_hash_name("_r_debug"), sysv_hash_name("_r_debug"), 0, 0, 0))
				found = o;
		}
		if (found)
			lddebug_binding(L.main, found, "_r_debug", 0, 0);
	}
#endif
}

/* ---- scopes: rtld.c's "Initial object scopes" (elf/dl-open.c _dl_show_scope) */
static void show_scope_list(unsigned n, const struct dep_list *l)
{
	lddebug_printf(" scope %u:", n);
	for (int i = 0; i < l->n; i++)
		lddebug_printf_c(" %s", lddebug_name(l->v[i]));
	lddebug_printf_c("\n");
}

void lddebug_scopes(void)
{
	lddebug_printf("\nInitial object scopes\n");
	for (struct obj *o = L.ns[0].head; o; o = o->l_next) {
		lddebug_printf("object=%s [%lu]\n", lddebug_name(o), (unsigned long)o->ns);
		if (o->is_rtld)
			lddebug_printf(" no scope\n");
		else {
			show_scope_list(0, &L.ns[0].global);
			if (o->is_vdso) {
				struct obj *self[1] = { o };
				struct dep_list l = { self, 1, 1 };
				show_scope_list(1, &l);
			}
		}
		lddebug_printf("\n");
	}
}

/* One object's scopes from `from` on, as glibc's _dl_show_scope prints its l_scope: the namespace's global
 * scope, then (a dlopened object) its dlopen's, the other way round for RTLD_DEEPBIND; ld.so has none. */
static void show_scopes(const struct obj *o, int from)
{
	lddebug_printf("object=%s [%lu]\n", lddebug_name(o), (unsigned long)o->ns);
	if (o->is_rtld && !o->is_proxy) {
		lddebug_printf(" no scope\n\n");
		return;
	}
	const struct dep_list *s[2];
	int n = obj_scopes(o, s);
	for (int i = from; i < n; i++)
		show_scope_list((unsigned)i, s[i]);
	lddebug_printf("\n");
}

/* A dlopen's scopes: the new object's once mapped (after_reloc 0), then, relocated, those of every object
 * of its search list (dl-open.c update_scopes). glibc also adds the new search list to the scopes of
 * objects an earlier dlopen loaded and prints that addition; elfld keeps one dlopen scope per object, so
 * those are left out. */
void lddebug_dlopen_scopes(const struct obj *root, int after_reloc)
{
	if (!after_reloc) {
		show_scopes(root, 0);
		return;
	}
	for (int i = 0; i < root->local_scope.n; i++) {
		const struct obj *o = root->local_scope.v[i];
		if (o->initialized && o->dlopened) /* loaded by an earlier dlopen */
			continue;
		show_scopes(o, 0);
	}
}

/* ---- unused (ldd -u): LD_TRACE_LOADED_OBJECTS with LD_DEBUG=unused. As rtld.c: the program's relocations
 * are resolved (lookups only here: nothing is written and no IFUNC resolver runs, glibc's __RTLD_NOIFUNC),
 * each definition marking its object used; then, walking the object list along the program's DT_NEEDED
 * entries (the vDSO skipped), the libraries nothing was bound to are listed. Returns the exit status:
 * 1 if any was listed. */
static void mark_used_by(const Elf64_Rela *r, size_t n, struct dep_list *used)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t symidx = (uint32_t)ELF64_R_SYM(r[i].r_info), type = (uint32_t)ELF64_R_TYPE(r[i].r_info);
		if (!symidx || symidx >= L.main->nsyms || ELF64_ST_BIND(L.main->symtab[symidx].st_info) == STB_LOCAL)
			continue;
		struct sym_ref ref;
		if (lookup_symbol(obj_symname(L.main, &L.main->symtab[symidx]), L.main, symidx, reloc_lookup_flags(type),
				  &ref))
			dep_push(used, ref.obj);
	}
}

int lddebug_unused(void)
{
	struct dep_list used = { 0, 0, 0 };
	mark_used_by(L.main->rela, L.main->relasz / sizeof(Elf64_Rela), &used);
	mark_used_by(L.main->jmprel, L.main->pltrelsz / sizeof(Elf64_Rela), &used);
	char b[4096];
	struct outbuf ob;
	ob_init(&ob, 1, b, sizeof b);
	int first = 1;
	struct obj *l = L.main;
	for (int k = 0; k < L.main->nneeded && l; k++) {
		l = l->l_next;
		if (l && l->is_vdso)
			l = l->l_next;
		if (!l)
			break;
		int is_used = 0;
		for (int i = 0; i < used.n && !is_used; i++)
			is_used = used.v[i] == l;
		if (!is_used) {
			if (first)
				ob_printf(&ob, "Unused direct dependencies:\n");
			first = 0;
			ob_printf(&ob, "\t%s\n", l->l_name);
		}
	}
	ob_flush(&ob);
	u_free(used.v);
	return !first;
}

/* ---- statistics (rtld.c print_statistics, dl-fini.c): the counts glibc keeps; the cycles are elfld's own
 * (rdtsc from lddebug_init; loading and relocation as elfld splits them) */
static uint64_t t_start, t_load, t_reloc;

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void lddebug_time(int what)
{
	static uint64_t t0;
	uint64_t t = rdtsc();
	if (what == 0)
		t_start = t;
	else if (what == 1 || what == 3)
		t0 = t;
	else if (what == 2)
		t_load += t - t0;
	else
		t_reloc += t - t0;
}

static void statistics_item(const char *title, uint64_t t, uint64_t total)
{
	char rel[8], *w = rel, digits[24];
	size_t n = u_fmt_dec(digits, total ? 1000 * t / total : 0);
	const char *c = digits;
	switch (n) { /* glibc's: the per mille with a decimal point before its last digit */
	case 3:
		*w++ = *c++;
		/* fall through */
	case 2:
		*w++ = *c++;
		/* fall through */
	case 1:
		*w++ = '.';
		*w++ = *c++;
	}
	*w = 0;
	lddebug_printf("%s: %lu cycles (%s%%)\n", title, (unsigned long)t, rel);
}

void lddebug_statistics(int at_exit)
{
	if (at_exit) {
		lddebug_printf("\nruntime linker statistics:\n"
			       "           final number of relocations: %lu\n"
			       "final number of relocations from cache: %lu\n",
			       lddebug_nlookups, lddebug_ncached);
		return;
	}
	unsigned long relative = 0; /* DT_RELACOUNT of the program's search list, objects not at their link address */
	for (int i = 0; i < L.ns[0].global.n; i++) {
		const struct obj *o = L.ns[0].global.v[i];
		for (const Elf64_Dyn *d = o->l_addr && !o->is_rtld ? o->l_ld : 0; d && d->d_tag != DT_NULL; d++)
			if (d->d_tag == DT_RELACOUNT)
				relative += d->d_un.d_val;
	}
	uint64_t total = rdtsc() - t_start;
	lddebug_printf("\nruntime linker statistics:\n"
		       "  total startup time in dynamic loader: %lu cycles\n",
		       (unsigned long)total);
	statistics_item("            time needed for relocation", t_reloc, total);
	lddebug_printf("                 number of relocations: %lu\n"
		       "      number of relocations from cache: %lu\n"
		       "        number of relative relocations: %lu\n",
		       lddebug_nlookups, lddebug_ncached, relative);
	statistics_item("           time needed to load objects", t_load, total);
}
