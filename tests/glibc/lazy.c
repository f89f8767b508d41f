/* Lazy binding, compared with glibc's (lazy.sh runs it natively and under elfld-run, with LD_BIND_NOW,
 * LD_BIND_NOT and elfld's --bind-now). Linked -no-pie -z lazy, so the GOT is at its link-time address.
 *   lazy slots    what lazy_add's GOT slot holds before and after the first call, GOT[1], GOT[2]
 *   lazy threads  16 threads make the first call of lazy_race at once
 *   lazy vector   doubles and __m256d through a first call (the resolver must keep the vector registers)
 *   lazy missing [call]  a function the library at run time lacks: fine until it is called */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <immintrin.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int lazy_add(int, int);
int lazy_race(int);
double lazy_nine(double, double, double, double, double, double, double, double, double);
__attribute__((target("avx"))) __m256d lazy_m256(__m256d, __m256d, __m256d);
int lazy_missing(void);
extern char __executable_start[], etext[];

static uintptr_t dyn(Elf64_Sxword tag)
{
	for (ElfW(Dyn) *d = _DYNAMIC; d->d_tag != DT_NULL; d++)
		if (d->d_tag == tag)
			return d->d_un.d_ptr;
	return 0;
}

/* The GOT slot of NAME, from the program's own DT_JMPREL (base 0: not PIE). */
static uintptr_t *slot_of(const char *name)
{
	const ElfW(Rela) *r = (const void *)dyn(DT_JMPREL);
	const ElfW(Sym) *syms = (const void *)dyn(DT_SYMTAB);
	const char *str = (const char *)dyn(DT_STRTAB);
	for (size_t i = 0; i < dyn(DT_PLTRELSZ) / sizeof *r; i++)
		if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_JUMP_SLOT && !strcmp(str + syms[ELF64_R_SYM(r[i].r_info)].st_name, name))
			return (uintptr_t *)r[i].r_offset;
	return 0;
}

static const char *what(uintptr_t v, uintptr_t fn)
{
	if (v == fn)
		return "the function";
	if (v >= (uintptr_t)__executable_start && v < (uintptr_t)etext)
		return "the program's PLT";
	return "elsewhere";
}

__attribute__((target("avx"))) static void call_m256(void)
{
	double out[4];
	__m256d r = lazy_m256(_mm256_set_pd(1.5, 2.5, 3.5, 4.5), _mm256_set_pd(2, 4, 8, 16),
			      _mm256_set_pd(0.25, 0.5, 0.75, 1.0));
	_mm256_storeu_pd(out, r);
	printf("lazy_m256 = %g %g %g %g\n", out[0], out[1], out[2], out[3]);
}

static pthread_barrier_t go;
static void *racer(void *arg)
{
	pthread_barrier_wait(&go);
	return (void *)(intptr_t)lazy_race((int)(intptr_t)arg);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "slots";
	if (!strcmp(mode, "slots")) {
		uintptr_t *slot = slot_of("lazy_add"), *got = (uintptr_t *)dyn(DT_PLTGOT);
		uintptr_t fn = (uintptr_t)dlsym(RTLD_DEFAULT, "lazy_add");
		if (!slot || !got || !fn)
			return printf("slot %p got %p lazy_add %p\n", (void *)slot, (void *)got, (void *)fn), 1;
		printf("before: the slot points at %s\n", what(*slot, fn));
		printf("GOT[1] %s, GOT[2] %s\n", got[1] ? "set" : "NULL", got[2] ? "set" : "NULL");
		Dl_info info;
		printf("GOT[2] is in %s\n", got[2] && dladdr((void *)got[2], &info) && info.dli_fname &&
					      strstr(info.dli_fname, "ld-linux") ? "the dynamic linker" : "something else");
		printf("lazy_add(2, 3) = %d\n", lazy_add(2, 3));
		printf("after: the slot points at %s\n", what(*slot, fn));
		printf("lazy_add(4, 5) = %d\n", lazy_add(4, 5));
	} else if (!strcmp(mode, "threads")) {
		enum { N = 16 };
		pthread_t t[N];
		pthread_barrier_init(&go, 0, N);
		for (intptr_t i = 0; i < N; i++)
			pthread_create(&t[i], 0, racer, (void *)i);
		long sum = 0;
		for (int i = 0; i < N; i++) {
			void *r;
			pthread_join(t[i], &r);
			sum += (intptr_t)r;
		}
		printf("16 threads, first call at once: sum %ld (expected %d)\n", sum, 3 * (N * (N - 1) / 2) + N);
	} else if (!strcmp(mode, "vector")) {
		printf("lazy_nine = %.17g\n", lazy_nine(1.5, 2.25, 3.125, 4.0625, 5.5, 6.75, 7.875, 8.0009765625, 9.1));
		if (__builtin_cpu_supports("avx"))
			call_m256();
		else
			printf("no AVX: lazy_m256 not called\n");
	} else if (!strcmp(mode, "missing")) {
		printf("started\n");
		fflush(stdout);
		if (argc > 2 && !strcmp(argv[2], "call"))
			printf("lazy_missing() = %d\n", lazy_missing());
		printf("done\n");
	}
	return 0;
}
