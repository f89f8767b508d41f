/* TLS variables of an object, from its DWARF (dwarf.c). */
#ifndef TUI_DWARF_TLS_H
#define TUI_DWARF_TLS_H
#define TLS_VARS_MAX 256
struct tls_var {
	char name[96], type[96], file[96];
	unsigned long offset, line;
};
struct tls_vars {
	int n;
	struct tls_var v[TLS_VARS_MAX];
};
/* 0 on success (out->n variables), -1 if the file has no DWARF. */
int dwarf_tls_vars(const char *path, struct tls_vars *out);
#endif
