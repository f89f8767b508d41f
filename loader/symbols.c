/* Symbol lookup: GNU hash (bloom filter first) or SysV hash per object, symbol versions checked as glibc's
 * check_match does, the global scope searched in load order. */
#include "elfld.h"
#include "parse.h"
#include "lddebug.h"

uint32_t gnu_hash_name(const char *s) { return elf_gnu_hash(s); }
uint32_t sysv_hash_name(const char *s) { return elf_sysv_hash(s); }

struct match {
	const Elf64_Sym *cand; /* unversioned request: the only versioned definition, if just one */
	int ncand;
};

/* Does symbol `i` of `o` match the name and version request? 1 yes, 0 no (maybe noted as candidate). */
static int check(const struct obj *o, uint32_t i, const char *name, const char *ver, uint32_t verhash,
		 int flags, struct match *m)
{
	const Elf64_Sym *s = &o->symtab[i];
	int type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);
	if (s->st_shndx == SHN_UNDEF) {
		/* A canonical PLT entry (undefined with a value: the executable's address of a function it calls
		 * through its PLT) defines the function's address for everyone except the PLT slot itself. As in
		 * glibc's check_match, whatever its type: mold marks the entry of an IFUNC STT_GNU_IFUNC (its
		 * value is the PLT entry, never a resolver: sym_value calls resolvers of defined symbols only). */
		if (!s->st_value || (flags & LOOKUP_NO_PLT))
			return 0;
	}
	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
		return 0;
	if (type > STT_FUNC && type != STT_COMMON && type != STT_TLS && type != STT_GNU_IFUNC)
		return 0;
	if (s->st_name >= o->strsz || u_strcmp(o->strtab + s->st_name, name) != 0)
		return 0;
	if (!o->versym)
		return 1;
	uint16_t vs = o->versym[i];
	int ndx = vs & 0x7fff;
	if (ver) {
		const char *dn = ndx < o->nvernames ? o->vernames[ndx] : 0;
		if (dn && o->verhashes[ndx] == verhash && u_strcmp(dn, ver) == 0)
			return 1;
		/* An unversioned (base) definition satisfies a versioned reference, unless hidden. */
		return !dn && !(vs & 0x8000) && !(flags & LOOKUP_VER_HIDDEN);
	}
	if (ndx < ((flags & LOOKUP_NEWEST) ? 2 : 3))
		return 1;
	if (!(vs & 0x8000) && m->ncand++ == 0)
		m->cand = s;
	return 0;
}

const Elf64_Sym *obj_lookup_flags(const struct obj *o, const char *name, uint32_t gh, uint32_t sh, const char *ver,
				  uint32_t verhash, int flags)
{
	struct match m = { 0, 0 };
	if (!o->symtab)
		return 0;
	if (o->gnu_hash) {
		/* glibc shifts a uint_fast32_t (64 bits here): shifts of 32..63 are valid and give 0. */
		uint64_t word = o->gnu_bloom[(gh / 64) & (o->gnu_bloom_size - 1)];
		uint64_t mask = (1ULL << (gh % 64)) | (1ULL << (((uint64_t)gh >> o->gnu_bloom_shift) % 64));
		if ((word & mask) != mask)
			return 0;
		uint32_t i = o->gnu_buckets[gh % o->gnu_nbuckets];
		if (i < o->gnu_symoffset) /* 0: empty bucket; others: a damaged table (elf_check_gnu_hash) */
			return 0;
		for (; i < o->gnu_nsyms; i++) {
			uint32_t h = o->gnu_chain[i];
			if ((h | 1) == (gh | 1) && check(o, i, name, ver, verhash, flags, &m))
				return &o->symtab[i];
			if (h & 1)
				break;
		}
	} else if (o->sysv_hash) {
		if (sh == 0)
			sh = sysv_hash_name(name); /* computed only for objects without DT_GNU_HASH */
		uint32_t nb = o->sysv_hash[0], nc = o->sysv_hash[1];
		const uint32_t *bucket = o->sysv_hash + 2, *chain = bucket + nb;
		/* Indexes are checked here, not when the object was loaded (elf_check_sysv_hash); the step
		 * count stops a chain that loops. */
		uint32_t steps = 0;
		for (uint32_t i = bucket[sh % nb]; i && i < nc && steps <= nc; i = chain[i], steps++)
			if (check(o, i, name, ver, verhash, flags, &m))
				return &o->symtab[i];
	}
	return m.ncand == 1 ? m.cand : 0;
}

