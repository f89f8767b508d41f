/* ELF validation shared by the freestanding loader and hosted tools (tests, fuzzing, TUI).
 * Pure functions over memory: no allocation, no system calls. Each returns NULL when the input is fine,
 * otherwise a message saying what is wrong (used as "elfld: FILE: message"). */
#ifndef ELFLD_PARSE_H
#define ELFLD_PARSE_H
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_PHNUM 0xffff /* e_phnum's own limit: glibc reads as many as the header says */
#define ELF_MAX_ALIGN (1UL << 30)

/* Something a file does that glibc accepts and elfld runs, but that is odd (a linker's quirk, or damage
 * that does no harm): the loader shows it as a `warning` event. `fmt` has at most one %lu, for `value`. */
struct elf_warning {
	const char *fmt;
	uint64_t value;
};
#define ELF_MAX_WARNINGS 8

/* Header of a file of `file_size` bytes whose first `len` bytes are in `buf`. */
const char *elf_check_header(const void *buf, size_t len, uint64_t file_size);
/* Program headers: PT_LOAD order, sizes, alignment, offsets within the file; PT_DYNAMIC, PT_TLS's image,
 * PT_INTERP inside the image, PT_GNU_RELRO's pages inside the span. Writes the page-aligned span of the
 * PT_LOADs. Refused: what would make the loader map, read or write outside the object's memory, and what
 * glibc refuses; the rest of what is odd is noted in `warn` (glibc's choice where it has one: the last
 * PT_DYNAMIC and PT_TLS, a p_align that is not a power of two ignored). */
struct elf_span {
	uint64_t lo, hi;     /* page-aligned vaddr range of all PT_LOADs */
	uint64_t max_align;  /* largest PT_LOAD p_align that is a power of two (>= page size) */
	int dyn_index, tls_index, interp_index, relro_index, stack_index, note_first;
	int nload;
	int nwarn;
	struct elf_warning warn[ELF_MAX_WARNINGS];
};
const char *elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t file_size, struct elf_span *span);
/* Is [vaddr, vaddr+len) inside one accessible (not PROT_NONE) PT_LOAD's memory image? */
int elf_range_in_load(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, uint64_t len);
/* Is vaddr inside an executable PT_LOAD? */
int elf_addr_in_exec(const Elf64_Phdr *ph, int phnum, uint64_t vaddr);
/* Like elf_range_in_load, but the bytes must come from the file (inside p_filesz). */
int elf_range_in_file(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, uint64_t len);
/* Is [vaddr, vaddr+len) in memory the loader maps for the object: the accessible PT_LOADs, each rounded out
 * to whole pages (bss and the rest of a segment's last page included), adjacent ones joined? (len 0: one
 * byte.) This is what may be read without touching anything else. */
int elf_range_mapped(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, uint64_t len);
/* The accessible PT_LOAD whose pages hold vaddr (the one whose own bytes hold it, if two share a page),
 * -1 if none. */
int elf_load_at(const Elf64_Phdr *ph, int phnum, uint64_t vaddr);

/* Hash tables. `nsyms` out: number of symbols the table covers. */
const char *elf_check_sysv_hash(const uint32_t *h, size_t avail, uint32_t *nsyms);
const char *elf_check_gnu_hash(const uint32_t *h, size_t avail, uint32_t *nsyms);
uint32_t elf_gnu_hash(const char *s);
uint32_t elf_sysv_hash(const char *s);

/* Relocation types elfld understands; 0 if unknown. */
int elf_reloc_supported(uint32_t type);
/* "R_X86_64_GLOB_DAT"; "RELR" for 0x7fffffff (the stream's name for DT_RELR entries); else "R_X86_64_unknown". */
const char *elf_reloc_type_name(uint32_t type);
/* glibc's wording for one of the header messages above (dlopen callers print dlerror() and compare it);
 * other messages are returned unchanged. */
const char *elf_glibc_wording(const char *msg);

#endif
