/* TLS: module registry with slot reuse and a global generation counter, static layout as glibc's
 * _dl_determine_tlsoffset (variant II), per-thread storage and DTV, __tls_get_addr and TLSDESC. */
#include "tls.h"
#include "elfld.h"
#include "events.h"
#include "sys.h"
#include "glibc.h"
#include "lddebug.h"

size_t tls_static_size HIDDEN, tls_static_align HIDDEN = 64, tls_static_used HIDDEN;
size_t tls_max_modid HIDDEN;
size_t tls_static_surplus HIDDEN = 1664;
uint64_t tls_generation HIDDEN;

struct tls_slot {
	struct obj *obj;
	uint64_t gen; /* generation at which this slot got its current module */
};
static struct tls_slot *slots;
static size_t nslots;
static u_lock_t tls_lock;
static size_t tls_static_used_initial;
static uintptr_t main_tp;

uintptr_t tls_tp_of_main(void) { return main_tp; }
static void module_event(struct obj *o);
static void init_block(struct obj *o, void *dst);

static size_t slot_alloc(struct obj *o)
{
	size_t id;
	for (id = 1; id <= tls_max_modid; id++)
		if (!slots[id].obj)
			break;
	if (id >= nslots) {
		size_t n = nslots ? nslots * 2 : 16;
		struct tls_slot *s = u_zalloc(n * sizeof *s);
		if (slots)
			memcpy(s, slots, nslots * sizeof *s);
		slots = s; /* the old array is kept: a racing reader may still hold it */
		nslots = n;
	}
	slots[id].obj = o;
	slots[id].gen = ++tls_generation;
	if (id > tls_max_modid)
		tls_max_modid = id;
	glibc_tls_slot(id, o, slots[id].gen);
	elfld_debug.tls_generation = tls_generation;
	elfld_debug.tls_max_modid = tls_max_modid;
	return id;
}

/* A dlopened object's TLS: a new module (reusing a free slot). Objects flagged DF_STATIC_TLS (initial-exec
 * accesses) get a block in the static surplus, initialized in every existing thread. */
void tls_register_dynamic(struct obj *o)
{
	if (!o->tls_memsz || o->tls_modid)
		return;
	if (o->tls_align > TLS_MAX_ALIGN_LIMIT)
		u_fatal(o->path, "PT_TLS alignment 0x%lx too large", o->tls_align);
	u_lock(&tls_lock);
	o->tls_modid = slot_alloc(o);
	if (o->flags & DF_STATIC_TLS) {
		size_t fb = o->tls_firstbyte;
		size_t off = ALIGN_UP(tls_static_used + o->tls_memsz - fb, o->tls_align) + fb;
		if (off > ALIGN_UP(tls_static_used_initial + tls_static_surplus, tls_static_align) || o->tls_align > tls_static_align) {
			slots[o->tls_modid].obj = 0;
			u_unlock(&tls_lock);
			if (u_catch_frame) /* dlopen: glibc's wording, which programs print */
				u_fatal(o->path, "cannot allocate memory in static TLS block");
			u_fatal(o->path, "cannot allocate memory in static TLS block (initial-exec TLS, 0x%lx bytes)", o->tls_memsz);
		}
		o->tls_offset = (intptr_t)off;
		o->tls_static = 1;
		tls_static_used = off;
	}
	u_unlock(&tls_lock);
	glibc_tls_globals();
	module_event(o);
}

/* LD_AUDIT: the program's libraries were loaded after the thread pointer was set up, their TLS registered
 * as dlopen's; an initial-exec reference to one that is not in the static block gets it a block from the
 * surplus at start-up relocation, as glibc's _dl_allocate_static_tls. 0 if there is no room. */
