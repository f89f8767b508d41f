/* Functions the lazy-binding test (lazy.c) calls through its PLT, each for the first time in a run. Built
 * twice: liblazy.so, and lazy-missing/liblazy.so without lazy_missing (-DNO_MISSING).
 * lazy_nine and lazy_m256 are IFUNCs whose resolvers wipe the vector registers: the loader calls them
 * while binding the first call, between the caller loading the arguments and the function reading them,
 * so the arguments arrive intact only if the PLT resolver saves and restores the vector state. */
#include <immintrin.h>

int lazy_add(int a, int b) { return a + b; }
int lazy_race(int x) { return x * 3 + 1; }

/* nine doubles: eight in %xmm0-7, one on the stack */
static double nine(double a, double b, double c, double d, double e, double f, double g, double h, double i)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i;
}
typedef double nine_fn(double, double, double, double, double, double, double, double, double);
static nine_fn *resolve_nine(void)
{
	__asm__ volatile("pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpxor %%xmm2, %%xmm2\n\tpxor %%xmm3, %%xmm3\n\t"
			 "pxor %%xmm4, %%xmm4\n\tpxor %%xmm5, %%xmm5\n\tpxor %%xmm6, %%xmm6\n\tpxor %%xmm7, %%xmm7"
			 ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7");
	return nine;
}
double lazy_nine(double, double, double, double, double, double, double, double, double)
	__attribute__((ifunc("resolve_nine")));

__attribute__((target("avx"))) static __m256d m256(__m256d x, __m256d y, __m256d z)
{
	return _mm256_add_pd(_mm256_mul_pd(x, y), z);
}
typedef __m256d m256_fn(__m256d, __m256d, __m256d);
__attribute__((target("avx"))) static m256_fn *resolve_m256(void)
{
	if (__builtin_cpu_supports("avx"))
		__asm__ volatile("vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\tvpcmpeqd %%ymm1, %%ymm1, %%ymm1\n\t"
				 "vpcmpeqd %%ymm2, %%ymm2, %%ymm2" ::: "xmm0", "xmm1", "xmm2");
	return m256;
}
__attribute__((target("avx"))) __m256d lazy_m256(__m256d, __m256d, __m256d) __attribute__((ifunc("resolve_m256")));

#ifndef NO_MISSING
int lazy_missing(void) { return 5; }
#endif
