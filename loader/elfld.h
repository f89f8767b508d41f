/* elfld's central data structures: one `struct obj` per loaded object, the global loader state, and
 * the stage functions of the pipeline  parse -> map -> deps -> symbols -> relocate -> TLS -> init -> start. */
#ifndef ELFLD_H
#define ELFLD_H
#include <elf.h>
#include <stdint.h>
#include "util.h"
#include "sys.h"
#include "glibc_layout.h"

/* Loader stages, in order. Each boundary is an event and a place where an observer may pause. */
#define ELFLD_STAGES(X)                                                                              \
	X(BEGIN, "begin", "nothing loaded yet")                                                      \
	X(MAPPED, "mapped", "program and all dependencies mapped, symbols not yet bound")             \
	X(TLS_ALLOCATED, "tls-allocated", "static TLS laid out, thread pointer block allocated")     \
	X(RELOCATED, "relocated", "every relocation applied (IRELATIVE last)")                      \
	X(TLS_INITIALIZED, "tls-initialized", "TLS images copied, %fs points at the TCB")            \
	X(PROTECTED, "protected", "RELRO made read-only")                                           \
	X(INITIALIZED, "initialized", "initializers run (dependencies first)")                      \
	X(ENTRY, "entry", "about to jump to the program's entry point")
enum stage {
#define X(id, name, desc) STAGE_##id,
	ELFLD_STAGES(X)
#undef X
	STAGE_COUNT
};
extern const char *const stage_names[STAGE_COUNT] HIDDEN;
extern const char *const stage_descs[STAGE_COUNT] HIDDEN;
int stage_from_name(const char *name) HIDDEN;

struct obj;
struct dep_list {
	struct obj **v;
	int n, cap;
};
static inline void dep_push(struct dep_list *l, struct obj *o)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = u_realloc(l->v, sizeof(struct obj *) * (size_t)l->cap);
	}
	l->v[l->n++] = o;
}

/* An object starts with glibc's private `struct link_map` (layout generated from libc6-dbg's DWARF, see
 * glibc.c), whose first five fields are the public link_map GDB's solib-svr4 reads through r_debug. */
struct obj {
	union {
		struct {
			uintptr_t l_addr;     /* load bias */
			char *l_name;         /* absolute path */
			Elf64_Dyn *l_ld;      /* runtime address of .dynamic */
			struct obj *l_next, *l_prev;
		};
		unsigned char glibc_link_map[GLIBC_SIZEOF_link_map];
	};

	int id;               /* 0 = the loader itself, 1 = the program, then load order */
	char *path;           /* path as opened (absolute when found via search) */
	char *abspath;        /* absolute path (GDB's view, events) */
	const char *soname;   /* DT_SONAME or NULL */
	const char *needed_as; /* the DT_NEEDED name it was first loaded for (glibc's l_libname), or NULL */
	int faked;            /* LD_TRACE_LOADED_OBJECTS: a library not found, listed as such, not mapped */
	const char *name;     /* short display name: soname, else basename of path */
	uint64_t dev, ino;    /* identity for "loaded once" */
	int is_main, is_rtld, is_vdso;
	int ns;               /* link-map namespace (dlmopen): 0 = the program's */
	int is_proxy;         /* ld.so in a namespace other than 0: a copy of L.rtld's descriptor (glibc's l_real) */

	Elf64_Ehdr ehdr;
	Elf64_Phdr *phdr;     /* runtime address (in the mapped image when possible) */
	int phnum;
	uintptr_t map_start, map_end; /* reservation, absolute */
	uintptr_t vaddr_lo, vaddr_hi; /* lowest/highest PT_LOAD vaddr (page aligned) */
	uintptr_t entry;
	uint8_t build_id[32];
	int build_id_len;

