/* Mapping: open a file, validate its headers, reserve one span for the whole object, map each PT_LOAD at
 * its offset with its permissions, zero bss (including the tail of the last file page). All memory
 * operations go through the `mem` table so tests and tracers can sit in between. */
#include "elfld.h"
#include "glibc.h"
#include "events.h"
#include "parse.h"
#include "sys.h"

/* Writable segments' file pages are populated (copied) at once: relocations, the bss tail and the
 * program write nearly all of them, and one mmap that fills them costs far less than a fault per page
 * (a fault is ~10 us on a virtual machine; clang-tidy --version took 2,600 faults fewer). Not beyond
 * 64 MiB, where untouched data could cost more memory than the faults would have cost time. */
#define POPULATE_MAX (64UL << 20)
static long k_map_file(void *addr, size_t len, int prot, int fd, uint64_t off, int populate)
{
	int flags = populate && len <= POPULATE_MAX ? K_MAP_POPULATE : 0;
	return sys_mmap(addr, len, prot, K_MAP_PRIVATE | flags | (addr ? K_MAP_FIXED : 0), fd, off);
}
static long k_map_anon(void *addr, size_t len, int prot)
{
	return sys_mmap(addr, len, prot, K_MAP_PRIVATE | K_MAP_ANONYMOUS | (addr ? K_MAP_FIXED : 0), -1, 0);
}
static long k_reserve(size_t len, size_t align)
{
	/* Over-reserve by the alignment, then trim both ends: honours p_align > page size. */
	size_t extra = align > PAGE_SIZE ? align : 0;
	long r = sys_mmap(0, len + extra, K_PROT_NONE, K_MAP_PRIVATE | K_MAP_ANONYMOUS | K_MAP_NORESERVE, -1, 0);
	if (sys_is_err(r) || !extra)
		return r;
	uintptr_t a = ALIGN_UP((uintptr_t)r, align);
	if (a > (uintptr_t)r)
		sys_munmap((void *)r, a - (uintptr_t)r);
	if ((uintptr_t)r + len + extra > a + len)
		sys_munmap((void *)(a + len), (uintptr_t)r + len + extra - (a + len));
	return (long)a;
}
static long k_reserve_at(uintptr_t addr, size_t len)
{
	long r = sys_mmap((void *)addr, len, K_PROT_NONE,
			  K_MAP_PRIVATE | K_MAP_ANONYMOUS | K_MAP_NORESERVE | K_MAP_FIXED_NOREPLACE, -1, 0);
	if (!sys_is_err(r) && (uintptr_t)r != addr) { /* old kernel ignoring FIXED_NOREPLACE */
		sys_munmap((void *)r, len);
		return -17; /* EEXIST */
	}
	return r;
}
static long k_protect(void *addr, size_t len, int prot) { return sys_mprotect(addr, len, prot); }
static long k_unmap(void *addr, size_t len) { return sys_munmap(addr, len); }

const struct mem_ops mem_ops_kernel HIDDEN = { k_map_file, k_map_anon, k_reserve, k_reserve_at, k_protect, k_unmap };
const struct mem_ops *mem HIDDEN = &mem_ops_kernel;

static int prot_of(uint32_t f)
{
	return (f & PF_R ? K_PROT_READ : 0) | (f & PF_W ? K_PROT_WRITE : 0) | (f & PF_X ? K_PROT_EXEC : 0);
}

static void perm_str(uint32_t f, char *s)
{
	s[0] = f & PF_R ? 'r' : '-';
	s[1] = f & PF_W ? 'w' : '-';
	s[2] = f & PF_X ? 'x' : '-';
	s[3] = 0;
}

/* Absolute path (GDB's r_map and dladdr want one); `path` stays as the user or search gave it. */
static char *absolute(const char *path)
{
	char cwd[4096];
	long n;
	if (path[0] == '/' || (n = sys_call(SYS_getcwd, cwd, sizeof cwd, 0)) <= 0)
		return u_strdup(path);
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	size_t len = strlen(cwd) + strlen(path) + 2;
	char *a = u_alloc(len);
	u_snprintf(a, len, "%s/%s", u_strcmp(cwd, "/") == 0 ? "" : cwd, path);
	return a;
}

