/* A library with TLS in every model: its own variables reached general-dynamic (DTPMOD64/DTPOFF64 +
 * __tls_get_addr) and local-dynamic, one variable the program reaches initial-exec (TPOFF64), one reached
 * through TLSDESC (this file is built with -mtls-dialect=gnu2 for tlsdesc_get), a 4096-aligned block. */
__thread int lib_gd = 100;
__thread long lib_ie = 7;                 /* the program uses it initial-exec: R_X86_64_TPOFF64 there */
static __thread int lib_ld = 5;           /* local-dynamic */
__thread char lib_big[64] __attribute__((aligned(4096))) = "aligned";
__thread int lib_bss;                     /* .tbss: must start zero */
int lib_gd_get(void) { return lib_gd++; }
int lib_ld_get(void) { return lib_ld += 10; }
long *lib_ie_addr(void) { return &lib_ie; }
char *lib_big_addr(void) { return lib_big; }
int lib_bss_get(void) { return lib_bss; }
int lib_version(void) { return 1; }
