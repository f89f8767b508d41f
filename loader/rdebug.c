/* The standard r_debug protocol, so plain GDB (solib-svr4) sees every object. GDB finds this struct
 * through elfld-run's own DT_DEBUG (elfld-run is GDB's "main executable") or the `_r_debug` symbol, reads
 * l_addr/l_name/l_ld/l_next/l_prev of each node, skips the first node (taken as the executable: that is
 * elfld itself here), and breaks on r_brk. */
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

void rdebug_end(void)
{
	static int main_dt_debug_set;
	_r_debug.r_map = L.objs_head;
	if (!main_dt_debug_set && L.main && obj_dynamic_writable(L.main)) {
		/* Once, at start-up (later the program's .dynamic may be read-only RELRO). */
		set_dt_debug(L.main->l_ld);
		main_dt_debug_set = 1;
	}
	_r_debug.r_state = RT_CONSISTENT;
	r_debug_state();
}
