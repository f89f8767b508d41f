/* Unit tests of what elf_check_phdrs (loader/parse.c) accepts with a warning and what it still refuses,
 * on program headers written by hand after what the linkers make: mold's PT_GNU_RELRO and .tbss-only
 * PT_TLS a few bytes below the writable PT_LOAD, lld's PT_GNU_RELRO padded to the end of a page, a PT_TLS
 * that lies where no PT_LOAD is; and, refused, what would make the loader touch memory that is not the
 * object's. Also elf_range_mapped, which bounds what a COPY relocation may read. */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include "parse.h"

static int pass, fail;
#define CHECK(what, cond)                                                                                 \
	do {                                                                                              \
		if (cond)                                                                                 \
			pass++;                                                                           \
		else {                                                                                    \
			fail++;                                                                           \
			printf("FAIL %s (%s:%d)\n", what, __FILE__, __LINE__);                            \
		}                                                                                         \
	} while (0)

static Elf64_Ehdr eh;
static Elf64_Phdr ph[8];
static int nph;

static void add(uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz, uint64_t memsz,
		uint64_t align)
{
	ph[nph++] = (Elf64_Phdr){ type, flags, off, vaddr, vaddr, filesz, memsz, align };
	eh.e_phnum = (uint16_t)nph;
}

/* mold 1.10.1's layout of a PIE with only .tbss (tests/linkers/tbss_main.c). */
static void mold_layout(uint64_t relro_vaddr, uint64_t relro_memsz, uint64_t tls_vaddr, uint64_t tls_filesz)
{
	memset(&eh, 0, sizeof eh);
	nph = 0;
	eh.e_type = ET_DYN;
	eh.e_ehsize = sizeof eh;
	eh.e_phoff = 64;
	eh.e_phentsize = sizeof(Elf64_Phdr);
	add(PT_LOAD, PF_R, 0, 0, 0x587, 0x587, 0x1000);
	add(PT_LOAD, PF_R | PF_X, 0x590, 0x1590, 0x189, 0x189, 0x1000);
	add(PT_LOAD, PF_R | PF_W, 0x720, 0x2720, 0x220, 0x8e0, 0x1000);
	add(PT_LOAD, PF_R | PF_W, 0x940, 0x3940, 0x30, 0x31, 0x1000);
	add(PT_TLS, PF_R, tls_filesz ? 0x720 : 0, tls_vaddr, tls_filesz, tls_filesz > 4 ? tls_filesz : 4, 4);
	add(PT_GNU_RELRO, PF_R, 0, relro_vaddr, relro_memsz, relro_memsz, 1);
}

static int warned(const struct elf_span *sp, const char *text, uint64_t value)
{
	for (int i = 0; i < sp->nwarn; i++)
		if (strstr(sp->warn[i].fmt, text) && sp->warn[i].value == value)
			return 1;
	return 0;
}

