/* x86-64 relocations. Objects are relocated dependencies first (reverse load order), IRELATIVE
 * relocations of every object in a second pass, so IFUNC resolvers run with their object relocated. */
#include "audit.h"
#include "elfld.h"
#include "events.h"
#include "parse.h"
#include "sys.h"
#include "tls.h"
#include "lddebug.h"

/* Relocation targets need not be aligned (text relocations patch instruction immediates); on x86-64 an
 * unaligned store is the same instruction, but C must be told. */
typedef uint64_t u64_unaligned __attribute__((aligned(1), may_alias));
typedef uint32_t u32_unaligned __attribute__((aligned(1), may_alias));

struct reloc_stats {
	uint64_t total, relative, relr, symbolic, irelative, tls, copy;
	uint64_t irelative_pending; /* seen in the first pass, applied in the second */
};

/* Target check: [vaddr, vaddr+len) inside one writable PT_LOAD (any PT_LOAD if DT_TEXTREL).
 * The last segment hit is cached as a range: relocations come in address order. */
struct seg_hint {
	uint64_t lo, hi; /* vaddr range of the last segment that matched */
};

static int target_slow(struct obj *o, uint64_t vaddr, uint64_t len, struct seg_hint *h)
{
	for (int i = 0; i < o->phnum; i++) {
		const Elf64_Phdr *p = &o->phdr[i];
		if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr && vaddr + len <= p->p_vaddr + p->p_memsz &&
		    vaddr + len > vaddr && ((p->p_flags & PF_W) || o->textrel)) {
			h->lo = p->p_vaddr;
			h->hi = p->p_vaddr + p->p_memsz;
			return 1;
		}
	}
	return 0;
}

static inline int target_ok(struct obj *o, uint64_t vaddr, uint64_t len, struct seg_hint *h)
{
	if (__builtin_expect(vaddr >= h->lo && vaddr + len <= h->hi && vaddr + len > vaddr, 1))
		return 1;
	return target_slow(o, vaddr, len, h);
}

static void reloc_event(struct obj *o, uint32_t type, uintptr_t where, const char *sym, const char *ver,
			int64_t addend, uint64_t value, struct obj *def, int lazy, uint64_t before)
{
	struct elfld_event ev = { .type = EV_RELOC, .obj = o->id };
	ev.u.reloc.type = type;
	ev.u.reloc.type_name = elf_reloc_type_name(type);
	ev.u.reloc.where = where;
	ev.u.reloc.offset = where - o->l_addr;
	ev.u.reloc.symbol = sym ? sym : "";
	ev.u.reloc.version = ver ? ver : "";
	ev.u.reloc.addend = addend;
	ev.u.reloc.value = value;
	ev.u.reloc.def_obj = def ? def->id : -1;
	ev.u.reloc.lazy = (uint64_t)lazy;
	ev.u.reloc.before = before;
	event_emit(&ev);
}

/* Resolvers elfld calls must at least be code of the object. */
static int in_exec(const struct obj *o, uint64_t vaddr)
{
	return elf_addr_in_exec(o->phdr, o->phnum, vaddr);
}

static uintptr_t call_ifunc(uintptr_t resolver)
{
#ifdef ELFLD_HOSTED
	return resolver; /* the hosted build (tests/fuzz) relocates an image in data memory: never call into it */
#else
	/* glibc on x86-64 calls resolvers with no arguments; libc's read cpu_features themselves. */
	return ((uintptr_t(*)(void))resolver)();
#endif
}

/* Symbol of a relocation, resolved (and cached per symbol index). def NULL + value 0: undefined weak. */
struct resolved {
	const Elf64_Sym *sym;
	struct obj *def;
	const char *name;
};

