/* glibc-layout: glibc's private struct layouts, read with libdwarf from the debug information of ld.so
 * (libc6-dbg: found through the build-id by dwarf_init_path), written as a C header for the loader:
 *
 *   GLIBC_SIZEOF_<type>                 size of the type
 *   GLIBC_OFF_<type>__<member>          byte offset of a direct member (anonymous structs/unions flattened)
 *   GLIBC_MSIZE_<type>__<member>        its size; GLIBC_NELEM_... the first dimension of an array member
 *   GLIBC_BITOFF_/GLIBC_BITSIZE_        for bit-fields: bit offset from the start of the type, width
 *   GLIBC_LAYOUT_LDSO_BUILD_ID, GLIBC_LAYOUT_LIBC_BUILD_ID, GLIBC_LAYOUT_VERSION ("2.41"),
 *   GLIBC_LAYOUT_MINOR (41: what loader/glibc_version.h keys per-version behaviour on)
 *
 * usage: glibc-layout [--ldso PATH] [--libc PATH] -o OUT.h
 * A type missing from the DWARF is an error naming it; so is missing debug information. */
#define _GNU_SOURCE /* memmem */
#include <dwarf.h>
#include <elf.h>
#include <errno.h>
#include <libdwarf.h>
#include "dwarfutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const wanted[] = {
	"link_map", "rtld_global", "rtld_global_ro", "link_namespaces", "pthread", "tcbhead_t",
	"dtv_slotinfo_list", "dtv_slotinfo", "r_scope_elem", "r_found_version", "cpu_features",
	"cpu_features_basic", "cpuid_feature_internal", "dl_exception", "libname_list", "r_file_id",
	"robust_list_head", "tunable_t", "tunable_type_t",
};
#define NWANTED (sizeof wanted / sizeof wanted[0])
static int found[NWANTED];
static Dwarf_Debug dbg;
static FILE *out;

/* Every "#define NAME VALUE" written is also kept, for the tunables table which needs offsets read here. */
static struct fact { char name[96]; unsigned long long v; } facts[2048];
static int nfacts;
static void def(const char *type, const char *what, const char *member, unsigned long long v)
{
	char name[96];
	if (member)
		snprintf(name, sizeof name, "GLIBC_%s_%s__%s", what, type, member);
	else
		snprintf(name, sizeof name, "GLIBC_%s_%s", what, type);
	fprintf(out, "#define %s %llu\n", name, v);
	if (nfacts < (int)(sizeof facts / sizeof facts[0])) {
		snprintf(facts[nfacts].name, sizeof facts[nfacts].name, "%s", name);
		facts[nfacts++].v = v;
	}
}

static void die(const char *fmt, ...);
static unsigned long long fact(const char *name)
{
	for (int i = 0; i < nfacts; i++)
		if (!strcmp(facts[i].name, name))
			return facts[i].v;
	die("%s missing from the DWARF", name);
	return 0;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "glibc-layout: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static const char *die_name(Dwarf_Die d)
{
	char *name = NULL;
	Dwarf_Error err = NULL;
	if (dwarf_diename(d, &name, &err) != DW_DLV_OK)
		return NULL;
	return name;
}

static int attr_u(Dwarf_Die d, Dwarf_Half at, Dwarf_Unsigned *v)
{
	Dwarf_Attribute a;
	Dwarf_Error err = NULL;
	if (dwarf_attr(d, at, &a, &err) != DW_DLV_OK)
		return 0;
	Dwarf_Half form = 0;
	dwarf_whatform(a, &form, &err);
	int ok;
	if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
		Dwarf_Signed s;
		ok = dwarf_formsdata(a, &s, &err) == DW_DLV_OK;
		*v = (Dwarf_Unsigned)s;
	} else
		ok = dwarf_formudata(a, v, &err) == DW_DLV_OK;
	dwarf_dealloc(dbg, a, DW_DLA_ATTR);
	return ok;
}