int tls_make_static(struct obj *o)
{
	u_lock(&tls_lock);
	size_t fb = o->tls_firstbyte;
	size_t off = ALIGN_UP(tls_static_used + o->tls_memsz - fb, o->tls_align) + fb;
	int ok = off <= ALIGN_UP(tls_static_used_initial + tls_static_surplus, tls_static_align) &&
		 o->tls_align <= tls_static_align;
	if (ok) {
		o->tls_offset = (intptr_t)off;
		o->tls_static = 1;
		tls_static_used = off;
	}
	u_unlock(&tls_lock);
	if (ok)
		glibc_tls_globals();
	return ok;
}

/* Static-surplus blocks of a newly dlopened IE object, in every thread known to glibc plus the main one. */
void tls_init_static_in_threads(struct obj *o, uintptr_t *tps, size_t ntp)
{
	for (size_t i = 0; i < ntp; i++) {
		dtv_t *dtv = *(dtv_t **)(tps[i] + TCB_OFF_DTV);
		void *b = (void *)(tps[i] - (uintptr_t)o->tls_offset);
		init_block(o, b);
		if (dtv && o->tls_modid <= dtv[-1].counter)
			dtv[o->tls_modid].pointer.val = b;
	}
}

/* dlclose: the slot becomes free; threads drop their blocks at their next DTV update. */
/* The static-surplus blocks of the objects one dlclose unloads: glibc's _dl_close_worker collects them into
 * a contiguous chunk [start, end) (offsets below the thread pointer) and gives back what ends at the end of
 * the used area; other holes stay lost. 0 is glibc's NO_TLS_OFFSET. */
static struct { size_t start, end; } reclaim;

void tls_reclaim(int begin)
{
	if (begin) {
		reclaim.start = reclaim.end = 0;
		return;
	}
	u_lock(&tls_lock);
	if (reclaim.end && reclaim.end == tls_static_used)
		tls_static_used = reclaim.start;
	u_unlock(&tls_lock);
	glibc_tls_globals();
}

static void reclaim_static(size_t off, size_t size)
{
	if (!reclaim.start || off == reclaim.start) { /* extend the chunk */
		reclaim.start = off - size;
		if (!reclaim.end)
			reclaim.end = off;
	} else if (off - size == reclaim.end) { /* extend it backwards */
		reclaim.end = off;
	} else if (reclaim.end == tls_static_used) { /* not contiguous: free one now, keep the other */
		tls_static_used = reclaim.start;
		reclaim.end = off;
		reclaim.start = off - size;
	} else if (off == tls_static_used) {
		tls_static_used = off - size;
	} else if (reclaim.end < off) { /* keep the later block: it may still be freed */
		reclaim.end = off;
		reclaim.start = off - size;
	}
}

void tls_unregister(struct obj *o)
{
	if (!o->tls_modid)
		return;
	u_lock(&tls_lock);
	if (o->tls_static && o->tls_offset)
		reclaim_static((size_t)o->tls_offset, o->tls_memsz);
	slots[o->tls_modid].obj = 0;
	slots[o->tls_modid].gen = ++tls_generation;
	glibc_tls_slot(o->tls_modid, 0, slots[o->tls_modid].gen);
	while (tls_max_modid && !slots[tls_max_modid].obj)
		tls_max_modid--;
	elfld_debug.tls_generation = tls_generation;
	elfld_debug.tls_max_modid = tls_max_modid;
	u_unlock(&tls_lock);
	glibc_tls_globals();
	o->tls_modid = 0;
}

static void module_event(struct obj *o)
{
	struct elfld_event ev = { .type = EV_TLS_MODULE, .obj = o->id };
	ev.u.tls_module.modid = o->tls_modid;
	ev.u.tls_module.kind = o->tls_static ? "static" : "dynamic";
	ev.u.tls_module.size = o->tls_memsz;
	ev.u.tls_module.align = o->tls_align;
	ev.u.tls_module.filesz = o->tls_filesz;
	ev.u.tls_module.image = (uintptr_t)o->tls_image;
	ev.u.tls_module.tp_offset = o->tls_static ? -o->tls_offset : 0;
	ev.u.tls_module.dtv_slot = o->tls_modid;
	event_emit(&ev);
}

