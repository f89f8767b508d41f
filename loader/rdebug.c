/* The standard r_debug protocol, so plain GDB (solib-svr4) sees every object. GDB finds this struct
 * through elfld-run's own DT_DEBUG (elfld-run is GDB's "main executable") or the `_r_debug` symbol, reads
 * l_addr/l_name/l_ld/l_next/l_prev of each node, skips the first node (taken as the executable: that is
 * elfld itself here), and breaks on r_brk.
 *
 * GDB's list is not glibc's: glibc names the program "" and has no node for elfld-run, GDB needs absolute
 * names and elfld first. So r_map is a chain of GDB nodes, one per object, each a copy of the object's
 * glibc link_map (libthread_db reads l_tls_modid/l_tls_offset through the address GDB has) with its own
 * name and links. */
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

EXPORT __attribute__((noinline)) void r_debug_state(void)
{
	__asm__ volatile("" ::: "memory");
}

extern Elf64_Dyn _DYNAMIC[] HIDDEN;

static void set_dt_debug(Elf64_Dyn *d)
{
	for (; d && d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_DEBUG)
			d->d_un.d_ptr = (uintptr_t)&_r_debug;
}

void rdebug_init(void)
{
	_r_debug.r_version = 1;
	_r_debug.r_brk = (uintptr_t)&r_debug_state;
	_r_debug.r_ldbase = L.rtld ? L.rtld->l_addr : 0;
	_r_debug.r_state = RT_CONSISTENT;
	set_dt_debug(_DYNAMIC);
	elfld_debug.r_debug = &_r_debug;
}

/* A change of the object list is announced in two steps: rdebug_begin (RT_ADD or RT_DELETE, list still
 * as before), the change, then rdebug_end (RT_CONSISTENT with the new list). */
void rdebug_begin(int adding)
{
	_r_debug.r_state = adding ? RT_ADD : RT_DELETE;
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
}

void rdebug_end(void)
{
	static int main_dt_debug_set;
	rdebug_sync();
	if (!main_dt_debug_set && L.main && obj_dynamic_writable(L.main)) {
		/* Once, at start-up (later the program's .dynamic may be read-only RELRO). */
		set_dt_debug(L.main->l_ld);
		main_dt_debug_set = 1;
	}
	_r_debug.r_state = RT_CONSISTENT;
	r_debug_state();
}
