/* Dynamic TLS: a dlopened library's blocks come from __tls_get_addr (or its TLSDESC resolver). */
__thread int dyn_gd = 1000;
static __thread int dyn_ld[16] = { 3, 4 };
static __thread char dyn_bss[100];

int dyn_get(int k)
{
	dyn_gd += k;
	dyn_ld[1] += k;
	dyn_bss[99] += 1;
	return dyn_gd + dyn_ld[0] + dyn_ld[1] + dyn_bss[99];
}
