/* Unit tests of the hosted parser (loader/parse.c): hash functions against known values, header and
 * program-header checks on real files and on damaged copies in memory, hash-table symbol counts against
 * the section headers. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static int pass, fail;
#define CHECK(what, cond)                                                                                 \
	do {                                                                                              \
		if (cond) {                                                                               \
			pass++;                                                                           \
		} else {                                                                                  \
			fail++;                                                                           \
			printf("FAIL %s (%s:%d)\n", what, __FILE__, __LINE__);                            \
		}                                                                                         \
	} while (0)

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc(*len);
	if (fread(b, 1, *len, f) != *len)
		exit(2);
	fclose(f);
	return b;
}

/* Symbol count of .dynsym from the section headers, to compare with what the hash tables say. */
static const Elf64_Shdr *section(const unsigned char *b, uint32_t type)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(b + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == type)
			return &sh[i];
	return NULL;
}

static void test_file(const char *path)
{
	size_t len;
	unsigned char *b = slurp(path, &len);
	CHECK("real file: header accepted", elf_check_header(b, len, len) == NULL);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
	struct elf_span sp;
	CHECK("real file: program headers accepted", elf_check_phdrs(eh, (const Elf64_Phdr *)(b + eh->e_phoff), len, &sp) == NULL);
	CHECK("real file: has PT_LOAD and PT_DYNAMIC", sp.nload > 0 && sp.dyn_index >= 0);
	const Elf64_Shdr *gh = section(b, SHT_GNU_HASH), *dynsym = section(b, SHT_DYNSYM);
	if (gh && dynsym) {
		uint32_t n = 0;
		CHECK("GNU hash table accepted", elf_check_gnu_hash((const uint32_t *)(b + gh->sh_offset), gh->sh_size, &n) == NULL);
		uint32_t want = (uint32_t)(dynsym->sh_size / sizeof(Elf64_Sym));
		printf("%s: GNU hash covers %u symbols, .dynsym has %u\n", path, n, want);
		CHECK("GNU hash covers every exported symbol up to the end of .dynsym", n == want);
		CHECK("truncated GNU hash rejected", elf_check_gnu_hash((const uint32_t *)(b + gh->sh_offset), 20, &n) != NULL);
	}
	/* Damaged copies. */
	unsigned char *c = malloc(len);
	memcpy(c, b, len);
	c[0] = 0;
	CHECK("bad magic rejected", elf_check_header(c, len, len) != NULL);
	memcpy(c, b, len);
	c[EI_CLASS] = ELFCLASS32;
	CHECK("ELF32 rejected", strstr(elf_check_header(c, len, len), "32-bit") != NULL);
	memcpy(c, b, len);
	((Elf64_Ehdr *)c)->e_machine = EM_AARCH64;
	CHECK("other machine rejected", elf_check_header(c, len, len) != NULL);
	CHECK("truncated header rejected", elf_check_header(b, 20, 20) != NULL);
	CHECK("program headers past the end rejected", elf_check_header(b, len, eh->e_phoff + 10) != NULL);
	memcpy(c, b, len);
	Elf64_Phdr *ph = (Elf64_Phdr *)(c + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			ph[i].p_filesz = ph[i].p_memsz + 1;
			break;
		}
	CHECK("p_filesz > p_memsz rejected", elf_check_phdrs((Elf64_Ehdr *)c, ph, len, &sp) != NULL);
	memcpy(c, b, len);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr) {
			ph[i].p_vaddr -= 0x100000; /* now below the previous segment: overlap / out of order */
			break;
		}
	CHECK("overlapping PT_LOADs rejected", elf_check_phdrs((Elf64_Ehdr *)c, ph, len, &sp) != NULL);
	free(c);
	free(b);
}

int main(int argc, char **argv)
{
	CHECK("gnu_hash(\"\") = 5381", elf_gnu_hash("") == 5381);
	CHECK("gnu_hash(\"printf\") = 0x156b2bb8", elf_gnu_hash("printf") == 0x156b2bb8);
	CHECK("gnu_hash odd length", elf_gnu_hash("abc") == ((5381u * 33 + 'a') * 33 + 'b') * 33 + 'c');
	CHECK("sysv_hash(\"printf\") = 0x077905a6", elf_sysv_hash("printf") == 0x077905a6);
	CHECK("sysv_hash(\"\") = 0", elf_sysv_hash("") == 0);
	uint32_t bad[4] = { 1, 0, 3, 0 }, n;
	CHECK("GNU hash bloom size not a power of two rejected", elf_check_gnu_hash(bad, sizeof bad, &n) != NULL);
	uint32_t sysv[6] = { 1, 9, 1, 0, 5, 0 };
	CHECK("SysV table larger than its buffer rejected", elf_check_sysv_hash(sysv, sizeof sysv, &n) != NULL);
	uint32_t sysv0[6] = { 0, 2, 1, 0, 5, 0 };
	CHECK("SysV table without buckets rejected", elf_check_sysv_hash(sysv0, sizeof sysv0, &n) != NULL);
	/* GNU: 2 buckets, symoffset 1, one bloom word, chains {1,2} and {3,4}: 5 symbols (0..4). */
	uint32_t gnu[4 + 2 + 2 + 4] = { 2, 1, 1, 0, 0, 0, 1, 3, 10, 11 | 1, 12, 13 | 1 };
	CHECK("GNU hash: symbol count = end of the last chain", elf_check_gnu_hash(gnu, sizeof gnu, &n) == NULL && n == 5);
	uint32_t gnu_open[12];
	memcpy(gnu_open, gnu, sizeof gnu);
	gnu_open[11] = 14; /* the last chain has no end bit (even) */
	CHECK("GNU hash chain running past the table rejected", elf_check_gnu_hash(gnu_open, sizeof gnu_open, &n) != NULL);
	uint32_t gnu_low[12];
	memcpy(gnu_low, gnu, sizeof gnu);
	gnu_low[1] = 4; /* symoffset above the last bucket (3) */
	CHECK("GNU hash bucket below symoffset rejected", elf_check_gnu_hash(gnu_low, sizeof gnu_low, &n) != NULL);
	uint32_t sysv_ok[6] = { 1, 3, 2, 0, 0, 1 };
	CHECK("SysV table accepted, nchain symbols", elf_check_sysv_hash(sysv_ok, sizeof sysv_ok, &n) == NULL && n == 3);
	CHECK("supported relocation types", elf_reloc_supported(R_X86_64_TLSDESC) && elf_reloc_supported(R_X86_64_IRELATIVE) &&
					      !elf_reloc_supported(R_X86_64_GOTPCREL));
	for (int i = 1; i < argc; i++)
		test_file(argv[i]);
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