/* Initial objects: module ids in load order (the program gets 1 if it has TLS), static offsets. */
void tls_register_initial(void)
{
	size_t offset = 0, max_align = 64;
	struct dep_list *s = &L.ns[0].global;
	for (int i = 0; i < s->n; i++) {
		struct obj *o = s->v[i];
		if (!o->tls_memsz || o->tls_modid)
			continue;
		if (o->tls_align > TLS_MAX_ALIGN_LIMIT)
			u_fatal(o->path, "PT_TLS alignment 0x%lx too large", o->tls_align);
		o->tls_modid = slot_alloc(o);
		size_t fb = o->tls_firstbyte;
		size_t off = ALIGN_UP(offset + o->tls_memsz - fb, o->tls_align) + fb;
		o->tls_offset = (intptr_t)off;
		o->tls_static = 1;
		offset = off;
		if (o->tls_align > max_align)
			max_align = o->tls_align;
	}
	/* glibc 2.41+: its "extra TLS" block (the rseq area) after the last module, the most negative offset. */
	size_t xalign, xsize = glibc_extra_tls(&xalign);
	if (xsize) {
		if (xalign > max_align)
			max_align = xalign;
		offset = ALIGN_UP(offset, xalign) + xsize;
		glibc_set_extra_tls_offset(-(long)offset);
	}
	tls_static_used = tls_static_used_initial = offset;
	tls_static_align = max_align;
	tls_static_size = ALIGN_UP(offset + tls_static_surplus, max_align) + TLS_TCB_SIZE;
	glibc_tls_globals();
	for (int i = 0; i < s->n; i++)
		if (s->v[i]->tls_modid)
			module_event(s->v[i]);
}

/* DTVs come from libc's malloc once libc is relocated (rt_malloc), as glibc's allocate_dtv/_dl_resize_dtv
 * use calloc/malloc: it matters beyond memory, for pthread_create's DTV is then the creating thread's
 * first malloc, which attaches the main thread to the main arena before any thread can take it (without
 * it, glibc's arena accounting trips now and then). The main thread's first DTV is made before libc is
 * relocated, with elfld's allocator, and freed with it (glibc keeps GL(dl_initial_dtv) apart likewise). */
static dtv_t *initial_dtv;

static dtv_t *dtv_alloc(size_t nmods)
{
	dtv_t *d = rt_malloc((nmods + 2) * sizeof(dtv_t));
	if (!d)
		u_fatal(0, "out of memory for a thread's DTV (%zu modules)", nmods);
	memset(d, 0, (nmods + 2) * sizeof(dtv_t));
	d[0].counter = nmods;
	return d + 1;
}

static void dtv_free(dtv_t *dtv)
{
	if (dtv == initial_dtv)
		u_free(dtv - 1);
	else
		rt_free(dtv - 1);
}

static void block_event(size_t modid, uintptr_t addr, size_t size, uintptr_t tp, dtv_t *dtv, const char *kind)
{
	struct elfld_event ev = { .type = EV_TLS_BLOCK, .obj = slots[modid].obj ? slots[modid].obj->id : -1 };
	ev.u.tls_block.modid = modid;
	ev.u.tls_block.addr = addr;
	ev.u.tls_block.size = size;
	ev.u.tls_block.tp = tp;
	ev.u.tls_block.dtv = (uintptr_t)dtv;
	ev.u.tls_block.tp_offset = (int64_t)(addr - tp);
	ev.u.tls_block.kind = kind;
	ev.u.tls_block.tid = tp == main_tp || !main_tp ? (uint64_t)sys_gettid() : 0;
	ev.u.tls_block.dtv_gen = dtv ? dtv[0].counter : 0;
	ev.u.tls_block.dtv_slots = dtv ? dtv[-1].counter : 0;
	event_emit(&ev);
}

