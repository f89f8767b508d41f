/* Initializers and finalizers, as glibc's ld.so: the program's DT_PREINIT_ARRAY first, then DT_INIT and
 * DT_INIT_ARRAY of every library, dependencies before dependents. The program's own DT_INIT/INIT_ARRAY
 * are its start-up code's job (libc's __libc_start_main), exactly as under the system loader. */
#include "elfld.h"
#include "audit.h"
#include "glibc_version.h"
#include "events.h"
#include "lddebug.h"

typedef void (*initfn)(int, char **, char **);

static void init_event(struct obj *o, const char *kind, uint64_t idx, uintptr_t fn)
{
	struct elfld_event ev = { .type = EV_INIT, .obj = o->id };
	ev.u.init.kind = kind;
	ev.u.init.index = idx;
	ev.u.init.func = fn;
	event_emit(&ev);
}

static void call_array(struct obj *o, int tag, int sztag, const char *kind, int argc, char **argv, char **envp)
{
	if (!o->dynv[tag])
		return;
	const uintptr_t *a = (const uintptr_t *)(o->l_addr + o->dynv[tag]);
	size_t n = o->dynv[sztag] / sizeof(uintptr_t);
	for (size_t i = 0; i < n; i++) {
		if (a[i] == 0 || a[i] == (uintptr_t)-1)
			continue;
		init_event(o, kind, i, a[i]);
		((initfn)a[i])(argc, argv, envp);
	}
}

/* One object's DT_INIT, then DT_INIT_ARRAY (its dependencies are the caller's business). */
void init_object(struct obj *o, int argc, char **argv, char **envp)
{
	if (LDDEBUG(LDD_IMPCALLS))
		lddebug_printf("\ncalling init: %s\n\n", lddebug_name(o));
	if (o->dynv[DT_INIT]) {
		uintptr_t fn = o->l_addr + o->dynv[DT_INIT];
		init_event(o, "DT_INIT", 0, fn);
		((initfn)fn)(argc, argv, envp);
	}
	call_array(o, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, "DT_INIT_ARRAY", argc, argv, envp);
}

static void init_one(struct obj *o)
{
	static int rtld_said;
	if (o->is_rtld && !rtld_said && LDDEBUG(LDD_IMPCALLS)) { /* ld.so's own init, where glibc's order has it */
		rtld_said = 1;
		lddebug_printf("\ncalling init: %s\n\n", lddebug_name(o));
	}
	if (o->initialized)
		return;
	o->initialized = 1; /* before the dependencies: breaks cycles */
	for (int i = 0; i < o->deps.n; i++)
		init_one(o->deps.v[i]);
	if (o->is_main || o->is_rtld || o->is_vdso)
		return;
	init_object(o, L.argc, L.argv, L.envp);
}

void run_initializers(void)
{
	if (LDDEBUG(LDD_IMPCALLS) && L.main->dynv[DT_PREINIT_ARRAY] && L.main->dynv[DT_PREINIT_ARRAYSZ] >= sizeof(uintptr_t))
		lddebug_printf("\ncalling preinit: %s\n\n", lddebug_name(L.main));
	call_array(L.main, DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, "DT_PREINIT_ARRAY", L.argc, L.argv, L.envp);
	/* glibc's order (_dl_sort_maps over the global scope, preloads included): a post-order walk from the
	 * scope's end, so among unrelated objects the later one first (libc before a library that needs
	 * nothing), as elfld_fini's order reversed. */
	struct dep_list order = { 0, 0, 0 };
	dependency_order(&L.ns[0].global, &order);
	for (int i = 0; i < order.n; i++)
		init_one(order.v[i]);
	u_free(order.v);
}

/* One object's finalizers: DT_FINI_ARRAY backwards, then DT_FINI (also used by dlclose). */
void run_fini(struct obj *o)
{
	if (LDDEBUG(LDD_IMPCALLS)) /* glibc's _dl_call_fini: l_name as it is ("" for the program) */
		lddebug_printf("\ncalling fini: %s [%lu]\n\n", o->is_main ? "" : o->l_name, (unsigned long)o->ns);
	if (o->dynv[DT_FINI_ARRAY]) {
		const uintptr_t *a = (const uintptr_t *)(o->l_addr + o->dynv[DT_FINI_ARRAY]);
		size_t n = o->dynv[DT_FINI_ARRAYSZ] / sizeof(uintptr_t);
		while (n--)
			if (a[n] && a[n] != (uintptr_t)-1)
				((void (*)(void))a[n])();
	}
	if (o->dynv[DT_FINI])
		((void (*)(void))(o->l_addr + o->dynv[DT_FINI]))();
}

/* Passed to the program in %rdx, like glibc's _dl_fini: every initialized object still loaded, dlopened
 * ones that were never dlclosed included, the program first (glibc runs its DT_FINI_ARRAY/DT_FINI even
 * though its start-up code ran its constructors). The rest in the order glibc's _dl_sort_maps (DFS, for
 * finalization) gives the object list: the reverse of a post-order walk of the list from its end, i.e.
 * dependents before their dependencies and, among unrelated objects, the list's order. Safe to call twice. */
void elfld_fini(void)
{
	static int rtld_fini_said, rtld_closed;
	/* LD_AUDIT: the audit modules' namespaces in a second pass, after the program's (glibc's do_audit) */
	for (int pass = 0; pass < (audit_n ? 2 : 1); pass++)
	for (int ns = L.nns - 1; ns >= 0; ns--) { /* glibc's _dl_fini: dlmopen namespaces first, newest first */
		if (audit_n && (L.ns[ns].auditing != pass || !(ns ? L.ns[ns].head : L.main)))
			continue;
		if (audit_n)
			audit_activity(ns, LA_ACT_DELETE);
		struct dep_list all = { 0, 0, 0 }, order = { 0, 0, 0 };
		for (struct obj *o = ns ? L.ns[ns].head : L.main; o; o = o->l_next)
			dep_push(&all, o);
		dependency_order(&all, &order);
		if (!ns && L.main && L.main->initialized) {
			L.main->initialized = 0;
			run_fini(L.main);
			if (audit_n)
				audit_objclose(L.main);
		}
		for (int i = order.n - 1; i >= 0; i--) {
			struct obj *o = order.v[i];
			if (o->initialized && !o->is_main && !o->is_rtld && !o->is_vdso) {
				o->initialized = 0;
				run_fini(o);
				if (audit_n)
					audit_objclose(o);
			} else if (o->is_rtld && !o->is_proxy) {
				if (LDDEBUG(LDD_IMPCALLS) && !rtld_fini_said) {
					rtld_fini_said = 1;
					lddebug_printf("\ncalling fini: %s [%lu]\n\n", o->l_name, (unsigned long)o->ns);
				}
				if (audit_n && !rtld_closed++)
					audit_objclose(o);
			}
		}
		u_free(all.v);
		u_free(order.v);
		if (audit_n && GLIBC_AUDIT_2_41_EVENTS && ns) /* 2.41: ld.so's proxy in the namespace too */
			for (struct obj *o = L.ns[ns].head; o; o = o->l_next)
				if (o->is_proxy)
					audit_objclose(o);
		if (audit_n)
			audit_activity(ns, LA_ACT_CONSISTENT);
	}
	static int stats_said;
	if (LDDEBUG(LDD_STATISTICS) && !stats_said++)
		lddebug_statistics(1);
	events_flush();
}
