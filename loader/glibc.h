/* elfld's side of glibc's private loader interface (glibc.c, cpu.c, dlopen.c). */
#ifndef ELFLD_GLIBC_H
#define ELFLD_GLIBC_H
#include <stddef.h>
#include <stdint.h>
#include "glibc_layout.h"
#include "util.h"

struct obj;
extern int glibc_mode HIDDEN;
void glibc_setup(void) HIDDEN;                 /* after mapping: globals, link_maps, CPU features */
void glibc_link_namespace(void) HIDDEN;
void glibc_fill_link_maps(void) HIDDEN;        /* after the static TLS layout */        /* _dl_ns[0] after the object list changed */
void glibc_fill_link_map(struct obj *o) HIDDEN;
void glibc_free_link_map(struct obj *o) HIDDEN;
void glibc_mark_done(struct obj *o) HIDDEN;
int glibc_tls_dtors_pending(struct obj *o) HIDDEN; /* C++ thread_local destructors registered, not yet run */
void glibc_refresh_searchlist(struct obj *o) HIDDEN;
void glibc_after_relocation(void) HIDDEN;      /* libc's malloc/free/_dl_catch_error */
void glibc_init_main_thread(uintptr_t tp, uintptr_t *stack_end) HIDDEN; /* __tls_init_tp's work */
void glibc_early_init(void) HIDDEN;            /* __libc_early_init(true) */
void glibc_libc_early_init(struct obj *libc, int initial) HIDDEN;
void glibc_update_argv(char **argv) HIDDEN;
void glibc_tls_slot(size_t modid, struct obj *o, uint64_t gen) HIDDEN;
void glibc_tls_globals(void) HIDDEN;
size_t glibc_extra_tls(size_t *align) HIDDEN;   /* size/alignment of glibc's extra static TLS block, or 0 */
void glibc_set_extra_tls_offset(long tp_offset) HIDDEN;
void glibc_register_rseq(uintptr_t tp) HIDDEN; /* the main thread's rseq area, __rseq_size/__rseq_offset */
__attribute__((noreturn)) void glibc_signal_error(int errcode, const char *objname, const char *msg) HIDDEN;
void cpu_features_init(unsigned char *cf) HIDDEN;
void *cpu_plt_resolver(unsigned char *cf, unsigned long *save_size) HIDDEN;
void *cpu_plt_profiler(unsigned char *cf) HIDDEN;
/* lazyasm.S: glibc's names, so that GOT[2] reads as under glibc (GDB, pwndbg) */
void _dl_runtime_resolve_xsavec(void) HIDDEN;
void _dl_runtime_resolve_xsave(void) HIDDEN;
void _dl_runtime_resolve_fxsave(void) HIDDEN;
void _dl_runtime_profile_avx512(void) HIDDEN; /* LD_AUDIT's PLT hooks */
void _dl_runtime_profile_avx(void) HIDDEN;
void _dl_runtime_profile_sse(void) HIDDEN;
void tunables_init(char **envp) HIDDEN;         /* tunables.c: GLIBC_TUNABLES and the aliases */
int64_t tunable_get(const char *name) HIDDEN;
int tunable_is_set(const char *name) HIDDEN;
const char *tunable_string(const char *name, size_t *len) HIDDEN;
void tunable_set_bounds(const char *name, int64_t val, int64_t min, int64_t max) HIDDEN; /* TUNABLE_SET_WITH_BOUNDS */
void tunables_print(void) HIDDEN;               /* --list-tunables, in glibc's format */
void glibc_cpu_setup(void) HIDDEN;
size_t tunables_tls_surplus(size_t *optional) HIDDEN;
void *rt_malloc(size_t n) HIDDEN;
void rt_free(void *p) HIDDEN;

/* dlopen.c */
void *glibc_dlopen(const char *file, int mode, const void *caller, long nsid, int argc, char **argv, char **env) HIDDEN;
void glibc_dlclose(void *map) HIDDEN;
struct obj *glibc_audit_dlopen(const char *file, const char **err) HIDDEN; /* dlmopen(LM_ID_NEWLM) of an audit module */
void glibc_audit_module(struct obj *m, unsigned naudit) HIDDEN; /* m is audit module number naudit */
void glibc_setup_audit(void) HIDDEN;
void glibc_audit_libc(struct obj *libc) HIDDEN; /* a module's libc: error catching until the program's is up */ /* LD_AUDIT: the globals, before the program's libraries are loaded */
enum { GLIBC_LOAD_LOCK, GLIBC_WRITE_LOCK };
/* Lock (on=1) or unlock GL(dl_load_lock) / GL(dl_load_write_lock); 0 if there is no libc to do it. */
int glibc_lock(int which, int on) HIDDEN;
void glibc_count_adds(int n) HIDDEN;
void r_debug_state(void);
#endif