/* Copy .tdata, zero .tbss. */
static void init_block(struct obj *o, void *dst)
{
	memcpy(dst, o->tls_image, o->tls_filesz);
	memset((char *)dst + o->tls_filesz, 0, o->tls_memsz - o->tls_filesz);
}

/* Storage for one thread: static blocks + TCB, and the pointer to free stored right after the TCB. */
static uintptr_t storage_alloc(void)
{
	size_t sz = tls_static_size + tls_static_align + sizeof(void *);
	char *raw = u_zalloc(sz);
	uintptr_t aligned = ALIGN_UP((uintptr_t)raw, tls_static_align);
	uintptr_t tp = aligned + tls_static_size - TLS_TCB_SIZE;
	*(void **)(tp + TLS_TCB_SIZE) = raw;
#if GLIBC_LAYOUT_MINOR >= 43
	if (LDDEBUG(LDD_TLS)) /* _dl_allocate_tls_storage's line (LD_DEBUG=tls, 2.43) */
		lddebug_printf("TCB allocated: 0x%lx\n", tp);
#endif
	return tp;
}

/* Give thread `tp` a DTV covering every module, fill static blocks. Images are copied only once the
 * objects are relocated (`copy_images`). */
static dtv_t *dtv_setup(uintptr_t tp, int copy_images)
{
	u_lock(&tls_lock);
	size_t n = tls_max_modid + TLS_DTV_SURPLUS;
	dtv_t *dtv = dtv_alloc(n);
	dtv[0].counter = tls_generation;
	for (size_t m = 1; m <= tls_max_modid; m++) {
		struct obj *o = slots[m].obj;
		if (!o) {
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
			continue;
		}
		if (o->tls_static) {
			void *b = (void *)(tp - (uintptr_t)o->tls_offset);
			dtv[m].pointer.val = b;
			if (copy_images)
				init_block(o, b);
		} else
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
	}
	for (size_t m = tls_max_modid + 1; m <= n; m++)
		dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
	u_unlock(&tls_lock);
	*(uintptr_t *)(tp + TCB_OFF_DTV) = (uintptr_t)dtv;
	return dtv;
}

static void blocks_events(uintptr_t tp, dtv_t *dtv)
{
	for (size_t m = 1; m <= tls_max_modid; m++)
		if (slots[m].obj && slots[m].obj->tls_static)
			block_event(m, (uintptr_t)dtv[m].pointer.val, slots[m].obj->tls_memsz, tp, dtv, "static");
}

/* Main thread: storage, TCB, DTV (stage tls-allocated). Images come later (tls-initialized). */
void tls_setup_main_thread(void)
{
	uintptr_t tp = storage_alloc();
	main_tp = tp;
	*(uintptr_t *)(tp + TCB_OFF_TCB) = tp;
	*(uintptr_t *)(tp + TCB_OFF_SELF) = tp;
	/* Stack and pointer guards from AT_RANDOM, as glibc: the canary's low byte is zero. */
	if (L.at_random) {
		uint64_t r0, r1;
		memcpy(&r0, (void *)L.at_random, 8);
		memcpy(&r1, (void *)(L.at_random + 8), 8);
		*(uint64_t *)(tp + TCB_OFF_STACK_GUARD) = r0 & ~0xffUL;
		*(uint64_t *)(tp + TCB_OFF_POINTER_GUARD) = r1;
	}
	initial_dtv = dtv_setup(tp, 0);
	elfld_debug.main_tp = tp;
}

void tls_init_main_thread(void)
{
	dtv_t *dtv = (dtv_t *)*(uintptr_t *)(main_tp + TCB_OFF_DTV);
	for (size_t m = 1; m <= tls_max_modid; m++)
		if (slots[m].obj && slots[m].obj->tls_static)
			init_block(slots[m].obj, dtv[m].pointer.val);
	if (sys_arch_prctl(K_ARCH_SET_FS, main_tp) != 0)
		u_fatal(0, "cannot set the thread pointer (arch_prctl)");
	blocks_events(main_tp, dtv);
}

