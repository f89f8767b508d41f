/* libgdbt-dyntls.so: loaded with dlopen by gdbt-dlopen; DYN is in a dynamic TLS block. */
__thread int DYN = 77;
int *dyn_addr(void) { return &DYN; }
