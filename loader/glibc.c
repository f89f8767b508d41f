/* What glibc's libc.so.6 needs from its dynamic linker, provided by elfld (see docs/glibc.md and
 * ../shared/glibc-2.36-rtld.md): the exported globals `_rtld_global`/`_rtld_global_ro`, a glibc
 * `struct link_map` at the start of every `struct obj`, the function pointers libc calls (dlopen, dlsym,
 * _dl_find_object, ...), and the start-up duties glibc's ld.so does (__tls_init_tp, __libc_early_init).
 * Every private offset comes from glibc_layout.h, generated from libc6-dbg's DWARF at build time; a libc
 * with another build-id is refused. */
#include "glibc.h"
#include "glibc_version.h"
#include "elfld.h"
#include "lddebug.h"
#include "events.h"
#include "sys.h"
#include "tls.h"

/* ---- exported data (ld.so's ABI) */
EXPORT unsigned char _rtld_global[GLIBC_SIZEOF_rtld_global] __attribute__((aligned(64)));
EXPORT unsigned char _rtld_global_ro[GLIBC_SIZEOF_rtld_global_ro] __attribute__((aligned(64)));
EXPORT int __libc_enable_secure;
EXPORT void *__libc_stack_end;
EXPORT char **_dl_argv;
EXPORT unsigned int __rseq_size;
EXPORT long __rseq_offset;
EXPORT unsigned int __rseq_flags;

int glibc_mode HIDDEN;
static struct obj *libc_obj;
/* Functions of libc elfld calls (found by symbol once libc is relocated). */
static void (*libc_signal_error)(int, const char *, const char *, const char *);
static void *(*libc_malloc)(size_t);
static void (*libc_free)(void *);
static int (*libc_mutex_lock)(void *), (*libc_mutex_unlock)(void *);

/* GL(dl_load_lock) and GL(dl_load_write_lock) are pthread mutexes (recursive) that libc takes itself:
 * dladdr and dl_iterate_phdr read the object list under them. elfld takes the same ones with libc's
 * functions once libc is relocated (before that there is one thread). */
int glibc_lock(int which, int on)
{
	if (!glibc_mode || !libc_mutex_lock)
		return 0;
	void *m = _rtld_global + (which ? GLIBC_OFF_rtld_global___dl_load_write_lock : GLIBC_OFF_rtld_global___dl_load_lock);
	(on ? libc_mutex_lock : libc_mutex_unlock)(m);
	return 1;
}

/* Dynamic TLS blocks and error strings that libc may free() must come from libc's malloc once it exists
 * (glibc's ld.so switches to libc's malloc after relocation in the same way). */
void *rt_malloc(size_t n) { return libc_malloc ? libc_malloc(n) : u_alloc(n); }
void rt_free(void *p)
{
	if (libc_free)
		libc_free(p);
	else
		u_free(p);
}

#define GL(field) (_rtld_global + GLIBC_OFF_rtld_global__##field)
#define GLRO(field) (_rtld_global_ro + GLIBC_OFF_rtld_global_ro__##field)
#define NS0(field) (GL(_dl_ns) + GLIBC_OFF_link_namespaces__##field)
#define PUT(addr, type, v) (*(type *)(void *)(addr) = (type)(v))
#define LM(o, field) ((unsigned char *)(o) + GLIBC_OFF_link_map__##field)
#define PD(tp, field) ((unsigned char *)(tp) + GLIBC_OFF_pthread__##field)

static void set_bits(unsigned char *base, unsigned bitoff, unsigned bits, unsigned v)
{
	for (unsigned i = 0; i < bits; i++) {
		unsigned b = bitoff + i;
		if (v >> i & 1)
			base[b / 8] |= (unsigned char)(1u << (b % 8));
		else
			base[b / 8] &= (unsigned char)~(1u << (b % 8));
	}
}
#define LM_BIT(o, field, v) \
	set_bits((unsigned char *)(o), GLIBC_BITOFF_link_map__##field, GLIBC_BITSIZE_link_map__##field, (v))

/* ---- struct link_map */

/* DT_THISPROCNUM: l_info[] entries for processor-specific tags, after the standard ones (none on x86-64
 * before glibc 2.39; DT_X86_64_NUM = 4 since, for -z mark-plt). Derived from l_info's length in the DWARF:
 * the other counts are the build's <elf.h>, which is that glibc's. */
#define GLIBC_DT_THISPROCNUM \
	(GLIBC_NELEM_link_map__l_info - DT_NUM - DT_VERSIONTAGNUM - DT_EXTRANUM - DT_VALNUM - DT_ADDRNUM)
_Static_assert(GLIBC_DT_THISPROCNUM >= 0 && GLIBC_DT_THISPROCNUM <= 16, "l_info[] is not laid out as expected");

/* glibc's l_info[] index for a dynamic tag (elf/get-dynamic-info.h). */
static int info_index(int64_t tag)
{
	const int base_ver = DT_NUM + GLIBC_DT_THISPROCNUM;
	if (tag >= 0 && tag < DT_NUM)
		return (int)tag;
	if (tag >= DT_LOPROC && tag < DT_LOPROC + GLIBC_DT_THISPROCNUM)
		return DT_NUM + (int)(tag - DT_LOPROC);
	if ((uint64_t)DT_VERSIONTAGIDX(tag) < DT_VERSIONTAGNUM)
		return base_ver + (int)DT_VERSIONTAGIDX(tag);
	if ((uint32_t)DT_EXTRATAGIDX(tag) < DT_EXTRANUM)
		return base_ver + DT_VERSIONTAGNUM + (int)DT_EXTRATAGIDX(tag);
	if ((uint64_t)DT_VALTAGIDX(tag) < DT_VALNUM)
		return base_ver + DT_VERSIONTAGNUM + DT_EXTRANUM + (int)DT_VALTAGIDX(tag);
	if ((uint64_t)DT_ADDRTAGIDX(tag) < DT_ADDRNUM)
		return base_ver + DT_VERSIONTAGNUM + DT_EXTRANUM + DT_VALNUM + (int)DT_ADDRTAGIDX(tag);
	return -1;
}

static void fill_scope(unsigned char *scope_elem, struct dep_list *l)
{
	PUT(scope_elem + GLIBC_OFF_r_scope_elem__r_list, struct obj **, l->v);
	PUT(scope_elem + GLIBC_OFF_r_scope_elem__r_nlist, unsigned, l->n);
}

/* Fill the glibc link_map that lives at the start of `o`. */
/* l_origin (dlinfo RTLD_DI_ORIGIN, $ORIGIN): the directory of the object's file, the program's real one
 * as glibc reads it from /proc/self/exe; (char *)-1 when there is no file (the vDSO). */
static const char *origin_of(struct obj *o)
{
	const char *p = o->is_main && L.main_realpath ? L.main_realpath : o->abspath;
	if (!p || p[0] != '/' || o->is_vdso)
		return (const char *)-1;
	const char *slash = u_strrchr(p, '/');
	return slash == p ? "/" : u_strndup(p, (size_t)(slash - p));
}

void glibc_fill_link_map(struct obj *o)
{
	PUT(LM(o, l_real), struct obj *, o->is_proxy ? L.rtld : o);
	PUT(LM(o, l_ns), long, o->ns);
	/* l_info points at the object's own dynamic entries. glibc rebases some in place; we leave
	 * .dynamic untouched and set l_ld_readonly, which makes libc's D_PTR add l_addr itself. */
	struct obj **info = (struct obj **)LM(o, l_info);
	(void)info;
	Elf64_Dyn **li = (Elf64_Dyn **)LM(o, l_info);
	if (o->l_ld)
		for (Elf64_Dyn *d = o->l_ld; d->d_tag != DT_NULL; d++) {
			int i = info_index(d->d_tag);
			if (i >= 0 && i < GLIBC_NELEM_link_map__l_info)
				li[i] = d;
		}
	LM_BIT(o, l_ld_readonly, 1);
	PUT(LM(o, l_phdr), const Elf64_Phdr *, o->phdr);
	PUT(LM(o, l_phnum), uint16_t, o->phnum);
	PUT(LM(o, l_entry), uintptr_t, o->entry);
	uint16_t ldnum = 0;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_DYNAMIC)
			ldnum = (uint16_t)(o->phdr[i].p_memsz / sizeof(Elf64_Dyn));
	PUT(LM(o, l_ldnum), uint16_t, ldnum);
	PUT(LM(o, l_map_start), uintptr_t, o->map_start);
	PUT(LM(o, l_map_end), uintptr_t, o->map_end);
#ifdef GLIBC_OFF_link_map__l_text_end /* gone in 2.41 */
	uintptr_t text_end = o->map_start;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_LOAD && (o->phdr[i].p_flags & PF_X))
			text_end = o->l_addr + o->phdr[i].p_vaddr + o->phdr[i].p_memsz;
	PUT(LM(o, l_text_end), uintptr_t, text_end);
