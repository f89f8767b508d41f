/* The dynamic section: read every tag once, rebase addresses, and check that each table lies inside the
 * object's loaded image before anything dereferences it. */
#include <stdarg.h>
#include "elfld.h"
#include "events.h"
#include "parse.h"

#ifndef DT_RELRSZ
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#endif

static const char *strtab_at(struct obj *o, uint64_t off, const char *what)
{
	/* The table's last byte is NUL (checked once), so any offset inside it starts a terminated string. */
	if (off >= o->strsz)
		u_fatal(o->path, "%s: string offset 0x%lx outside the string table", what, off);
	return o->strtab + off;
}

/* Rebase a table address and check [vaddr, vaddr+len) is loaded and aligned for its entries. */
static const void *table_aligned(struct obj *o, uint64_t vaddr, uint64_t len, uint64_t align, const char *what)
{
	if (vaddr % align)
		u_fatal(o->path, "%s at 0x%lx is misaligned", what, vaddr);
	if (!elf_range_in_load(o->phdr, o->phnum, vaddr, len ? len : 1))
		u_fatal(o->path, "%s (0x%lx, 0x%lx bytes) outside the loaded image", what, vaddr, len);
	return (const void *)(o->l_addr + vaddr);
}

static const void *table(struct obj *o, uint64_t vaddr, uint64_t len, const char *what)
{
	if (!elf_range_in_load(o->phdr, o->phnum, vaddr, len ? len : 1))
		u_fatal(o->path, "%s (0x%lx, 0x%lx bytes) outside the loaded image", what, vaddr, len);
	return (const void *)(o->l_addr + vaddr);
}

static const char *const verdef_err = "version definitions malformed";
static const char *const verneed_err = "version needs malformed";

/* Calls visit(o, index, name offset, hash) for every version DT_VERDEF defines and DT_VERNEED needs.
 * Each record is checked (inside the image, 4-byte aligned) before it is read; walking by vaddr keeps the
 * arithmetic on untrusted next-offsets out of pointer territory. */
typedef void (*version_visit)(struct obj *o, int ndx, uint32_t name, uint32_t hash);
static void walk_versions(struct obj *o, version_visit visit, int needs_only)
{
	uint64_t v = o->verdef && !needs_only ? (uintptr_t)o->verdef - o->l_addr : 0;
	for (uint32_t i = 0; v && i < o->verdefnum; i++) {
		const Elf64_Verdef *vd = table_aligned(o, v, sizeof *vd, 4, verdef_err);
		if (vd->vd_cnt) {
			const Elf64_Verdaux *aux = table_aligned(o, v + vd->vd_aux, sizeof *aux, 4, verdef_err);
			visit(o, vd->vd_ndx & 0x7fff, aux->vda_name, vd->vd_hash);
		}
		if (!vd->vd_next)
			break;
		v += vd->vd_next;
	}
	v = o->verneed ? (uintptr_t)o->verneed - o->l_addr : 0;
	for (uint32_t i = 0; v && i < o->verneednum; i++) {
		const Elf64_Verneed *vn = table_aligned(o, v, sizeof *vn, 4, verneed_err);
		strtab_at(o, vn->vn_file, "version file name");
		uint64_t a = v + vn->vn_aux;
		for (uint32_t j = 0; j < vn->vn_cnt; j++) {
			const Elf64_Vernaux *va = table_aligned(o, a, sizeof *va, 4, verneed_err);
			visit(o, va->vna_other & 0x7fff, va->vna_name, va->vna_hash);
			if (!va->vna_next)
				break;
			a += va->vna_next;
		}
		if (!vn->vn_next)
			break;
		v += vn->vn_next;
	}
}

static void count_version(struct obj *o, int ndx, uint32_t name, uint32_t hash)
{
	(void)name, (void)hash;
	if (ndx >= o->nvernames)
		o->nvernames = ndx + 1;
}

static void name_version(struct obj *o, int ndx, uint32_t name, uint32_t hash)
{
	o->vernames[ndx] = strtab_at(o, name, "version name");
	o->verhashes[ndx] = hash;
}