int main(void)
{
	struct elf_span sp;
	const uint64_t size = 0x10000;

	mold_layout(0x271c, 0x8e4, 0x271c, 0);
	CHECK("mold: RELRO and .tbss-only TLS 4 bytes below the PT_LOAD accepted",
	      elf_check_phdrs(&eh, ph, size, &sp) == NULL);
	CHECK("mold: RELRO noted", warned(&sp, "PT_GNU_RELRO starts %lu bytes below", 4));
	CHECK("mold: TLS noted", warned(&sp, "PT_TLS (.tbss only) starts %lu bytes below", 4));

	mold_layout(0x2720, 0x8e0, 0x2720, 0);
	CHECK("RELRO and TLS at the PT_LOAD's start: nothing to say", elf_check_phdrs(&eh, ph, size, &sp) == NULL &&
									      sp.nwarn == 0);

	mold_layout(0x2720, 0x8e0, 0x1719, 0); /* lld: .tbss where the previous PT_LOAD ends */
	CHECK("TLS at the end of a PT_LOAD accepted silently", elf_check_phdrs(&eh, ph, size, &sp) == NULL && !sp.nwarn);

	mold_layout(0x2720, 0x8e0, 0x17c0, 0); /* between two PT_LOADs' pages */
	CHECK("TLS outside every PT_LOAD, no image: accepted", elf_check_phdrs(&eh, ph, size, &sp) == NULL);
	CHECK("... and noted", warned(&sp, "outside every PT_LOAD", 0x17c0));

	mold_layout(0x2720, 0x8e0, 0x8000, 4);
	CHECK("TLS image outside the object refused", elf_check_phdrs(&eh, ph, size, &sp) != NULL);
	mold_layout(0x2720, 0x8e0, 0x2950, 0x40); /* inside the PT_LOAD's bss: zeros, but mapped */
	CHECK("TLS image in the bss accepted", elf_check_phdrs(&eh, ph, size, &sp) == NULL);
	CHECK("... and noted", warned(&sp, "not within one PT_LOAD's file contents", 0x40));

	mold_layout(0x2720, 0x8e0, 0x2720, 0); /* lld pads RELRO to the end of the page */
	ph[5].p_memsz = 0x3000 - 0x2720;
	CHECK("RELRO padded to the end of its last page: accepted silently",
	      elf_check_phdrs(&eh, ph, size, &sp) == NULL && sp.nwarn == 0);
	ph[5].p_memsz = 0x3100 - 0x2720;
	CHECK("RELRO past its PT_LOAD (other pages of the object): accepted", elf_check_phdrs(&eh, ph, size, &sp) == NULL);
	CHECK("... and noted", warned(&sp, "ends %lu bytes past its PT_LOAD", 0x100));
	ph[5].p_vaddr = 0x7ffff0000;
	CHECK("RELRO outside the object refused", elf_check_phdrs(&eh, ph, size, &sp) != NULL);
	ph[5].p_vaddr = 0x2720;
	ph[5].p_memsz = 0x10000;
	CHECK("RELRO running past the object's pages refused", elf_check_phdrs(&eh, ph, size, &sp) != NULL);

	mold_layout(0x2720, 0x8e0, 0x2720, 0);
	ph[1].p_align = 3;
	CHECK("PT_LOAD p_align not a power of two: ignored (as glibc), noted",
	      elf_check_phdrs(&eh, ph, size, &sp) == NULL && warned(&sp, "not a power of two", 3) && sp.max_align == 0x1000);
	ph[1].p_align = 0x1000;
	add(PT_TLS, PF_R, 0, 0x2720, 0, 8, 8);
	CHECK("two PT_TLS: the last is used, noted", elf_check_phdrs(&eh, ph, size, &sp) == NULL && sp.tls_index == 6 &&
							      warned(&sp, "more than one PT_TLS", 0));

	/* What a COPY relocation may read: the PT_LOADs' pages, adjacent ones joined; never a hole. */
	mold_layout(0x2720, 0x8e0, 0x2720, 0);
	CHECK("mapped: a segment's bytes", elf_range_mapped(ph, nph, 0x2720, 0x8e0));
	CHECK("mapped: past p_memsz, inside the last page", elf_range_mapped(ph, nph, 0x2ff0, 0x10));
	CHECK("mapped: two adjacent segments' pages", elf_range_mapped(ph, nph, 0x2ff0, 0x20));
	CHECK("not mapped: past the last page", !elf_range_mapped(ph, nph, 0x3ff0, 0x20));
	CHECK("not mapped: below the first segment", !elf_range_mapped(ph, nph, (uint64_t)-8, 0x20));
	CHECK("not mapped: overflow", !elf_range_mapped(ph, nph, 0x2720, (uint64_t)-1));
	ph[2].p_vaddr = 0x4720; /* a hole between 0x2000 and 0x4000 */
	ph[2].p_offset = 0x720;
	ph[3].p_vaddr = 0x5940;
	CHECK("not mapped: a hole between segments", !elf_range_mapped(ph, nph, 0x1ff0, 0x20));

	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