#endif
	LM_BIT(o, l_type, o->is_main ? 0 /* lt_executable */ : o->dlopened ? 2 /* lt_loaded */ : 1 /* lt_library */);
	LM_BIT(o, l_main_map, o->is_main);
	LM_BIT(o, l_contiguous, 1);
	PUT(LM(o, l_flags), uint32_t, o->flags);
	PUT(LM(o, l_flags_1), uint32_t, o->flags_1);
	/* GNU hash (dladdr and libc's own lookups use these). */
	if (o->gnu_hash) {
		PUT(LM(o, l_nbuckets), uint32_t, o->gnu_nbuckets);
		PUT(LM(o, l_gnu_bitmask_idxbits), uint32_t, o->gnu_bloom_size - 1);
		PUT(LM(o, l_gnu_shift), uint32_t, o->gnu_bloom_shift);
		PUT(LM(o, l_gnu_bitmask), const uint64_t *, o->gnu_bloom);
		PUT(LM(o, l_gnu_buckets), const uint32_t *, o->gnu_buckets);
		PUT(LM(o, l_gnu_chain_zero), const uint32_t *, o->gnu_chain);
	} else if (o->sysv_hash) {
		PUT(LM(o, l_nbuckets), uint32_t, o->sysv_hash[0]);
		PUT(LM(o, l_buckets), const uint32_t *, o->sysv_hash + 2);
		PUT(LM(o, l_chain), const uint32_t *, o->sysv_hash + 2 + o->sysv_hash[0]);
	}
	PUT(LM(o, l_versyms), const uint16_t *, o->versym);
	PUT(LM(o, l_loader), struct obj *, o->loader);
	PUT(LM(o, l_origin), const char *, origin_of(o));
	/* Identity and names. */
	PUT(LM(o, l_file_id) + GLIBC_OFF_r_file_id__dev, uint64_t, o->dev);
	PUT(LM(o, l_file_id) + GLIBC_OFF_r_file_id__ino, uint64_t, o->ino);
	if (!o->libname)
		o->libname = u_zalloc(GLIBC_SIZEOF_libname_list);
	unsigned char *ln = o->libname;
	PUT(ln + GLIBC_OFF_libname_list__name, const char *, o->soname ? o->soname : o->l_name);
	PUT(ln + GLIBC_OFF_libname_list__dont_free, int, 1);
	PUT(LM(o, l_libname), unsigned char *, ln);
	/* TLS */
	if (o->tls_modid) {
		PUT(LM(o, l_tls_initimage), const void *, o->tls_image);
		PUT(LM(o, l_tls_initimage_size), size_t, o->tls_filesz);
		PUT(LM(o, l_tls_blocksize), size_t, o->tls_memsz);
		PUT(LM(o, l_tls_align), size_t, o->tls_align);
		PUT(LM(o, l_tls_firstbyte_offset), size_t, o->tls_align ? (o->tls_image ? ((uintptr_t)o->tls_image - o->l_addr) & (o->tls_align - 1) : 0) : 0);
		PUT(LM(o, l_tls_offset), long, o->tls_static ? o->tls_offset : -1 /* NO_TLS_OFFSET... dynamic */);
		PUT(LM(o, l_tls_modid), size_t, o->tls_modid);
	}
	PUT(LM(o, l_relro_addr), uintptr_t, o->relro_start ? o->relro_start - o->l_addr : 0);
	PUT(LM(o, l_relro_size), size_t, o->relro_end - o->relro_start);
	PUT(LM(o, l_direct_opencount), unsigned, o->is_main ? 1 : 0);
	PUT(LM(o, l_used), unsigned, 1);
	/* Scope: the global scope first, then (for dlopened objects) their own. */
	fill_scope(LM(o, l_searchlist), o->is_main ? &L.ns[0].global : &o->local_scope);
	/* A dlmopen namespace's global scope is its first object's search list (glibc's _dl_new_object). */
	struct obj *main = o->ns ? L.ns[o->ns].head : L.main;
	unsigned char **scope_mem = (unsigned char **)LM(o, l_scope_mem);
	scope_mem[0] = LM(main, l_searchlist);
	if (o->deepbind) { /* dlsym from it: its dlopen's scope first, as glibc's RTLD_DEEPBIND */
		scope_mem[0] = LM(o->deepbind, l_searchlist);
		scope_mem[1] = LM(main, l_searchlist);
	} else if (o->dlopened && !o->global && o != main)
		scope_mem[1] = LM(o, l_searchlist);
	PUT(LM(o, l_scope_max), size_t, GLIBC_NELEM_link_map__l_scope_mem);
	PUT(LM(o, l_scope), unsigned char **, scope_mem);
	unsigned char **local = (unsigned char **)LM(o, l_local_scope);
	local[0] = LM(o, l_searchlist);
}