/* Index -> version name and hash, from DT_VERDEF and DT_VERNEED. Indexes are bounded by 0x7fff. */
static void read_versions(struct obj *o)
{
	o->nvernames = 2;
	walk_versions(o, count_version, 0);
	o->vernames = u_zalloc(sizeof(char *) * (size_t)o->nvernames);
	o->verhashes = u_zalloc(sizeof(uint32_t) * (size_t)o->nvernames);
	walk_versions(o, name_version, 0);
}

/* ---- warnings: what glibc accepts but is odd. Formatted here (this file also runs hosted, in the fuzz
 * harness, where the loader's formatter is not), held while the object has no id. */
static size_t put(char *b, size_t at, size_t cap, const char *s)
{
	while (*s && at + 1 < cap)
		b[at++] = *s++;
	return at;
}

static size_t put_num(char *b, size_t at, size_t cap, uint64_t v, unsigned base)
{
	char d[24];
	int n = 0;
	do
		d[n++] = "0123456789abcdef"[v % base];
	while ((v /= base) && n < 24);
	while (n && at + 1 < cap)
		b[at++] = d[--n];
	return at;
}

#define WARN_HELD 8
static char held[WARN_HELD][384];
static const struct obj *held_by[WARN_HELD]; /* compared, never dereferenced: it may be gone */
static int nheld;

static void warn_emit(int id, const char *msg)
{
	struct elfld_event ev = { .type = EV_WARNING, .obj = id };
	ev.u.warning.message = msg;
	event_emit(&ev);
}

void obj_warn(struct obj *o, const char *fmt, ...)
{
	char b[sizeof held[0]];
	size_t n = put(b, 0, sizeof b, o->path);
	n = put(b, n, sizeof b, ": ");
	va_list ap;
	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			if (n + 1 < sizeof b)
				b[n++] = *f;
			continue;
		}
		int l = 0;
		while (*++f == 'l')
			l = 1;
		if (*f == 's')
			n = put(b, n, sizeof b, va_arg(ap, const char *));
		else if (*f == 'd') {
			int64_t v = l ? va_arg(ap, long) : va_arg(ap, int);
			if (v < 0)
				n = put(b, n, sizeof b, "-");
			n = put_num(b, n, sizeof b, v < 0 ? -(uint64_t)v : (uint64_t)v, 10);
		} else if (*f == 'u' || *f == 'x')
			n = put_num(b, n, sizeof b, l ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), *f == 'u' ? 10 : 16);
		else if (!*f)
			break;
		else if (n + 1 < sizeof b)
			b[n++] = *f;
	}
	va_end(ap);
	b[n] = 0;
	if (o->id < 0 && nheld < WARN_HELD) {
		held_by[nheld] = o;
		memcpy(held[nheld++], b, n + 1);
		return;
	}
	warn_emit(o->id, b);
}

/* After object `id` was announced: its warnings, with its id. Any others held are of an object that was
 * never announced (a dlopen that failed): they go out too, with no id (their message names the file). */
void obj_warn_flush(int id)
{
	const struct obj *owner = 0;
	FOR_EACH_OBJ(x)
		if (id >= 0 && x->id == id)
			owner = x;
	int n = nheld;
	nheld = 0;
	for (int i = 0; i < n; i++)
		warn_emit(owner && held_by[i] == owner ? id : -1, held[i]);
}

/* What the program headers say beyond PT_LOAD: where .dynamic is, the TLS image, RELRO (each the last of
 * its kind, as glibc takes them; a PT_DYNAMIC without contents does not count). What is odd about them
 * (parse.c notes it) becomes warnings. */
void obj_read_phdrs(struct obj *o)
{
	if (!o->is_rtld && !o->is_vdso) {
		struct elf_span sp;
		if (!elf_check_phdrs(&o->ehdr, o->phdr, UINT64_MAX, &sp))
			for (int k = 0; k < sp.nwarn; k++)
				obj_warn(o, sp.warn[k].fmt, sp.warn[k].value);
	}
	for (int i = 0; i < o->phnum; i++) {
		const Elf64_Phdr *p = &o->phdr[i];
		if (p->p_type == PT_DYNAMIC && p->p_filesz)
			o->l_ld = (Elf64_Dyn *)(o->l_addr + p->p_vaddr);
		else if (p->p_type == PT_TLS && p->p_memsz) {
			o->tls_image = (const void *)(o->l_addr + p->p_vaddr);
			o->tls_filesz = p->p_filesz;
			o->tls_memsz = p->p_memsz;
			o->tls_align = p->p_align ? p->p_align : 1;
			o->tls_firstbyte = (-p->p_vaddr) & (o->tls_align - 1);
		} else if (p->p_type == PT_GNU_RELRO) {
			o->relro_start = ALIGN_DOWN(o->l_addr + p->p_vaddr, PAGE_SIZE);
			o->relro_end = ALIGN_DOWN(o->l_addr + p->p_vaddr + p->p_memsz, PAGE_SIZE);
		}
	}
}

