/* elfld relocates itself first thing. Nothing here may use a global that needs relocating: only
 * PC-relative addresses of hidden symbols, locals, and no calls into other files. */
#include <elf.h>
#include <stdint.h>
#include "util.h"

extern const Elf64_Ehdr __ehdr_start HIDDEN;
extern Elf64_Dyn _DYNAMIC[] HIDDEN;

__attribute__((noinline)) void elfld_self_relocate(void)
{
	uintptr_t base = (uintptr_t)&__ehdr_start;
	const Elf64_Rela *rela = 0;
	const uint64_t *relr = 0;
	uint64_t relasz = 0, relrsz = 0;
	for (Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_RELA)
			rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELASZ)
			relasz = d->d_un.d_val;
		else if (d->d_tag == DT_RELR)
			relr = (const uint64_t *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELRSZ)
			relrsz = d->d_un.d_val;
	}
	for (uint64_t i = 0; i < relasz / sizeof *rela; i++)
		if (ELF64_R_TYPE(rela[i].r_info) == R_X86_64_RELATIVE)
			*(uint64_t *)(base + rela[i].r_offset) = base + (uint64_t)rela[i].r_addend;
	uint64_t *where = 0;
	for (uint64_t i = 0; i < relrsz / 8; i++) {
		uint64_t e = relr[i];
		if (!(e & 1)) {
			where = (uint64_t *)(base + e);
			*where++ += base;
		} else {
			for (uint64_t bits = e >> 1, k = 0; bits; bits >>= 1, k++)
				if (bits & 1)
					where[k] += base;
			where += 63;
		}
	}
}