/* What glibc_fill_link_map allocated, when the object is freed. */
void glibc_free_link_map(struct obj *o)
{
	char *origin = *(char **)LM(o, l_origin);
	if (origin && origin != (char *)-1 && u_strcmp(origin, "/"))
		u_free(origin);
}

/* The object's own search list changed (dlopen built it): point l_searchlist at it again. */
void glibc_refresh_searchlist(struct obj *o)
{
	if (glibc_mode && !o->is_main)
		fill_scope(LM(o, l_searchlist), &o->local_scope);
}

/* After relocation and initializers, tell glibc the objects are done. */
void glibc_mark_done(struct obj *o)
{
	LM_BIT(o, l_relocated, 1);
	LM_BIT(o, l_init_called, 1);
	LM_BIT(o, l_global, o->global || !o->dlopened);
	PUT(LM(o, l_tls_offset), long, o->tls_modid ? (o->tls_static ? o->tls_offset : -1) : 0);
}

/* libc's __cxa_thread_atexit_impl counts, in the link_map of the object a thread_local's destructor lives
 * in, the destructors registered and not yet run (l_tls_dtor_count); glibc's dlclose keeps such an object
 * loaded, or a thread's exit would call into unmapped code. */
int glibc_tls_dtors_pending(struct obj *o)
{
	return glibc_mode && __atomic_load_n((size_t *)LM(o, l_tls_dtor_count), __ATOMIC_ACQUIRE) != 0;
}

/* ---- glibc's slotinfo list (libthread_db and libc read it; elfld's own registry is in tls.c) */
#define SLOTINFO_LEN 1024
static unsigned char *slotinfo_list;

void glibc_tls_slot(size_t modid, struct obj *o, uint64_t gen)
{
	if (!glibc_mode)
		return;
	if (!slotinfo_list) {
		slotinfo_list = u_zalloc(GLIBC_SIZEOF_dtv_slotinfo_list + SLOTINFO_LEN * GLIBC_SIZEOF_dtv_slotinfo);
		PUT(slotinfo_list + GLIBC_OFF_dtv_slotinfo_list__len, size_t, SLOTINFO_LEN);
		PUT(GL(_dl_tls_dtv_slotinfo_list), unsigned char *, slotinfo_list);
	}
	if (modid >= SLOTINFO_LEN)
		return; /* libthread_db will not see it; elfld's registry still does */
	unsigned char *e = slotinfo_list + GLIBC_SIZEOF_dtv_slotinfo_list + modid * GLIBC_SIZEOF_dtv_slotinfo;
	PUT(e + GLIBC_OFF_dtv_slotinfo__gen, size_t, gen);
	PUT(e + GLIBC_OFF_dtv_slotinfo__map, struct obj *, o);
}

void glibc_tls_globals(void)
{
	if (!glibc_mode)
		return;
	PUT(GL(_dl_tls_max_dtv_idx), size_t, tls_max_modid);
	PUT(GL(_dl_tls_generation), size_t, tls_generation);
	PUT(GL(_dl_tls_static_used), size_t, tls_static_used);
	PUT(GLRO(_dl_tls_static_size), size_t, tls_static_size);
	PUT(GLRO(_dl_tls_static_align), size_t, tls_static_align);
	PUT(GLRO(_dl_tls_static_surplus), size_t, tls_static_surplus);
}

/* ---- functions libc calls through _rtld_global_ro */

static struct obj *obj_containing(uintptr_t a)
{
	FOR_EACH_OBJ(o) /* ld.so's own descriptor (namespace 0) before its proxies in other namespaces */
		if (a >= o->map_start && a < o->map_end)
			return o;
	return 0;
}

EXPORT struct obj *_dl_find_dso_for_object(uintptr_t addr)
{
	return obj_containing(addr); /* elfld itself too: dladdr names it /lib64/ld-linux-x86-64.so.2, as glibc */
}

/* C++ unwinding asks this for every frame: lock-free reads of an append-mostly list. */
static int find_object(void *pc, void *res)
{
	struct obj *o = obj_containing((uintptr_t)pc);
	if (!o)
		return -1;
	uintptr_t eh = 0;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_GNU_EH_FRAME)
			eh = o->l_addr + o->phdr[i].p_vaddr;
	uint64_t *r = res;
	r[0] = 0;
	r[1] = o->map_start;
	r[2] = o->map_end;
	r[3] = (uintptr_t)(o->is_rtld ? 0 : o);
	r[4] = eh;
	return 0;
}

#ifdef GLIBC_OFF_rtld_global_ro___dl_readonly_area
/* elf/dl-readonly-area.c (2.43): is [ptr, ptr+size) read-only memory of a loaded object? 0 read-only, 1
 * writable, 2 not found (libc then asks /proc/self/maps). */