static void resolve(struct obj *o, uint32_t symidx, uint32_t type, struct resolved *r)
{
	if (symidx >= o->nsyms)
		u_fatal(o->path, "relocation refers to symbol %u, but the symbol table has %lu", symidx, o->nsyms);
	const Elf64_Sym *s = &o->symtab[symidx];
	r->name = obj_symname(o, s);
	if (ELF64_ST_BIND(s->st_info) == STB_LOCAL) {
		r->sym = s;
		r->def = o;
		return;
	}
	if (o->versym && (o->versym[symidx] & 0x7fff) >= o->nvernames)
		u_fatal(o->path, "symbol %s has version index %d, but the object has only %d versions", r->name,
			o->versym[symidx] & 0x7fff, o->nvernames - 1);
	int flags = reloc_lookup_flags(type);
	/* No per-symbol cache beyond the previous relocation's (apply): a cache the size of the symbol table
	 * cost more in page faults than it saved in lookups (clang-tidy --version: 100 -> 93 ms without). */
	struct sym_ref ref;
	if (lookup_symbol(r->name, o, symidx, flags, &ref)) {
		r->sym = ref.sym;
		r->def = ref.obj;
		if (ref.obj->dlopened && ref.obj != o) /* glibc's DL_LOOKUP_ADD_DEPENDENCY */
			obj_add_dependency(o, ref.obj);
		return;
	}
	if (ELF64_ST_BIND(s->st_info) == STB_WEAK) {
		r->sym = 0;
		r->def = 0;
		return;
	}
	const char *ver = symbol_version(o, symidx);
	lddebug_lookup_error(o->is_main ? (L.prog_argv0 ? L.prog_argv0 : "") : o->l_name, r->name, ver);
	if (u_catch_frame) /* dlopen: glibc's wording, which programs print */
		u_fatal(o->path, "undefined symbol: %s%s%s", r->name, ver ? ", version " : "", ver ? ver : "");
	u_fatal(o->path, "undefined symbol: %s%s%s (needed by %s)", r->name, ver ? "@" : "", ver ? ver : "", o->path);
}

/* S: a symbol's address in its object; for an IFUNC what its resolver returns (glibc: SYMBOL_ADDRESS,
 * elf_ifunc_invoke). Also lazy.c's, at the first call. */
uint64_t symbol_address(struct obj *def, const Elf64_Sym *s, const char *name)
{
	uint64_t v = def->l_addr + s->st_value;
	if (ELF64_ST_TYPE(s->st_info) == STT_GNU_IFUNC && s->st_shndx != SHN_UNDEF) {
		if (!in_exec(def, s->st_value))
			u_fatal(def->path, "IFUNC resolver %s is not in an executable segment", name);
		v = call_ifunc(v);
	}
	return v;
}

static uint64_t sym_value(const struct resolved *r)
{
	if (!r->def || !r->sym) /* undefined weak, or symbol index 0 (S = 0) */
		return 0;
	return symbol_address(r->def, r->sym, r->name);
}

static int is_tls_type(uint32_t type)
{
	return type == R_X86_64_DTPMOD64 || type == R_X86_64_DTPOFF64 || type == R_X86_64_TPOFF64 ||
	       type == R_X86_64_TLSDESC;
}

/* A TLS relocation must name a TLS symbol and other relocations must not (the value would be an offset
 * used as an address, or the reverse). Symbols of no type or a section are let through, as glibc does,
 * and so are SIZE relocations (the size of a TLS variable is a size). */
static int tls_mismatch(const struct resolved *r, uint32_t type)
{
	int t = ELF64_ST_TYPE(r->sym->st_info);
	if (is_tls_type(type))
		return t == STT_OBJECT || t == STT_FUNC || t == STT_GNU_IFUNC;
	return t == STT_TLS && type != R_X86_64_SIZE64 && type != R_X86_64_SIZE32;
}

static int64_t tls_tpoff(struct obj *o, const struct resolved *r, int64_t addend)
{
	struct obj *d = r->def ? r->def : o;
	if (!d->tls_modid)
		u_fatal(o->path, "TLS relocation against %s, which has no TLS segment", d->path);
	if (!d->tls_static && !(L.stage == STAGE_TLS_ALLOCATED && tls_make_static(d))) /* (LD_AUDIT start-up) */
		u_fatal(o->path, "initial-exec TLS reference to %s, whose TLS is not in the static block", d->path);
	return (int64_t)(r->sym ? r->sym->st_value : 0) + addend - d->tls_offset;
}

