/* Lazy binding, as glibc's loader does it. An object that may bind lazily (no LD_BIND_NOW / --bind-now,
 * no DT_BIND_NOW / DF_BIND_NOW / DF_1_NOW, not dlopen(RTLD_NOW)) keeps its PLT slots pointing back into its
 * PLT; GOT[1] is its link_map and GOT[2] the resolver (lazyasm.S). The first call of each function goes
 * PLT entry -> PLT0 -> resolver -> _dl_fixup, which looks the symbol up, writes the slot (unless
 * LD_BIND_NOT) and returns the function the resolver jumps to. Each binding is a `bind` event.
 *   glibc: elf_machine_runtime_setup, elf_machine_lazy_rel (sysdeps/x86_64/dl-machine.h), _dl_fixup
 *   (elf/dl-runtime.c), _dl_runtime_resolve_* (sysdeps/x86_64/dl-trampoline.h). */
#include "elfld.h"
#include "audit.h"
#include "lddebug.h"
#include "events.h"
#include "glibc.h"
#include "sys.h"

extern unsigned char _rtld_global_ro[];

static void *resolver;
static uint64_t start_ns;

/* glibc's link_map l_mach: the PLT and GOT of a prelinked object, to undo its prelinking */
#define L_MACH(o) ((uintptr_t *)(void *)((o)->glibc_link_map + GLIBC_OFF_link_map__l_mach))

static uint64_t now_ns(void)
{
	struct { long s, ns; } ts;
	sys_call(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts, 0);
	return (uint64_t)ts.s * 1000000000u + (uint64_t)ts.ns;
}

void lazy_init(void)
{
	start_ns = now_ns();
	scope_init();
}

/* (LD_AUDIT's PLT hooks see the calls of a DT_BIND_NOW object too: glibc binds it lazily then) */
int lazy_binds(const struct obj *o)
{
	return L.lazy && (!o->bind_now || (audit_n && audit_profiling(o))) && o->jmprel && !o->is_rtld && !o->is_vdso;
}

static void choose_resolver(void)
{
	unsigned char *cf = _rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features;
	/* a program without glibc: its cpu_features were never needed before */
	if (!*(unsigned *)(void *)(cf + GLIBC_OFF_cpu_features__basic + GLIBC_OFF_cpu_features_basic__kind))
		glibc_cpu_setup();
	unsigned long size; /* (the resolver reads it from cpu_features itself, as glibc's) */
	resolver = cpu_plt_resolver(cf, &size);
}

/* elf_machine_runtime_setup: GOT[1] and GOT[2]. got: the object's DT_PLTGOT, checked writable by reloc.c. */
void lazy_setup(struct obj *o, uintptr_t *got)
{
	if (got[1]) { /* prelinked: the prelinker left PLT0+0x16 here */
		L_MACH(o)[0] = got[1] + o->l_addr;
		L_MACH(o)[1] = (uintptr_t)&got[3];
	}
	got[1] = (uintptr_t)o;
	if (!resolver)
		choose_resolver();
	got[2] = (uintptr_t)resolver;
	if (audit_n && audit_profiling(o)) /* la_pltenter/la_pltexit: every call goes through _dl_profile_fixup */
		got[2] = (uintptr_t)cpu_plt_profiler(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features);
}

/* elf_machine_lazy_rel for a JUMP_SLOT: the slot's link-time value (its PLT entry's push), rebased. */
uintptr_t lazy_slot(struct obj *o, uintptr_t where)
{
	uintptr_t plt = L_MACH(o)[0];
	if (plt)
		return plt + (where - L_MACH(o)[1]) * 2;
	typedef uintptr_t unaligned __attribute__((aligned(1), may_alias));
	return *(unaligned *)where + o->l_addr;
}

static const char *version_of(const struct obj *o, uint32_t symidx)
{
	const char *v = symbol_version(o, symidx);
	return v ? v : "";
}

/* glibc's fatal "symbol lookup error" (no one catches it at run time): exit status 127. The object is
 * named by its l_name, the program (whose l_name is empty) by argv[0]. */
__attribute__((noreturn)) static void undefined(struct obj *o, const char *name, const char *ver)
{
	const char *prog = L.prog_argv0 ? L.prog_argv0 : "<program name unknown>";
	lddebug_lookup_error(o->is_main ? prog : o->l_name, name, ver);
	u_err("%s: symbol lookup error: %s: undefined symbol: %s%s%s\n", prog, o->is_main ? prog : o->path, name,
	      *ver ? ", version " : "", ver);
	sys_exit_group(127);
}

static int bind_wanted(void)
{
	return evcfg.stream_fd >= 0 || (evcfg.trace_fd >= 0 && (evcfg.trace_mask & TR_BINDINGS)) ||
	       (elfld_debug.want & (1u << EV_BIND));
}