static int readonly_area(const void *ptr, size_t size)
{
	uintptr_t start = (uintptr_t)ptr, end = start + size;
	struct obj *o = obj_containing(start);
	if (!o || o->is_rtld)
		return 2;
	for (int i = 0; i < o->phnum; i++) {
		const Elf64_Phdr *ph = &o->phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t from = o->l_addr + ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE);
		uintptr_t to = o->l_addr + ALIGN_UP(ph->p_vaddr + ph->p_filesz, PAGE_SIZE);
		if (from >= end || to <= start)
			continue;
		if (ph->p_flags & PF_W) /* RELRO is carved out of a writable segment */
			return o->relro_start && ALIGN_DOWN(o->relro_start, PAGE_SIZE) <= start &&
			       end <= ALIGN_DOWN(o->relro_end, PAGE_SIZE) ? 0 : 1;
		if (!(ph->p_flags & PF_R))
			return 1;
		if (from <= start && to >= end)
			return 0;
		size -= from <= start ? to - start : to >= end ? end - from : to - from;
		if (!size)
			break;
	}
	return size ? 2 : 0;
}
#endif

static void *tls_get_addr_soft(struct obj *o)
{
	size_t m = *(size_t *)LM(o, l_tls_modid);
	if (!m)
		return 0;
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	dtv_t *dtv = *(dtv_t **)(tp + TCB_OFF_DTV);
	if (m > dtv[-1].counter || dtv[m].pointer.val == TLS_DTV_UNALLOCATED)
		return 0;
	return dtv[m].pointer.val;
}

/* dlsym: libc's _dl_sym calls this with a scope (array of r_scope_elem*, NULL-terminated). */
static struct obj *lookup_symbol_x(const char *name, struct obj *undef_map, const Elf64_Sym **ref,
				   unsigned char **scope, const unsigned char *version, int type_class, int flags,
				   struct obj *skip)
{
	(void)undef_map;
	(void)type_class;
	const char *ver = version ? *(const char *const *)(version + GLIBC_OFF_r_found_version__name) : 0;
	uint32_t vh = version ? *(const uint32_t *)(version + GLIBC_OFF_r_found_version__hash) : 0;
	int lflags = (flags & 2 /* DL_LOOKUP_RETURN_NEWEST */) ? LOOKUP_NEWEST : 0;
	if (version && *(const int *)(version + GLIBC_OFF_r_found_version__hidden))
		lflags |= LOOKUP_VER_HIDDEN;
	uint32_t gh = gnu_hash_name(name), sh = sysv_hash_name(name);
	for (int first = 1; scope && *scope; scope++, first = 0) {
		struct obj **list = *(struct obj ***)(*scope + GLIBC_OFF_r_scope_elem__r_list);
		unsigned n = *(unsigned *)(*scope + GLIBC_OFF_r_scope_elem__r_nlist);
		unsigned start = 0;
		if (skip && first) {
			/* RTLD_NEXT: the first definition after `skip` in the first scope, as glibc does. */
			while (start < n && list[start] != skip)
				start++;
			start = start < n ? start + 1 : 0;
		}
		for (unsigned i = start; i < n; i++) {
			if (list[i] == skip)
				continue;
			struct obj *o = list[i]->is_proxy ? L.rtld : list[i]; /* glibc looks in l_real */
			if (LDDEBUG(LDD_SYMBOLS))
				lddebug_lookup(name, o);
			const Elf64_Sym *s = obj_lookup_flags(o, name, gh, sh, ver, vh, lflags);
			if (s) {
				if (LDDEBUG(LDD_BINDINGS) && undef_map)
					lddebug_binding(undef_map, o, name, ver, 0);
				if ((flags & 1 /* DL_LOOKUP_ADD_DEPENDENCY */) && undef_map)
					obj_add_dependency(undef_map, o);
				*ref = s;
				return o;
			}
		}
	}
	/* Not found: glibc signals an error for a strong reference (dlsym passes none), which dlerror shows as
	 * "OBJECT: undefined symbol: NAME[, version V]" (OBJECT: the program's argv[0] for the program). */
	int weak = *ref && ELF64_ST_BIND((*ref)->st_info) == STB_WEAK;
	*ref = 0;
	if (!weak && libc_signal_error) {
		const char *obj = undef_map ? *(const char **)LM(undef_map, l_name) : "";
		if (!obj || !*obj)
			obj = _dl_argv && _dl_argv[0] ? _dl_argv[0] : "<main program>";
		static char msg[1024];
		u_snprintf(msg, sizeof msg, "undefined symbol: %s%s%s", name, ver ? ", version " : "", ver ? ver : "");
		lddebug_lookup_error(obj, name, ver);
		libc_signal_error(0, obj, "symbol lookup error", msg);
	}
	return 0;
}

/* ---- exported functions libc imports from ld.so */
EXPORT void _dl_exception_create(void *exc, const char *objname, const char *errstring)
{
	if (!objname)
		objname = "";
	size_t lo = strlen(objname) + 1, le = strlen(errstring) + 1;
	char *copy = rt_malloc(lo + le);
	memcpy(copy, errstring, le);
	memcpy(copy + le, objname, lo);
	PUT((char *)exc + GLIBC_OFF_dl_exception__objname, char *, copy + le);
	PUT((char *)exc + GLIBC_OFF_dl_exception__errstring, char *, copy);
	PUT((char *)exc + GLIBC_OFF_dl_exception__message_buffer, char *, libc_malloc ? copy : 0);
}

EXPORT __attribute__((noreturn)) void _dl_fatal_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	u_verr(fmt, ap);
	va_end(ap);
	sys_exit_group(127);
}

#if GLIBC_RTLD_OWNS_CATCH
/* ---- glibc 2.37+: error catching is ld.so's (elf/dl-catch.c). libc's dlopen/dlsym/dlerror and NSS/iconv
 * run an operation under _dl_catch_exception; a loading error anywhere below it (elfld's dlopen included)
 * is signalled by _dl_signal_error, which longjmps back with the exception filled. The catch frames are
 * elfld's own (struct rtld_catch is private to ld.so); the innermost hangs off struct pthread. */
struct rtld_catch {
	void *exception;        /* struct dl_exception * */
	volatile int *errcode;
	uint64_t jb[8];         /* elfld_setjmp */
};

static struct rtld_catch **catch_slot(void)
{
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	return (struct rtld_catch **)(tp + GLIBC_OFF_pthread__rtld_catch);
}