const Elf64_Sym *obj_lookup(const struct obj *o, const char *name, uint32_t gh, uint32_t sh, const char *ver,
			    uint32_t verhash, int hidden_ok)
{
	return obj_lookup_flags(o, name, gh, sh, ver, verhash, hidden_ok ? 0 : LOOKUP_VER_HIDDEN);
}

/* ---- the start-up memo: while the initial objects are relocated the global scope does not change, so
 * a name looked up once has the same answer for every object. Only answers that took a long walk through
 * the scope are kept (a few names every library asks for — __cxa_finalize, __gmon_start__, the _ITM_
 * pair — otherwise cost objects x scope length bloom checks: quadratic in the number of libraries). */
#define MEMO_SIZE 2048 /* entries, a power of two */
#define MEMO_MIN_WALK 8 /* scope objects visited before an answer is worth keeping */
struct memo {
	const char *name, *ver;
	const Elf64_Sym *sym; /* NULL: not found */
	struct obj *def;
	uint32_t gh;
	int flags;
};
/* A small open-addressed index (entry number + 1, 0 = free: one page) over entries filled in order, so
 * that the pages touched grow with the answers kept, not with the table (50 answers spread over a
 * 96 KiB table touched 21 pages). */
static uint16_t *memo_index;
static struct memo *memo;
static unsigned memo_used;

void lookup_memo(int on)
{
	if (on && L.ns[0].global.n < 2 * MEMO_MIN_WALK)
		return; /* short scopes: nothing to save, and probing the table would fault its pages in */
	if (on && !memo) {
		memo_index = u_zalloc(MEMO_SIZE * sizeof *memo_index); /* fresh memory: already zero */
		memo = u_alloc(MEMO_SIZE * sizeof *memo);
		memo_used = 0;
	} else if (!on) {
		u_free(memo_index);
		u_free(memo);
		memo_index = 0;
		memo = 0;
	}
}

/* The entry for this request (*hit = 1), or the index slot where a new one goes (NULL if that
 * neighbourhood is full). */
static uint16_t *memo_slot(const char *name, const char *ver, uint32_t gh, int flags, int *hit)
{
	*hit = 0;
	for (uint32_t k = 0; k < 8; k++) {
		uint16_t *ix = &memo_index[(gh + k) & (MEMO_SIZE - 1)];
		if (!*ix)
			return ix;
		const struct memo *m = &memo[*ix - 1];
		if (m->gh == gh && m->flags == flags && u_strcmp(m->name, name) == 0 &&
		    (m->ver == ver || (m->ver && ver && u_strcmp(m->ver, ver) == 0))) {
			*hit = 1;
			return ix;
		}
	}
	return 0;
}