/* ---- runtime, called from any thread with the program's %fs */
static inline uintptr_t cur_tp(void)
{
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	return tp;
}

/* Bring this thread's DTV up to the global generation: grow it, drop blocks of unloaded modules. */
static dtv_t *dtv_update(uintptr_t tp, dtv_t *dtv)
{
	u_lock(&tls_lock);
	size_t cap = dtv[-1].counter;
	if (cap < tls_max_modid) {
		size_t n = tls_max_modid + TLS_DTV_SURPLUS;
		dtv_t *nd = dtv_alloc(n);
		memcpy(nd, dtv, (cap + 1) * sizeof(dtv_t));
		for (size_t m = cap + 1; m <= n; m++)
			nd[m].pointer.val = TLS_DTV_UNALLOCATED;
		dtv_free(dtv);
		dtv = nd;
		*(uintptr_t *)(tp + TCB_OFF_DTV) = (uintptr_t)dtv;
	}
	for (size_t m = 1; m <= tls_max_modid; m++) {
		if (slots[m].gen > dtv[0].counter && dtv[m].pointer.val != TLS_DTV_UNALLOCATED && !(slots[m].obj && slots[m].obj->tls_static)) {
			/* the slot changed since this DTV was current: its old block belongs to a gone module */
			rt_free(dtv[m].pointer.to_free);
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
			dtv[m].pointer.to_free = 0;
		}
		if (slots[m].obj && slots[m].obj->tls_static && slots[m].gen > dtv[0].counter)
			dtv[m].pointer.val = (void *)(tp - (uintptr_t)slots[m].obj->tls_offset);
	}
	dtv[0].counter = tls_generation;
	u_unlock(&tls_lock);
	return dtv;
}

void *tls_get_addr_slow(size_t modid, size_t off)
{
	uintptr_t tp = cur_tp();
	dtv_t *dtv = (dtv_t *)*(uintptr_t *)(tp + TCB_OFF_DTV);
	if (dtv[0].counter != tls_generation)
		dtv = dtv_update(tp, dtv);
	if (modid == 0 || modid > dtv[-1].counter)
		u_fatal(0, "__tls_get_addr: module %lu does not exist", modid);
	void *p = dtv[modid].pointer.val;
	if (p == TLS_DTV_UNALLOCATED) {
		struct obj *o = modid <= tls_max_modid ? slots[modid].obj : 0;
		if (!o)
			u_fatal(0, "__tls_get_addr: module %lu is not loaded", modid);
		char *raw = rt_malloc(o->tls_memsz + o->tls_align);
		p = (void *)(ALIGN_UP((uintptr_t)raw + o->tls_firstbyte, o->tls_align) - o->tls_firstbyte);
		if ((uintptr_t)p < (uintptr_t)raw)
			p = (char *)p + o->tls_align;
		init_block(o, p);
		dtv[modid].pointer.val = p;
		dtv[modid].pointer.to_free = raw;
		block_event(modid, (uintptr_t)p, o->tls_memsz, tp, dtv, "dynamic");
	}
	return (char *)p + off;
}

/* The C part of __tls_get_addr (tlsasm.S realigns the stack and calls this). */
void *tls_get_addr_c(size_t *ti)
{
	uintptr_t tp = cur_tp();
	dtv_t *dtv = (dtv_t *)*(uintptr_t *)(tp + TCB_OFF_DTV);
	if (__builtin_expect(dtv[0].counter == tls_generation, 1)) {
		void *p = dtv[ti[0]].pointer.val;
		if (__builtin_expect(p != TLS_DTV_UNALLOCATED, 1))
			return (char *)p + ti[1];
	}
	return tls_get_addr_slow(ti[0], ti[1]);
}