/* No catch: what glibc's fatal_error prints, then exit 127. */
static __attribute__((noreturn)) void catch_fatal(int errcode, const char *objname, const char *occasion,
						  const char *errstring)
{
	const char *prog = _dl_argv && _dl_argv[0] ? _dl_argv[0] : "<program name unknown>";
	if (!objname)
		objname = "";
	if (errcode)
		_dl_fatal_printf("%s: %s: %s%s%s: errno %d\n", prog, occasion ? occasion : "error while loading shared libraries",
				 objname, *objname ? ": " : "", errstring, errcode);
	_dl_fatal_printf("%s: %s: %s%s%s\n", prog, occasion ? occasion : "error while loading shared libraries", objname,
			 *objname ? ": " : "", errstring);
}

EXPORT __attribute__((noreturn)) void _dl_signal_exception(int errcode, void *exception, const char *occasion)
{
	struct rtld_catch *c = *catch_slot();
	if (!c)
		catch_fatal(errcode, *(const char **)((char *)exception + GLIBC_OFF_dl_exception__objname), occasion,
			    *(const char **)((char *)exception + GLIBC_OFF_dl_exception__errstring));
	memcpy(c->exception, exception, GLIBC_SIZEOF_dl_exception);
	*c->errcode = errcode;
	elfld_longjmp(c->jb, 1);
}

EXPORT __attribute__((noreturn)) void _dl_signal_error(int errcode, const char *objname, const char *occasion,
							const char *errstring)
{
	struct rtld_catch *c = *catch_slot();
	if (!errstring)
		errstring = "DYNAMIC LINKER BUG!!!";
	if (!c)
		catch_fatal(errcode, objname, occasion, errstring);
	_dl_exception_create(c->exception, objname, errstring);
	*c->errcode = errcode;
	elfld_longjmp(c->jb, 1);
}

/* Runs operate(args); 0, or the error code of an error signalled inside it with *exception filled. A NULL
 * exception makes errors inside fatal. */
EXPORT int _dl_catch_exception(void *exception, void (*operate)(void *), void *args)
{
	struct rtld_catch **slot = catch_slot(), *old = *slot;
	if (!exception) {
		*slot = 0;
		operate(args);
		*slot = old;
		return 0;
	}
	volatile int errcode = 0;
	struct rtld_catch c;
	c.exception = exception;
	c.errcode = &errcode;
	*slot = &c;
	if (elfld_setjmp(c.jb) == 0) {
		operate(args);
		*catch_slot() = old;
		memset(exception, 0, GLIBC_SIZEOF_dl_exception);
		return 0;
	}
	*catch_slot() = old;
	return errcode;
}

/* GLRO(dl_catch_error): what dlerror and libc's internal dlopen use. */
static int _dl_catch_error(const char **objname, const char **errstring, _Bool *malloced, void (*operate)(void *),
			   void *args)
{
	unsigned char exc[GLIBC_SIZEOF_dl_exception];
	int err = _dl_catch_exception(exc, operate, args);
	*objname = *(const char **)(exc + GLIBC_OFF_dl_exception__objname);
	*errstring = *(const char **)(exc + GLIBC_OFF_dl_exception__errstring);
	*malloced = *(char **)(exc + GLIBC_OFF_dl_exception__message_buffer) == *errstring;
	return err;
}
#endif

/* LD_AUDIT: libc's dlsym and __libc_start_main call the audit hooks (audit.c) when GLRO(dl_naudit) > 0;
 * the module's namespace is marked l_auditing. */
void glibc_audit_module(struct obj *m, unsigned naudit)
{
	PUT(GLRO(_dl_naudit), unsigned, naudit);
	LM_BIT(m, l_auditing, 1);
}
/* dlinfo RTLD_DI_SERINFOSIZE / RTLD_DI_SERINFO: Dl_serinfo { size_t dls_size; unsigned dls_cnt;
 * Dl_serpath dls_serpath[] } with Dl_serpath { char *dls_name; unsigned dls_flags; } (16 bytes), the
 * strings after the array. Counting fills dls_cnt and dls_size (glibc's sizes); filling expects them. */
struct serinfo_ctx {
	struct search_walk w; /* first: the walk calls back with it */
	unsigned char *si;
	int counting;
	unsigned idx;
	char *str;
};

static int serinfo_dir(struct search_walk *w, const char *dir)
{
	struct serinfo_ctx *c = (struct serinfo_ctx *)w;
	size_t len = strlen(dir) + 1;
	if (c->counting) {
		*(unsigned *)(c->si + 8) += 1;
		*(size_t *)c->si += len < 2 ? 2 : len;
	} else {
		unsigned char *sp = c->si + 16 + 16 * (size_t)c->idx++;
		*(char **)sp = c->str;
		*(unsigned *)(sp + 8) = 0; /* glibc reports no flags */
		memcpy(c->str, dir, len);
		c->str += len;
	}
	return 0;
}

EXPORT void _dl_rtld_di_serinfo(void *loader, void *si, _Bool counting)
{
	unsigned char *s = si;
	if (counting) {
		*(size_t *)s = 0;
		*(unsigned *)(s + 8) = 0;
	}
	struct serinfo_ctx c = { { serinfo_dir, 0, 0 }, s, counting, 0, (char *)(s + 16 + 16 * (size_t)*(unsigned *)(s + 8)) };
	search_walk(loader, &c.w);
	if (counting)
		*(size_t *)s += 16 + 16 * (size_t)*(unsigned *)(s + 8);
}

EXPORT int __nptl_change_stack_perm(void *pd)
{
	(void)pd;
	return 0;
}
EXPORT void _dl_debug_state(void) { r_debug_state(); }

/* ---- start-up */

static uint8_t hexval(char c) { return (uint8_t)(c <= '9' ? c - '0' : c - 'a' + 10); }

/* Is this libc the one whose layout elfld was built for? */
static int libc_known(const struct obj *o)
{
	const char *want = GLIBC_LAYOUT_LIBC_BUILD_ID;
	if ((size_t)o->build_id_len * 2 != strlen(want))
		return 0;
	for (int i = 0; i < o->build_id_len; i++)
		if (o->build_id[i] != (uint8_t)(hexval(want[2 * i]) << 4 | hexval(want[2 * i + 1])))
			return 0;
	return 1;
}

static void *libc_sym_in(struct obj *libc, const char *name, const char *ver)
{
	uint32_t vh = ver ? sysv_hash_name(ver) : 0;
	const Elf64_Sym *s = obj_lookup_flags(libc, name, gnu_hash_name(name), sysv_hash_name(name), ver, vh, 0);
	if (!s)
		u_fatal(libc->path, "has no %s@%s, which elfld needs", name, ver ? ver : "");
	return (void *)(libc->l_addr + s->st_value);
}