	/* dynamic section, rebased */
	uint64_t dynv[DT_NUM];  /* standard tags < DT_NUM */
	const char *strtab;
	size_t strsz;
	const Elf64_Sym *symtab;
	size_t nsyms;
	const uint32_t *sysv_hash;
	const uint32_t *gnu_hash;
	uint32_t gnu_nbuckets, gnu_symoffset, gnu_bloom_size, gnu_bloom_shift;
	uint32_t gnu_nsyms;     /* chains end below this (elf_check_gnu_hash) */
	const uint64_t *gnu_bloom;
	const uint32_t *gnu_buckets, *gnu_chain;
	const uint16_t *versym;
	const Elf64_Verdef *verdef;
	uint32_t verdefnum;
	const Elf64_Verneed *verneed;
	uint32_t verneednum;
	const char **vernames;   /* version index -> name (from verdef and verneed), NULL if none */
	uint32_t *verhashes;
	int nvernames;
	const Elf64_Rela *rela, *jmprel;
	size_t relasz, pltrelsz;
	const uint64_t *relr;
	size_t relrsz;
	uint64_t flags, flags_1;
	int textrel, bind_now, symbolic;
	int has_audit;            /* DT_AUDIT or DT_DEPAUDIT (the program's are audit modules to load) */
	const char *rpath, *runpath;
	const char **needed;
	int nneeded;

	/* dependencies (resolved), load order of DT_NEEDED */
	struct dep_list deps;
	int mark;                 /* scratch for graph walks */
	int deps_done;            /* DT_NEEDED resolved into deps */
	struct obj *loader;       /* the object whose DT_NEEDED (or dlopen call) loaded this one */

	/* TLS */
	size_t tls_modid;         /* 0 if no PT_TLS */
	const void *tls_image;
	size_t tls_filesz, tls_memsz, tls_align, tls_firstbyte;
	intptr_t tls_offset;      /* block at tp - tls_offset (variant II), 0 if dynamic */
	int tls_static;

	/* RELRO */
	uintptr_t relro_start, relro_end;

	/* stats */
	size_t nrelocs, nrelocs_relative, nrelocs_irelative;

	int relocated, irelative_done, initialized, mapped_by_kernel;
	int dlopened, global, nodelete;  /* dlopen: RTLD_GLOBAL, RTLD_NODELETE */
	struct obj *deepbind;     /* dlopen(RTLD_DEEPBIND): that dlopen's root, whose scope comes before the global one */
	int unloaded;                    /* dlclose unmapped it (the struct stays for stale handles) */
	int closing;                     /* a dlclose is running its destructors, then unloads it */
	struct obj *soname_next;         /* chain of search.c's SONAME index */
	struct obj *file_next;           /* chain of search.c's device+inode index */
	int refcount;                    /* dlopen references */
	struct dep_list local_scope;     /* dlopen: the object and its dependencies, breadth-first */
	struct dep_list *extra_scope;    /* dlopen: searched after the global scope (the root's local scope) */
	void *sink_data;          /* relocation statistics */
	struct obj *gdb_node;     /* this object's node in GDB's r_map chain (rdebug.c) */
	void *libname;            /* glibc's struct libname_list for this object */
	size_t *tlsdesc_args;     /* dynamic TLSDESC arguments {modid, offset, next} */
	int phdr_allocated;
	/* LD_AUDIT (audit.c) */
	void *audit;              /* per audit module: cookie and la_objopen's flags (glibc's l_audit[]), or NULL */
	int audit_any_plt;        /* some module's la_objopen returned flags (glibc's l_audit_any_plt) */
	void *audit_rr;           /* per DT_JMPREL entry: the audited lazy binding (glibc's l_reloc_result) */
};

/* A link-map namespace (glibc's struct link_namespaces). Namespace 0 holds the program; dlmopen makes
 * others, each with its own copies of the libraries (libc included) and ld.so present as a proxy. */
#define NS_MAX GLIBC_NELEM_rtld_global___dl_ns /* glibc's DL_NNS */
struct nspace {
	struct obj *head, *tail; /* glibc's link_map chain: program, vDSO, libraries, elfld (as ld.so) */
	struct dep_list global;  /* namespace 0: program, its deps breadth-first (LD_PRELOAD after program),
				  * RTLD_GLOBAL objects; other namespaces: empty (their first object's scope is global) */
	struct obj *libc;        /* libc.so.6 in this namespace (glibc's libc_map) */
	int auditing;            /* an audit module's namespace (glibc's l_auditing): not reported to auditors */
};