static int has_attr(Dwarf_Die d, Dwarf_Half at)
{
	Dwarf_Bool b = 0;
	Dwarf_Error err = NULL;
	return dwarf_hasattr(d, at, &b, &err) == DW_DLV_OK && b;
}

static Dwarf_Die type_of(Dwarf_Die d) { return dw_type_of(dbg, d); }

static Dwarf_Half tag_of(Dwarf_Die d)
{
	Dwarf_Half tag = 0;
	Dwarf_Error err = NULL;
	dwarf_tag(d, &tag, &err);
	return tag;
}

/* Through typedefs and qualifiers. */
static Dwarf_Die strip(Dwarf_Die t)
{
	while (t) {
		Dwarf_Half tag = tag_of(t);
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
		    tag != DW_TAG_restrict_type && tag != DW_TAG_atomic_type)
			break;
		t = type_of(t);
	}
	return t;
}

/* Number of elements of an array type's first dimension (0 if unknown). */
static Dwarf_Unsigned first_dim(Dwarf_Die arr)
{
	Dwarf_Die c = NULL;
	Dwarf_Error err = NULL;
	if (dwarf_child(arr, &c, &err) != DW_DLV_OK)
		return 0;
	Dwarf_Unsigned n = 0, ub;
	if (attr_u(c, DW_AT_count, &n))
		return n;
	if (attr_u(c, DW_AT_upper_bound, &ub))
		return ub + 1;
	return 0;
}

static Dwarf_Unsigned type_size(Dwarf_Die t)
{
	t = strip(t);
	if (!t)
		return 0;
	Dwarf_Unsigned sz;
	if (attr_u(t, DW_AT_byte_size, &sz))
		return sz;
	Dwarf_Half tag = tag_of(t);
	if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type)
		return 8;
	if (tag == DW_TAG_array_type) {
		Dwarf_Unsigned total = type_size(type_of(t));
		Dwarf_Die c = NULL;
		Dwarf_Error err = NULL;
		if (dwarf_child(t, &c, &err) != DW_DLV_OK)
			return 0;
		for (;;) {
			Dwarf_Unsigned n = 0, ub;
			if (attr_u(c, DW_AT_count, &n) || (attr_u(c, DW_AT_upper_bound, &ub) && (n = ub + 1)))
				total *= n;
			else
				total = 0; /* flexible array member */
			Dwarf_Die s = NULL;
			if (dwarf_siblingof_b(dbg, c, 1, &s, &err) != DW_DLV_OK)
				break;
			c = s;
		}
		return total;
	}
	return 0;
}

/* Members of a struct/union at `base` bytes into the outer type; anonymous aggregates are flattened. */
static void members(const char *type, Dwarf_Die agg, Dwarf_Unsigned base)
{
	Dwarf_Die c = NULL;
	Dwarf_Error err = NULL;
	if (dwarf_child(agg, &c, &err) != DW_DLV_OK)
		return;
	for (;;) {
		if (tag_of(c) == DW_TAG_member) {
			const char *name = die_name(c);
			Dwarf_Unsigned off = 0, bitoff, bits;
			attr_u(c, DW_AT_data_member_location, &off);
			Dwarf_Die t = type_of(c);
			if (attr_u(c, DW_AT_bit_size, &bits)) {
				if (!attr_u(c, DW_AT_data_bit_offset, &bitoff))
					bitoff = off * 8; /* DWARF 2-4 style is not what gcc 12 emits; keep the byte */
				if (name) {
					def(type, "BITOFF", name, base * 8 + bitoff);
					def(type, "BITSIZE", name, bits);
				}
			} else if (!name) {
				Dwarf_Die s = strip(t);
				if (s && (tag_of(s) == DW_TAG_structure_type || tag_of(s) == DW_TAG_union_type))
					members(type, s, base + off);
			} else {
				Dwarf_Die s = strip(t);
				def(type, "OFF", name, base + off);
				def(type, "MSIZE", name, type_size(t));
				if (s && tag_of(s) == DW_TAG_array_type && first_dim(s))
					def(type, "NELEM", name, first_dim(s));
			}
		}
		Dwarf_Die s = NULL;
		if (dwarf_siblingof_b(dbg, c, 1, &s, &err) != DW_DLV_OK)
			break;
		c = s;
	}
}

