/* A library's TLS: general-dynamic (exported, also read by the program through initial-exec),
 * local-dynamic (static), initial-exec in the library itself, and .tbss. */
__thread int lib_gd = 100;
static __thread int lib_ld = 15;
__attribute__((tls_model("initial-exec"))) __thread int lib_ie = 7;
__thread char lib_big[64];

int lib_sum(void)
{
	lib_gd++;
	lib_ld += 2;
	lib_big[63]++;
	return lib_gd + lib_ld + lib_big[63];
}

int lib_ie_get(void) { return lib_ie++; }
