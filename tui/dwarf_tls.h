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

/* Reading a big debug file (libc's) takes seconds: it is done on a thread, one file at a time, while
 * the screen answers keys and the event stream flows (the loader waits for a reader that does not read). */
struct dwarf_job {
	struct dwarf_job *next;
	const void *key; /* the caller's: what the answer is for */
	int rc;          /* dwarf_tls_vars's */
	struct tls_vars vars;
	char path[];
};
void dwarf_read_later(const char *path, const void *key);
/* The next finished job (the caller frees it), or NULL. */
struct dwarf_job *dwarf_read_done(void);
/* Readable when a job has finished (-1 before the first job). */
int dwarf_done_fd(void);
/* Jobs not yet taken with dwarf_read_done. */
int dwarf_jobs_pending(void);
#endif