/* Global loader state. */
struct loader {
	struct nspace ns[NS_MAX];
	int nns;             /* namespaces in use or used before (glibc's GL(dl_nns)) */
	int load_ns;         /* the namespace objects are being loaded into */
	int nobjs;
	struct obj *rtld;    /* elfld itself, as ld-linux-x86-64.so.2 */
	struct obj *main;
	struct obj *vdso;
	enum stage stage;
	int bind_now;         /* LD_BIND_NOW */
	int lazy;             /* the objects being relocated may bind lazily (no LD_BIND_NOW, no RTLD_NOW) */
	int bind_not;         /* LD_BIND_NOT: lazy bindings are not written to the GOT */
	int trace;            /* LD_TRACE_LOADED_OBJECTS: map, list as ldd does, exit */
	int main_fixed_base;  /* the program is being mapped with address randomization off (map.c) */
	uint32_t stack_flags; /* PF_R|PF_W, plus PF_X if some object needs an executable stack */

	/* process start-up data */
	int argc;
	char **argv, **envp;
	Elf64_auxv_t *auxv;
	const char *progname; /* path of PROGRAM as given / found */
	const char *prog_argv0; /* the program's argv[0] (what glibc's messages call it) */
	char *main_realpath;  /* its canonical path (for $ORIGIN) */
	char *lib_path;       /* LD_LIBRARY_PATH / --library-path */
	char *preload;        /* LD_PRELOAD / --preload */
	int secure;
	const char *platform;
	uintptr_t at_random, at_hwcap, at_hwcap2, at_sysinfo_ehdr, at_pagesz, at_minsigstksz;
	uintptr_t at_rseq_feature_size, at_rseq_align; /* kernel 6.3+ */
	uintptr_t at_entry, at_phdr, at_phnum;
	const char *at_execfn;
};
extern struct loader L HIDDEN;

/* Every object of every namespace: namespace 0's chain, then namespace 1's, ... */
static inline struct obj *obj_next_any(const struct obj *o)
{
	if (o->l_next)
		return o->l_next;
	for (int n = o->ns + 1; n < L.nns; n++)
		if (L.ns[n].head)
			return L.ns[n].head;
	return 0;
}
#define FOR_EACH_OBJ(o) for (struct obj *o = L.ns[0].head; o; o = obj_next_any(o))
/* The global scope of a namespace: namespace 0's, else its first object's own scope (glibc's
 * _ns_loaded->l_searchlist). */
static inline const struct dep_list *ns_global_scope(int ns)
{
	if (!ns)
		return &L.ns[0].global;
	return L.ns[ns].head ? &L.ns[ns].head->local_scope : 0;
}

/* The scopes a lookup for `o` walks, in order (glibc's l_scope): its namespace's global scope, then its
 * dlopen's, the other way round for RTLD_DEEPBIND; the first object of a dlmopen namespace has only the
 * one. Returns how many. */
static inline int obj_scopes(const struct obj *o, const struct dep_list *s[2])
{
	const struct dep_list *global = ns_global_scope(o->ns), *own = o->extra_scope;
	int n = 0;
	if (own == global)
		own = 0;
	if (own && o->deepbind)
		s[n++] = own;
	if (global)
		s[n++] = global;
	if (own && !o->deepbind)
		s[n++] = own;
	return n;
}

/* ---- memory ops (map.c): pluggable so tests and tracing can sit between the loader and the kernel */
struct mem_ops {
	/* map file range [off, off+len) at addr (MAP_FIXED inside a reservation); populate: fill the pages now */
	long (*map_file)(void *addr, size_t len, int prot, int fd, uint64_t off, int populate);
	long (*map_anon)(void *addr, size_t len, int prot); /* addr NULL: anywhere */
	long (*reserve)(size_t len, size_t align);           /* PROT_NONE span, aligned */
	long (*reserve_at)(uintptr_t addr, size_t len);      /* PROT_NONE span at a fixed address */
	long (*protect)(void *addr, size_t len, int prot);
	long (*unmap)(void *addr, size_t len);
};
extern const struct mem_ops *mem HIDDEN;
extern const struct mem_ops mem_ops_kernel HIDDEN;

