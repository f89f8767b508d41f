/* dlopen and dlclose: the same stages as start-up (map, deps, TLS, relocate, protect, init) for objects
 * loaded at run time, with errors returned instead of exiting, and real unloading. libc's dlopen/dlclose
 * call these through _rtld_global_ro; dlsym goes through glibc.c's lookup. */
#include "elfld.h"
#include "audit.h"
#include "glibc_version.h"
#include "lddebug.h"
#include "events.h"
#include "glibc.h"
#include "glibc_version.h"
#include "sys.h"
#include "tls.h"

#define RTLD_NOLOAD 0x4
#define RTLD_GLOBAL 0x100
#define RTLD_NODELETE 0x1000
#define RTLD_DEEPBIND 0x0008
#define NS_CALLER (-2) /* glibc's __LM_ID_CALLER: what libc's dlopen passes */

/* One dlopen/dlclose at a time; recursive because constructors may dlopen. With libc up, the lock is
 * glibc's own GL(dl_load_lock) (libc's dladdr takes it too, and a mutex is fair where a spin lock let one
 * looping thread starve another); before that, a spin lock. */
static int dl_owner, dl_depth;
static u_lock_t dl_spin;

static void dl_lock(void)
{
	int tid = (int)sys_gettid();
	if (__atomic_load_n(&dl_owner, __ATOMIC_ACQUIRE) == tid) {
		dl_depth++;
		return;
	}
	if (!glibc_lock(GLIBC_LOAD_LOCK, 1))
		u_lock(&dl_spin);
	__atomic_store_n(&dl_owner, tid, __ATOMIC_RELEASE);
	dl_depth = 1;
}

static void dl_unlock(void)
{
	if (--dl_depth)
		return;
	__atomic_store_n(&dl_owner, 0, __ATOMIC_RELEASE);
	if (!glibc_lock(GLIBC_LOAD_LOCK, 0))
		u_unlock(&dl_spin);
}

/* While the object list changes, GL(dl_load_write_lock) keeps libc's dl_iterate_phdr out. Not held while
 * constructors, destructors or IFUNC resolvers run (they may start threads that iterate). */
static int list_depth;
static void list_lock(void)
{
	glibc_lock(GLIBC_WRITE_LOCK, 1);
	list_depth++;
}
static void list_unlock_all(void)
{
	for (; list_depth > 0; list_depth--)
		glibc_lock(GLIBC_WRITE_LOCK, 0);
}

static struct dep_list graveyard;

static int in_list(const struct dep_list *l, const struct obj *o)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i] == o)
			return 1;
	return 0;
}

static void list_remove(struct dep_list *l, const struct obj *o)
{
	int j = 0;
	for (int i = 0; i < l->n; i++)
		if (l->v[i] != o)
			l->v[j++] = l->v[i];
	l->n = j;
}

static void chain_remove(struct obj *o)
{
	struct nspace *ns = &L.ns[o->ns];
	if (o->l_prev)
		o->l_prev->l_next = o->l_next;
	else
		ns->head = o->l_next;
	if (o->l_next)
		o->l_next->l_prev = o->l_prev;
	else
		ns->tail = o->l_prev;
	o->l_next = o->l_prev = 0;
	if (ns->libc == o)
		ns->libc = 0;
}

/* A symbol found for `user` in a dlopened object outside its dependencies keeps that object loaded as long
 * as `user` is (glibc's add_dependency): forever if `user` cannot be unloaded. */
void obj_add_dependency(struct obj *user, struct obj *def)
{
	if (!def->dlopened || def == user || def->nodelete)
		return;
	if (!user->dlopened || user->nodelete) {
		if (LDDEBUG(LDD_FILES)) {
			if (user->is_main)
				lddebug_printf("marking %s [%lu] as NODELETE due to reference from main program\n", def->l_name,
					       (unsigned long)def->ns);
			else
				lddebug_printf("marking %s [%lu] as NODELETE due to reference from %s [%lu]\n", def->l_name,
					       (unsigned long)def->ns, user->l_name, (unsigned long)user->ns);
		}
		def->nodelete = 1;
		return;
	}
	for (int i = 0; i < user->deps.n; i++)
		if (user->deps.v[i] == def)
			return;
	if (LDDEBUG(LDD_FILES))
		lddebug_printf("\nfile=%s [%lu];  needed by %s [%lu] (relocation dependency)\n\n", def->l_name,
			       (unsigned long)def->ns, user->l_name, (unsigned long)user->ns);
	dep_push(&user->deps, def);
}