/* glibc refuses an object with DT_RELR, DT_VERNEED and libc.so.* among its DT_NEEDED unless it needs the
 * version GLIBC_ABI_DT_RELR (linkers add it with -z pack-relative-relocs; mold 1.10 and lld 14's
 * --pack-dyn-relocs=relr do not): a libc without DT_RELR support would otherwise ignore the table. */
static int relr_version;
static void find_relr_version(struct obj *o, int ndx, uint32_t name, uint32_t hash)
{
	(void)ndx;
	if (hash == 0xfd0e42 && u_strcmp(strtab_at(o, name, "version name"), "GLIBC_ABI_DT_RELR") == 0)
		relr_version = 1;
}

static int needs_dt_relr_version(struct obj *o)
{
	relr_version = 0;
	walk_versions(o, find_relr_version, 1);
	return relr_version;
}

static int needs_libc(struct obj *o, uint64_t ndyn)
{
	for (uint64_t i = 0; i < ndyn; i++) {
		if (o->l_ld[i].d_tag != DT_NEEDED || !o->strtab)
			continue;
		const char *n = strtab_at(o, o->l_ld[i].d_un.d_val, "DT_NEEDED"), *p = "libc.so.";
		while (*p && *n == *p)
			n++, p++;
		if (!*p)
			return 1;
	}
	return 0;
}