/* ---- stages */
struct obj *obj_new(const char *path) HIDDEN;
void obj_append(struct obj *o) HIDDEN;
void chain_link(struct obj *o) HIDDEN;
void obj_set_name(struct obj *o) HIDDEN;
/* A file opened to be loaded. Whoever opened it may already have its status and first bytes (a library
 * search reads the header to skip other architectures): load_object reads only what is missing. */
struct elf_file {
	int fd;
	int have_st;          /* st is filled */
	struct k_stat st;
	long n;               /* bytes of head read, -1: not read */
	char head[4096] __attribute__((aligned(8)));
};
struct obj *load_object(const char *path, struct elf_file *f, const char *needed_by) HIDDEN; /* parse + map + dyn */
void obj_read_phdrs(struct obj *o) HIDDEN;       /* dynamic.c: PT_DYNAMIC, PT_TLS, PT_GNU_RELRO */
void obj_parse_dynamic(struct obj *o) HIDDEN;   /* dynamic.c: fills dyn fields, checks bounds */
const char *obj_symname(struct obj *o, const Elf64_Sym *s) HIDDEN;
void obj_from_memory(struct obj *o, uintptr_t base, const Elf64_Phdr *ph, int phnum) HIDDEN;
void deps_load_all(void) HIDDEN;                /* search.c: breadth-first DT_NEEDED */
void deps_bfs(struct dep_list *scope, int dlopened, struct dep_list *loaded) HIDDEN;
struct obj *load_dep(const char *name, struct obj *req, int *is_new) HIDDEN;
/* RTLD_NOLOAD: an object loaded under `name` (SONAME, path, absolute path) or, for a path, the same file. */
struct obj *find_loaded_file(const char *name) HIDDEN;
struct obj *find_loaded_name(const char *name) HIDDEN; /* by name only, in L.load_ns (glibc's _dl_lookup_map) */
void soname_index(struct obj *o, int add) HIDDEN; /* search.c: objects by SONAME and by file (add/remove) */
int search_library(const char *name, const struct obj *requester, char *out, size_t cap, struct elf_file *f) HIDDEN;
/* search.c: --glibc-hwcaps-prepend/--glibc-hwcaps-mask (NULL: not given), before the first search;
 * --list-hwcaps: the glibc-hwcaps subdirectories searched, as ld.so --help lists them */
void search_hwcaps_options(const char *prepend, const char *mask) HIDDEN;
void search_print_hwcaps(void) HIDDEN;
/* search.c: the library search order, walked with callbacks (search_library, dlinfo's RTLD_DI_SERINFO) */
struct search_walk {
	int (*dir)(struct search_walk *w, const char *dir); /* nonzero: stop the walk with that value */
	int (*cache)(struct search_walk *w);                 /* NULL: /etc/ld.so.cache is not consulted */
	const char *how;                                     /* the list being walked: DT_RPATH, ... */
};
int search_walk(const struct obj *requester, struct search_walk *w) HIDDEN;
void relocate_all(void) HIDDEN;                 /* reloc.c */
void dependency_order(struct dep_list *roots, struct dep_list *out) HIDDEN; /* deps before dependents */
void relocate_object(struct obj *o) HIDDEN;
void relocate_irelative(struct obj *o) HIDDEN;
void protect_relro(struct obj *o) HIDDEN;
int obj_dynamic_writable(const struct obj *o) HIDDEN;
void obj_free(struct obj *o) HIDDEN;
void obj_add_dependency(struct obj *user, struct obj *def) HIDDEN; /* dlopen.c: def stays loaded while user is */
void run_initializers(void) HIDDEN;             /* init.c */
void versions_check_startup(void) HIDDEN;       /* versions.c: DT_VERNEED against DT_VERDEF */
void versions_check(struct dep_list *loaded) HIDDEN;
void run_fini(struct obj *o) HIDDEN;
void init_object(struct obj *o, int argc, char **argv, char **envp) HIDDEN; /* DT_INIT, DT_INIT_ARRAY */
__attribute__((noreturn)) void start_program(void) HIDDEN; /* start.c */