struct obj *obj_new(const char *path)
{
	struct obj *o = u_zalloc(sizeof *o);
	o->path = u_strdup(path);
	o->abspath = absolute(path);
	o->l_name = o->abspath;
	o->id = -1;
	o->ns = L.load_ns;
	return o;
}

void obj_set_name(struct obj *o)
{
	if (o->soname)
		o->name = o->soname;
	else {
		const char *s = u_strrchr(o->path, '/');
		o->name = s ? s + 1 : o->path;
	}
}

/* Link `o` at the end of its namespace's object list (glibc's chain). */
void chain_link(struct obj *o)
{
	struct nspace *ns = &L.ns[o->ns];
	o->l_prev = ns->tail;
	o->l_next = 0;
	if (ns->tail)
		ns->tail->l_next = o;
	else
		ns->head = o;
	ns->tail = o;
	elfld_debug.objs = L.ns[0].head;
}

void obj_append(struct obj *o)
{
	o->id = L.nobjs++;
	chain_link(o);
	soname_index(o, 1);
}

static void hexstr(const uint8_t *b, int n, char *out)
{
	for (int i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[b[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
	}
	out[2 * n] = 0;
}

/* NT_GNU_BUILD_ID from the mapped notes, every length checked against the note segment. */
static void find_build_id(struct obj *o)
{
	for (int i = 0; i < o->phnum; i++) {
		const Elf64_Phdr *p = &o->phdr[i];
		if (p->p_type != PT_NOTE || !elf_range_in_file(o->phdr, o->phnum, p->p_vaddr, p->p_filesz))
			continue;
		const uint8_t *n = (const uint8_t *)(o->l_addr + p->p_vaddr), *end = n + p->p_filesz;
		while (end - n >= 12) {
			const Elf64_Nhdr *nh = (const Elf64_Nhdr *)n;
			uint64_t nsz = ALIGN_UP((uint64_t)nh->n_namesz, 4), dsz = ALIGN_UP((uint64_t)nh->n_descsz, 4);
			if ((uint64_t)(end - n) - 12 < nsz + dsz)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && memcmp(n + 12, "GNU", 4) == 0 &&
			    nh->n_descsz <= sizeof o->build_id) {
				memcpy(o->build_id, n + 12 + nsz, nh->n_descsz);
				o->build_id_len = (int)nh->n_descsz;
				return;
			}
			n += 12 + nsz + dsz;
		}
	}
}

/* Everything after the segments are in memory: TLS, RELRO, build-id, dynamic section, events. */
static void obj_finish(struct obj *o, const char *kind)
{
	obj_read_phdrs(o);
	find_build_id(o);
	if (o->l_ld)
		obj_parse_dynamic(o);
	obj_set_name(o);
	obj_append(o);

	char bid[65];
	hexstr(o->build_id, o->build_id_len, bid);
	struct elfld_event ev = { .type = EV_OBJECT, .obj = o->id };
	ev.u.object.path = o->path;
	ev.u.object.ns = (uint64_t)o->ns;
	ev.u.object.name = o->name;
	ev.u.object.kind = kind;
	ev.u.object.base = o->l_addr;
	ev.u.object.start = o->map_start;
	ev.u.object.end = o->map_end;
	ev.u.object.dynamic = (uintptr_t)o->l_ld;
	ev.u.object.entry = o->entry;
	ev.u.object.phdr = (uintptr_t)o->phdr;
	ev.u.object.phnum = (uint64_t)o->phnum;
	ev.u.object.build_id = bid;
	event_emit(&ev);
	for (int i = 0; i < o->phnum; i++) {
		const Elf64_Phdr *p = &o->phdr[i];
		if (p->p_type != PT_LOAD && p->p_type != PT_TLS && p->p_type != PT_GNU_RELRO && p->p_type != PT_DYNAMIC)
			continue;
		char perm[4];
		perm_str(p->p_flags, perm);
		struct elfld_event se = { .type = EV_SEGMENT, .obj = o->id };
		se.u.segment.index = (uint64_t)i;
		se.u.segment.type = p->p_type;
		se.u.segment.perm = perm;
		se.u.segment.addr = o->l_addr + p->p_vaddr;
		se.u.segment.vaddr = p->p_vaddr;
		se.u.segment.memsz = p->p_memsz;
		se.u.segment.filesz = p->p_filesz;
		se.u.segment.offset = p->p_offset;
		se.u.segment.align = p->p_align;
		event_emit(&se);
	}
}

/* An object that is already in memory: elfld itself, the vDSO, or a program the kernel mapped. */
void obj_from_memory(struct obj *o, uintptr_t base, const Elf64_Phdr *ph, int phnum)
{
	o->l_addr = base;
	o->phdr = (Elf64_Phdr *)ph;
	o->phnum = phnum;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			if (ph[i].p_vaddr < lo)
				lo = ph[i].p_vaddr;
			if (ph[i].p_vaddr + ph[i].p_memsz > hi)
				hi = ph[i].p_vaddr + ph[i].p_memsz;
		}
	o->vaddr_lo = ALIGN_DOWN(lo, PAGE_SIZE);
	o->vaddr_hi = ALIGN_UP(hi, PAGE_SIZE);
	o->map_start = base + o->vaddr_lo;
	o->map_end = base + o->vaddr_hi;
	o->mapped_by_kernel = 1;
	obj_finish(o, o->is_rtld ? "loader" : o->is_vdso ? "vdso" : o->is_main ? "program" : "library");
}