static void *libc_sym(const char *name, const char *ver) { return libc_sym_in(libc_obj, name, ver); }

/* Error catching for libc's dlopen/dlsym/dlerror and elfld's errors: elfld's own (2.37+) or that libc's. */
static void catch_machinery(struct obj *libc)
{
#if GLIBC_RTLD_OWNS_CATCH
	(void)libc;
	libc_signal_error = _dl_signal_error;
	PUT(GLRO(_dl_catch_error), void *, _dl_catch_error);
#else
	libc_signal_error = libc_sym_in(libc, "_dl_signal_error", "GLIBC_PRIVATE");
	PUT(GLRO(_dl_catch_error), void *, libc_sym_in(libc, "_dl_catch_error", "GLIBC_PRIVATE"));
#endif
	PUT(GLRO(_dl_error_free), void *, rt_free); /* error strings come from libc's malloc (rt_malloc) */
}

/* LD_AUDIT: a module's libc, ready before the program's: its dlopen and dlerror need the catching now. */
void glibc_audit_libc(struct obj *libc)
{
	if (glibc_mode && !libc_signal_error)
		catch_machinery(libc);
}

/* What init_cpu_features reads (AT_HWCAP2, AT_PLATFORM), then the CPU features; they also set the x86
 * cache tunables, as glibc's dl_init_cacheinfo does. */
void glibc_cpu_setup(void)
{
	static int done; /* once (the library search, lazy binding and glibc_setup may each need it first) */
	if (done++)
		return;
	tunables_init(L.envp); /* the CPU tunables */
	PUT(GLRO(_dl_hwcap2), uint64_t, L.at_hwcap2);
	PUT(GLRO(_dl_platform), const char *, L.platform);
	PUT(GLRO(_dl_platformlen), size_t, L.platform ? strlen(L.platform) : 0);
	cpu_features_init(GLRO(_dl_x86_cpu_features));
}

static void glibc_globals(void);
/* Stage mapped -> before TLS layout: decide whether this is a glibc program and fill the globals libc's
 * IRELATIVE resolvers and early code read. */
void glibc_setup(void)
{
	for (int i = 0; i < L.ns[0].global.n; i++) {
		struct obj *o = L.ns[0].global.v[i];
		if (o->soname && u_strcmp(o->soname, "libc.so.6") == 0)
			libc_obj = o;
	}
	if (!libc_obj)
		return;
	L.ns[0].libc = libc_obj;
	if (!libc_known(libc_obj)) {
		char bid[65];
		for (int i = 0; i < libc_obj->build_id_len; i++)
			u_snprintf(bid + 2 * i, 3, "%02x", libc_obj->build_id[i]);
		bid[2 * libc_obj->build_id_len] = 0;
		u_fatal(libc_obj->path,
			"unknown glibc build (build-id %s); elfld was built for glibc %s (build-id %s) and does not guess "
			"private struct layouts: rebuild elfld on this system",
			bid, GLIBC_LAYOUT_VERSION, GLIBC_LAYOUT_LIBC_BUILD_ID);
	}
	glibc_globals();
}

static void stack_flags(void)
{
#ifdef GLIBC_OFF_rtld_global___dl_stack_prot_flags /* 2.43: PROT_* bits, not PF_* */
	PUT(GL(_dl_stack_prot_flags), int,
	    (L.stack_flags & PF_R ? 1 : 0) | (L.stack_flags & PF_W ? 2 : 0) | (L.stack_flags & PF_X ? 4 : 0));
#else
	PUT(GL(_dl_stack_flags), uint32_t, L.stack_flags);
#endif
}

/* LD_AUDIT: the audit modules' libc runs before the program's libraries are loaded (glibc_setup then
 * finds the program's libc and checks it). */
void glibc_setup_audit(void)
{
	glibc_globals();
}

static void glibc_globals(void)
{
	static int done;
	if (done++) { /* set up for the audit modules already: only the stack flags are new */
		stack_flags();
		return;
	}
	glibc_mode = 1;
	tunables_init(L.envp); /* first, as glibc's ld.so: the CPU features and the TLS layout read some */
	size_t optional;
	tls_static_surplus = tunables_tls_surplus(&optional);
	PUT(GL(_dl_tls_static_optional), size_t, optional);

	/* _rtld_global_ro */
	PUT(GLRO(_dl_pagesize), size_t, PAGE_SIZE);
	PUT(GLRO(_dl_minsigstacksize), size_t, L.at_minsigstksz ? L.at_minsigstksz : 2048);
	PUT(GLRO(_dl_clktck), int, 100);
	PUT(GLRO(_dl_fpu_control), uint16_t, 0x37f);
	PUT(GLRO(_dl_auxv), Elf64_auxv_t *, L.auxv);
	PUT(GLRO(_dl_sysinfo_dso), uintptr_t, L.at_sysinfo_ehdr);
	PUT(GLRO(_dl_lookup_symbol_x), void *, lookup_symbol_x);
	PUT(GLRO(_dl_open), void *, glibc_dlopen);
	PUT(GLRO(_dl_close), void *, glibc_dlclose);
	PUT(GLRO(_dl_tls_get_addr_soft), void *, tls_get_addr_soft);
	PUT(GLRO(_dl_find_object), void *, find_object);
#ifdef GLIBC_OFF_rtld_global_ro___dl_readonly_area /* 2.43: fortified printf's %n check */
	PUT(GLRO(_dl_readonly_area), void *, readonly_area);
#endif
	glibc_cpu_setup();
	if (L.vdso) {
		/* What glibc's setup_vdso_pointers does: libc's clock_gettime & co. call these directly. */
		static const struct { const char *name; int off; } vs[] = {
			{ "__vdso_clock_gettime", GLIBC_OFF_rtld_global_ro___dl_vdso_clock_gettime64 },
			{ "__vdso_gettimeofday", GLIBC_OFF_rtld_global_ro___dl_vdso_gettimeofday },
			{ "__vdso_time", GLIBC_OFF_rtld_global_ro___dl_vdso_time },
			{ "__vdso_getcpu", GLIBC_OFF_rtld_global_ro___dl_vdso_getcpu },
			{ "__vdso_clock_getres", GLIBC_OFF_rtld_global_ro___dl_vdso_clock_getres_time64 },
#ifdef GLIBC_OFF_rtld_global_ro___dl_vdso_getrandom /* 2.41 */
			{ "__vdso_getrandom", GLIBC_OFF_rtld_global_ro___dl_vdso_getrandom },
#endif
		};
		for (size_t i = 0; i < ARRAY_LEN(vs); i++) {
			const Elf64_Sym *s = obj_lookup_flags(L.vdso, vs[i].name, gnu_hash_name(vs[i].name),
							      sysv_hash_name(vs[i].name), "LINUX_2.6",
							      sysv_hash_name("LINUX_2.6"), 0);
			if (s && ELF64_ST_TYPE(s->st_info) == STT_FUNC)
				PUT(_rtld_global_ro + vs[i].off, uintptr_t, L.vdso->l_addr + s->st_value);
		}
		PUT(GLRO(_dl_sysinfo_map), struct obj *, L.vdso);
	}

	/* _rtld_global */
	PUT(GL(_dl_nns), size_t, 1);
	stack_flags();
	static const int lock_offs[] = { GLIBC_OFF_rtld_global___dl_load_lock, GLIBC_OFF_rtld_global___dl_load_write_lock,
					 GLIBC_OFF_rtld_global___dl_load_tls_lock };
	for (size_t i = 0; i < ARRAY_LEN(lock_offs); i++)
		PUT(_rtld_global + lock_offs[i] + 16, int, 1 /* PTHREAD_MUTEX_RECURSIVE_NP: __data.__kind */);
	unsigned char *lists[] = { GL(_dl_stack_used), GL(_dl_stack_user), GL(_dl_stack_cache) };
	for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
		PUT(lists[i], void *, lists[i]);
		PUT(lists[i] + 8, void *, lists[i]);
	}
