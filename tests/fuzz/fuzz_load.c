/* Fuzz target for everything elfld does with a file before running any of its code, with the loader's own
 * source files: header and program-header validation (parse.c), the dynamic section, hash and version
 * tables (dynamic.c), symbol lookup with GNU/SysV hashes and versions (symbols.c) and every relocation
 * (reloc.c: DT_RELR, RELA, PLT, COPY, TLS, TLSDESC, IRELATIVE with resolvers not called), with the
 * per-relocation events on or off.
 *
 * The input is laid out the way map.c lays it out (each PT_LOAD at vaddr - lo of one block, bss zero) in
 * a heap block of exactly the image's size, so ASan reports any byte the loader would read or write
 * outside the object. Symbols resolve against the input itself, then a real libc (loaded once,
 * unmutated), as a program's would. A fatal error ("elfld: FILE: reason") is the expected outcome for most
 * inputs; the harness only cares that nothing else happens.
 *   libFuzzer (clang -fsanitize=fuzzer,address,undefined): LLVMFuzzerTestOneInput is the target.
 *   Otherwise (gcc, CI): main() replays the seed files and then N deterministic mutations of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hosted.h"
#include "parse.h"

#define MAX_IMAGE (64u << 20) /* the loader reserves address space; the harness allocates it */
#ifndef PROVIDER
#define PROVIDER "/lib/x86_64-linux-gnu/libc.so.6"
#endif

struct loaded {
	struct obj *o;
	uint8_t *img;
	Elf64_Phdr *ph;
};

/* Header checks and the image, as load_object() and map.c make them. NULL if the validator refuses. */
static const char *lay_out(const uint8_t *data, size_t size, struct loaded *out)
{
	const char *err = elf_check_header(data, size, size);
	if (err)
		return err;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	/* A copy, aligned, as load_object() reads them (the input may be at any address). */
	size_t phsz = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	Elf64_Phdr *ph = malloc(phsz ? phsz : 1);
	memcpy(ph, data + eh->e_phoff, phsz);
	struct elf_span sp;
	if ((err = elf_check_phdrs(eh, ph, size, &sp)) || sp.hi - sp.lo > MAX_IMAGE) {
		free(ph);
		return err ? err : "image too large for the harness";
	}
	uint8_t *img = calloc(1, sp.hi - sp.lo);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_filesz)
			memcpy(img + (ph[i].p_vaddr - sp.lo), data + ph[i].p_offset, ph[i].p_filesz);
	struct obj *o = u_zalloc(sizeof *o);
	o->path = o->abspath = (char *)"input";
	o->name = "input";
	o->ehdr = *eh;
	o->l_addr = (uintptr_t)img - sp.lo;
	o->map_start = (uintptr_t)img;
	o->map_end = (uintptr_t)img + (sp.hi - sp.lo);
	o->vaddr_lo = sp.lo;
	o->vaddr_hi = sp.hi;
	o->phdr = ph;
	o->phnum = eh->e_phnum;
	out->o = o;
	out->img = img;
	out->ph = ph;
	return 0;
}

static size_t next_modid = 1;

static void read_object(void *arg)
{
	struct obj *o = arg;
	obj_read_phdrs(o);
	if (o->tls_memsz) { /* tls.c's static layout, reduced to what relocations read */
		o->tls_modid = next_modid++;
		o->tls_static = 1;
		o->tls_offset = (intptr_t)ALIGN_UP(o->tls_memsz, o->tls_align);
	}
	if (o->l_ld)
		obj_parse_dynamic(o);
}

static void relocate(void *arg)
{
	struct obj *o = arg;
	relocate_object(o);
	relocate_irelative(o);
}

static struct loaded provider;
static unsigned long relocated; /* inputs relocated without an error */