void obj_parse_dynamic(struct obj *o)
{
	uint64_t dynsz = 0;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_DYNAMIC && o->phdr[i].p_filesz)
			dynsz = o->phdr[i].p_filesz / sizeof(Elf64_Dyn);
	uint64_t gnu_hash = 0, versym = 0, verdef = 0, verneed = 0, relr = 0, relrsz = 0;
	int has[DT_NUM] = { 0 };
	int nneeded = 0;
	uint64_t n;
	for (n = 0; n < dynsz && o->l_ld[n].d_tag != DT_NULL; n++) {
		const Elf64_Dyn *d = &o->l_ld[n];
		uint64_t v = d->d_un.d_val;
		if (d->d_tag >= 0 && d->d_tag < DT_NUM) {
			o->dynv[d->d_tag] = v;
			has[d->d_tag] = 1;
			if (d->d_tag == DT_NEEDED)
				nneeded++;
		} else if (d->d_tag == DT_GNU_HASH)
			gnu_hash = v;
		else if (d->d_tag == DT_VERSYM)
			versym = v;
		else if (d->d_tag == DT_VERDEF)
			verdef = v;
		else if (d->d_tag == DT_VERDEFNUM)
			o->verdefnum = (uint32_t)v;
		else if (d->d_tag == DT_VERNEED)
			verneed = v;
		else if (d->d_tag == DT_VERNEEDNUM)
			o->verneednum = (uint32_t)v;
		else if (d->d_tag == DT_FLAGS_1)
			o->flags_1 = v;
		else if (d->d_tag == DT_AUDIT || d->d_tag == DT_DEPAUDIT)
			o->has_audit = 1;
	}
	if (n == dynsz)
		u_fatal(o->path, "dynamic section has no DT_NULL terminator");
	relr = o->dynv[DT_RELR];
	relrsz = o->dynv[DT_RELRSZ];
	o->flags = o->dynv[DT_FLAGS];
	o->textrel = has[DT_TEXTREL] || (o->flags & DF_TEXTREL);
	o->bind_now = has[DT_BIND_NOW] || (o->flags & DF_BIND_NOW) || (o->flags_1 & DF_1_NOW);
	o->symbolic = has[DT_SYMBOLIC] || (o->flags & DF_SYMBOLIC);

	if (has[DT_STRTAB]) {
		o->strsz = o->dynv[DT_STRSZ];
		o->strtab = table(o, o->dynv[DT_STRTAB], o->strsz, "string table (DT_STRTAB/DT_STRSZ)");
		if (o->strsz == 0)
			u_fatal(o->path, "empty string table");
		if (o->strtab[o->strsz - 1] != 0)
			u_fatal(o->path, "string table (DT_STRTAB) does not end with a NUL byte");
	}
	if (has[DT_SYMTAB]) {
		if (has[DT_SYMENT] && o->dynv[DT_SYMENT] != sizeof(Elf64_Sym)) /* glibc never reads it */
			obj_warn(o, "DT_SYMENT is %lu, not 24: ignored, as by glibc", o->dynv[DT_SYMENT]);
		o->symtab = table_aligned(o, o->dynv[DT_SYMTAB], sizeof(Elf64_Sym), 8, "symbol table");
		if (!o->strtab)
			u_fatal(o->path, "symbol table without a string table");
	}
	/* Symbol count from the hash tables; GNU preferred. */
	uint32_t ns = 0;
	if (gnu_hash) {
		const uint32_t *h = table_aligned(o, gnu_hash, 16, 8, "DT_GNU_HASH");
		size_t avail = 0;
		for (int i = 0; i < o->phnum; i++) {
			const Elf64_Phdr *p = &o->phdr[i];
			if (p->p_type == PT_LOAD && gnu_hash >= p->p_vaddr && gnu_hash < p->p_vaddr + p->p_memsz)
				avail = p->p_vaddr + p->p_memsz - gnu_hash;
		}
		const char *e = elf_check_gnu_hash(h, avail, &ns);
		if (e)
			u_fatal(o->path, "%s", e);
		o->gnu_hash = h;
		o->gnu_nbuckets = h[0];
		o->gnu_symoffset = h[1];
		o->gnu_nsyms = ns;
		o->gnu_bloom_size = h[2];
		/* glibc shifts a 64-bit hash by it: the x86-64 instruction takes the count modulo 64 */
		if (h[3] >= 64)
			obj_warn(o, "DT_GNU_HASH bloom shift %u is 64 or more (taken modulo 64, as glibc's shift does)", h[3]);
		o->gnu_bloom_shift = h[3] & 63;
		o->gnu_bloom = (const uint64_t *)(h + 4);
		o->gnu_buckets = (const uint32_t *)(o->gnu_bloom + o->gnu_bloom_size);
		o->gnu_chain = o->gnu_buckets + o->gnu_nbuckets - o->gnu_symoffset;
	}
	if (has[DT_HASH]) {
		const uint32_t *h = table_aligned(o, o->dynv[DT_HASH], 8, 4, "DT_HASH");
		uint32_t ns2;
		/* The size the header claims must be inside the image before the check reads that far. */
		table(o, o->dynv[DT_HASH], 8 + 4 * ((uint64_t)h[0] + h[1]), "DT_HASH");
		const char *e = elf_check_sysv_hash(h, 8 + 4 * ((size_t)h[0] + h[1]), &ns2);
		if (e)
			u_fatal(o->path, "%s", e);
		o->sysv_hash = h;
		if (ns2 > ns)
			ns = ns2;
	}
	if (o->symtab) {
		/* A GNU hash table covers only the exported symbols: a program that exports nothing has
		 * undefined ones below symoffset. Linkers put .dynstr right after .dynsym; use that span. */
		if (has[DT_STRTAB] && o->dynv[DT_STRTAB] > o->dynv[DT_SYMTAB]) {
			uint64_t span = (o->dynv[DT_STRTAB] - o->dynv[DT_SYMTAB]) / sizeof(Elf64_Sym);
			if (span > ns && span < (1u << 24) &&
			    elf_range_in_load(o->phdr, o->phnum, o->dynv[DT_SYMTAB], span * sizeof(Elf64_Sym)))
				ns = (uint32_t)span;
		}
		o->nsyms = ns;
		if (ns)
			table(o, o->dynv[DT_SYMTAB], (uint64_t)ns * sizeof(Elf64_Sym), "symbol table");
	}
	if (versym && o->symtab && o->nsyms)
		o->versym = table_aligned(o, versym, o->nsyms * 2, 2, "DT_VERSYM");
	if (verdef)
		o->verdef = table_aligned(o, verdef, sizeof(Elf64_Verdef), 4, "DT_VERDEF");
	if (verneed)
		o->verneed = table_aligned(o, verneed, sizeof(Elf64_Verneed), 4, "DT_VERNEED");
	if (o->verdef || o->verneed)
		read_versions(o);

	if (has[DT_RELA]) {
		if (has[DT_RELAENT] && o->dynv[DT_RELAENT] != sizeof(Elf64_Rela))
			u_fatal(o->path, "bad DT_RELAENT");
		o->relasz = o->dynv[DT_RELASZ];
		if (o->relasz % sizeof(Elf64_Rela))
			u_fatal(o->path, "DT_RELASZ not a multiple of the entry size");
		o->rela = table_aligned(o, o->dynv[DT_RELA], o->relasz, 8, "relocation table (DT_RELA)");
	}
	/* glibc's x86-64 loader never looks at DT_REL (ELF_MACHINE_NO_REL) */
	if (has[DT_REL] && o->dynv[DT_RELSZ])
		obj_warn(o, "has DT_REL relocations, which x86-64 does not use: ignored, as by glibc");
	if (has[DT_JMPREL]) {
		if (has[DT_PLTREL] && o->dynv[DT_PLTREL] != DT_RELA)
			u_fatal(o->path, "DT_PLTREL is not DT_RELA");
		o->pltrelsz = o->dynv[DT_PLTRELSZ];
		if (o->pltrelsz % sizeof(Elf64_Rela))
			u_fatal(o->path, "DT_PLTRELSZ not a multiple of the entry size");
		o->jmprel = table_aligned(o, o->dynv[DT_JMPREL], o->pltrelsz, 8, "PLT relocation table (DT_JMPREL)");
	}
	if (relr && o->verneed && nneeded && !needs_dt_relr_version(o) && needs_libc(o, n))
		u_fatal(o->path, "DT_RELR without GLIBC_ABI_DT_RELR dependency"); /* glibc's _dl_check_map_versions */
	if (relr) {
		if (relrsz % 8)
			u_fatal(o->path, "DT_RELRSZ not a multiple of 8");
		o->relr = table_aligned(o, relr, relrsz, 8, "DT_RELR table");
		o->relrsz = relrsz;
	}
	if (has[DT_SONAME] && o->strtab)
		o->soname = strtab_at(o, o->dynv[DT_SONAME], "DT_SONAME");
	if (has[DT_RPATH] && o->strtab)
		o->rpath = strtab_at(o, o->dynv[DT_RPATH], "DT_RPATH");
	if (has[DT_RUNPATH] && o->strtab)
		o->runpath = strtab_at(o, o->dynv[DT_RUNPATH], "DT_RUNPATH");
	if (nneeded) {
		if (!o->strtab)
			u_fatal(o->path, "DT_NEEDED without a string table");
		o->needed = u_alloc(sizeof(char *) * (size_t)nneeded);
		for (uint64_t i = 0; i < n; i++)
			if (o->l_ld[i].d_tag == DT_NEEDED)
				o->needed[o->nneeded++] = strtab_at(o, o->l_ld[i].d_un.d_val, "DT_NEEDED");
	}
	if (has[DT_INIT_ARRAY])
		table(o, o->dynv[DT_INIT_ARRAY], o->dynv[DT_INIT_ARRAYSZ], "DT_INIT_ARRAY");
	if (has[DT_FINI_ARRAY])
		table(o, o->dynv[DT_FINI_ARRAY], o->dynv[DT_FINI_ARRAYSZ], "DT_FINI_ARRAY");
	if (has[DT_PREINIT_ARRAY])
		table(o, o->dynv[DT_PREINIT_ARRAY], o->dynv[DT_PREINIT_ARRAYSZ], "DT_PREINIT_ARRAY");
	if (has[DT_INIT])
		table(o, o->dynv[DT_INIT], 1, "DT_INIT");
	if (has[DT_FINI])
		table(o, o->dynv[DT_FINI], 1, "DT_FINI");
}

/* Symbol name with bounds check (symbol tables come from the file). */
const char *obj_symname(struct obj *o, const Elf64_Sym *s)
{
	return strtab_at(o, s->st_name, "symbol name");
}
