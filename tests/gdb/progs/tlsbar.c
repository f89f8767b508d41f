/* libgdbt-tlsbar.so: TLS in a shared library. BAR is read by the library through __tls_get_addr
 * (general dynamic: DTPMOD64 + DTPOFF64) and by the program through initial-exec (TPOFF64);
 * bar_errno plays glibc's errno (a library TLS variable the program reaches with TPOFF64). */
__thread int BAR = 0xba2;
__thread long bar_pad[3] = { 1, 2, 3 };
__thread int bar_errno;

int *bar_addr(void) { return &BAR; }
int get_bar(void) { return BAR; }
void set_bar_errno(int e) { bar_errno = e; }
