/* ELF validation: every bound checked, so the loader never reads or writes outside what it mapped. */
#include "parse.h"

static int add_overflows(uint64_t a, uint64_t b) { return a + b < a; }

const char *elf_check_header(const void *buf, size_t len, uint64_t file_size)
{
	const unsigned char *id = buf;
	if (len < 4 || file_size < 4)
		return "file too short to be ELF";
	if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
		return "not an ELF file (bad magic)";
	if (len < sizeof(Elf64_Ehdr) || file_size < sizeof(Elf64_Ehdr))
		return "truncated ELF header";
	const Elf64_Ehdr *eh = buf;
	if (id[EI_CLASS] != ELFCLASS64)
		return id[EI_CLASS] == ELFCLASS32 ? "32-bit ELF, only ELF64 x86-64 is supported" : "bad ELF class";
	if (id[EI_DATA] != ELFDATA2LSB)
		return "not little-endian (bad EI_DATA)";
	if (id[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "bad ELF version";
	if (id[EI_OSABI] != ELFOSABI_SYSV && id[EI_OSABI] != ELFOSABI_GNU)
		return "unsupported OS ABI";
	if (eh->e_machine != EM_X86_64)
		return "wrong machine (not x86-64)";
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return eh->e_type == ET_REL ? "relocatable object (.o), not an executable or shared object"
		       : eh->e_type == ET_CORE ? "core file, not an executable" : "bad ELF type";
	/* (e_ehsize and an e_phoff that is not a multiple of 8 are glibc's to ignore: elf_check_phdrs notes
	 * them; the loader reads misaligned program headers into a copy.) */
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "bad program header size (e_phentsize)";
	if (eh->e_phnum == 0)
		return "no program headers";
	if (add_overflows(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > file_size)
		return "program headers outside the file";
	return 0;
}

int elf_range_in_load(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, uint64_t len)
{
	if (add_overflows(vaddr, len))
		return 0;
	for (int i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & (PF_R | PF_W | PF_X)) && vaddr >= ph[i].p_vaddr &&
		    vaddr + len <= ph[i].p_vaddr + ph[i].p_memsz)
			return 1;
	return 0;
}

int elf_range_in_file(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, uint64_t len)
{
	if (add_overflows(vaddr, len))
		return 0;
	for (int i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & (PF_R | PF_W | PF_X)) && vaddr >= ph[i].p_vaddr &&
		    vaddr + len <= ph[i].p_vaddr + ph[i].p_filesz)
			return 1;
	return 0;
}

static uint64_t page_down(uint64_t v) { return v & ~4095ULL; }
static uint64_t page_up(uint64_t v) { return (v + 4095) & ~4095ULL; }
static int accessible_load(const Elf64_Phdr *p)
{
	return p->p_type == PT_LOAD && (p->p_flags & (PF_R | PF_W | PF_X)) && p->p_memsz;
}

int elf_load_at(const Elf64_Phdr *ph, int phnum, uint64_t vaddr)
{
	int found = -1;
	for (int i = 0; i < phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		if (!accessible_load(p) || p->p_vaddr + p->p_memsz < p->p_vaddr)
			continue;
		if (vaddr >= p->p_vaddr && vaddr - p->p_vaddr < p->p_memsz)
			return i;
		if (vaddr >= page_down(p->p_vaddr) && vaddr < page_up(p->p_vaddr + p->p_memsz) && found < 0)
			found = i;
	}
	return found;
}

int elf_range_mapped(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, uint64_t len)
{
	if (add_overflows(vaddr, len ? len : 1))
		return 0;
	uint64_t end = vaddr + (len ? len : 1);
	/* Each step moves to the end of a PT_LOAD's pages: at most one step per PT_LOAD. */
	for (int steps = 0; steps <= phnum; steps++) {
		int i = elf_load_at(ph, phnum, vaddr);
		if (i < 0)
			return 0;
		uint64_t seg_end = page_up(ph[i].p_vaddr + ph[i].p_memsz);
		if (end <= seg_end)
			return 1;
		vaddr = seg_end;
	}
	return 0;
}

static void note(struct elf_span *sp, const char *fmt, uint64_t value)
{
	if (sp->nwarn < ELF_MAX_WARNINGS)
		sp->warn[sp->nwarn++] = (struct elf_warning){ fmt, value };
}

/* PT_GNU_RELRO: glibc makes read-only the whole pages from the one holding its start to the one holding
 * its end (exclusive), whatever segment they belong to. Refused when the range is not in the object's
 * span of pages (glibc would change the protection of memory that is not the object's, or fail; a range
 * outside that is shorter than a page would protect nothing, by luck); noted when it is not within one
 * PT_LOAD. Linkers differ: mold starts it at a .tbss-only PT_TLS a few bytes below the writable PT_LOAD;
 * lld pads it to the end of the PT_LOAD's last page (not noted: that is its convention). */
static const char *check_relro(const Elf64_Phdr *ph, int phnum, const Elf64_Phdr *r, struct elf_span *sp)
{
	if (r->p_memsz == 0)
		return 0;
	if (add_overflows(r->p_vaddr, r->p_memsz) || r->p_vaddr < sp->lo || r->p_vaddr + r->p_memsz > sp->hi)
		return "PT_GNU_RELRO outside the loaded image";
	int k = elf_load_at(ph, phnum, r->p_vaddr);
	if (k < 0) {
		note(sp, "PT_GNU_RELRO starts outside every PT_LOAD (at 0x%lx)", r->p_vaddr);
		return 0;
	}
	const Elf64_Phdr *l = &ph[k];
	if (r->p_vaddr < l->p_vaddr)
		note(sp, "PT_GNU_RELRO starts %lu bytes below its PT_LOAD", l->p_vaddr - r->p_vaddr);
	uint64_t rend = r->p_vaddr + r->p_memsz, lend = l->p_vaddr + l->p_memsz;
	if (rend > lend && !(rend == page_up(lend)))
		note(sp, "PT_GNU_RELRO ends %lu bytes past its PT_LOAD", rend - lend);
	if (!(l->p_flags & PF_W))
		note(sp, "PT_GNU_RELRO is in a PT_LOAD that is not writable", 0);
	return 0;
}

/* PT_TLS: the image (p_filesz bytes) is copied into every thread's block, so it must be in the object's
 * memory. A PT_TLS with no image (.tbss only) has an address that only says its alignment: linkers put it
 * anywhere (lld: past the end of the previous PT_LOAD; mold: a few bytes below the next). */
static const char *check_tls(const Elf64_Phdr *ph, int phnum, const Elf64_Phdr *t, struct elf_span *sp)
{
	if (t->p_memsz == 0)
		return 0;
	if (t->p_filesz) {
		if (!elf_range_mapped(ph, phnum, t->p_vaddr, t->p_filesz))
			return "PT_TLS image outside the loaded image";
		if (!elf_range_in_file(ph, phnum, t->p_vaddr, t->p_filesz))
			note(sp, "PT_TLS image (0x%lx bytes) is not within one PT_LOAD's file contents", t->p_filesz);
		return 0;
	}
	if (elf_range_in_load(ph, phnum, t->p_vaddr, 0) || elf_range_in_file(ph, phnum, t->p_vaddr, 0))
		return 0;
	int k = elf_load_at(ph, phnum, t->p_vaddr);
	if (k >= 0 && t->p_vaddr < ph[k].p_vaddr)
		note(sp, "PT_TLS (.tbss only) starts %lu bytes below its PT_LOAD", ph[k].p_vaddr - t->p_vaddr);
	else
		note(sp, "PT_TLS (.tbss only) at 0x%lx is outside every PT_LOAD", t->p_vaddr);
	return 0;
}

const char *elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t file_size, struct elf_span *sp)
{
	const uint64_t page = 4096;
	uint64_t prev_end = 0;
	int interp_outside = 0;
	sp->lo = UINT64_MAX;
	sp->hi = 0;
	sp->max_align = page;
	sp->dyn_index = sp->tls_index = sp->interp_index = sp->relro_index = sp->stack_index = sp->note_first = -1;
	sp->nload = 0;
	sp->nwarn = 0;
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		note(sp, "e_ehsize is %lu, not 64", eh->e_ehsize);
	if (eh->e_phoff % 8)
		note(sp, "program headers misaligned (e_phoff 0x%lx)", eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		switch (p->p_type) {
		case PT_LOAD:
			if (p->p_filesz > p->p_memsz)
				return "PT_LOAD with p_filesz larger than p_memsz";
			if (add_overflows(p->p_offset, p->p_filesz) || p->p_offset + p->p_filesz > file_size)
				return "PT_LOAD extends past the end of the file (truncated?)";
			if (add_overflows(p->p_vaddr, p->p_memsz) || p->p_vaddr + p->p_memsz > (1ULL << 47))
				return "PT_LOAD outside the user address space";
			if (p->p_align > ELF_MAX_ALIGN)
				return "PT_LOAD alignment too large";
			if (p->p_align > 1 && (p->p_align & (p->p_align - 1)))
				note(sp, "PT_LOAD alignment 0x%lx is not a power of two (ignored, as glibc does)", p->p_align);
			if (p->p_offset % page != p->p_vaddr % page)
				return "PT_LOAD p_offset and p_vaddr disagree modulo the page size";
			if (sp->nload && p->p_vaddr < prev_end)
				return "PT_LOAD segments overlap or are not in ascending order";
			prev_end = p->p_vaddr + p->p_memsz;
			if (p->p_vaddr / page * page < sp->lo)
				sp->lo = p->p_vaddr / page * page;
			if ((prev_end + page - 1) / page * page > sp->hi)
				sp->hi = (prev_end + page - 1) / page * page;
			if (p->p_align > sp->max_align && !(p->p_align & (p->p_align - 1)))
				sp->max_align = p->p_align;
			sp->nload++;
			break;
		case PT_DYNAMIC:
			/* glibc uses the last one, skipping those with no contents (separate debug files have them) */
			if (p->p_filesz == 0) {
				note(sp, "PT_DYNAMIC with p_filesz 0 (ignored, as by glibc)", 0);
				break;
			}
			if (sp->dyn_index >= 0)
				note(sp, "more than one PT_DYNAMIC (the last is used, as by glibc)", 0);
			sp->dyn_index = i;
			break;
		case PT_TLS:
			/* glibc uses the last one that is not empty */
			if (p->p_memsz && sp->tls_index >= 0 && ph[sp->tls_index].p_memsz)
				note(sp, "more than one PT_TLS (the last is used, as by glibc)", 0);
			if (p->p_filesz > p->p_memsz)
				return "PT_TLS with p_filesz larger than p_memsz";
			if (p->p_align > 1 && (p->p_align & (p->p_align - 1)))
				return "PT_TLS alignment not a power of two";
			if (p->p_align > ELF_MAX_ALIGN || p->p_memsz > (1ULL << 28))
				return "PT_TLS size (over 256 MiB) or alignment absurd";
			if (p->p_memsz || sp->tls_index < 0)
				sp->tls_index = i;
			break;
		case PT_INTERP:
			/* The kernel uses the first; each one is read (main.c), so each must be in the file */
			if (sp->interp_index >= 0)
				note(sp, "more than one PT_INTERP (the first is used, as by the kernel)", 0);
			if (add_overflows(p->p_offset, p->p_filesz) || p->p_offset + p->p_filesz > file_size || p->p_filesz == 0)
				return "PT_INTERP outside the file";
			if (!elf_range_in_file(ph, eh->e_phnum, p->p_vaddr, p->p_filesz))
				interp_outside = 1;
			if (sp->interp_index < 0)
				sp->interp_index = i;
			break;
		case PT_GNU_RELRO:
			sp->relro_index = i;
			break;
		case PT_GNU_STACK:
			sp->stack_index = i;
			break;
		case PT_PHDR:
			break;
		case PT_NOTE:
			if (sp->note_first < 0)
				sp->note_first = i;
			break;
		}
	}
	if (sp->nload == 0)
		return "no PT_LOAD segment";
	if (eh->e_type == ET_EXEC && sp->lo < 4096)
		return "ET_EXEC segment at address 0";
	const char *err;
	if (sp->dyn_index >= 0) {
		/* Read as an array of entries up to DT_NULL (dynamic.c bounds it by p_filesz): the entries must be
		 * file contents of one PT_LOAD, 8-byte aligned. */
		const Elf64_Phdr *p = &ph[sp->dyn_index];
		if (!elf_range_in_file(ph, eh->e_phnum, p->p_vaddr, p->p_filesz / sizeof(Elf64_Dyn) * sizeof(Elf64_Dyn)) ||
		    p->p_filesz < sizeof(Elf64_Dyn))
			return "PT_DYNAMIC outside the loaded image";
		if (p->p_vaddr % 8)
			return "PT_DYNAMIC misaligned";
		if (p->p_filesz % sizeof(Elf64_Dyn))
			note(sp, "PT_DYNAMIC size 0x%lx is not a multiple of 16 (the partial entry is ignored)", p->p_filesz);
	}
	if (sp->tls_index >= 0 && (err = check_tls(ph, eh->e_phnum, &ph[sp->tls_index], sp)))
		return err;
	if (sp->relro_index >= 0 && (err = check_relro(ph, eh->e_phnum, &ph[sp->relro_index], sp)))
		return err;
	if (interp_outside)
		return "PT_INTERP outside the loaded image";
	/* A shared library's e_entry means nothing (glibc never looks at it); a PIE program's is checked when
	 * it is the program (main.c). */
	if (eh->e_type == ET_EXEC && eh->e_entry && !elf_range_in_load(ph, eh->e_phnum, eh->e_entry, 1))
		return "entry point outside any PT_LOAD segment";
	if (eh->e_entry && eh->e_type == ET_EXEC && !elf_addr_in_exec(ph, eh->e_phnum, eh->e_entry))
		return "entry point not in an executable segment";
	return 0;
}