/* What glibc's messages call the program (RTLD_PROGNAME: _dl_argv[0]). */
static const char *glibc_progname(void)
{
	return L.prog_argv0 ? L.prog_argv0 : "<program name unknown>";
}

/* A COPY whose source runs past the bytes of the defining object's segment (inside its mapped pages). */
static void copy_past_segment(struct obj *o, const struct resolved *r, uint64_t sz)
{
	int k = elf_load_at(r->def->phdr, r->def->phnum, r->sym->st_value);
	if (k < 0)
		return;
	const Elf64_Phdr *p = &r->def->phdr[k];
	uint64_t end = p->p_vaddr + p->p_memsz, past = r->sym->st_value + sz - end;
	if (r->sym->st_value >= end)
		obj_warn(r->def, "symbol %s (copied by %s) lies %lu bytes past its PT_LOAD", r->name, o->path,
			 r->sym->st_value - end);
	else
		obj_warn(r->def, "symbol %s (copied by %s): st_size %lu runs %lu bytes past its PT_LOAD", r->name,
			 o->path, r->sym->st_size, past);
}

/* The version a relocation's symbol asks for, or NULL (also lazy.c's, at the first call). */
const char *symbol_version(const struct obj *o, uint32_t symidx)
{
	if (!symidx || symidx >= o->nsyms || !o->versym)
		return 0;
	int ndx = o->versym[symidx] & 0x7fff;
	return ndx >= 2 && ndx < o->nvernames ? o->vernames[ndx] : 0;
}