/* Unmap an object that is no longer in use (or whose dlopen failed) and forget it. */
static void unload(struct obj *o)
{
	tls_unregister(o);
	scope_write(1); /* lazy bindings in other threads read it, then this object */
	list_remove(&L.ns[o->ns].global, o);
	scope_write(0);
	chain_remove(o);
	soname_index(o, 0);
	o->unloaded = 1;
	dep_push(&graveyard, o);
	if (o->is_proxy) { /* ld.so's descriptor in a dlmopen namespace: nothing of its own is mapped */
		if (LDDEBUG(LDD_FILES))
			lddebug_printf("\nfile=%s [%lu];  destroying link map\n", o->l_name, (unsigned long)o->ns);
		return;
	}
	struct elfld_event ev = { .type = EV_UNMAP, .obj = o->id };
	ev.u.unmap.path = o->path;
	ev.u.unmap.start = o->map_start;
	ev.u.unmap.end = o->map_end;
	event_emit(&ev);
	if (LDDEBUG(LDD_FILES))
		lddebug_printf("\nfile=%s [%lu];  destroying link map\n", o->l_name, (unsigned long)o->ns);
	mem->unmap((void *)o->map_start, o->map_end - o->map_start);
	o->map_start = o->map_end = 0;
}

/* Unloaded objects are freed once the dlopen/dlclose that unloaded them is over (their dependency
 * lists are still walked until then). A stale handle given to dlclose is then simply not found. */
static void bury(void)
{
	for (int i = 0; i < graveyard.n; i++)
		obj_free(graveyard.v[i]);
	graveyard.n = 0;
}

static void fini_one(struct obj *o)
{
	if (!o->initialized || o->is_rtld) /* ld.so's proxy in a dlmopen namespace has nothing to run */
		return;
	o->initialized = 0;
	run_fini(o);
}

/* Threads glibc knows about (their struct pthread is their TCB), for static TLS of IE libraries. */
static size_t thread_pointers(uintptr_t *out, size_t cap)
{
	size_t n = 0;
	if (!glibc_mode) {
		out[n++] = tls_tp_of_main();
		return n;
	}
	extern unsigned char _rtld_global[];
	const int heads[] = { GLIBC_OFF_rtld_global___dl_stack_used, GLIBC_OFF_rtld_global___dl_stack_user };
	for (int h = 0; h < 2; h++) {
		unsigned char *head = _rtld_global + heads[h];
		for (unsigned char *p = *(unsigned char **)head; p && p != head && n < cap; p = *(unsigned char **)p)
			out[n++] = (uintptr_t)(p - GLIBC_OFF_pthread__list);
	}
	return n;
}

static void init_new(struct obj *o, int argc, char **argv, char **env)
{
	if (o->initialized)
		return;
	o->initialized = 1;
	for (int i = 0; i < o->deps.n; i++)
		init_new(o->deps.v[i], argc, argv, env);
	if (!o->is_rtld) /* (ld.so's proxy in a dlmopen namespace: only marked, as glibc's l_init_called) */
		init_object(o, argc, argv, env);
	if (glibc_mode)
		glibc_mark_done(o);
}

static void dlopen_event(const char *file, int mode, struct obj *o, size_t loaded)
{
	struct elfld_event ev = { .type = EV_DLOPEN, .obj = o ? o->id : -1 };
	ev.u.dlopen.file = file ? file : "(main program)";
	ev.u.dlopen.mode = (uint64_t)(unsigned)mode;
	ev.u.dlopen.result = o ? o->abspath : "";
	ev.u.dlopen.refcount = o ? (uint64_t)o->refcount : 0;
	ev.u.dlopen.loaded = loaded;
	ev.u.dlopen.ns = o ? o->ns : -1;
	event_emit(&ev);
}

