/* TLS variables of an object from its DWARF (libdwarf): name, type, offset in the module's TLS block,
 * and where it is declared. gcc 12 (DWARF 5) describes a TLS variable's location as
 * DW_OP_const8u OFF; DW_OP_form_tls_address (DW_OP_GNU_push_tls_address with -gdwarf-4). */
#define _GNU_SOURCE
#include "dwarf_tls.h"
#include <dwarf.h>
#include <fcntl.h>
#include <libdwarf.h>
#include "dwarfutil.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Dwarf_Debug dbg;

static Dwarf_Die type_of(Dwarf_Die d) { return dw_type_of(dbg, d); }

static void type_name(Dwarf_Die t, char *out, size_t cap, int depth)
{
	Dwarf_Error err = NULL;
	Dwarf_Half tag = 0;
	char *name = NULL;
	if (!t || depth > 8) {
		snprintf(out, cap, "void");
		return;
	}
	dwarf_tag(t, &tag, &err);
	if (dwarf_diename(t, &name, &err) == DW_DLV_OK && tag != DW_TAG_pointer_type) {
		snprintf(out, cap, "%s%s", tag == DW_TAG_structure_type ? "struct " : tag == DW_TAG_union_type ? "union " : "", name);
		return;
	}
	char inner[64];
	type_name(type_of(t), inner, sizeof inner, depth + 1);
	if (tag == DW_TAG_pointer_type)
		snprintf(out, cap, "%.60s *", inner);
	else if (tag == DW_TAG_array_type)
		snprintf(out, cap, "%.60s[]", inner);
	else if (tag == DW_TAG_const_type)
		snprintf(out, cap, "const %.60s", inner);
	else if (tag == DW_TAG_volatile_type)
		snprintf(out, cap, "volatile %.60s", inner);
	else
		snprintf(out, cap, "%.60s", inner);
}

/* The TLS offset if this is a TLS variable's location expression. */
static int tls_offset(Dwarf_Die d, unsigned long *off)
{
	Dwarf_Attribute a;
	Dwarf_Error err = NULL;
	Dwarf_Unsigned len = 0;
	Dwarf_Ptr p = NULL;
	int ok = 0;
	if (dwarf_attr(d, DW_AT_location, &a, &err) != DW_DLV_OK)
		return 0;
	Dwarf_Half form = 0;
	dwarf_whatform(a, &form, &err);
	if (form == DW_FORM_exprloc && dwarf_formexprloc(a, &len, &p, &err) == DW_DLV_OK && len >= 2) {
		const unsigned char *b = p;
		unsigned char last = b[len - 1];
		if (last == DW_OP_form_tls_address || last == DW_OP_GNU_push_tls_address) {
			unsigned long v = 0;
			int n = b[0] == DW_OP_const8u ? 8 : b[0] == DW_OP_const4u ? 4 : 0;
			if (n && len == (Dwarf_Unsigned)n + 2) {
				for (int i = n; i >= 1; i--)
					v = v << 8 | b[i];
				*off = v;
				ok = 1;
			}
		}
	}
	dwarf_dealloc(dbg, a, DW_DLA_ATTR);
	return ok;
}

/* The declaration a definition completes (DW_AT_specification), NULL if none: a variable declared in a
 * header and defined in a .c file (glibc's __libc_dlerror_result) has its name and type there. */
static Dwarf_Die spec_of(Dwarf_Die d)
{
	Dwarf_Attribute a;
	Dwarf_Error err = NULL;
	Dwarf_Off off;
	Dwarf_Die s = NULL;
	if (dwarf_attr(d, DW_AT_specification, &a, &err) != DW_DLV_OK)
		return NULL;
	if (dwarf_global_formref(a, &off, &err) == DW_DLV_OK)
		dwarf_offdie_b(dbg, off, 1, &s, &err);
	dwarf_dealloc(dbg, a, DW_DLA_ATTR);
	return s;
}