/* lazy: DT_JMPREL of an object that binds lazily (its JUMP_SLOTs wait for the first call, lazy.c). */
static void apply(struct obj *o, const Elf64_Rela *rel, size_t n, int irelative_pass, int lazy,
		  struct reloc_stats *st)
{
	struct seg_hint hint = { 1, 0 };
	if (irelative_pass && !st->irelative_pending)
		return;
	if (!irelative_pass && !events_detail) {
		/* The common case, most of a big library: a run of RELATIVE relocations. */
		uintptr_t base = o->l_addr;
		size_t i = 0;
		while (i < n && rel[i].r_info == R_X86_64_RELATIVE) {
			if (!target_ok(o, rel[i].r_offset, 8, &hint))
				u_fatal(o->path, "relocation %zu (R_X86_64_RELATIVE) writes outside the object's writable "
					"segments (offset 0x%lx)", i, rel[i].r_offset);
			*(u64_unaligned *)(base + rel[i].r_offset) = base + (uint64_t)rel[i].r_addend;
			i++;
		}
		st->total += i;
		st->relative += i;
		rel += i;
		n -= i;
	}
	uint32_t last_sym = 0;
	struct resolved last = { 0, 0, 0 };
	for (size_t i = 0; i < n; i++) {
		uint32_t type = ELF64_R_TYPE(rel[i].r_info), symidx = ELF64_R_SYM(rel[i].r_info);
		if ((type == R_X86_64_IRELATIVE) != irelative_pass) {
			st->irelative_pending += type == R_X86_64_IRELATIVE;
			continue;
		}
		if (type == R_X86_64_NONE)
			continue;
		int64_t a = rel[i].r_addend;
		uint64_t len = (type == R_X86_64_PC32 || type == R_X86_64_32 || type == R_X86_64_32S ||
				type == R_X86_64_SIZE32) ? 4 : type == R_X86_64_TLSDESC ? 16 : 8;
		if (type != R_X86_64_COPY && !target_ok(o, rel[i].r_offset, len, &hint))
			u_fatal(o->path, "relocation %zu (%s) writes outside the object's writable segments (offset 0x%lx)", i,
				elf_reloc_type_name(type), rel[i].r_offset);
		uintptr_t where = o->l_addr + rel[i].r_offset;
		uint64_t v, before = 0; /* what the target held (its first word; a COPY's: 0) */
		if (events_detail && type != R_X86_64_COPY)
			before = len == 4 ? *(u32_unaligned *)where : *(u64_unaligned *)where;
		st->total++;
		if (type == R_X86_64_RELATIVE) {
			v = o->l_addr + (uint64_t)a;
			*(u64_unaligned *)where = v;
			st->relative++;
			if (events_detail)
				reloc_event(o, type, where, 0, 0, a, v, o, 0, before);
			continue;
		}
		if (lazy && type == R_X86_64_JUMP_SLOT) { /* elf_machine_lazy_rel */
			v = lazy_slot(o, where);
			*(u64_unaligned *)where = v;
			st->symbolic++;
			if (events_detail)
				reloc_event(o, type, where, obj_symname(o, &o->symtab[symidx < o->nsyms ? symidx : 0]),
					    symbol_version(o, symidx), a, v, 0, 1, before);
			continue;
		}
		struct resolved r = { 0, o, 0 };
		if (symidx) {
			/* LD_DEBUG symbols/bindings: lines where glibc looks up, none where its one-entry cache answers */
			int hit = LDDEBUG(LDD_SYMBOLS | LDD_BINDINGS | LDD_STATISTICS) ? lddebug_reloc_cached(o, symidx, type) : 1;
			if (symidx == last_sym && type != R_X86_64_COPY && hit)
				r = last;
			else {
				lddebug_quiet = hit && lddebug_mask;
				resolve(o, symidx, type, &r);
				lddebug_quiet = 0;
				last = r;
				last_sym = symidx;
			}
		}
		if (r.sym && tls_mismatch(&r, type))
			u_fatal(o->path, "%s at 0x%lx against %s, %s", elf_reloc_type_name(type), rel[i].r_offset,
				r.name, is_tls_type(type) ? "which is not a thread-local symbol" : "a thread-local symbol");
		switch (type) {
		case R_X86_64_64:
			v = sym_value(&r) + (uint64_t)a;
			*(u64_unaligned *)where = v;
			st->symbolic++;
			break;
		case R_X86_64_GLOB_DAT:
		case R_X86_64_JUMP_SLOT:
			/* S, not S+A (psABI): -z mark-plt (glibc 2.39+'s own libraries) puts the PLT entry in A */
			v = sym_value(&r);
			if (audit_n && type == R_X86_64_JUMP_SLOT && r.sym && r.def) /* bound now: la_symbind (2.35+) */
				v = audit_symbind(o, 0, r.sym, v, r.def);
			*(u64_unaligned *)where = v;
			st->symbolic++;
			break;
		case R_X86_64_PC64:
			v = sym_value(&r) + (uint64_t)a - where;
			*(u64_unaligned *)where = v;
			st->symbolic++;
			break;
		case R_X86_64_PC32:
		case R_X86_64_32:
		case R_X86_64_32S: {
			v = sym_value(&r) + (uint64_t)a - (type == R_X86_64_PC32 ? where : 0);
			int ok = type == R_X86_64_32 ? v == (uint32_t)v : (int64_t)v == (int32_t)v;
			if (!ok && type == R_X86_64_32S) /* (glibc does not know R_X86_64_32S at all) */
				u_fatal(o->path, "%s relocation at 0x%lx overflows 32 bits", elf_reloc_type_name(type), rel[i].r_offset);
			if (!ok) { /* glibc writes the low 32 bits and says so, as here */
				u_err("%s: Symbol `%s' causes overflow in %s relocation\n", glibc_progname(), r.name ? r.name : "",
				      elf_reloc_type_name(type));
				obj_warn(o, "%s at 0x%lx against %s overflows 32 bits: truncated, as by glibc",
					 elf_reloc_type_name(type), rel[i].r_offset, r.name ? r.name : "");
			}
			*(u32_unaligned *)where = (uint32_t)v;
			st->symbolic++;
			break;
		}
		case R_X86_64_SIZE64:
		case R_X86_64_SIZE32:
			v = (r.sym ? r.sym->st_size : 0) + (uint64_t)a;
			if (type == R_X86_64_SIZE64)
				*(u64_unaligned *)where = v;
			else
				*(u32_unaligned *)where = (uint32_t)v;
			st->symbolic++;
			break;
		case R_X86_64_COPY: {
			/* glibc (elf_machine_rela): copies MIN(definition's size, reference's size) bytes from the
			 * definition, wherever they are, and says so on stderr when the definition is bigger. Refused
			 * here only what would read or write memory that is not the two objects' own: a source
			 * outside the defining object's mapped pages, a destination outside the program's writable
			 * segments. A source past its segment's bytes but inside its pages (a symbol whose st_size
			 * is larger than the data behind it) is a warning; glibc reads the same bytes. */
			if (!r.def || !r.sym) { /* undefined weak (glibc: sym == NULL, nothing copied) */
				obj_warn(o, "COPY relocation against %s, which nothing defines: nothing copied, as by glibc",
					 r.name ? r.name : "");
				v = 0;
				break;
			}
			const Elf64_Sym *ref = &o->symtab[symidx];
			uint64_t sz = ref->st_size < r.sym->st_size ? ref->st_size : r.sym->st_size;
			if (!target_ok(o, rel[i].r_offset, sz ? sz : 1, &hint))
				u_fatal(o->path, "COPY relocation for %s outside the object's writable segments", r.name);
			uintptr_t src = r.def->l_addr + r.sym->st_value;
			if (!elf_range_mapped(r.def->phdr, r.def->phnum, r.sym->st_value, sz))
				u_fatal(r.def->path, "symbol %s (copied by %s) lies outside the object's memory", r.name, o->path);
			if (!elf_range_in_load(r.def->phdr, r.def->phnum, r.sym->st_value, sz ? sz : 1))
				copy_past_segment(o, &r, sz);
			memcpy((void *)where, (const void *)src, sz);
			if (r.sym->st_size != ref->st_size) {
				if (r.sym->st_size > ref->st_size)
					u_err("%s: Symbol `%s' has different size in shared object, consider re-linking\n",
					      glibc_progname(), r.name);
				obj_warn(o, "COPY of %s: %lu bytes in %s, %lu here: %lu copied, as by glibc", r.name,
					 r.sym->st_size, r.def->path, ref->st_size, sz);
			}
			v = src;
			st->copy++;
			break;
		}
		case R_X86_64_IRELATIVE:
			if (!in_exec(o, (uint64_t)a))
				u_fatal(o->path, "IRELATIVE resolver 0x%lx is not in an executable segment", (uint64_t)a);
			v = call_ifunc(o->l_addr + (uint64_t)a);
			*(u64_unaligned *)where = v;
			st->irelative++;
			break;
		case R_X86_64_DTPMOD64:
			v = (r.def ? r.def : o)->tls_modid;
			if (!v && r.def)
				u_fatal(o->path, "DTPMOD64 for %s, but %s has no TLS", r.name ? r.name : "local TLS", r.def->path);
			*(u64_unaligned *)where = v;
			st->tls++;
			break;
		case R_X86_64_DTPOFF64:
			v = (r.sym ? r.sym->st_value : 0) + (uint64_t)a;
			*(u64_unaligned *)where = v;
			st->tls++;
			break;
		case R_X86_64_TPOFF64:
			v = (uint64_t)tls_tpoff(o, &r, a);
			*(u64_unaligned *)where = v;
			st->tls++;
			break;
		case R_X86_64_TLSDESC: {
			struct obj *d = r.def ? r.def : o;
			if (!d->tls_modid)
				u_fatal(o->path, "TLSDESC for %s, but %s has no TLS", r.name ? r.name : "local TLS", d->path);
			uint64_t off = (r.sym ? r.sym->st_value : 0) + (uint64_t)a;
			if (where % 8) /* the two words are read by the TLS code with ordinary loads */
				u_fatal(o->path, "R_X86_64_TLSDESC at 0x%lx is misaligned", rel[i].r_offset);
			tlsdesc_set((uint64_t *)where, o, d, off);
			v = ((uint64_t *)where)[1];
			st->tls++;
			break;
		}
		default:
			u_fatal(o->path, "unsupported relocation type %u (%s) at offset 0x%lx", type, elf_reloc_type_name(type),
				rel[i].r_offset);
		}
		if (events_detail)
			reloc_event(o, type, where, r.name, symbol_version(o, symidx), a, v, r.def, 0, before);
	}
}

