/* Fuzz target for the validator elfld-run uses before touching anything (loader/parse.c): ELF header,
 * program headers, and the hash tables the dynamic section points at. The input is a whole ELF file; the
 * "image" is built the way the loader maps it (segments at vaddr - lo, bss zero), so every check sees
 * what it sees at load time (including the alignment checks dynamic.c makes before using a table).
 *   libFuzzer (clang -fsanitize=fuzzer,address,undefined): LLVMFuzzerTestOneInput is the target.
 *   Otherwise (gcc, CI): main() replays the seed files given on the command line and then N deterministic
 *   mutations of them (byte flips, truncation, 0/0xff/random bytes), under ASan/UBSan. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static volatile uint64_t sink; /* keeps the results alive */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (elf_check_header(data, size, size))
		return 0;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(data + eh->e_phoff);
	struct elf_span sp;
	if (elf_check_phdrs(eh, ph, size, &sp))
		return 0;
	if (sp.hi - sp.lo > (64u << 20))
		return 0; /* the loader reserves address space; the harness would allocate it */
	uint8_t *img = calloc(1, sp.hi - sp.lo);
	if (!img)
		return 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_filesz)
			memcpy(img + (ph[i].p_vaddr - sp.lo), data + ph[i].p_offset, ph[i].p_filesz);
	if (sp.dyn_index >= 0) {
		const Elf64_Phdr *d = &ph[sp.dyn_index];
		const Elf64_Dyn *dyn = (const Elf64_Dyn *)(img + (d->p_vaddr - sp.lo));
		size_t n = d->p_filesz / sizeof *dyn;
		for (size_t k = 0; k < n && dyn[k].d_tag != DT_NULL; k++) {
			uint64_t v = dyn[k].d_un.d_ptr;
			uint32_t nsyms = 0;
			if (dyn[k].d_tag == DT_GNU_HASH && v % 8 == 0 && elf_range_in_load(ph, eh->e_phnum, v, 16) && v >= sp.lo) {
				size_t avail = 0;
				for (int i = 0; i < eh->e_phnum; i++)
					if (ph[i].p_type == PT_LOAD && v >= ph[i].p_vaddr && v < ph[i].p_vaddr + ph[i].p_memsz)
						avail = ph[i].p_vaddr + ph[i].p_memsz - v;
				if (!elf_check_gnu_hash((const uint32_t *)(img + (v - sp.lo)), avail, &nsyms))
					sink += nsyms;
			} else if (dyn[k].d_tag == DT_HASH && v % 4 == 0 && elf_range_in_load(ph, eh->e_phnum, v, 8) && v >= sp.lo) {
				const uint32_t *h = (const uint32_t *)(img + (v - sp.lo));
				uint64_t len = 8 + 4 * ((uint64_t)h[0] + h[1]);
				if (elf_range_in_load(ph, eh->e_phnum, v, len) && !elf_check_sysv_hash(h, len, &nsyms))
					sink += nsyms;
			}
		}
	}
	free(img);
	return 0;
}

#ifndef FUZZ_LIBFUZZER
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 1000;
	size_t nseeds = 0;
	uint8_t *seeds[64];
	size_t sizes[64];
	for (int i = 2; i < argc && nseeds < 64; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		fseek(f, 0, SEEK_END);
		size_t n = (size_t)ftell(f);
		n = n > (4u << 20) ? 4u << 20 : n;
		fseek(f, 0, SEEK_SET);
		seeds[nseeds] = malloc(n);
		sizes[nseeds] = fread(seeds[nseeds], 1, n, f);
		fclose(f);
		LLVMFuzzerTestOneInput(seeds[nseeds], sizes[nseeds]);
		nseeds++;
	}
	if (!nseeds) {
		fprintf(stderr, "usage: fuzz_parse ROUNDS SEED-FILE...\n");
		return 2;
	}
	for (long r = 0; r < rounds; r++) {
		size_t s = next() % nseeds, n = sizes[s];
		uint8_t *b = malloc(n ? n : 1);
		memcpy(b, seeds[s], n);
		int edits = 1 + (int)(next() % 6);
		for (int e = 0; e < edits && n; e++) {
			/* headers and tables are near the start: aim there most of the time */
			size_t pos = (next() & 1) ? next() % (n < 4096 ? n : 4096) : next() % n;
			switch (next() % 4) {
			case 0: b[pos] ^= (uint8_t)(1u << (next() % 8)); break;
			case 1: b[pos] = 0; break;
			case 2: b[pos] = 0xff; break;
			default: b[pos] = (uint8_t)next();
			}
		}
		if (next() % 8 == 0)
			n = next() % (n + 1); /* truncated */
		LLVMFuzzerTestOneInput(b, n);
		free(b);
	}
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i]);
	printf("%ld mutated inputs and %zu seeds checked without a sanitizer report\n", rounds, nseeds);
	printf("%ld passed, 0 failed\n", rounds + (long)nseeds);
	return 0;
}
#endif