static void visit(Dwarf_Die d, char **files, Dwarf_Signed nfiles, int v5, struct tls_vars *out)
{
	Dwarf_Error err = NULL;
	Dwarf_Half tag = 0;
	dwarf_tag(d, &tag, &err);
	unsigned long off;
	char *name = NULL;
	Dwarf_Die spec = NULL;
	if (tag == DW_TAG_variable && tls_offset(d, &off) &&
	    (dwarf_diename(d, &name, &err) == DW_DLV_OK ||
	     ((spec = spec_of(d)) && dwarf_diename(spec, &name, &err) == DW_DLV_OK)) &&
	    out->n < TLS_VARS_MAX) {
		struct tls_var *v = &out->v[out->n++];
		snprintf(v->name, sizeof v->name, "%s", name);
		v->offset = off;
		Dwarf_Die t = type_of(d);
		if (!t && (spec || (spec = spec_of(d))))
			t = type_of(spec);
		type_name(t, v->type, sizeof v->type, 0);
		v->file[0] = 0;
		Dwarf_Attribute a;
		Dwarf_Unsigned line = 0;
		if (dwarf_attr(d, DW_AT_decl_file, &a, &err) == DW_DLV_OK) {
			Dwarf_Half form = 0;
			Dwarf_Unsigned fi = 0;
			Dwarf_Signed sfi = 0;
			dwarf_whatform(a, &form, &err);
			if (form == DW_FORM_implicit_const && dwarf_formsdata(a, &sfi, &err) == DW_DLV_OK)
				fi = (Dwarf_Unsigned)sfi;
			else
				dwarf_formudata(a, &fi, &err);
			Dwarf_Signed idx = (Dwarf_Signed)fi - (v5 ? 0 : 1);
			if (idx >= 0 && idx < nfiles) {
				const char *f = strrchr(files[idx], '/');
				snprintf(v->file, sizeof v->file, "%s", f ? f + 1 : files[idx]);
			}
			dwarf_dealloc(dbg, a, DW_DLA_ATTR);
		}
		if (dwarf_attr(d, DW_AT_decl_line, &a, &err) == DW_DLV_OK) {
			dwarf_formudata(a, &line, &err);
			dwarf_dealloc(dbg, a, DW_DLA_ATTR);
		}
		v->line = (unsigned long)line;
	}
	Dwarf_Die c = NULL;
	if (dwarf_child(d, &c, &err) != DW_DLV_OK)
		return;
	for (;;) {
		visit(c, files, nfiles, v5, out);
		Dwarf_Die s = NULL;
		if (dwarf_siblingof_b(dbg, c, 1, &s, &err) != DW_DLV_OK)
			break;
		c = s;
	}
}

int dwarf_tls_vars(const char *path, struct tls_vars *out)
{
	char truepath[4096] = "";
	Dwarf_Error err = NULL;
	out->n = 0;
	if (dw_open(path, truepath, sizeof truepath, &dbg) != DW_DLV_OK)
		return -1; /* no debug information: the pane says so */
	Dwarf_Unsigned hlen, abbrev, next, typeoff;
	Dwarf_Half version, asize, lsize, esize, cutype;
	Dwarf_Sig8 sig;
	while (dwarf_next_cu_header_d(dbg, 1, &hlen, &version, &abbrev, &asize, &lsize, &esize, &sig, &typeoff, &next,
				      &cutype, &err) == DW_DLV_OK) {
		Dwarf_Die cu = NULL;
		if (dwarf_siblingof_b(dbg, NULL, 1, &cu, &err) != DW_DLV_OK)
			continue;
		char **files = NULL;
		Dwarf_Signed nfiles = 0;
		if (dwarf_srcfiles(cu, &files, &nfiles, &err) != DW_DLV_OK)
			nfiles = 0;
		visit(cu, files, nfiles, version >= 5, out);
	}
	dw_close(dbg);
	return 0;
}

/* ---- reading on a thread. Only the worker calls dwarf_tls_vars (libdwarf's state above is global). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct dwarf_job *todo, *done; /* first in, first out */
static int pending, done_pipe[2] = { -1, -1 };

static void append(struct dwarf_job **list, struct dwarf_job *j)
{
	while (*list)
		list = &(*list)->next;
	j->next = NULL;
	*list = j;
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (!todo)
			pthread_cond_wait(&more, &lock);
		struct dwarf_job *j = todo;
		todo = j->next;
		pthread_mutex_unlock(&lock);
		j->rc = dwarf_tls_vars(j->path, &j->vars);
		pthread_mutex_lock(&lock);
		append(&done, j);
		pthread_mutex_unlock(&lock);
		if (write(done_pipe[1], "", 1) < 0) /* full: the reader has wake-ups enough */
			continue;
	}
	return NULL;
}

/* The worker blocks every signal: SIGWINCH and SIGCHLD must interrupt the main thread's poll. */
static void start_worker(void)
{
	pthread_t t;
	sigset_t all, old;
	if (pipe2(done_pipe, O_CLOEXEC | O_NONBLOCK)) {
		perror("elfld-tui: pipe");
		exit(127);
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&t, NULL, worker, NULL)) {
		perror("elfld-tui: thread");
		exit(127);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void dwarf_read_later(const char *path, const void *key)
{
	if (done_pipe[0] < 0)
		start_worker();
	struct dwarf_job *j = calloc(1, sizeof *j + strlen(path) + 1);
	if (!j) {
		perror("elfld-tui");
		exit(1);
	}
	j->key = key;
	strcpy(j->path, path);
	pthread_mutex_lock(&lock);
	append(&todo, j);
	pending++;
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&lock);
}

struct dwarf_job *dwarf_read_done(void)
{
	char drain[64];
	if (done_pipe[0] < 0)
		return NULL;
	while (read(done_pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&lock);
	struct dwarf_job *j = done;
	if (j) {
		done = j->next;
		pending--;
	}
	pthread_mutex_unlock(&lock);
	return j;
}

int dwarf_done_fd(void)
{
	return done_pipe[0];
}

int dwarf_jobs_pending(void)
{
	pthread_mutex_lock(&lock);
	int n = pending;
	pthread_mutex_unlock(&lock);
	return n;
}