int elf_addr_in_exec(const Elf64_Phdr *ph, int phnum, uint64_t vaddr)
{
	for (int i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && vaddr >= ph[i].p_vaddr &&
		    vaddr - ph[i].p_vaddr < ph[i].p_memsz)
			return 1;
	return 0;
}

/* Only the header and the size: chain indexes are range-checked by the lookup that follows them (walking
 * every chain here would read the whole table of a large library at each start-up). */
const char *elf_check_sysv_hash(const uint32_t *h, size_t avail, uint32_t *nsyms)
{
	if (avail < 8)
		return "DT_HASH table truncated";
	uint64_t nb = h[0], nc = h[1];
	if (nb == 0) /* lookups take the hash modulo nb */
		return "DT_HASH table has no buckets";
	if ((2 + nb + nc) * 4 > avail)
		return "DT_HASH table larger than its segment";
	*nsyms = (uint32_t)nc;
	return 0;
}

/* The symbol count of a GNU hash table is the end of the chain of its last non-empty bucket (linkers sort
 * the symbols by bucket). Only that chain is read here, not the whole table: lookups check that a bucket
 * is at or above symoffset and stop a chain at this count, so a table that breaks the sort order can
 * only hide symbols, never lead a lookup outside it. */
const char *elf_check_gnu_hash(const uint32_t *h, size_t avail, uint32_t *nsyms)
{
	if (avail < 16)
		return "DT_GNU_HASH table truncated";
	uint64_t nb = h[0], off = h[1], bloom = h[2];
	if (bloom == 0 || (bloom & (bloom - 1)))
		return "DT_GNU_HASH bloom size not a power of two";
	/* (a bloom shift of 64 or more: glibc's shift takes it modulo 64; dynamic.c does the same) */
	uint64_t head = 16 + bloom * 8 + nb * 4;
	if (head > avail || nb == 0)
		return "DT_GNU_HASH table larger than its segment";
	const uint32_t *buckets = (const uint32_t *)((const char *)h + 16 + bloom * 8);
	const uint32_t *chain = buckets + nb;
	uint64_t chain_avail = (avail - head) / 4;
	uint64_t last = nb;
	while (last > 0 && buckets[last - 1] == 0)
		last--;
	uint64_t maxsym = off;
	if (last) {
		uint64_t j = buckets[last - 1];
		if (j < off)
			return "DT_GNU_HASH bucket below symoffset";
		for (;; j++) {
			if (j - off >= chain_avail)
				return "DT_GNU_HASH chain runs past its segment";
			if (chain[j - off] & 1)
				break;
		}
		maxsym = j + 1;
	}
	*nsyms = (uint32_t)maxsym;
	return 0;
}

