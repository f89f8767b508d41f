/* A library with TLS, a 4096-aligned TLS block, a constructor and a destructor, for dlcycle. */
__thread int dtv_var = 11;
__thread char big[8192] __attribute__((aligned(4096)));
static int opened;
__attribute__((constructor)) static void c(void){ opened++; }
__attribute__((destructor)) static void d(void){ }
int get(void){ return dtv_var++ + (int)((unsigned long)big & 4095); }
int *addr(void){ return &dtv_var; }