static int wanted_index(const char *name)
{
	for (size_t i = 0; i < NWANTED; i++)
		if (!found[i] && strcmp(wanted[i], name) == 0)
			return (int)i;
	return -1;
}

/* ld.so's static `tunable_list[]` (elf/dl-tunables.c): its address and element count. */
static Dwarf_Unsigned tunables_addr, tunables_count;

static void tunables_var(Dwarf_Die d)
{
	Dwarf_Attribute a;
	Dwarf_Error err = NULL;
	Dwarf_Unsigned len = 0;
	Dwarf_Ptr expr = NULL;
	if (dwarf_attr(d, DW_AT_location, &a, &err) != DW_DLV_OK)
		return;
	if (dwarf_formexprloc(a, &len, &expr, &err) == DW_DLV_OK && len == 9 && *(unsigned char *)expr == DW_OP_addr) {
		memcpy(&tunables_addr, (unsigned char *)expr + 1, 8);
		Dwarf_Die t = strip(type_of(d));
		tunables_count = t && tag_of(t) == DW_TAG_array_type ? first_dim(t) : 0;
	}
	dwarf_dealloc(dbg, a, DW_DLA_ATTR);
}

/* Functions of ld.so whose presence changes what it does (a Debian point release may backport one). */
static int has_debug_post_relocate; /* _dl_debug_post_relocate: looks `_r_debug' up after relocation */

static void visit(Dwarf_Die d)
{
	Dwarf_Half tag = tag_of(d);
	const char *name = die_name(d);
	if (tag == DW_TAG_variable && name && !strcmp(name, "tunable_list"))
		tunables_var(d);
	if (tag == DW_TAG_subprogram && name && !strcmp(name, "_dl_debug_post_relocate"))
		has_debug_post_relocate = 1;
	if (name && (tag == DW_TAG_structure_type || tag == DW_TAG_typedef) && !has_attr(d, DW_AT_declaration)) {
		int i = wanted_index(name);
		Dwarf_Die s = tag == DW_TAG_typedef ? strip(d) : d;
		if (i >= 0 && s && tag_of(s) == DW_TAG_structure_type && !has_attr(s, DW_AT_declaration)) {
			found[i] = 1;
			members(name, s, 0);
			def(name, "SIZEOF", NULL, type_size(s));
		}
	}
	Dwarf_Die c = NULL;
	Dwarf_Error err = NULL;
	if (dwarf_child(d, &c, &err) != DW_DLV_OK)
		return;
	for (;;) {
		visit(c);
		Dwarf_Die s = NULL;
		if (dwarf_siblingof_b(dbg, c, 1, &s, &err) != DW_DLV_OK)
			break;
		c = s;
	}
}

/* NT_GNU_BUILD_ID of an ELF file, as hex. */
static void build_id(const char *path, char *hex)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	Elf64_Ehdr eh;
	if (fread(&eh, sizeof eh, 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		die("%s: not an ELF file", path);
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * sizeof ph), SEEK_SET);
		if (fread(&ph, sizeof ph, 1, f) != 1)
			break;
		if (ph.p_type != PT_NOTE || ph.p_filesz > 65536)
			continue;
		unsigned char *n = malloc(ph.p_filesz), *p = n;
		fseek(f, (long)ph.p_offset, SEEK_SET);
		if (fread(n, 1, ph.p_filesz, f) != ph.p_filesz) {
			free(n);
			continue;
		}
		while (p + 12 <= n + ph.p_filesz) {
			Elf64_Nhdr *nh = (Elf64_Nhdr *)p;
			size_t nsz = (nh->n_namesz + 3) & ~3u, dsz = (nh->n_descsz + 3) & ~3u;
			if (p + 12 + nsz + dsz > n + ph.p_filesz)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(p + 12, "GNU", 4)) {
				for (unsigned k = 0; k < nh->n_descsz && k < 64; k++)
					sprintf(hex + 2 * k, "%02x", p[12 + nsz + k]);
				free(n);
				fclose(f);
				return;
			}
			p += 12 + nsz + dsz;
		}
		free(n);
	}
	die("%s: no build-id note", path);
}