/* DT_RELR: packed RELATIVE relocations (an address, then bitmaps of the 63 words after it). */
static void apply_relr(struct obj *o, struct reloc_stats *st)
{
	struct seg_hint hint = { 1, 0 };
	uint64_t *where = 0;
	uintptr_t base = o->l_addr;
	size_t n = o->relrsz / 8;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = o->relr[i];
		if (!(e & 1)) {
			if (e % 8)
				u_fatal(o->path, "DT_RELR address 0x%lx is misaligned", e);
			if (!target_ok(o, e, 8, &hint))
				u_fatal(o->path, "DT_RELR address 0x%lx outside the writable segments", e);
			where = (uint64_t *)(base + e);
			*where++ += base;
			st->relr++;
			if (events_detail)
				reloc_event(o, 0x7fffffff, (uintptr_t)(where - 1), 0, 0, 0, where[-1], o, 0, where[-1] - base);
			continue;
		}
		if (!where)
			u_fatal(o->path, "DT_RELR bitmap before any address");
		for (uint64_t bits = e >> 1, k = 0; bits; bits >>= 1, k++) {
			if (!(bits & 1))
				continue;
			uint64_t off = (uintptr_t)(where + k) - base;
			if (!target_ok(o, off, 8, &hint))
				u_fatal(o->path, "DT_RELR address 0x%lx outside the writable segments", off);
			where[k] += base;
			st->relr++;
			if (events_detail)
				reloc_event(o, 0x7fffffff, (uintptr_t)(where + k), 0, 0, 0, where[k], o, 0, where[k] - base);
		}
		where += 63;
	}
	st->total += st->relr;
}