#ifdef GLIBC_OFF_rtld_global___dl_rtld_map /* up to 2.40; later ld.so keeps its link_map to itself */
	/* The embedded link_map of ld.so itself (GL(dl_rtld_map)): the parts libc may read. */
	unsigned char *rm = GL(_dl_rtld_map);
	PUT(rm + GLIBC_OFF_link_map__l_addr, uintptr_t, L.rtld->l_addr);
	PUT(rm + GLIBC_OFF_link_map__l_name, char *, L.rtld->l_name);
	PUT(rm + GLIBC_OFF_link_map__l_ld, void *, L.rtld->l_ld);
	PUT(rm + GLIBC_OFF_link_map__l_real, void *, rm);
	PUT(rm + GLIBC_OFF_link_map__l_map_start, uintptr_t, L.rtld->map_start);
	PUT(rm + GLIBC_OFF_link_map__l_map_end, uintptr_t, L.rtld->map_end);
#endif

	__libc_enable_secure = L.secure;
}

/* After the static TLS layout: a glibc link_map for every object, and _dl_ns[0]. */
void glibc_fill_link_maps(void)
{
	if (!glibc_mode)
		return;
	for (struct obj *o = L.ns[0].head; o; o = o->l_next)
		glibc_fill_link_map(o);
	glibc_link_namespace();
	glibc_count_adds((int)*(unsigned *)NS0(_ns_nloaded)); /* the start-up objects; dlopen adds its own */
	glibc_tls_globals();
}

/* _dl_ns[]: libc walks namespace 0 from the program, the others (dlmopen) from their first object. */
void glibc_link_namespace(void)
{
	if (!glibc_mode)
		return;
	for (int i = 0; i < L.nns; i++) {
		unsigned char *ns = GL(_dl_ns) + i * GLIBC_SIZEOF_link_namespaces;
		struct obj *head = i ? L.ns[i].head : L.main;
		unsigned n = 0;
		for (struct obj *o = head; o; o = o->l_next)
			n++;
		PUT(ns + GLIBC_OFF_link_namespaces___ns_loaded, struct obj *, head);
		PUT(ns + GLIBC_OFF_link_namespaces___ns_nloaded, unsigned, n);
		PUT(ns + GLIBC_OFF_link_namespaces__libc_map, struct obj *, L.ns[i].libc);
		if (i)
			continue;
		PUT(ns + GLIBC_OFF_link_namespaces___ns_main_searchlist, unsigned char *, LM(L.main, l_searchlist));
		fill_scope(LM(L.main, l_searchlist), &L.ns[0].global);
		PUT(ns + GLIBC_OFF_link_namespaces___ns_global_scope_alloc, unsigned, 0);
	}
	PUT(GL(_dl_nns), size_t, (size_t)L.nns);
}

/* GL(dl_load_adds) counts every object ever added; dl_iterate_phdr's dlpi_subs is adds - loaded. */
void glibc_count_adds(int n)
{
	if (glibc_mode)
		*(uint64_t *)GL(_dl_load_adds) += (uint64_t)n;
}

/* After relocation: libc's own functions elfld needs. */
void glibc_after_relocation(void)
{
	if (!glibc_mode || !libc_obj) /* (LD_AUDIT set glibc_mode up for a program without libc) */
		return;
	libc_mutex_lock = libc_sym("pthread_mutex_lock", "GLIBC_2.2.5");
	libc_mutex_unlock = libc_sym("pthread_mutex_unlock", "GLIBC_2.2.5");
	libc_malloc = libc_sym("malloc", "GLIBC_2.2.5");
	libc_free = libc_sym("free", "GLIBC_2.2.5");
	catch_machinery(libc_obj);
	for (struct obj *o = L.main; o; o = o->l_next)
		glibc_mark_done(o);
}