/* lazy.c: lazy binding (the resolvers are lazyasm.S) */
void lazy_init(void) HIDDEN;
int lazy_binds(const struct obj *o) HIDDEN;           /* its DT_JMPREL JUMP_SLOTs bind at the first call */
void lazy_setup(struct obj *o, uintptr_t *got) HIDDEN; /* GOT[1], GOT[2] */
uintptr_t lazy_slot(struct obj *o, uintptr_t where) HIDDEN; /* a JUMP_SLOT's value until bound */
uint64_t symbol_address(struct obj *def, const Elf64_Sym *s, const char *name) HIDDEN; /* reloc.c: S, IFUNC called */
const char *symbol_version(const struct obj *o, uint32_t symidx) HIDDEN; /* reloc.c: its version, or NULL */

/* symbols.c */
struct sym_ref {
	const Elf64_Sym *sym;
	struct obj *obj;
};
uint32_t gnu_hash_name(const char *s) HIDDEN;
uint32_t sysv_hash_name(const char *s) HIDDEN;
const Elf64_Sym *obj_lookup(const struct obj *o, const char *name, uint32_t gh, uint32_t sh,
			    const char *ver, uint32_t verhash, int ver_hidden_ok) HIDDEN;
enum {
	LOOKUP_SKIP_MAIN = 1,  /* COPY: the definition must come from another object */
	LOOKUP_NO_PLT = 2,     /* JUMP_SLOT: canonical PLT entries of the executable do not count */
	LOOKUP_VER_HIDDEN = 4, /* the reference names a hidden version: no base-version fallback */
	LOOKUP_NEWEST = 8,     /* dlsym: unversioned request takes the default version */
};
/* The lookup flags a relocation of this type asks for (reloc.c, and LD_DEBUG=unused's lookups). */
static inline int reloc_lookup_flags(uint32_t type)
{
	return type == R_X86_64_COPY ? LOOKUP_SKIP_MAIN : type == R_X86_64_JUMP_SLOT ? LOOKUP_NO_PLT : 0;
}
int lookup_symbol(const char *name, const struct obj *requester, uint32_t symidx, int flags,
		  struct sym_ref *out) HIDDEN;
void lookup_memo(int on) HIDDEN; /* start-up relocation: remember long lookups (the scope is fixed) */
/* Lookups at run time (lazy binding) against dlopen/dlclose changing the scopes: readers (1 begin, 0 end)
 * wait while a writer changes them; a writer waits until no reader is inside. */
void scope_init(void) HIDDEN; /* at start-up: the process whose threads the readers are */
void scope_read(int begin) HIDDEN;
void scope_write(int begin) HIDDEN;
const Elf64_Sym *obj_lookup_flags(const struct obj *o, const char *name, uint32_t gh, uint32_t sh, const char *ver,
				  uint32_t verhash, int flags) HIDDEN;

/* tls.c */
void tls_register_initial(void) HIDDEN;   /* module ids + static offsets for initial objects */
void tls_setup_main_thread(void) HIDDEN;  /* allocate TCB+static block, DTV; fill images; set %fs */
void tls_init_main_thread(void) HIDDEN;
void tls_register_dynamic(struct obj *o) HIDDEN;
int tls_make_static(struct obj *o) HIDDEN; /* LD_AUDIT start-up: an IE reference to a library registered late */
void tls_unregister(struct obj *o) HIDDEN;
void tls_reclaim(int begin) HIDDEN; /* around the tls_unregister calls of one dlclose */
void tls_init_static_in_threads(struct obj *o, uintptr_t *tps, size_t ntp) HIDDEN;   /* copy images, set %fs */
void *tls_get_addr_c(size_t *ti) HIDDEN;
uintptr_t tls_tp_of_main(void) HIDDEN;
extern size_t tls_static_size HIDDEN, tls_static_align HIDDEN, tls_static_used HIDDEN;
extern size_t tls_max_modid HIDDEN;
extern uint64_t tls_generation HIDDEN;
void *tls_get_addr_slow(size_t modid, size_t off) HIDDEN;
#define TLS_TCB_SIZE GLIBC_SIZEOF_pthread /* glibc's TCB header is the start of its struct pthread */
extern size_t tls_static_surplus HIDDEN; /* glibc's static TLS surplus: 1664 unless tunables change it */

#endif
