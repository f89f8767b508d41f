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
	if (eh->e_ehsize < sizeof(Elf64_Ehdr))
		return "bad e_ehsize";
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "bad program header size (e_phentsize)";
	if (eh->e_phnum == 0)
		return "no program headers";
	if (eh->e_phnum > ELF_MAX_PHNUM)
		return "too many program headers";
	if (eh->e_phoff % 8)
		return "misaligned program headers (e_phoff)";
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

const char *elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t file_size, struct elf_span *sp)
{
	const uint64_t page = 4096;
	uint64_t prev_end = 0;
	sp->lo = UINT64_MAX;
	sp->hi = 0;
	sp->max_align = page;
	sp->dyn_index = sp->tls_index = sp->interp_index = sp->relro_index = sp->stack_index = sp->note_first = -1;
	sp->nload = 0;
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
				return "PT_LOAD alignment not a power of two";
			if (p->p_offset % page != p->p_vaddr % page)
				return "PT_LOAD p_offset and p_vaddr disagree modulo the page size";
			if (sp->nload && p->p_vaddr < prev_end)
				return "PT_LOAD segments overlap or are not in ascending order";
			prev_end = p->p_vaddr + p->p_memsz;
			if (p->p_vaddr / page * page < sp->lo)
				sp->lo = p->p_vaddr / page * page;
			if ((prev_end + page - 1) / page * page > sp->hi)
				sp->hi = (prev_end + page - 1) / page * page;
			if (p->p_align > sp->max_align)
				sp->max_align = p->p_align;
			sp->nload++;
			break;
		case PT_DYNAMIC:
			if (sp->dyn_index >= 0)
				return "more than one PT_DYNAMIC";
			sp->dyn_index = i;
			break;
		case PT_TLS:
			if (sp->tls_index >= 0)
				return "more than one PT_TLS";
			if (p->p_filesz > p->p_memsz)
				return "PT_TLS with p_filesz larger than p_memsz";
			if (p->p_align > 1 && (p->p_align & (p->p_align - 1)))
				return "PT_TLS alignment not a power of two";
			if (p->p_align > ELF_MAX_ALIGN || p->p_memsz > (1ULL << 28))
				return "PT_TLS size (over 256 MiB) or alignment absurd";
			sp->tls_index = i;
			break;
		case PT_INTERP:
			if (sp->interp_index >= 0)
				return "more than one PT_INTERP";
			if (add_overflows(p->p_offset, p->p_filesz) || p->p_offset + p->p_filesz > file_size || p->p_filesz == 0)
				return "PT_INTERP outside the file";
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
	if (sp->dyn_index >= 0) {
		const Elf64_Phdr *d = &ph[sp->dyn_index];
		if (d->p_filesz % sizeof(Elf64_Dyn) || !elf_range_in_file(ph, eh->e_phnum, d->p_vaddr, d->p_filesz) ||
		    d->p_filesz == 0)
			return "PT_DYNAMIC outside the loaded image";
		if (d->p_vaddr % 8)
			return "PT_DYNAMIC misaligned";
	}
	if (sp->relro_index >= 0) {
		const Elf64_Phdr *r = &ph[sp->relro_index];
		if (!elf_range_in_load(ph, eh->e_phnum, r->p_vaddr, r->p_memsz ? r->p_memsz : 1))
			return "PT_GNU_RELRO outside the loaded image";
	}
	if (sp->interp_index >= 0) {
		const Elf64_Phdr *n = &ph[sp->interp_index];
		if (!elf_range_in_file(ph, eh->e_phnum, n->p_vaddr, n->p_filesz))
			return "PT_INTERP outside the loaded image";
	}
	if (sp->tls_index >= 0) {
		const Elf64_Phdr *t = &ph[sp->tls_index];
		if (!elf_range_in_file(ph, eh->e_phnum, t->p_vaddr, t->p_filesz))
			return "PT_TLS image outside the loaded image";
	}
	if (eh->e_entry && !elf_range_in_load(ph, eh->e_phnum, eh->e_entry, 1))
		return "entry point outside any PT_LOAD segment";
	/* (A shared library's e_entry means nothing; the program's is checked when it is the program.) */
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
	if (h[3] >= 64)
		return "DT_GNU_HASH bloom shift out of range";
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