uint32_t elf_gnu_hash(const char *s)
{
	/* h = h * 33 + c, two characters per step (h*33*33 = h*1089), as glibc's dl-new-hash does. */
	uint32_t h = 5381;
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		uint32_t c0 = p[0];
		if (!c0)
			return h;
		uint32_t c1 = p[1];
		if (!c1)
			return h * 33 + c0;
		h = h * 1089 + c0 * 33 + c1;
		p += 2;
	}
}

uint32_t elf_sysv_hash(const char *s)
{
	uint32_t h = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h = (h << 4) + *p;
		uint32_t g = h & 0xf0000000;
		if (g)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

int elf_reloc_supported(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE: case R_X86_64_64: case R_X86_64_PC32: case R_X86_64_32: case R_X86_64_32S:
	case R_X86_64_COPY: case R_X86_64_GLOB_DAT: case R_X86_64_JUMP_SLOT: case R_X86_64_RELATIVE:
	case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64: case R_X86_64_TPOFF64: case R_X86_64_TLSDESC:
	case R_X86_64_IRELATIVE: case R_X86_64_PC64: case R_X86_64_SIZE64: case R_X86_64_SIZE32:
		return 1;
	}
	return 0;
}

const char *elf_reloc_type_name(uint32_t t)
{
	static const char *const names[] = {
		[R_X86_64_NONE] = "R_X86_64_NONE",	   [R_X86_64_64] = "R_X86_64_64",
		[R_X86_64_PC32] = "R_X86_64_PC32",	   [R_X86_64_GOT32] = "R_X86_64_GOT32",
		[R_X86_64_PLT32] = "R_X86_64_PLT32",	   [R_X86_64_COPY] = "R_X86_64_COPY",
		[R_X86_64_GLOB_DAT] = "R_X86_64_GLOB_DAT", [R_X86_64_JUMP_SLOT] = "R_X86_64_JUMP_SLOT",
		[R_X86_64_RELATIVE] = "R_X86_64_RELATIVE", [R_X86_64_GOTPCREL] = "R_X86_64_GOTPCREL",
		[R_X86_64_32] = "R_X86_64_32",		   [R_X86_64_32S] = "R_X86_64_32S",
		[R_X86_64_16] = "R_X86_64_16",		   [R_X86_64_PC16] = "R_X86_64_PC16",
		[R_X86_64_8] = "R_X86_64_8",		   [R_X86_64_PC8] = "R_X86_64_PC8",
		[R_X86_64_DTPMOD64] = "R_X86_64_DTPMOD64", [R_X86_64_DTPOFF64] = "R_X86_64_DTPOFF64",
		[R_X86_64_TPOFF64] = "R_X86_64_TPOFF64",   [R_X86_64_TLSGD] = "R_X86_64_TLSGD",
		[R_X86_64_TLSLD] = "R_X86_64_TLSLD",	   [R_X86_64_DTPOFF32] = "R_X86_64_DTPOFF32",
		[R_X86_64_GOTTPOFF] = "R_X86_64_GOTTPOFF", [R_X86_64_TPOFF32] = "R_X86_64_TPOFF32",
		[R_X86_64_PC64] = "R_X86_64_PC64",	   [R_X86_64_GOTOFF64] = "R_X86_64_GOTOFF64",
		[R_X86_64_GOTPC32] = "R_X86_64_GOTPC32",   [R_X86_64_SIZE32] = "R_X86_64_SIZE32",
		[R_X86_64_SIZE64] = "R_X86_64_SIZE64",	   [R_X86_64_TLSDESC] = "R_X86_64_TLSDESC",
		[R_X86_64_IRELATIVE] = "R_X86_64_IRELATIVE", [R_X86_64_RELATIVE64] = "R_X86_64_RELATIVE64",
	};
	if (t < sizeof names / sizeof names[0] && names[t])
		return names[t];
	if (t == 0x7fffffff)
		return "RELR";
	return "R_X86_64_unknown";
}

const char *elf_glibc_wording(const char *msg)
{
	static const char *const map[][2] = {
		{ "file too short to be ELF", "file too short" },
		{ "truncated ELF header", "file too short" },
		{ "file too short to be a shared library", "file too short" },
		{ "not an ELF file (bad magic)", "invalid ELF header" },
		{ "32-bit ELF, only ELF64 x86-64 is supported", "wrong ELF class: ELFCLASS32" },
		{ "bad ELF class", "wrong ELF class" },
		{ "not little-endian (bad EI_DATA)", "ELF file data encoding not little-endian" },
		{ "bad ELF version", "ELF file version does not match current one" },
		{ "wrong machine (not x86-64)", "ELF file's machine type does not match" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const char *a = map[i][0], *b = msg;
		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return map[i][1];
	}
	return msg;
}