/* The local scope of an object: itself and its dependencies, breadth-first. */
static void build_local_scope(struct obj *o)
{
	if (o->local_scope.n)
		return;
	dep_push(&o->local_scope, o);
	for (int qi = 0; qi < o->local_scope.n; qi++) {
		struct obj *x = o->local_scope.v[qi];
		for (int k = 0; k < x->deps.n; k++)
			if (!in_list(&o->local_scope, x->deps.v[k]))
				dep_push(&o->local_scope, x->deps.v[k]);
	}
}

static void make_global(struct obj *root)
{
	if (root->ns) /* libc refuses RTLD_GLOBAL for dlmopen; a namespace's global scope is its first object's */
		return;
	for (int i = 0; i < root->local_scope.n; i++) {
		struct obj *x = root->local_scope.v[i];
		if (!in_list(&L.ns[0].global, x)) {
			scope_write(1); /* lazy bindings in other threads read it */
			dep_push(&L.ns[0].global, x);
			scope_write(0);
			x->global = 1;
			if (LDDEBUG(LDD_SCOPES))
				lddebug_printf("\nadd %s [%lu] to global scope\n", x->l_name, (unsigned long)x->ns);
		}
	}
	if (glibc_mode)
		glibc_link_namespace();
}

/* Returns the object (its glibc link_map) or NULL with `err` filled. */
static struct obj *do_dlopen(const char *file, int mode, const void *caller, int ns, struct obj **new_libc, int *fast,
			     struct u_catch *c)
{
	if (!file || !*file) { /* libc passes dlopen(NULL) as "": the program, whose glibc name is "" */
		*fast = GLIBC_DLOPEN_FAST_PATH;
		return L.main;
	}
	struct obj *volatile req = 0;
	FOR_EACH_OBJ(o)
		if ((uintptr_t)caller >= o->map_start && (uintptr_t)caller < o->map_end && !o->is_rtld)
			req = o;
	if (!req)
		req = L.main;
	L.load_ns = ns == NS_CALLER ? req->ns : ns; /* dlopen: the caller's namespace */
#if GLIBC_DLOPEN_FAST_PATH
	/* Already fully open (glibc's is_already_fully_open): only the reference is counted. */
	struct obj *known = glibc_mode ? find_loaded_name(file) : 0;
	if (known && (known->is_main || known->local_scope.n) &&
	    (!(mode & RTLD_GLOBAL) || known->global || !known->dlopened) && (!(mode & RTLD_NODELETE) || known->nodelete)) {
		L.load_ns = 0;
		*fast = 1;
		return known;
	}
#endif

	struct dep_list loaded = { 0, 0, 0 };
	struct obj *root = 0;
	c->errcode = 0;
	if (elfld_setjmp(c->jb)) {
		/* A loading error: undo everything this dlopen mapped. */
		L.lazy = 0;
		list_lock();
		glibc_count_adds(loaded.n);
		tls_reclaim(1);
		for (int i = 0; i < loaded.n; i++) /* glibc's _dl_close_worker order: the root first */
			unload(loaded.v[i]);
		tls_reclaim(0);
		if (glibc_mode)
			glibc_link_namespace();
		list_unlock_all();
		rdebug_end();
		u_free(loaded.v);
		if (audit_n && GLIBC_AUDIT_CONSISTENT_AFTER_RELOC)
			audit_consistent(L.load_ns);
		L.load_ns = 0;
		return 0;
	}
	u_catch_frame = c;

