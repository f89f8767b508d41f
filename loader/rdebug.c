/* The standard r_debug protocol, so plain GDB (solib-svr4) sees every object. GDB finds this struct
 * through elfld-run's own DT_DEBUG (elfld-run is GDB's "main executable") or the `_r_debug` symbol, reads
 * l_addr/l_name/l_ld/l_next/l_prev of each node, skips the first node (taken as the executable: that is
 * elfld itself here), and breaks on r_brk.
 *
 * GDB's list is not glibc's: glibc names the program "" and has no node for elfld-run, GDB needs absolute
 * names and elfld first. So r_map is a chain of GDB nodes, one per object, each a copy of the object's
 * glibc link_map (libthread_db reads l_tls_modid/l_tls_offset through the address GDB has) with its own
 * name and links.
 *
 * glibc's own view is a second r_debug, glibc_r_debug, whose r_map is glibc's chain itself (the program
 * named "", the vDSO, the libraries, ld.so named by the program's PT_INTERP), as ld.so's _r_debug is. The
 * program's DT_DEBUG points to it, as under glibc. pldd (and anything else that finds a process's objects
 * from /proc/PID/auxv) reads the DT_DEBUG of the executable the kernel ran, elfld-run itself unless
 * --as-interp, so elfld's own .dynamic leads pldd there and GDB here (split_own_dt_debug). */
#include "elfld.h"
#include "events.h"

enum { RT_CONSISTENT, RT_ADD, RT_DELETE };
struct r_debug_std {
	int r_version;
	struct obj *r_map;
	uintptr_t r_brk;
	int r_state;
	uintptr_t r_ldbase;
};

EXPORT struct r_debug_std _r_debug;

/* glibc's struct r_debug_extended (2.35+; r_next links the namespaces' lists, 0: only the base one). */
static struct r_debug_glibc {
	struct r_debug_std base;
	struct r_debug_glibc *r_next;
} glibc_r_debug;

EXPORT __attribute__((noinline)) void r_debug_state(void)
{
	__asm__ volatile("" ::: "memory");
}

extern Elf64_Dyn _DYNAMIC[] HIDDEN;

static void set_dt_debug(Elf64_Dyn *d, const void *r)
{
	for (; d && d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_DEBUG)
			d->d_un.d_ptr = (uintptr_t)r;
}

/* An OS-specific tag no one interprets: what ld's DT_DEBUG slot of elfld's .dynamic is in memory. */
#define DT_ELFLD_GDB_DEBUG 0x6e1f1d00

/* GDB and pldd both read elfld's DT_DEBUG, and need different lists: GDB takes the slot of the first
 * DT_DEBUG of the file's .dynamic (the tag from the file, the value from memory, stopping at DT_NULL);
 * pldd takes the first entry of the PT_DYNAMIC segment in memory tagged DT_DEBUG whose r_debug has a list.
 * So ld's slot keeps GDB's r_debug under another tag in memory, and the first spare slot ld leaves after
 * DT_NULL (--spare-dynamic-tags, 5 by default) becomes a DT_DEBUG for glibc's view, before a new DT_NULL.
 * elfld's .dynamic is RELRO: this runs before protect_relro. */
static void split_own_dt_debug(void)
{
	size_t n = 0;
	for (int i = 0; L.rtld && i < L.rtld->phnum; i++)
		if (L.rtld->phdr[i].p_type == PT_DYNAMIC)
			n = L.rtld->phdr[i].p_filesz / sizeof(Elf64_Dyn);
	Elf64_Dyn *gdb = 0;
	size_t end = 0;
	while (end < n && _DYNAMIC[end].d_tag != DT_NULL) {
		if (_DYNAMIC[end].d_tag == DT_DEBUG && !gdb)
			gdb = &_DYNAMIC[end];
		end++;
	}
	if (!gdb)
		return;
	gdb->d_un.d_ptr = (uintptr_t)&_r_debug;
	if (end + 2 > n) /* no spare slot: GDB's list for both */
		return;
	gdb->d_tag = DT_ELFLD_GDB_DEBUG;
	_DYNAMIC[end].d_un.d_ptr = (uintptr_t)&glibc_r_debug;
	_DYNAMIC[end].d_tag = DT_DEBUG;
	_DYNAMIC[end + 1].d_tag = DT_NULL;
}

void rdebug_init(void)
{
	_r_debug.r_version = 1;
	_r_debug.r_brk = (uintptr_t)&r_debug_state;
	_r_debug.r_ldbase = L.rtld ? L.rtld->l_addr : 0;
	_r_debug.r_state = RT_CONSISTENT;
	glibc_r_debug.base = _r_debug; /* r_map stays 0 until glibc's chain is there (rdebug_sync) */
	split_own_dt_debug();
	elfld_debug.r_debug = &_r_debug;
}

/* A change of the object list is announced in two steps: rdebug_begin (RT_ADD or RT_DELETE, list still
 * as before), the change, then rdebug_end (RT_CONSISTENT with the new list). */
void rdebug_begin(int adding)
{
	_r_debug.r_state = glibc_r_debug.base.r_state = adding ? RT_ADD : RT_DELETE;
	r_debug_state();
}

static struct obj *gdb_node(struct obj *o)
{
	if (!o->gdb_node)
		o->gdb_node = u_zalloc(GLIBC_SIZEOF_link_map); /* only its link_map part is ever used */
	return o->gdb_node;
}

/* Refresh every GDB node from its object (same addresses: GDB may hold them). */
void rdebug_sync(void)
{
	struct obj *prev = 0;
	for (int pass = 0; pass < 2; pass++)
		for (struct obj *o = pass ? L.ns[0].head : L.rtld; o; o = pass ? obj_next_any(o) : 0) {
			if (o->is_vdso || (pass && o->is_rtld) || o->unloaded)
				continue;
			struct obj *n = gdb_node(o);
			memcpy(n->glibc_link_map, o->glibc_link_map, sizeof n->glibc_link_map);
			n->l_name = o->abspath;
			n->l_prev = prev;
			n->l_next = 0;
			if (prev)
				prev->l_next = n;
			prev = n;
		}
	_r_debug.r_map = L.rtld ? L.rtld->gdb_node : 0;
	/* glibc's chain, once chain_in_glibc_order has made it (it names the program ""); a static program has
	 * none (natively pldd lists nothing for one either). */
	glibc_r_debug.base.r_map = L.main && L.main->l_name && !*L.main->l_name ? L.ns[0].head : 0;
}

void rdebug_end(void)
{
	static int main_dt_debug_set;
	rdebug_sync();
	if (!main_dt_debug_set && L.main && obj_dynamic_writable(L.main)) {
		/* Once, at start-up (later the program's .dynamic may be read-only RELRO). */
		set_dt_debug(L.main->l_ld, &glibc_r_debug);
		main_dt_debug_set = 1;
	}
	_r_debug.r_state = glibc_r_debug.base.r_state = RT_CONSISTENT;
	r_debug_state();
}
