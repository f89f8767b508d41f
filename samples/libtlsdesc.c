/* TLSDESC (built with -mtls-dialect=gnu2): R_X86_64_TLSDESC, resolved by the loader's descriptors. */
__thread int desc_var = 31;
int desc_get(void) { return desc_var++; }
int *desc_addr(void) { return &desc_var; }