	int is_new = 0;
	if (mode & RTLD_NOLOAD) {
		struct obj *o = find_loaded_file(file);
		u_catch_frame = 0;
		L.load_ns = 0;
		if (o) {
			o->refcount += o->dlopened ? 1 : 0;
			int was_open = o->is_main || o->local_scope.n;
			build_local_scope(o);
			glibc_refresh_searchlist(o);
			if (!was_open && LDDEBUG(LDD_SCOPES)) /* glibc goes the whole way for it */
				for (int k = 0; k < 2; k++)
					lddebug_dlopen_scopes(o, k);
			if (mode & RTLD_GLOBAL)
				make_global(o);
			if (mode & RTLD_NODELETE)
				o->nodelete = 1;
		}
		return o;
	}
	rdebug_begin(1);
	list_lock();
	/* LD_DEBUG=files: "dynamically loaded by" the caller, which glibc determines only for dlopen, a name
	 * without a slash or one with $ORIGIN & co. (dl_open_worker_begin's call_map) */
	lddebug_dlopen_root = ns == NS_CALLER || !u_strchr(file, '/') || u_strchr(file, '$') ? 1 : 2;
	root = load_dep(file, req, &is_new);
	lddebug_dlopen_root = 0;
	if (is_new) {
		root->dlopened = 1;
		root->loader = req;
		dep_push(&loaded, root);
		if (root->flags_1 & DF_1_PIE) { /* glibc's check and wording */
			c->errcode = 0;
			u_fatal(root->path, "cannot dynamically load position-independent executable");
		}
	}
	int was_open = root->is_main || root->local_scope.n; /* dlopened before: glibc stops early */
	build_local_scope(root);
	deps_bfs(&root->local_scope, 1, &loaded);
	glibc_refresh_searchlist(root);
	for (int i = 0; i < loaded.n; i++) {
		struct obj *o = loaded.v[i];
		if (L.load_ns && !L.ns[L.load_ns].libc && o->soname && u_strcmp(o->soname, "libc.so.6") == 0)
			*new_libc = o; /* its __libc_early_init(false) runs before the initializers */
		o->extra_scope = &root->local_scope;
		if (mode & RTLD_DEEPBIND)
			o->deepbind = root;
		tls_register_dynamic(o);
	}
	if (loaded.n) {
		glibc_count_adds(loaded.n);
		if (glibc_mode) {
			for (int i = 0; i < loaded.n; i++)
				glibc_fill_link_map(loaded.v[i]);
			glibc_link_namespace();
		}
	}
	list_unlock_all();
	rdebug_end();
	versions_check(&loaded); /* before relocating, as glibc */
	if (LDDEBUG(LDD_SCOPES) && !was_open)
		lddebug_dlopen_scopes(root, 0);
	if (audit_n && !GLIBC_AUDIT_CONSISTENT_AFTER_RELOC) /* 2.36's dl_open_worker */
		audit_consistent(root->ns);
	L.lazy = !L.bind_now && !(mode & 2 /* RTLD_NOW */);
	/* Relocate dependencies first (already relocated objects are skipped). */
	struct dep_list order = { 0, 0, 0 };
	dependency_order(&root->local_scope, &order);
	for (int i = 0; i < order.n; i++)
		relocate_object(order.v[i]);
	for (int i = 0; i < order.n; i++)
		relocate_irelative(order.v[i]);
	L.lazy = 0;
	u_free(order.v);
	for (int i = 0; i < loaded.n; i++) {
		struct obj *o = loaded.v[i];
		if (o->tls_static) {
			uintptr_t tps[256];
			size_t n = thread_pointers(tps, ARRAY_LEN(tps));
			tls_init_static_in_threads(o, tps, n);
		}
		protect_relro(o);
	}
	if (LDDEBUG(LDD_SCOPES) && !was_open)
		lddebug_dlopen_scopes(root, 1);
	if (mode & RTLD_GLOBAL) /* once relocated (glibc's add_to_global_update) */
		make_global(root);
	u_catch_frame = 0;
	L.load_ns = 0;
	/* References count dlopen handles only (glibc's l_direct_opencount); what a dependency needs is found
	 * by walking dependencies when something is closed (sweep). */
	root->refcount++;
	if (mode & RTLD_NODELETE)
		root->nodelete = 1;
	u_free(loaded.v);
	return root;
}

/* dlmopen's namespace: a free one for LM_ID_NEWLM, else one in use (glibc's _dl_open). -1 with `*msg` set
 * if there is none. */