/* The lookup of a first call: the JUMP_SLOT, its symbol and where it is defined; returns the address. */
struct lazy_ref {
	const Elf64_Rela *rel;
	uint32_t symidx;
	const char *name;
	struct sym_ref r;
};
/* (Not inlined: GDB would name _dl_fixup's first instructions after it; in .plt as _dl_fixup, for `step`.) */
static __attribute__((noinline, section(".plt"))) uintptr_t lazy_resolve(struct obj *o, size_t index, struct lazy_ref *b)
{
	if (index >= o->pltrelsz / sizeof(Elf64_Rela))
		u_fatal(o->path, "lazy call through PLT entry %zu, but DT_JMPREL has %zu", index,
			o->pltrelsz / sizeof(Elf64_Rela));
	const Elf64_Rela *rel = &o->jmprel[index];
	uint32_t symidx = (uint32_t)ELF64_R_SYM(rel->r_info);
	if (ELF64_R_TYPE(rel->r_info) != R_X86_64_JUMP_SLOT || !symidx || symidx >= o->nsyms)
		u_fatal(o->path, "lazy call through DT_JMPREL entry %zu, which is not a JUMP_SLOT with a symbol", index);
	const Elf64_Sym *ref = &o->symtab[symidx];
	const char *name = obj_symname(o, ref);
	struct sym_ref r = { ref, o };
	if (ELF64_ST_VISIBILITY(ref->st_other) == STV_DEFAULT) {
		/* with threads, a dlopen or dlclose may be changing the scope: symbols.c's reader side */
		scope_read(1);
		int found = lookup_symbol(name, o, symidx, LOOKUP_NO_PLT, &r);
		scope_read(0);
		if (!found) {
			if (ELF64_ST_BIND(ref->st_info) != STB_WEAK)
				undefined(o, name, version_of(o, symidx));
			r.sym = 0, r.obj = 0;
		}
	}
	b->rel = rel;
	b->symidx = symidx;
	b->name = name;
	b->r = r;
	return r.sym ? symbol_address(r.obj, r.sym, name) : 0;
}

/* Called by the resolver with the object's link_map (GOT[1]) and the DT_JMPREL index its PLT entry pushed.
 * Runs in the program's thread, maybe in several at once for the same slot (they write the same value).
 * In a .plt section, as the resolvers (lazyasm.S says why: GDB's `step`). */
__attribute__((used, section(".plt"))) uintptr_t _dl_fixup(struct obj *o, size_t index) HIDDEN;
uintptr_t _dl_fixup(struct obj *o, size_t index)
{
	struct lazy_ref b;
	uintptr_t v = lazy_resolve(o, index, &b);
	const Elf64_Rela *rel = b.rel;
	uint32_t symidx = b.symidx;
	const char *name = b.name;
	struct sym_ref r = b.r;
	if (audit_n && o->audit_rr) /* LD_AUDIT: la_symbind at the first binding of the slot */
		v = audit_fixup(o, index, r.obj, r.sym, v);
	uintptr_t where = o->l_addr + rel->r_offset;
	if (!L.bind_not)
		__atomic_store_n((uintptr_t *)where, v, __ATOMIC_RELAXED);
	if (bind_wanted()) {
		struct elfld_event ev = { .type = EV_BIND, .obj = o->id };
		ev.u.bind.where = where;
		ev.u.bind.offset = rel->r_offset;
		ev.u.bind.index = index;
		ev.u.bind.symbol = name;
		ev.u.bind.version = version_of(o, symidx);
		ev.u.bind.value = v;
		ev.u.bind.def_obj = r.obj ? r.obj->id : -1;
		ev.u.bind.tid = (uint64_t)sys_gettid();
		ev.u.bind.time_ns = now_ns() - start_ns;
		event_emit(&ev);
	}
	return v;
}

/* LD_AUDIT with PLT hooks: _dl_runtime_profile_* (lazyprof.S) calls this at every call through a lazy
 * slot, which it never writes (glibc's _dl_profile_fixup): the first binding goes through la_symbind, each
 * call through la_pltenter, which may change the address and asks for la_pltexit with *framesizep >= 0. */
__attribute__((used, section(".plt"))) uintptr_t _dl_profile_fixup(struct obj *o, size_t index, uintptr_t retaddr,
								  void *regs, long *framesizep) HIDDEN;
uintptr_t _dl_profile_fixup(struct obj *o, size_t index, uintptr_t retaddr, void *regs, long *framesizep)
{
	(void)retaddr; /* (glibc's LD_PROFILE's mcount) */
	struct audit_reloc *rr = o->audit_rr;
	if (!rr) { /* relocation is not over (an IRELATIVE resolver calls): no audit yet */
		*framesizep = -1;
		return _dl_fixup(o, index);
	}
	rr += index;
	uintptr_t v;
	if (!__atomic_load_n(&rr->init, __ATOMIC_ACQUIRE)) {
		struct lazy_ref b;
		v = lazy_resolve(o, index, &b);
		if (b.r.sym)
			v = audit_symbind(o, rr, b.r.sym, v, b.r.obj);
		if (!L.bind_not) {
			rr->addr = v;
			__atomic_store_n(&rr->init, 1, __ATOMIC_RELEASE);
		}
	} else
		v = rr->addr;
	long framesize = -1;
	audit_pltenter(o, rr, &v, regs, &framesize);
	*framesizep = framesize;
	return v;
}