/* The PT_LOAD that can be mapped over the whole span as its reservation (the lowest one, with file
 * contents at the span's start), or -1 when the span needs a separate reservation: p_align above the
 * page size (the mapping must be aligned), or no such segment. */
/* Where the kernel maps a PIE program when address randomization is off (fs/binfmt_elf.c): ELF_ET_DYN_BASE,
 * two thirds of the 47-bit address space, aligned down to the largest PT_LOAD alignment, less the first
 * segment's address (0x555555554000 for most programs). */
static uintptr_t pie_base(const Elf64_Phdr *ph, int phnum, const struct elf_span *span)
{
	uint64_t align = PAGE_SIZE;
	for (int i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_align > align && !(ph[i].p_align & (ph[i].p_align - 1)))
			align = ph[i].p_align;
	uintptr_t bias = ((0x7ffffffff000ul / 3 * 2) & ~(align - 1)) - span->lo;
	return ALIGN_DOWN(bias, PAGE_SIZE) + span->lo;
}

static int first_load_over_span(const Elf64_Phdr *ph, int phnum, const struct elf_span *span)
{
	if (span->max_align > PAGE_SIZE)
		return -1;
	for (int i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			return ph[i].p_filesz && ALIGN_DOWN(ph[i].p_vaddr, PAGE_SIZE) == span->lo ? i : -1;
	return -1;
}

static void map_fail(const char *path, const char *what, long err)
{
	u_fatal(path, "%s failed (errno %ld)", what, -err);
}

struct obj *load_object(const char *path, struct elf_file *f, const char *needed_by)
{
	int fd = f->fd;
	if (!f->have_st && sys_fstat(fd, &f->st) < 0)
		u_fatal(path, "cannot stat");
	f->have_st = 1;
	const struct k_stat st = f->st;
	if ((st.st_mode & K_S_IFMT) == K_S_IFDIR) {
		if (u_catch_frame) { /* dlopen: glibc's "FILE: cannot read file data: Is a directory" */
			u_catch_frame->errcode = 21;
			u_fatal(path, "cannot read file data");
		}
		u_fatal(path, "is a directory");
	}
	if ((st.st_mode & K_S_IFMT) != K_S_IFREG)
		u_fatal(path, "not a regular file");
	uint64_t fsize = (uint64_t)st.st_size;
	/* Header and program headers: read once (usually the first page holds them all). */
	if (f->n < 0)
		f->n = sys_pread(fd, f->head, sizeof f->head, 0);
	long n = f->n;
	const char *hbuf = f->head;
	if (n < 0)
		u_fatal(path, "cannot read (errno %ld)", -n);
	const char *err = elf_check_header(hbuf, (size_t)n, fsize);
	if (err && n > 2 && hbuf[0] == '#' && hbuf[1] == '!') {
		char interp[128];
		size_t k = 0;
		for (const char *c = hbuf + 2; c < hbuf + n && *c != '\n' && k < sizeof interp - 1; c++)
			if (k || (*c != ' ' && *c != '\t'))
				interp[k++] = *c;
		interp[k] = 0;
		u_fatal(path, "is a script for %s, not an ELF file: run its interpreter under elfld (elfld-run %s %s)",
			interp, interp, path);
	}
	if (err)
		u_fatal(path, "%s", u_catch_frame ? elf_glibc_wording(err) : err);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)hbuf;
	size_t phsz = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	/* Checked where they were read (the caller's first page); a copy only when they lie further in. */
	const Elf64_Phdr *ph;
	Elf64_Phdr *ph_copy = 0;
	if (eh->e_phoff + phsz <= (uint64_t)n && eh->e_phoff % 8 == 0)
		ph = (const Elf64_Phdr *)(hbuf + eh->e_phoff);
	else {
		ph = ph_copy = u_alloc(phsz);
		if (eh->e_phoff + phsz <= (uint64_t)n)
			memcpy(ph_copy, hbuf + eh->e_phoff, phsz);
		else if (sys_pread(fd, ph_copy, phsz, eh->e_phoff) != (long)phsz)
			u_fatal(path, "cannot read program headers");
	}
	struct elf_span span;
	err = elf_check_phdrs(eh, ph, fsize, &span);
	if (err)
		u_fatal(path, "%s", err);
	if (needed_by && eh->e_type == ET_EXEC)
		u_fatal(path, "is an executable (ET_EXEC), cannot be loaded as a library of %s", needed_by);

	int first = -1; /* the PT_LOAD whose mapping is also the reservation, if any */
	struct obj *o = obj_new(path);
	o->ehdr = *eh;
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	uint64_t span_len = span.hi - span.lo;
	long r;
	if (eh->e_type == ET_EXEC) {
		r = mem->reserve_at(span.lo, span_len);
		if (sys_is_err(r))
			u_fatal(path, "cannot map at its fixed address 0x%lx-0x%lx (%s)", span.lo, span.hi,
				r == -17 ? "address range in use" : "mmap failed");
		o->l_addr = 0;
	} else if (L.main_fixed_base && !sys_is_err(r = mem->reserve_at(pie_base(ph, eh->e_phnum, &span), span_len))) {
		o->l_addr = (uintptr_t)r - span.lo;
	} else if ((first = first_load_over_span(ph, eh->e_phnum, &span)) >= 0) {
		/* As glibc does: the first segment's file mapping stretched over the whole span is the
		 * reservation (one mmap less per object); the other segments replace the rest of it, and holes
		 * between segments are made inaccessible below. */
		r = mem->map_file(0, span_len, prot_of(ph[first].p_flags), fd, ALIGN_DOWN(ph[first].p_offset, PAGE_SIZE),
				  0 /* the span: most of it is replaced by the other segments */);
		if (sys_is_err(r))
			u_fatal(path, "cannot map 0x%lx bytes (errno %ld)", span_len, -r);
		o->l_addr = (uintptr_t)r - span.lo;
	} else {
		r = mem->reserve(span_len, span.max_align);
		if (sys_is_err(r))
			u_fatal(path, "cannot reserve 0x%lx bytes of address space", span_len);
		o->l_addr = (uintptr_t)r - span.lo;
	}
	o->map_start = o->l_addr + span.lo;
	o->map_end = o->l_addr + span.hi;
	o->vaddr_lo = span.lo;
	o->vaddr_hi = span.hi;

	uintptr_t prev_end = o->map_start; /* end of the pages mapped so far (holes after it: PROT_NONE) */
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		int prot = prot_of(p->p_flags);
		if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
			u_err("elfld: warning: %s: segment %d is both writable and executable (the file asks for it)\n",
			      path, i);
		uintptr_t seg = o->l_addr + p->p_vaddr;
		uintptr_t pstart = ALIGN_DOWN(seg, PAGE_SIZE);
		uintptr_t fend = seg + p->p_filesz;
		uintptr_t fpage_end = ALIGN_UP(fend, PAGE_SIZE);
		uintptr_t mend = ALIGN_UP(seg + p->p_memsz, PAGE_SIZE);
		int zero_tail = p->p_memsz > p->p_filesz && (fend & (PAGE_SIZE - 1));
		if (first >= 0 && pstart > prev_end && mem->protect((void *)prev_end, pstart - prev_end, K_PROT_NONE) < 0)
			map_fail(path, "mprotect of a hole between segments", -1);
		if (mend > prev_end)
			prev_end = mend;
		if (i == first && !zero_tail) {
			/* already mapped with the span */
		} else if (p->p_filesz) {
			r = mem->map_file((void *)pstart, fpage_end - pstart, prot | (zero_tail ? K_PROT_WRITE : 0), fd,
					  ALIGN_DOWN(p->p_offset, PAGE_SIZE), (p->p_flags & PF_W) != 0);
			if (sys_is_err(r))
				map_fail(path, "mmap of a segment", r);
			if (zero_tail) {
				/* The file page holds bytes past p_filesz: they must read as zero bss. */
				memset((void *)fend, 0, fpage_end - fend);
				if (!(prot & K_PROT_WRITE))
					mem->protect((void *)pstart, fpage_end - pstart, prot);
			}
		} else
			fpage_end = pstart;
		if (mend > fpage_end) {
			r = mem->map_anon((void *)fpage_end, mend - fpage_end, prot);
			if (sys_is_err(r))
				map_fail(path, "mmap of bss", r);
		}
	}
	o->entry = eh->e_entry ? o->l_addr + eh->e_entry : 0;
	/* Program headers in memory (AT_PHDR, dl_iterate_phdr): inside a PT_LOAD's file part, else our copy.
	 * The mapped bytes are the ones checked (the same file pages), as glibc assumes: comparing them
	 * would cost a read of every object's first page. */
	Elf64_Phdr *mph = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_R) && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff + phsz <= ph[i].p_offset + ph[i].p_filesz && eh->e_phoff % 8 == 0) {
			mph = (Elf64_Phdr *)(o->l_addr + ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset));
			break;
		}
	}
	if (mph)
		u_free(ph_copy);
	else {
		if (!ph_copy) {
			ph_copy = u_alloc(phsz);
			memcpy(ph_copy, ph, phsz);
		}
		mph = ph_copy;
		o->phdr_allocated = 1;
	}
	o->phdr = mph;
	o->phnum = eh->e_phnum;
	obj_finish(o, needed_by ? "library" : "program");
	return o;
}