static int target_namespace(long nsid, const char **msg)
{
	if (nsid == -1 /* LM_ID_NEWLM */) {
		int ns = 1;
		while (ns < L.nns && L.ns[ns].head)
			ns++;
		if (ns == NS_MAX) {
			*msg = "no more namespaces available for dlmopen()";
			return -1;
		}
		if (ns == L.nns)
			L.nns++;
		return ns;
	}
	if (nsid == NS_CALLER || nsid == 0)
		return (int)nsid;
	if (nsid < 0 || nsid >= L.nns || !L.ns[nsid].head || L.ns[nsid].auditing) { /* (an audit module's: glibc too) */
		*msg = "invalid target namespace in dlmopen()";
		return -1;
	}
	return (int)nsid;
}

void *glibc_dlopen(const char *file, int mode, const void *caller, long nsid, int argc, char **argv, char **env)
{
	static struct u_catch c; /* under dl_lock */
	dl_lock();
	const char *msg = 0;
	int ns = target_namespace(nsid, &msg);
	if (ns == -1) {
		dl_unlock();
		if (glibc_mode)
			glibc_signal_error(22 /* EINVAL */, file, msg);
		return 0;
	}
	int before = L.nobjs;
	struct obj *new_libc = 0;
	int fast = 0;
	int lazy = L.lazy; /* (LD_AUDIT: a module's dlopen at start-up must not change how the program binds) */
	struct obj *o = do_dlopen(file, mode, caller, ns, &new_libc, &fast, &c);
	L.lazy = lazy;
	if (o && new_libc) { /* glibc's dl_open_worker: the namespace's libc, set up as not the initial one */
		L.ns[new_libc->ns].libc = new_libc;
		if (glibc_mode) {
			glibc_link_namespace();
			glibc_libc_early_init(new_libc, 0);
		}
	}
	if (audit_n && GLIBC_AUDIT_CONSISTENT_AFTER_RELOC && o) /* 2.40+: after relocation and early init */
		audit_consistent(o->ns);
	dlopen_event(file, mode, o, (size_t)(L.nobjs - before));
	if (dl_depth == 1) /* not inside a constructor or destructor whose caller still walks these objects */
		bury();
	if (!o) {
		dl_unlock();
		if (mode & RTLD_NOLOAD)
			return 0;
		if (glibc_mode) /* libc's dlerror() then prints "FILE: MESSAGE[: strerror(errcode)]" */
			glibc_signal_error(c.errcode, c.file, c.msg);
		return 0;
	}
	if (fast) {
		o->refcount++;
		dl_unlock();
		return o;
	}
	if (o != L.main)
		init_new(o, argc, argv, env);
	else
		o->refcount++;
	if (LDDEBUG(LDD_FILES))
		lddebug_printf("opening file=%s [%lu]; direct_opencount=%u\n\n", o->l_name, (unsigned long)o->ns, (unsigned)o->refcount);
	dl_unlock();
	return o;
}

/* LD_AUDIT: an audit module, dlmopen'ed with LM_ID_NEWLM as glibc's load_audit_module does (RTLD_LAZY,
 * __RTLD_AUDIT: its objects are not reported to the modules already loaded). Its initializers run with the
 * program's arguments. NULL with *err set to glibc's message if it cannot be loaded. */
struct obj *glibc_audit_dlopen(const char *file, const char **err)
{
	static struct u_catch c;
	dl_lock();
	const char *msg = 0;
	int ns = target_namespace(-1 /* LM_ID_NEWLM */, &msg);
	if (ns == -1) {
		dl_unlock();
		*err = msg;
		return 0;
	}
	struct obj *new_libc = 0;
	int lazy = L.lazy; /* (the program's libraries are loaded after) */
	audit_loading = 1;
	int fast = 0; /* (a new namespace: never) */
	struct obj *o = do_dlopen(file, 1 /* RTLD_LAZY */, 0, ns, &new_libc, &fast, &c);
	audit_loading = 0;
	L.lazy = lazy;
	if (o && new_libc) {
		L.ns[new_libc->ns].libc = new_libc;
		if (glibc_mode) {
			glibc_link_namespace();
			glibc_libc_early_init(new_libc, 0);
			glibc_audit_libc(new_libc);
		}
	}
	if (audit_n && GLIBC_AUDIT_CONSISTENT_AFTER_RELOC && o)
		audit_consistent(o->ns);
	if (dl_depth == 1)
		bury();
	if (!o) {
		L.lazy = lazy;
		dl_unlock();
		*err = c.msg;
		return 0;
	}
	init_new(o, audit_argc, audit_argv, L.envp);
	L.lazy = lazy; /* (its constructors may dlopen) */
	if (LDDEBUG(LDD_FILES))
		lddebug_printf("opening file=%s [%lu]; direct_opencount=%u\n\n", o->l_name, (unsigned long)o->ns, (unsigned)o->refcount);
	dl_unlock();
	return o;
}