/* `len` bytes at virtual address `vaddr` of the ELF file `path`, from its PT_LOAD segments' file data. */
static void read_vaddr(const char *path, unsigned long long vaddr, void *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	if (!f || fread(&eh, sizeof eh, 1, f) != 1)
		die("%s: cannot read", path);
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * sizeof ph), SEEK_SET);
		if (fread(&ph, sizeof ph, 1, f) != 1)
			break;
		if (ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr && vaddr + len <= ph.p_vaddr + ph.p_filesz) {
			fseek(f, (long)(ph.p_offset + (vaddr - ph.p_vaddr)), SEEK_SET);
			if (fread(buf, 1, len, f) == len) {
				fclose(f);
				return;
			}
		}
	}
	die("%s: no file data at 0x%llx (+%zu)", path, vaddr, len);
}

/* The tunables ld.so knows, in its order (a tunable's id is its index), with their types and default
 * values, read from ld.so's own `tunable_list`: libc asks its loader for them by id (__tunable_get_val)
 * and, since 2.41, uses the value it gets back. Written as GLIBC_TUNABLES(T), T(name, type_code, value). */
static void tunables(const char *ldso)
{
	if (!tunables_addr || !tunables_count)
		die("%s: no tunable_list in its DWARF", ldso);
	size_t sz = fact("GLIBC_SIZEOF_tunable_t"), nlen = fact("GLIBC_MSIZE_tunable_t__name");
	size_t ty = fact("GLIBC_OFF_tunable_t__type");
	size_t toff = ty + fact("GLIBC_OFF_tunable_type_t__type_code"), minoff = ty + fact("GLIBC_OFF_tunable_type_t__min");
	size_t maxoff = ty + fact("GLIBC_OFF_tunable_type_t__max"), voff = fact("GLIBC_OFF_tunable_t__val");
	size_t aoff = fact("GLIBC_OFF_tunable_t__env_alias"), alen = fact("GLIBC_MSIZE_tunable_t__env_alias");
	long long soff = -1; /* security_level: gone in 2.40, where AT_SECURE ignores every tunable */
	for (int i = 0; i < nfacts; i++)
		if (!strcmp(facts[i].name, "GLIBC_OFF_tunable_t__security_level"))
			soff = (long long)facts[i].v;
	unsigned char *tl = malloc(sz * tunables_count);
	read_vaddr(ldso, tunables_addr, tl, sz * tunables_count);
	fprintf(out, "#define GLIBC_TUNABLES_COUNT %llu\n", (unsigned long long)tunables_count);
	fprintf(out, "/* T(name, type_code, default, min, max, security_level or -1, environment alias) */\n");
	fprintf(out, "#define GLIBC_TUNABLES(T)");
	for (Dwarf_Unsigned i = 0; i < tunables_count; i++) {
		const unsigned char *e = tl + i * sz;
		int type, sec = -1;
		long long v, lo, hi;
		memcpy(&type, e + toff, 4);
		memcpy(&v, e + voff, 8);
		memcpy(&lo, e + minoff, 8);
		memcpy(&hi, e + maxoff, 8);
		if (soff >= 0)
			memcpy(&sec, e + soff, 4);
		if (memchr(e, 0, nlen) == NULL || memchr(e + aoff, 0, alen) == NULL || type < 0 || type > 3)
			die("%s: tunable_list[%llu] does not look like a tunable", ldso, (unsigned long long)i);
		fprintf(out, " \\\n\tT(\"%s\", %d, %lld, %lld, %lld, %d, \"%s\")", (const char *)e, type, type == 3 ? 0LL : v,
			lo, hi, sec, (const char *)(e + aoff));
	}
	fprintf(out, "\n");
	free(tl);
}

