/* Symbol version requirements: every version an object's DT_VERNEED asks of a library must be among that
 * library's DT_VERDEF definitions, checked once the objects are mapped and before anything is relocated,
 * as glibc's _dl_check_map_versions (elf/dl-version.c) does. A missing version stops the start-up with
 * glibc's own words on standard error, after every object has been checked, and exit status 1:
 *   PROG: LIB: version `FOO_2' not found (required by PROG)
 * and fails a dlopen (dlerror: "LIB: version `FOO_2' not found (required by OBJ)"). At start-up glibc is
 * verbose: a weak requirement that is missing, or a library without version definitions, is reported
 * but not fatal. The tables were range-checked when the objects were read (dynamic.c walks the same
 * records the same way), so they are walked here without checks of their own. */
#include "elfld.h"
#include "lddebug.h"

/* What glibc names an object in these messages: its l_name, or the program's argv[0]. */
static const char *display_name(const struct obj *o)
{
	return o->is_main || !o->l_name || !*o->l_name ? (L.prog_argv0 ? L.prog_argv0 : "") : o->l_name;
}

/* The loaded object a DT_VERNEED entry names (glibc's find_needed: by SONAME or by the name it was
 * loaded as). */
static struct obj *needed_object(int ns, const char *file)
{
	for (struct obj *x = L.ns[ns].head; x; x = x->l_next) {
		if (x->unloaded)
			continue;
		if (x->soname && !u_strcmp(x->soname, file))
			return x;
		const char *p = x->l_name ? x->l_name : "", *slash = u_strrchr(p, '/');
		if (*p && (!u_strcmp(p, file) || (slash && !u_strcmp(slash + 1, file))))
			return x;
	}
	return 0;
}

static int defines(const struct obj *d, const char *name, uint32_t hash)
{
	const char *v = (const char *)d->verdef;
	for (uint32_t i = 0; v && i < d->verdefnum; i++) {
		const Elf64_Verdef *vd = (const Elf64_Verdef *)v;
		if (vd->vd_hash == hash && vd->vd_cnt) {
			const Elf64_Verdaux *aux = (const Elf64_Verdaux *)(v + vd->vd_aux);
			if (!u_strcmp(d->strtab + aux->vda_name, name))
				return 1;
		}
		if (!vd->vd_next)
			break;
		v += vd->vd_next;
	}
	return 0;
}

/* Checks one object; at start-up (startup=1) reports each problem as glibc does and returns how many were
 * fatal; inside dlopen the first fatal one is an error (u_fatal, which dlopen catches). */
static int check_object(struct obj *o, int startup)
{
	int fatal = 0;
	const char *v = (const char *)o->verneed;
	for (uint32_t i = 0; v && i < o->verneednum; i++) {
		const Elf64_Verneed *vn = (const Elf64_Verneed *)v;
		struct obj *d = needed_object(o->ns, o->strtab + vn->vn_file);
		if (d && LDDEBUG(LDD_VERSIONS)) { /* glibc's match_symbol, for each version asked of d */
			const char *a = v + vn->vn_aux;
			for (uint32_t j = 0; j < vn->vn_cnt; j++) {
				const Elf64_Vernaux *va = (const Elf64_Vernaux *)a;
				lddebug_printf("checking for version `%s' in file %s [%lu] required by file %s [%lu]\n",
					       o->strtab + va->vna_name, display_name(d), (unsigned long)d->ns, display_name(o),
					       (unsigned long)o->ns);
				if (!va->vna_next)
					break;
				a += va->vna_next;
			}
		}
		if (d && !d->verdef) {
			if (startup)
				u_err("%s: %s: no version information available (required by %s)\n", display_name(L.main),
				      display_name(d), display_name(o));
		} else if (d) {
			const char *a = v + vn->vn_aux;
			for (uint32_t j = 0; j < vn->vn_cnt; j++) {
				const Elf64_Vernaux *va = (const Elf64_Vernaux *)a;
				const char *name = o->strtab + va->vna_name;
				if (!defines(d, name, va->vna_hash)) {
					int weak = va->vna_flags & VER_FLG_WEAK;
					if (!weak && !startup)
						u_fatal(display_name(d), "version `%s' not found (required by %s)", name, display_name(o));
					if (startup)
						u_err("%s: %s: %sversion `%s' not found (required by %s)\n", display_name(L.main),
						      display_name(d), weak ? "weak " : "", name, display_name(o));
					fatal += !weak;
				}
				if (!va->vna_next)
					break;
				a += va->vna_next;
			}
		}
		if (!vn->vn_next)
			break;
		v += vn->vn_next;
	}
	return fatal;
}

/* Start-up: every object of the initial set; any missing version ends the process with status 1. */
void versions_check_startup(void)
{
	int fatal = 0;
	for (struct obj *o = L.ns[0].head; o; o = o->l_next)
		if (!o->is_rtld && !o->is_vdso)
			fatal += check_object(o, 1);
	if (fatal)
		sys_exit_group(1);
}

/* dlopen: the objects it loaded. */
void versions_check(struct dep_list *loaded)
{
	for (int i = 0; i < loaded->n; i++)
		check_object(loaded->v[i], 0);
}