/* In use: reachable through dependencies from the program, an object loaded at start-up, a NODELETE
 * object, or an object with open handles. */
static void mark_used(struct obj *o, int mark)
{
	if (o->mark == mark)
		return;
	o->mark = mark;
	for (int i = 0; i < o->deps.n; i++)
		mark_used(o->deps.v[i], mark);
}

/* After a handle was closed: unload every dlopened object nothing uses any more, as glibc's
 * _dl_close_worker does. Destructors first, dependents before their dependencies (the reverse of the
 * constructors' order), then the objects leave the list and are unmapped. */
static void sweep(void)
{
	static int mark = -1; /* negative: dependency_order's marks count up from 0 */
	mark--;
	FOR_EACH_OBJ(x)
		if (!x->dlopened || x->nodelete || x->refcount > 0 || glibc_tls_dtors_pending(x))
			mark_used(x, mark);
	struct dep_list dead = { 0, 0, 0 }, order = { 0, 0, 0 };
	/* Objects an outer dlclose is already closing (this is a destructor's dlclose) are left to it. */
	FOR_EACH_OBJ(x)
		if (x->mark != mark && !x->unloaded && !x->closing)
			dep_push(&dead, x);
	for (int i = 0; i < dead.n; i++)
		dead.v[i]->closing = 1;
	if (dead.n) {
		dependency_order(&dead, &order);
		int ns = dead.v[0]->ns, deleting = 0;
		for (int i = order.n - 1; i >= 0; i--)
			if (in_list(&dead, order.v[i])) {
				fini_one(order.v[i]);
				if (audit_n && GLIBC_AUDIT_2_41_EVENTS && !deleting++) /* 2.41: before the first la_objclose */
					audit_activity(ns, LA_ACT_DELETE);
				if (audit_n) /* glibc's _dl_close_worker: after its destructors */
					audit_objclose(order.v[i]);
			}
		if (audit_n && !GLIBC_AUDIT_2_41_EVENTS)
			audit_activity(ns, LA_ACT_DELETE);
		list_lock();
		tls_reclaim(1);
		for (int i = 0; i < dead.n; i++)
			unload(dead.v[i]);
		tls_reclaim(0);
		if (glibc_mode)
			glibc_link_namespace();
		list_unlock_all();
		if (audit_n)
			audit_activity(ns, LA_ACT_CONSISTENT);
	}
	u_free(dead.v);
	u_free(order.v);
}

void glibc_dlclose(void *map)
{
	struct obj *o = map;
	dl_lock();
	int found = 0;
	FOR_EACH_OBJ(x)
		found |= x == o;
	if (!found) {
		dl_unlock();
		if (glibc_mode)
			glibc_signal_error(0, "", "shared object not open");
		return;
	}
	int refs = o->refcount;
	rdebug_begin(0);
	if (o->dlopened && o->refcount > 0 && --o->refcount == 0 && !o->nodelete)
		sweep();
	else if (LDDEBUG(LDD_FILES)) /* glibc: still referenced (or not dlopened): nothing more */
		lddebug_printf("\nclosing file=%s; direct_opencount=%u\n", o->l_name, (unsigned)o->refcount);
	int unloaded = o->unloaded;
	rdebug_end();
	struct elfld_event ev = { .type = EV_DLCLOSE, .obj = o->id };
	ev.u.dlclose.refcount = (uint64_t)(refs > 0 ? refs - 1 : 0);
	ev.u.dlclose.unloaded = (uint64_t)unloaded;
	event_emit(&ev);
	if (dl_depth == 1) /* not inside a constructor or destructor whose caller still walks these objects */
		bury();
	dl_unlock();
}