/* Resolve symbol `symidx` of `req` in the global scope. Returns 1 and fills `out` if found. */
int lookup_symbol(const char *name, const struct obj *req, uint32_t symidx, int flags, struct sym_ref *out)
{
	const char *ver = 0;
	uint32_t verhash = 0;
	if (req->versym && symidx < req->nsyms) {
		uint16_t vs = req->versym[symidx];
		int ndx = vs & 0x7fff;
		if (ndx >= 2 && ndx < req->nvernames && req->vernames[ndx]) {
			ver = req->vernames[ndx];
			verhash = req->verhashes[ndx];
			if (vs & 0x8000)
				flags |= LOOKUP_VER_HIDDEN;
		}
	}
	uint32_t gh = gnu_hash_name(name), sh = 0; /* SysV hash only if needed */
	int dbg = lddebug_mask && !lddebug_quiet; /* LD_DEBUG: glibc's lines for this lookup */
	if (dbg)
		lddebug_nlookups++;
	if (req->symbolic && !(flags & LOOKUP_SKIP_MAIN)) {
		if (dbg && LDDEBUG(LDD_SYMBOLS))
			lddebug_lookup(name, req);
		const Elf64_Sym *s = obj_lookup_flags(req, name, gh, sh, ver, verhash, flags);
		if (s) {
			out->sym = s;
			out->obj = (struct obj *)req;
			if (dbg)
				lddebug_binding(req, req, name, ver, lddebug_protected(req, symidx));
			return 1;
		}
	}
	/* The memo answers for the global scope alone: not for COPY (skips the requester) or dlopen scopes. */
	uint16_t *slot = 0;
	if (memo && !req->extra_scope && !(flags & LOOKUP_SKIP_MAIN)) {
		int hit;
		slot = memo_slot(name, ver, gh, flags, &hit);
		if (hit) {
			const struct memo *m = &memo[*slot - 1];
			out->sym = m->sym;
			out->obj = m->def;
			return m->sym != 0;
		}
	}
	/* The global scope and the dlopen's, in the order obj_scopes gives (RTLD_DEEPBIND: the dlopen's first). */
	const struct dep_list *scopes[2];
	int nscopes = obj_scopes(req, scopes);
	int walked = 0, found = 0;
	for (int k = 0; k < nscopes && !found; k++) {
		const struct dep_list *scope = scopes[k];
		for (int i = 0; i < scope->n; i++) {
			struct obj *o = scope->v[i];
			if (o->is_proxy) /* ld.so in a dlmopen namespace: glibc looks in l_real */
				o = L.rtld;
			if ((flags & LOOKUP_SKIP_MAIN) && o == req)
				continue;
			walked++;
			if (dbg && LDDEBUG(LDD_SYMBOLS))
				lddebug_lookup(name, o);
			const Elf64_Sym *s = obj_lookup_flags(o, name, gh, sh, ver, verhash, flags);
			if (s) {
				out->sym = s;
				out->obj = o;
				found = 1;
				break;
			}
		}
	}
	if (dbg && found)
		lddebug_binding(req, out->obj, name, ver, lddebug_protected(req, symidx));
	if (slot && walked >= MEMO_MIN_WALK && memo_used < MEMO_SIZE) {
		memo[memo_used] = (struct memo){ name, ver, found ? out->sym : 0, found ? out->obj : 0, gh, flags };
		*slot = (uint16_t)++memo_used;
	}
	return found;
}

/* ---- lookups at run time (lazy binding, in any thread) against dlopen/dlclose changing the global scope.
 * glibc makes the scope arrays read-copy-update and waits for readers (THREAD_GSCOPE_WAIT); here a writer
 * raises a flag and waits until no lookup is inside, and a lookup waits while the flag is up. Writers hold
 * dlopen's lock, so there is one at a time, and run no code of the program while writing. */
static int scope_readers, scope_writing;
static int scope_pid; /* the process the readers are counted in: a child of fork has only its forking thread */

void scope_init(void)
{
	scope_pid = (int)sys_getpid();
}

void scope_read(int begin)
{
	if (!begin) {
		__atomic_sub_fetch(&scope_readers, 1, __ATOMIC_SEQ_CST);
		return;
	}
	for (;;) {
		while (__atomic_load_n(&scope_writing, __ATOMIC_SEQ_CST))
			sys_call(SYS_sched_yield, 0, 0, 0);
		__atomic_add_fetch(&scope_readers, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&scope_writing, __ATOMIC_SEQ_CST))
			return;
		__atomic_sub_fetch(&scope_readers, 1, __ATOMIC_SEQ_CST);
	}
}

void scope_write(int begin)
{
	if (!begin) {
		__atomic_store_n(&scope_writing, 0, __ATOMIC_SEQ_CST);
		return;
	}
	/* After fork, readers counted in the parent's other threads will never leave (glibc resets its
	 * gscope flags in the child likewise). */
	int pid = (int)sys_getpid();
	if (__atomic_load_n(&scope_pid, __ATOMIC_SEQ_CST) != pid) {
		__atomic_store_n(&scope_readers, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&scope_pid, pid, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&scope_writing, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&scope_readers, __ATOMIC_SEQ_CST))
		sys_call(SYS_sched_yield, 0, 0, 0);
}