static void textrel_protect(struct obj *o, int writable)
{
	for (int i = 0; i < o->phnum; i++) {
		const Elf64_Phdr *p = &o->phdr[i];
		if (p->p_type != PT_LOAD || (p->p_flags & PF_W))
			continue;
		uintptr_t s = ALIGN_DOWN(o->l_addr + p->p_vaddr, PAGE_SIZE), e = ALIGN_UP(o->l_addr + p->p_vaddr + p->p_memsz, PAGE_SIZE);
		int prot = (p->p_flags & PF_R ? K_PROT_READ : 0) | (p->p_flags & PF_X ? K_PROT_EXEC : 0);
		if (mem->protect((void *)s, e - s, writable ? prot | K_PROT_WRITE : prot) < 0)
			u_fatal(o->path, "cannot change protection for text relocations");
	}
}

static struct reloc_stats *stats_of(struct obj *o)
{
	if (!o->sink_data)
		o->sink_data = u_zalloc(sizeof(struct reloc_stats));
	return o->sink_data;
}

/* An object binds its PLT lazily unless LD_BIND_NOW, DT_BIND_NOW/DF_BIND_NOW/DF_1_NOW or (dlopen)
 * RTLD_NOW say otherwise. glibc's lazy set-up (elf_machine_lazy_rel) accepts only JUMP_SLOT, TLSDESC and
 * IRELATIVE in DT_JMPREL: anything else, R_X86_64_NONE included (a link that ignored undefined symbols
 * leaves those), stops the load. Returns whether the object binds lazily. */
static int lazy_begin(struct obj *o)
{
	if (!lazy_binds(o))
		return 0;
	for (size_t i = 0; i < o->pltrelsz / sizeof(Elf64_Rela); i++) {
		uint32_t t = (uint32_t)ELF64_R_TYPE(o->jmprel[i].r_info);
		if (t != R_X86_64_JUMP_SLOT && t != R_X86_64_TLSDESC && t != R_X86_64_IRELATIVE)
			u_fatal(o->path, "unexpected PLT reloc type 0x%02x (%s in DT_JMPREL, entry %zu: glibc refuses it when "
				"binding lazily%s)", t, elf_reloc_type_name(t), i,
				t == R_X86_64_NONE ? "; LD_BIND_NOW=1 accepts it" : "");
	}
	struct seg_hint h = { 1, 0 };
	if (!o->dynv[DT_PLTGOT] || !target_ok(o, o->dynv[DT_PLTGOT], 24, &h)) {
		obj_warn(o, "DT_JMPREL but no writable GOT at DT_PLTGOT (0x%lx): its PLT is bound at load time",
			 o->dynv[DT_PLTGOT]);
		return 0;
	}
	lazy_setup(o, (uintptr_t *)(o->l_addr + o->dynv[DT_PLTGOT]));
	return 1;
}