/* TLSDESC: static modules get the tp-relative offset directly, others go through __tls_get_addr. */
extern char elfld_tlsdesc_static[] HIDDEN, elfld_tlsdesc_dynamic[] HIDDEN;
void tlsdesc_set(uint64_t *desc, struct obj *ref, struct obj *def, uint64_t off)
{
	if (def->tls_static) {
		desc[0] = (uintptr_t)elfld_tlsdesc_static;
		desc[1] = off - (uint64_t)def->tls_offset;
	} else {
		size_t *arg = u_alloc(3 * sizeof(size_t));
		arg[0] = def->tls_modid;
		arg[1] = off;
		arg[2] = (size_t)ref->tlsdesc_args; /* freed with the referring object */
		ref->tlsdesc_args = arg;
		desc[0] = (uintptr_t)elfld_tlsdesc_dynamic;
		desc[1] = (uintptr_t)arg;
	}
}

/* ---- glibc's thread TLS interface (nptl calls these; freestanding programs may too).
 * As in glibc: `tcb` is the thread pointer, whose DTV _dl_allocate_tls creates and
 * _dl_allocate_tls_init fills (dynamic modules deferred, static blocks copied from their images). */
static void dtv_install(uintptr_t tp)
{
	*(uintptr_t *)(tp + TCB_OFF_DTV) = (uintptr_t)dtv_alloc(tls_max_modid + TLS_DTV_SURPLUS);
}

EXPORT void *_dl_allocate_tls_init(void *tcb)
{
	uintptr_t tp = (uintptr_t)tcb;
	u_lock(&tls_lock);
	dtv_t *dtv = (dtv_t *)*(uintptr_t *)(tp + TCB_OFF_DTV);
	if (dtv[-1].counter < tls_max_modid) {
		dtv_free(dtv);
		dtv_install(tp);
		dtv = (dtv_t *)*(uintptr_t *)(tp + TCB_OFF_DTV);
	}
	for (size_t m = 1; m <= dtv[-1].counter; m++) {
		struct obj *o = m <= tls_max_modid ? slots[m].obj : 0;
		dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
		dtv[m].pointer.to_free = 0;
		if (o && o->tls_static) {
			dtv[m].pointer.val = (void *)(tp - (uintptr_t)o->tls_offset);
			init_block(o, dtv[m].pointer.val);
		}
	}
	dtv[0].counter = tls_generation;
	u_unlock(&tls_lock);
	blocks_events(tp, dtv);
	return tcb;
}

EXPORT void *_dl_allocate_tls(void *mem)
{
	uintptr_t tp = mem ? (uintptr_t)mem : storage_alloc();
	dtv_install(tp);
	return _dl_allocate_tls_init((void *)tp);
}

EXPORT void _dl_deallocate_tls(void *tcb, _Bool dealloc_tcb)
{
	uintptr_t tp = (uintptr_t)tcb;
#if GLIBC_LAYOUT_MINOR >= 43
	if (LDDEBUG(LDD_TLS)) /* (LD_DEBUG=tls, 2.43) */
		lddebug_printf("TCB deallocating: 0x%lx (dealloc_tcb=%d)\n", tp, (int)dealloc_tcb);
#endif
	dtv_t *dtv = (dtv_t *)*(uintptr_t *)(tp + TCB_OFF_DTV);
	if (dtv) {
		for (size_t m = 1; m <= dtv[-1].counter; m++)
			if (dtv[m].pointer.val != TLS_DTV_UNALLOCATED && dtv[m].pointer.to_free)
				rt_free(dtv[m].pointer.to_free);
		dtv_free(dtv);
		*(uintptr_t *)(tp + TCB_OFF_DTV) = 0;
	}
	if (dealloc_tcb)
		u_free(*(void **)(tp + TLS_TCB_SIZE));
}

EXPORT void _dl_get_tls_static_info(size_t *size, size_t *align)
{
	*size = tls_static_size;
	*align = tls_static_align;
}