/* "release version X.Y" from libc's banner. */
static void libc_version(const char *path, char *ver, size_t cap)
{
	snprintf(ver, cap, "unknown");
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = len > 0 ? malloc((size_t)len + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len) {
		buf[len] = 0;
		const char *key = "release version ";
		char *p = memmem(buf, (size_t)len, key, strlen(key));
		if (p) {
			size_t k = 0;
			for (p += strlen(key); p < buf + len && (*p == '.' || (*p >= '0' && *p <= '9')) && k < cap - 1; p++)
				ver[k++] = *p;
			while (k && ver[k - 1] == '.')
				k--;
			ver[k] = 0;
		}
	}
	free(buf);
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *ldso = "/lib64/ld-linux-x86-64.so.2", *libc = "/lib/x86_64-linux-gnu/libc.so.6", *outp = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ldso") && i + 1 < argc)
			ldso = argv[++i];
		else if (!strcmp(argv[i], "--libc") && i + 1 < argc)
			libc = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			outp = argv[++i];
		else {
			fprintf(stderr, "usage: glibc-layout [--ldso PATH] [--libc PATH] -o OUT.h\n");
			return 2;
		}
	}
	if (!outp)
		die("no output file (-o OUT.h)");
	char truepath[4096] = "";
	Dwarf_Error err = NULL;
	if (dw_open(ldso, truepath, sizeof truepath, &dbg) != DW_DLV_OK)
		die("%s: no DWARF found (its separate debug file comes with libc6-dbg: apt-get install libc6-dbg)", ldso);
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", outp);
	out = fopen(tmp, "w");
	if (!out)
		die("%s: %s", tmp, strerror(errno));
	char lbid[130] = "", cbid[130] = "", ver[32];
	build_id(ldso, lbid);
	build_id(libc, cbid);
	libc_version(libc, ver, sizeof ver);
	fprintf(out, "/* Generated by tools/glibc-layout from the DWARF of %s (%s); do not edit. */\n", ldso,
		truepath[0] ? truepath : ldso);
	fprintf(out, "#define GLIBC_LAYOUT_LDSO_BUILD_ID \"%s\"\n#define GLIBC_LAYOUT_LIBC_BUILD_ID \"%s\"\n", lbid, cbid);
	fprintf(out, "#define GLIBC_LAYOUT_VERSION \"%s\"\n", ver);
	if (strncmp(ver, "2.", 2) != 0)
		die("%s: no \"release version 2.N\" banner: not a glibc libc.so.6?", libc);
	fprintf(out, "#define GLIBC_LAYOUT_MINOR %d\n", atoi(ver + 2));
	Dwarf_Unsigned hlen, abbrev, next;
	Dwarf_Half version, asize, lsize, esize, cutype;
	Dwarf_Sig8 sig;
	Dwarf_Unsigned typeoff;
	while (dwarf_next_cu_header_d(dbg, 1, &hlen, &version, &abbrev, &asize, &lsize, &esize, &sig, &typeoff, &next,
				      &cutype, &err) == DW_DLV_OK) {
		Dwarf_Die cu = NULL;
		if (dwarf_siblingof_b(dbg, NULL, 1, &cu, &err) == DW_DLV_OK)
			visit(cu);
	}
	if (has_debug_post_relocate) /* 2.41+, and Debian 12's 2.36 since a point release */
		fprintf(out, "#define GLIBC_HAS_DEBUG_POST_RELOCATE 1\n");
	tunables(ldso);
	fclose(out);
	for (size_t i = 0; i < NWANTED; i++)
		if (!found[i]) {
			remove(tmp);
			die("%s: type %s not found in its DWARF (%s)", ldso, wanted[i], truepath);
		}
	dw_close(dbg);
	if (rename(tmp, outp))
		die("%s: %s", outp, strerror(errno));
	return 0;
}