static void load_provider(void)
{
	FILE *f = fopen(PROVIDER, "rb");
	if (!f) {
		perror(PROVIDER);
		exit(2);
	}
	static uint8_t buf[8u << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	const char *err = lay_out(buf, n, &provider);
	if (!err) {
		provider.o->id = 2;
		provider.o->path = provider.o->abspath = (char *)PROVIDER;
		err = hosted_try(read_object, provider.o);
	}
	if (err) {
		fprintf(stderr, "%s: %s\n", PROVIDER, err);
		exit(2);
	}
	hosted_arena_mark(); /* the provider stays; everything after it is per input */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!provider.o)
		load_provider();
	struct loaded in;
	if (lay_out(data, size, &in))
		return 0;
	in.o->id = 1;
	in.o->is_main = 1;
	next_modid = 2;
	provider.o->tls_modid = provider.o->tls_memsz ? 1 : 0;
	events_detail = size && (data[size - 1] & 1);
	L.lazy = size && (data[size - 1] & 2); /* DT_JMPREL left for lazy binding (GOT[1], GOT[2], the slots) */
	L.main = in.o;
	if (!hosted_try(read_object, in.o)) {
		dep_push(&L.ns[0].global, in.o);
		dep_push(&L.ns[0].global, provider.o);
		relocated += !hosted_try(relocate, in.o);
	}
	L.ns[0].global = (struct dep_list){ 0, 0, 0 };
	L.main = 0;
	hosted_arena_release();
	free(in.img);
	free(in.ph);
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

/* One edit: a flipped bit, a 0/0xff/random byte, or an aligned word set to a value that sits on a
 * boundary (sizes, counts, indexes and offsets live in aligned words). */
static void mutate(uint8_t *b, size_t n)
{
	static const uint64_t words[] = { 0, 1, 2, 7, 8, 0x18, 0x7f, 0x80, 0xff, 0x1000, 0x7fff, 0x8000, 0xffff,
					  0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, ~0ull, ~0ull >> 1 };
	/* headers and tables are near the start: aim there half of the time */
	size_t pos = (next() & 1) ? next() % (n < 4096 ? n : 4096) : next() % n;
	switch (next() % 6) {
	case 0: b[pos] ^= (uint8_t)(1u << (next() % 8)); break;
	case 1: b[pos] = 0; break;
	case 2: b[pos] = 0xff; break;
	case 3: b[pos] = (uint8_t)next(); break;
	default: {
		size_t w = (next() & 1) ? 8 : 4;
		pos &= ~(w - 1);
		if (pos + w > n)
			break;
		uint64_t v = words[next() % (sizeof words / sizeof words[0])];
		if (next() % 4 == 0)
			v += n; /* just past the end of the file */
		memcpy(b + pos, &v, w);
	}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fuzz-load ROUNDS SEED-FILE...\n"
				"Replays each seed, then ROUNDS deterministic mutations of them, through the loader's\n"
				"parser, dynamic-section reader, symbol lookup and relocation code under ASan/UBSan.\n");
		return 2;
	}
	long rounds = atol(argv[1]);
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
		seeds[nseeds] = malloc(n ? n : 1);
		sizes[nseeds] = fread(seeds[nseeds], 1, n, f);
		fclose(f);
		LLVMFuzzerTestOneInput(seeds[nseeds], sizes[nseeds]);
		nseeds++;
	}
	for (long r = 0; r < rounds; r++) {
		size_t s = next() % nseeds, n = sizes[s];
		uint8_t *b = malloc(n ? n : 1);
		memcpy(b, seeds[s], n);
		int edits = 1 + (int)(next() % 6);
		for (int e = 0; e < edits && n; e++)
			mutate(b, n);
		if (next() % 8 == 0)
			n = next() % (n + 1); /* truncated */
		LLVMFuzzerTestOneInput(b, n);
		free(b);
	}
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i]);
	printf("%ld mutated inputs (%lu relocated without an error) and %zu seeds checked without a sanitizer "
	       "report\n", rounds, relocated, nseeds);
	return 0;
}
#endif