/* Is this object's .dynamic inside a writable segment (so DT_DEBUG may be filled)? */
int obj_dynamic_writable(const struct obj *o)
{
	if (!o->l_ld)
		return 0;
	uintptr_t v = (uintptr_t)o->l_ld - o->l_addr;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_LOAD && (o->phdr[i].p_flags & PF_W) && v >= o->phdr[i].p_vaddr &&
		    v < o->phdr[i].p_vaddr + o->phdr[i].p_memsz)
			return 1;
	return 0;
}

void protect_relro(struct obj *o)
{
	if (o->relro_end <= o->relro_start || o->is_rtld || o->is_vdso)
		return;
	long r = mem->protect((void *)o->relro_start, o->relro_end - o->relro_start, K_PROT_READ);
	if (sys_is_err(r))
		u_fatal(o->path, "cannot make RELRO read-only (errno %ld)", -r);
	struct elfld_event ev = { .type = EV_RELRO, .obj = o->id };
	ev.u.relro.start = o->relro_start;
	ev.u.relro.end = o->relro_end;
	event_emit(&ev);
}

/* Everything elfld allocated for an object, once dlclose has unmapped it. */
void obj_free(struct obj *o)
{
	if (o->is_proxy) { /* its tables are L.rtld's */
		o->phdr_allocated = 0;
		o->vernames = 0;
		o->verhashes = 0;
		o->needed = 0;
		o->sink_data = 0;
	}
	if (o->abspath != o->path)
		u_free(o->abspath);
	u_free(o->path);
	if (o->phdr_allocated)
		u_free(o->phdr);
	u_free(o->vernames);
	u_free(o->verhashes);
	u_free((void *)o->needed);
	u_free(o->deps.v);
	u_free(o->local_scope.v);
	u_free(o->sink_data);
	u_free(o->audit);
	u_free(o->audit_rr);
	u_free(o->gdb_node);
	u_free(o->libname);
	glibc_free_link_map(o);
	while (o->tlsdesc_args) {
		size_t *next = (size_t *)o->tlsdesc_args[2];
		u_free(o->tlsdesc_args);
		o->tlsdesc_args = next;
	}
	u_free(o);
}