void relocate_object(struct obj *o)
{
	if (o->relocated || o->is_rtld || o->is_vdso)
		return;
	if (lddebug_mask)
		lddebug_reloc_begin(o, L.lazy && (!o->bind_now || (audit_n && audit_profiling(o))));
	int lazy = o->jmprel && lazy_begin(o);
	struct reloc_stats *st = stats_of(o);
	if (o->textrel) { /* (glibc says nothing: a warning on the trace, not on the program's stderr) */
		obj_warn(o, "has text relocations (DT_TEXTREL); code pages made writable while relocating");
		textrel_protect(o, 1);
	}
	if (o->relr)
		apply_relr(o, st);
	if (o->rela)
		apply(o, o->rela, o->relasz / sizeof(Elf64_Rela), 0, 0, st);
	if (o->jmprel)
		apply(o, o->jmprel, o->pltrelsz / sizeof(Elf64_Rela), 0, lazy, st);
	o->relocated = 1;
}

void relocate_irelative(struct obj *o)
{
	if (o->is_rtld || o->is_vdso || o->irelative_done)
		return;
	o->irelative_done = 1;
	struct reloc_stats *st = stats_of(o);
	if (o->rela)
		apply(o, o->rela, o->relasz / sizeof(Elf64_Rela), 1, 0, st);
	if (o->jmprel)
		apply(o, o->jmprel, o->pltrelsz / sizeof(Elf64_Rela), 1, 0, st);
	if (o->textrel)
		textrel_protect(o, 0);
	if (audit_n) /* glibc's l_reloc_result: after the object's relocation, IRELATIVE included */
		audit_reloc_alloc(o);
	o->nrelocs = st->total;
	struct elfld_event ev = { .type = EV_RELOC_DONE, .obj = o->id };
	ev.u.reloc_done.total = st->total;
	ev.u.reloc_done.relative = st->relative;
	ev.u.reloc_done.relr = st->relr;
	ev.u.reloc_done.symbolic = st->symbolic;
	ev.u.reloc_done.irelative = st->irelative;
	ev.u.reloc_done.tls = st->tls;
	ev.u.reloc_done.copy = st->copy;
	event_emit(&ev);
}

/* Post-order over DT_NEEDED: every object after its dependencies (glibc relocates in this order too,
 * so a JUMP_SLOT to libc's strlen runs libc's IFUNC resolver only once libc is relocated). */
static void post_order(struct obj *o, int mark, struct dep_list *out)
{
	if (o->mark == mark)
		return;
	o->mark = mark;
	for (int i = 0; i < o->deps.n; i++)
		post_order(o->deps.v[i], mark, out);
	dep_push(out, o);
}

void dependency_order(struct dep_list *roots, struct dep_list *out)
{
	static int mark;
	mark++;
	for (int i = roots->n - 1; i >= 0; i--)
		post_order(roots->v[i], mark, out);
}

void relocate_all(void)
{
	struct dep_list order = { 0, 0, 0 };
	dependency_order(&L.ns[0].global, &order);
	if (!LDDEBUG(LDD_SYMBOLS | LDD_BINDINGS)) /* the memo skips the walk LD_DEBUG shows */
		lookup_memo(1);
	for (int i = 0; i < order.n; i++)
		relocate_object(order.v[i]);
	lookup_memo(0);
	for (int i = 0; i < order.n; i++)
		relocate_irelative(order.v[i]);
	u_free(order.v);
}