/* What glibc's __tls_init_tp does for the main thread, once %fs is set (stage tls-initialized). */
void glibc_init_main_thread(uintptr_t tp, uintptr_t *stack_end)
{
	static int done;
	if (!glibc_mode)
		return;
	__libc_stack_end = stack_end;
	if (done++) { /* LD_AUDIT did it before loading the modules: now the program's stack block is final */
		PUT(PD(tp, stackblock_size), size_t, (uintptr_t)stack_end);
		return;
	}
	PUT(GL(_dl_initial_dtv), void *, *(void **)(tp + TCB_OFF_DTV));
	/* pd->list into GL(dl_stack_user) */
	unsigned char *head = GL(_dl_stack_user), *node = PD(tp, list);
	PUT(node, void *, *(void **)head);      /* node->next = head->next */
	PUT(node + 8, void *, head);             /* node->prev = head */
	PUT(*(unsigned char **)head + 8, void *, node); /* head->next->prev = node */
	PUT(head, void *, node);                 /* head->next = node */
	PUT(PD(tp, specific), void *, PD(tp, specific_1stblock));
#ifdef GLIBC_OFF_pthread__joinstate /* 2.43: the kernel clears joinstate, not tid, at thread exit */
	*(int *)PD(tp, tid) = (int)sys_call(218 /* set_tid_address */, PD(tp, joinstate), 0, 0);
	PUT(PD(tp, joinstate), int, 2 /* THREAD_STATE_JOINABLE */);
#else
	*(int *)PD(tp, tid) = (int)sys_call(218 /* set_tid_address */, PD(tp, tid), 0, 0);
#endif
#ifdef GLIBC_OFF_pthread__stack_mode /* 2.43: enum allocate_stack_mode_t replaced bool user_stack */
	PUT(PD(tp, stack_mode), int, 2 /* ALLOCATE_GUARD_USER */);
#else
	PUT(PD(tp, user_stack), _Bool, 1);
#endif
	/* Robust mutex list: futex_offset = offsetof(__lock) - offsetof(__list.__next) = -32. */
	unsigned char *rh = PD(tp, robust_head);
	PUT(PD(tp, robust_prev), void *, rh);
	PUT(rh + GLIBC_OFF_robust_list_head__list, void *, rh);
	PUT(rh + GLIBC_OFF_robust_list_head__futex_offset, long, -32);
	sys_call(273 /* set_robust_list */, rh, GLIBC_SIZEOF_robust_list_head, 0);
	PUT(PD(tp, stackblock_size), size_t, (uintptr_t)stack_end);
}

/* ---- rseq: the area the kernel keeps up to date for each thread (what __tls_init_tp and
 * rseq_register_current_thread do for the main thread; libc does it for the threads it creates). */
enum { RSEQ_AREA_SIZE_INITIAL = 32, RSEQ_AREA_SIZE_INITIAL_USED = 20, RSEQ_MIN_ALIGN = 32 };

size_t glibc_extra_tls(size_t *align)
{
	*align = 1;
	if (!glibc_mode || !GLIBC_RSEQ_IN_STATIC_TLS)
		return 0;
	if (!tunable_get("glibc.pthread.rseq")) { /* an area for cpu_id all the same, never registered */
		*align = RSEQ_MIN_ALIGN;
		return RSEQ_AREA_SIZE_INITIAL;
	}
	/* dl-parse_auxv.h: the kernel's rseq feature size and alignment, with glibc's minimums. */
	size_t size = L.at_rseq_feature_size > RSEQ_AREA_SIZE_INITIAL_USED ? L.at_rseq_feature_size : RSEQ_AREA_SIZE_INITIAL_USED;
	size_t al = L.at_rseq_align > RSEQ_MIN_ALIGN ? L.at_rseq_align : RSEQ_MIN_ALIGN;
	__rseq_size = (unsigned)size;
	*align = al;
	return ALIGN_UP(size > RSEQ_AREA_SIZE_INITIAL ? size : RSEQ_AREA_SIZE_INITIAL, al);
}

void glibc_set_extra_tls_offset(long tp_offset) { __rseq_offset = tp_offset; }

/* Registered before relocation, as glibc's ld.so does (__tls_init_tp runs before it relocates), so that a
 * program's COPY relocation of __rseq_size/__rseq_offset copies the final values. */
void glibc_register_rseq(uintptr_t tp)
{
	if (!glibc_mode)
		return;
#if GLIBC_RSEQ_IN_STATIC_TLS
	unsigned char *rs = (unsigned char *)tp + __rseq_offset;
	unsigned size = __rseq_size > RSEQ_AREA_SIZE_INITIAL ? __rseq_size : RSEQ_AREA_SIZE_INITIAL;
	memset(rs, 0, size);
#else
	unsigned char *rs = PD(tp, rseq_area);
	unsigned size = RSEQ_AREA_SIZE_INITIAL;
	__rseq_offset = GLIBC_OFF_pthread__rseq_area;
#endif
	PUT(rs + 4, uint32_t, (uint32_t)-1); /* cpu_id: RSEQ_CPU_ID_UNINITIALIZED */
	if (tunable_get("glibc.pthread.rseq") &&
	    sys_call6(334 /* rseq */, (long)rs, size, 0, 0x53053053 /* RSEQ_SIG */, 0, 0) == 0) {
		if (!GLIBC_RSEQ_IN_STATIC_TLS)
			__rseq_size = RSEQ_AREA_SIZE_INITIAL_USED;
	} else {
		PUT(rs + 4, int32_t, -2); /* RSEQ_CPU_ID_REGISTRATION_FAILED */
		__rseq_size = 0;
	}
}

/* __libc_early_init(true): libc's per-process set-up, before any initializer of any object. */
void glibc_early_init(void)
{
	if (glibc_mode)
		glibc_libc_early_init(libc_obj, 1);
}

/* __libc_early_init of one libc: `initial` for the program's, false for a dlmopen namespace's copy (which
 * then, for one, leaves sbrk to the first: its malloc maps its memory). */
void glibc_libc_early_init(struct obj *libc, int initial)
{
	const char *name = "__libc_early_init", *ver = "GLIBC_PRIVATE";
	const Elf64_Sym *s = obj_lookup_flags(libc, name, gnu_hash_name(name), sysv_hash_name(name), ver,
					      sysv_hash_name(ver), 0);
	if (!s)
		u_fatal(libc->path, "has no %s@%s, which elfld needs", name, ver);
	void (*early)(_Bool) = (void (*)(_Bool))(libc->l_addr + s->st_value);
	early(initial != 0);
}

/* dlopen errors go back through libc's _dl_signal_error (it longjmps to libc's _dl_catch_error). */
__attribute__((noreturn)) void glibc_signal_error(int errcode, const char *objname, const char *msg)
{
	libc_signal_error(errcode, objname, 0, msg);
	__builtin_unreachable();
}

/* The start-up block moved (prepare_stack): argv and auxv as the program will see them. */
void glibc_update_argv(char **argv)
{
	_dl_argv = argv;
	if (glibc_mode)
		PUT(GLRO(_dl_auxv), Elf64_auxv_t *, L.auxv);
}
