/* The dynamic-linking API in detail, compared with glibc's own ld.so (compare.sh): dladdr/dladdr1,
 * dlinfo (link maps, origin, TLS module ids and blocks, search paths), dlerror after each kind of failure,
 * dlsym/dlvsym with RTLD_DEFAULT/RTLD_NEXT and versions, dlopen flags (NOLOAD, GLOBAL/LOCAL, NODELETE,
 * LAZY/NOW, NULL), constructor/destructor order, dl_iterate_phdr with dlpi_adds/dlpi_subs.
 * Libraries: dlapilib.c, found through the program's RPATH $ORIGIN. Prints no raw addresses: offsets,
 * booleans, names, counts. Temporary files live in a mkdtemp directory printed as "TMP". Calls that may
 * crash a loader run in a forked child so one crash does not hide the rest of the output. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef DLAPI_DIR
#define DLAPI_DIR "."
#endif

int exported_var = 17;
__attribute__((noinline)) int exported_fn(int x) { return x * 2 + exported_var; }
__attribute__((noinline, used)) static int static_fn(int x) { return x + exported_var; }

static char tmpdir[64];
static const char *prog;

/* A message with the temporary directory written as TMP. */
static const char *sub_tmp(const char *s)
{
	static char out[2][1024];
	static int which;
	char *o = out[which ^= 1];
	size_t tl = strlen(tmpdir), n = 0;
	while (*s && n + 4 < sizeof out[0]) {
		if (tl && strncmp(s, tmpdir, tl) == 0) {
			memcpy(o + n, "TMP", 3);
			n += 3;
			s += tl;
		} else
			o[n++] = *s++;
	}
	o[n] = 0;
	return o;
}

static const char *S(const char *s) { return s ? s : "(null)"; }

static void err(const char *what)
{
	const char *e = dlerror();
	printf("  %s: dlerror=%s\n", what, e ? sub_tmp(e) : "(null)");
}

/* Run fn in a child; report how the child ended if it did not end normally. */
static void isolated(const char *what, void (*fn)(void *), void *arg)
{
	fflush(stdout);
	fflush(stderr);
	pid_t p = fork();
	if (p == 0) {
		fn(arg);
		fflush(stdout);
		fflush(stderr);
		_exit(0);
	}
	int st = 0;
	waitpid(p, &st, 0);
	if (WIFSIGNALED(st))
		printf("  %s: child killed by signal %d\n", what, WTERMSIG(st));
	else if (WEXITSTATUS(st))
		printf("  %s: child exit status %d\n", what, WEXITSTATUS(st));
}

/* ---- what the ELF file says (.symtab, first PT_LOAD) */
struct elfsym {
	int found;
	unsigned long value, size, first_load;
	int type, bind;
};

static struct elfsym elf_lookup(const char *path, const char *name)
{
	struct elfsym r = { 0, 0, 0, 0, 0, 0 };
	FILE *f = fopen(path, "rb");
	if (!f)
		return r;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)sz);
	if (fread(b, 1, (size_t)sz, f) != (size_t)sz) {
		fclose(f);
		free(b);
		return r;
	}
	fclose(f);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			r.first_load = ph[i].p_vaddr;
			break;
		}
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		Elf64_Sym *s = (Elf64_Sym *)(b + sh[i].sh_offset);
		const char *str = (const char *)(b + sh[sh[i].sh_link].sh_offset);
		for (size_t k = 0; k < sh[i].sh_size / sizeof *s; k++)
			if (strcmp(str + s[k].st_name, name) == 0) {
				r.found = 1;
				r.value = s[k].st_value;
				r.size = s[k].st_size;
				r.type = ELF64_ST_TYPE(s[k].st_info);
				r.bind = ELF64_ST_BIND(s[k].st_info);
			}
	}
	free(b);
	return r;
}

/* ---- dladdr / dladdr1 */
/* ld.so's offsets are not printed: under elfld, ld-linux-x86-64.so.2 is elfld's own file. */
static int no_offsets;

static void show_dladdr(const char *what, const void *addr)
{
	Dl_info i;
	memset(&i, 0, sizeof i);
	int r = dladdr(addr, &i);
	if (!r) {
		printf("  dladdr %s: returns 0\n", what);
		return;
	}
	printf("  dladdr %s: returns %d fname=\"%s\" sname=%s", what, r, i.dli_fname, S(i.dli_sname));
	if (no_offsets) {
		printf(" addr==saddr %d\n", addr == i.dli_saddr);
		return;
	}
	if (i.dli_saddr)
		printf(" addr-saddr=%#lx", (unsigned long)((const char *)addr - (const char *)i.dli_saddr));
	else
		printf(" saddr=NULL");
	printf(" addr-fbase=%#lx\n", (unsigned long)((const char *)addr - (const char *)i.dli_fbase));
}

static void show_dladdr1(const char *what, const void *addr)
{
	Dl_info i;
	const ElfW(Sym) *sym = (void *)1;
	struct link_map *lm = (void *)1;
	int r1 = dladdr1(addr, &i, (void **)&sym, RTLD_DL_SYMENT);
	int r2 = dladdr1(addr, &i, (void **)&lm, RTLD_DL_LINKMAP);
	printf("  dladdr1 %s: SYMENT returns %d", what, r1);
	if (r1 && sym)
		printf(" st_size=%lu type=%d bind=%d", (unsigned long)sym->st_size, ELF64_ST_TYPE(sym->st_info),
		       ELF64_ST_BIND(sym->st_info));
	else
		printf(" sym=%s", r1 ? (sym ? "?" : "NULL") : "-");
	printf("; LINKMAP returns %d", r2);
	if (r2 && lm) {
		printf(" l_name=\"%s\" l_addr==fbase %d", lm->l_name, (void *)lm->l_addr == i.dli_fbase);
		if (r1 && sym)
			printf(" l_addr+st_value==saddr %d", (void *)(lm->l_addr + sym->st_value) == i.dli_saddr);
	}
	printf("\n");
}

/* addr in the program: offsets against what the ELF file's .symtab says. */
static void vs_elf(const char *name, const void *addr)
{
	Dl_info i;
	struct link_map *lm = 0;
	if (!dladdr1(addr, &i, (void **)&lm, RTLD_DL_LINKMAP) || !lm) {
		printf("  elf %s: dladdr1 failed\n", name);
		return;
	}
	struct elfsym e = elf_lookup(prog, name);
	if (!e.found) {
		printf("  elf %s: not in .symtab\n", name);
		return;
	}
	unsigned long off = (unsigned long)((const char *)addr - (const char *)i.dli_fbase);
	printf("  elf %s: st_value=%#lx size=%lu type=%d bind=%d; addr-fbase=%#lx ==st_value-first_load %d;"
	       " addr-l_addr==st_value %d\n",
	       name, e.value, e.size, e.type, e.bind, off, off == e.value - e.first_load,
	       (uintptr_t)addr - lm->l_addr == e.value);
}

static void section_dladdr(void)
{
	printf("== dladdr\n");
	void *h = dlopen("libdlapi_tls.so", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		printf("  dlopen libdlapi_tls.so: %s\n", dlerror());
		exit(1);
	}
	int (*lib_fn)(int) = (int (*)(int))dlsym(h, "lib_fn");
	int *lib_data = dlsym(h, "lib_data");
	int (*volatile sf)(int) = static_fn;
	printf("  calls: exported_fn=%d static_fn=%d lib_fn=%d\n", exported_fn(1), sf(1), lib_fn(1));
	show_dladdr("exported_fn", (void *)exported_fn);
	show_dladdr("exported_fn+3", (char *)exported_fn + 3);
	show_dladdr("static_fn", (void *)sf);
	show_dladdr("exported_var", &exported_var);
	show_dladdr("puts", (void *)puts);
	show_dladdr("lib_fn", (void *)lib_fn);
	show_dladdr("lib_fn+1", (char *)lib_fn + 1);
	show_dladdr("lib_data", lib_data);
	no_offsets = 1;
	void *tga = dlsym(RTLD_DEFAULT, "__tls_get_addr");
	printf("  dlsym(RTLD_DEFAULT, __tls_get_addr) found %d\n", tga != 0);
	if (tga)
		show_dladdr("__tls_get_addr (ld.so)", tga);
	void *rd = dlsym(RTLD_DEFAULT, "_r_debug");
	printf("  dlsym(RTLD_DEFAULT, _r_debug) found %d\n", rd != 0);
	if (rd)
		show_dladdr("_r_debug (ld.so)", rd);
	no_offsets = 0;
	void *m = malloc(64);
	show_dladdr("malloc'd", m);
	free(m);
	int local = 0;
	show_dladdr("stack", &local);
	show_dladdr("NULL", 0);

	printf("== dladdr1\n");
	show_dladdr1("exported_fn", (void *)exported_fn);
	show_dladdr1("exported_fn+3", (char *)exported_fn + 3);
	show_dladdr1("static_fn", (void *)sf);
	show_dladdr1("exported_var", &exported_var);
	show_dladdr1("puts", (void *)puts);
	show_dladdr1("lib_fn", (void *)lib_fn);
	show_dladdr1("lib_data", lib_data);
	void *stack = &local;
	show_dladdr1("stack", stack);
	Dl_info i;
	struct link_map *lm = 0;
	void *self = dlopen(0, RTLD_NOW);
	dladdr1((void *)exported_fn, &i, (void **)&lm, RTLD_DL_LINKMAP);
	printf("  dladdr1 LINKMAP of exported_fn == dlopen(NULL) %d\n", (void *)lm == self);
	dlclose(self);

	printf("== the program's image against its ELF file\n");
	vs_elf("exported_fn", (void *)exported_fn);
	vs_elf("static_fn", (void *)sf);
	vs_elf("exported_var", &exported_var);
	/* libdlapi_tls.so stays open (later sections use it). */
}

/* ---- dlinfo */
static void *tls_thread(void *arg)
{
	void *h = arg;
	int (*next)(void) = (int (*)(void))dlsym(h, "tls_next");
	int *(*addr)(void) = (int *(*)(void))dlsym(h, "tls_addr");
	void *d = (void *)1;
	int r = dlinfo(h, RTLD_DI_TLS_DATA, &d);
	printf("  thread: TLS_DATA before touching: returns %d NULL %d\n", r, d == 0);
	int v = next();
	int v2 = next();
	r = dlinfo(h, RTLD_DI_TLS_DATA, &d);
	printf("  thread: values %d %d; TLS_DATA returns %d == &tls_counter %d\n", v, v2, r, d == (void *)addr());
	return 0;
}

static void origin_child(void *arg)
{
	char buf[PATH_MAX + 1];
	memset(buf, 0, sizeof buf);
	int r = dlinfo(arg, RTLD_DI_ORIGIN, buf);
	printf("  ORIGIN returns %d \"%s\"\n", r, buf);
}

static void serinfo(const char *what, void *h)
{
	Dl_serinfo sz;
	memset(&sz, 0, sizeof sz);
	int r = dlinfo(h, RTLD_DI_SERINFOSIZE, &sz);
	printf("  SERINFOSIZE %s: returns %d dls_size=%zu dls_cnt=%u\n", what, r, sz.dls_size, sz.dls_cnt);
	if (r || sz.dls_size < sizeof sz)
		return;
	Dl_serinfo *si = calloc(1, sz.dls_size);
	si->dls_size = sz.dls_size;
	si->dls_cnt = sz.dls_cnt;
	r = dlinfo(h, RTLD_DI_SERINFO, si);
	printf("  SERINFO %s: returns %d dls_cnt=%u\n", what, r, si->dls_cnt);
	for (unsigned k = 0; k < si->dls_cnt; k++)
		printf("    \"%s\" flags=%u\n", si->dls_serpath[k].dls_name, si->dls_serpath[k].dls_flags);
	free(si);
}

static void print_chain(struct link_map *m)
{
	struct link_map *first = m;
	while (first->l_prev)
		first = first->l_prev;
	int links_ok = 1, n = 0;
	for (struct link_map *l = first; l; l = l->l_next, n++) {
		printf("    [%d] l_name=\"%s\"%s\n", n, l->l_name, l == m ? " (the handle)" : "");
		if (l->l_next && l->l_next->l_prev != l)
			links_ok = 0;
	}
	printf("    %d objects, l_prev consistent %d, main map first %d\n", n, links_ok, first == m);
}

static void section_dlinfo(void)
{
	printf("== dlinfo\n");
	void *self = dlopen(0, RTLD_NOW);
	void *tls = dlopen("libdlapi_tls.so", RTLD_NOW | RTLD_NOLOAD);
	void *notls = dlopen("libdlapi_notls.so", RTLD_NOW);
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	printf("  handles: self %d tls %d notls %d libc %d\n", !!self, !!tls, !!notls, !!libc);
	struct link_map *m = 0, *lt = 0;
	int r = dlinfo(self, RTLD_DI_LINKMAP, &m);
	printf("  LINKMAP main: returns %d == handle %d l_name=\"%s\"\n", r, (void *)m == self, m->l_name);
	r = dlinfo(tls, RTLD_DI_LINKMAP, &lt);
	printf("  LINKMAP libdlapi_tls: returns %d == handle %d l_name=\"%s\"\n", r, (void *)lt == tls, lt->l_name);
	printf("  chain from the main map:\n");
	print_chain(m);
	Lmid_t lmid = -1;
	r = dlinfo(tls, RTLD_DI_LMID, &lmid);
	printf("  LMID libdlapi_tls: returns %d lmid=%ld\n", r, (long)lmid);

	isolated("ORIGIN libdlapi_tls", origin_child, tls);
	isolated("ORIGIN main", origin_child, self);

	size_t id = 99;
	r = dlinfo(tls, RTLD_DI_TLS_MODID, &id);
	printf("  TLS_MODID libdlapi_tls: returns %d modid=%zu\n", r, id);
	id = 99;
	r = dlinfo(notls, RTLD_DI_TLS_MODID, &id);
	printf("  TLS_MODID libdlapi_notls: returns %d modid=%zu\n", r, id);
	id = 99;
	r = dlinfo(libc, RTLD_DI_TLS_MODID, &id);
	printf("  TLS_MODID libc: returns %d modid=%zu\n", r, id);
	id = 99;
	r = dlinfo(self, RTLD_DI_TLS_MODID, &id);
	printf("  TLS_MODID main: returns %d modid=%zu\n", r, id);

	void *d = (void *)1;
	r = dlinfo(tls, RTLD_DI_TLS_DATA, &d);
	printf("  TLS_DATA libdlapi_tls before touching: returns %d NULL %d\n", r, d == 0);
	int (*next)(void) = (int (*)(void))dlsym(tls, "tls_next");
	int *(*addr)(void) = (int *(*)(void))dlsym(tls, "tls_addr");
	int v = next();
	r = dlinfo(tls, RTLD_DI_TLS_DATA, &d);
	printf("  TLS_DATA libdlapi_tls after tls_next()=%d: returns %d == &tls_counter %d\n", v, r, d == (void *)addr());
	int *sym = dlsym(tls, "tls_counter");
	printf("  dlsym(tls_counter) == &tls_counter %d value %d\n", sym == addr(), sym ? *sym : -1);
	d = (void *)1;
	r = dlinfo(notls, RTLD_DI_TLS_DATA, &d);
	printf("  TLS_DATA libdlapi_notls: returns %d NULL %d\n", r, d == 0);
	d = 0;
	r = dlinfo(libc, RTLD_DI_TLS_DATA, &d);
	printf("  TLS_DATA libc (static TLS): returns %d non-NULL %d\n", r, d != 0);
	pthread_t t;
	pthread_create(&t, 0, tls_thread, tls);
	pthread_join(t, 0);

	r = dlinfo(tls, 12345, &d);
	printf("  request 12345: returns %d\n", r);
	err("request 12345");

	serinfo("main", self);
	serinfo("libdlapi_tls", tls);
	dlclose(notls);
	dlclose(libc);
	dlclose(self);
}

/* ---- dlerror */
static void write_file(const char *name, const void *data, size_t n)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n) {
		printf("cannot write %s\n", name);
		exit(1);
	}
	close(fd);
}

static void try_open(const char *what, const char *file, int mode)
{
	void *h = dlopen(file, mode);
	printf("  dlopen %s: %s\n", what, h ? "handle" : "NULL");
	err(what);
	if (h)
		dlclose(h);
}

static void section_dlerror(void)
{
	printf("== dlerror\n");
	err("nothing failed yet");
	char p[256];
	try_open("libnosuch.so", "libnosuch.so", RTLD_NOW);
	snprintf(p, sizeof p, "%s/nosuch.so", tmpdir);
	try_open("TMP/nosuch.so", p, RTLD_NOW);
	char text[200];
	memset(text, 'x', sizeof text);
	write_file("text.so", text, sizeof text);
	snprintf(p, sizeof p, "%s/text.so", tmpdir);
	try_open("TMP/text.so (200 bytes of text)", p, RTLD_NOW);
	write_file("short.so", "\177ELF", 4);
	snprintf(p, sizeof p, "%s/short.so", tmpdir);
	try_open("TMP/short.so (4 bytes)", p, RTLD_NOW);
	write_file("empty.so", "", 0);
	snprintf(p, sizeof p, "%s/empty.so", tmpdir);
	try_open("TMP/empty.so (0 bytes)", p, RTLD_NOW);
	unsigned char e32[64] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
	e32[16] = ET_DYN;
	e32[18] = EM_386;
	write_file("elf32.so", e32, sizeof e32);
	snprintf(p, sizeof p, "%s/elf32.so", tmpdir);
	try_open("TMP/elf32.so (ELFCLASS32 header)", p, RTLD_NOW);
	try_open("TMP (a directory)", tmpdir, RTLD_NOW);
	try_open("the program itself (a PIE executable)", prog, RTLD_NOW);

	void *h = dlopen("libdlapi_notls.so", RTLD_NOW);
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	void *s = dlsym(h, "nosuch");
	printf("  dlsym(notls, nosuch): %s\n", s ? "found" : "NULL");
	err("dlsym(notls, nosuch)");
	err("dlerror again");
	s = dlsym(h, "notls_fn");
	printf("  dlsym(notls, notls_fn): %s\n", s ? "found" : "NULL");
	err("dlsym(notls, notls_fn)");
	s = dlsym(h, "puts");
	printf("  dlsym(notls, puts) (notls needs nothing: as-needed) == puts %d\n", s == (void *)puts);
	err("dlsym(notls, puts)");
	s = dlsym(RTLD_DEFAULT, "nosuch");
	printf("  dlsym(RTLD_DEFAULT, nosuch): %s\n", s ? "found" : "NULL");
	err("dlsym(RTLD_DEFAULT, nosuch)");
	s = dlsym(RTLD_DEFAULT, "exported_fn");
	printf("  dlsym(RTLD_DEFAULT, exported_fn) == exported_fn %d\n", s == (void *)exported_fn);
	s = dlsym(RTLD_DEFAULT, "notls_fn");
	printf("  dlsym(RTLD_DEFAULT, notls_fn) (RTLD_LOCAL library): %s\n", s ? "found" : "NULL");
	err("dlsym(RTLD_DEFAULT, notls_fn)");
	s = dlsym(RTLD_NEXT, "puts");
	printf("  dlsym(RTLD_NEXT, puts) == puts %d\n", s == (void *)puts);
	err("dlsym(RTLD_NEXT, puts)");
	s = dlsym(RTLD_NEXT, "exported_fn");
	printf("  dlsym(RTLD_NEXT, exported_fn): %s\n", s ? "found" : "NULL");
	err("dlsym(RTLD_NEXT, exported_fn)");
	s = dlsym(RTLD_NEXT, "nosuch");
	printf("  dlsym(RTLD_NEXT, nosuch): %s\n", s ? "found" : "NULL");
	err("dlsym(RTLD_NEXT, nosuch)");
	void *v1 = dlvsym(libc, "memcpy", "GLIBC_2.2.5");
	void *v2 = dlvsym(libc, "memcpy", "GLIBC_2.14");
	void *v0 = dlsym(libc, "memcpy");
	printf("  dlvsym(libc, memcpy, GLIBC_2.2.5) found %d; GLIBC_2.14 found %d; dlsym == 2.14 %d, == 2.2.5 %d\n", !!v1,
	       !!v2, v0 == v2, v0 == v1);
	err("dlvsym good versions");
	s = dlvsym(libc, "memcpy", "GLIBC_9.9");
	printf("  dlvsym(libc, memcpy, GLIBC_9.9): %s\n", s ? "found" : "NULL");
	err("dlvsym(libc, memcpy, GLIBC_9.9)");
	s = dlvsym(RTLD_DEFAULT, "memcpy", "GLIBC_2.14");
	printf("  dlvsym(RTLD_DEFAULT, memcpy, GLIBC_2.14) == dlsym(libc) %d\n", s == v0);
	s = dlvsym(RTLD_DEFAULT, "nosuch", "GLIBC_2.2.5");
	printf("  dlvsym(RTLD_DEFAULT, nosuch, GLIBC_2.2.5): %s\n", s ? "found" : "NULL");
	err("dlvsym(RTLD_DEFAULT, nosuch, GLIBC_2.2.5)");
	int r = dlclose(h);
	printf("  dlclose(notls) returns %d\n", r);
	err("after dlclose");
	dlclose(libc);
}

/* ---- flags */
static void lazy_bad_child(void *arg)
{
	void (*bad)(void) = (void (*)(void))dlsym(arg, "lazy_bad");
	bad();
	printf("  lazy_bad returned\n");
}

static void section_flags(void)
{
	printf("== RTLD_NOLOAD\n");
	void *h = dlopen("libdlapi_notls.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  NOLOAD before loading: %s\n", h ? "handle" : "NULL");
	err("NOLOAD before loading");
	void *a = dlopen("libdlapi_notls.so", RTLD_NOW);
	h = dlopen("libdlapi_notls.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  NOLOAD once loaded: same handle %d\n", h == a);
	void *b = dlopen(DLAPI_DIR "/libdlapi_notls.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  NOLOAD by absolute path: same handle %d\n", b == a);
	err("NOLOAD by absolute path");
	void *c = dlopen("./libdlapi_notls.so", RTLD_NOW);
	printf("  dlopen ./libdlapi_notls.so: same handle %d\n", c == a);
	err("dlopen ./libdlapi_notls.so");
	char p[256];
	snprintf(p, sizeof p, "%s/link.so", tmpdir);
	if (symlink(DLAPI_DIR "/libdlapi_notls.so", p))
		printf("  symlink failed\n");
	void *d = dlopen(p, RTLD_NOW | RTLD_NOLOAD);
	printf("  NOLOAD through a symlink TMP/link.so: same handle %d\n", d == a);
	err("NOLOAD through a symlink");
	void *e = dlopen(p, RTLD_NOW);
	printf("  dlopen through the symlink: same handle %d\n", e == a);
	err("dlopen through the symlink");
	struct link_map *lm = 0;
	dlinfo(a, RTLD_DI_LINKMAP, &lm);
	printf("  l_name stays \"%s\"\n", lm->l_name);
	for (void **x = (void *[]){ h, b, c, d, e, a }; x; x = 0)
		for (int i = 0; i < 6; i++)
			if (x[i])
				dlclose(x[i]);
	h = dlopen("libdlapi_notls.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  NOLOAD after as many dlclose as dlopen: %s\n", h ? "handle" : "NULL");

	printf("== RTLD_GLOBAL / RTLD_LOCAL\n");
	void *g = dlopen("libdlapi_glob.so", RTLD_NOW | RTLD_LOCAL);
	printf("  libdlapi_glob.so RTLD_LOCAL: %s\n", g ? "handle" : "NULL");
	printf("  dlsym(RTLD_DEFAULT, glob_fn): %s\n", dlsym(RTLD_DEFAULT, "glob_fn") ? "found" : "NULL");
	err("dlsym(RTLD_DEFAULT, glob_fn)");
	void *n = dlopen("libdlapi_needglob.so", RTLD_NOW);
	printf("  libdlapi_needglob.so (needs glob_fn, glob_var): %s\n", n ? "handle" : "NULL");
	err("libdlapi_needglob.so after a RTLD_LOCAL libdlapi_glob.so");
	n = dlopen("libdlapi_needglob.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  NOLOAD libdlapi_needglob.so after the failure: %s\n", n ? "handle" : "NULL");
	void *g2 = dlopen("libdlapi_glob.so", RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
	printf("  libdlapi_glob.so NOLOAD|GLOBAL: same handle %d\n", g2 == g);
	printf("  dlsym(RTLD_DEFAULT, glob_fn) now: %s\n", dlsym(RTLD_DEFAULT, "glob_fn") ? "found" : "NULL");
	n = dlopen("libdlapi_needglob.so", RTLD_NOW);
	printf("  libdlapi_needglob.so now: %s\n", n ? "handle" : "NULL");
	err("libdlapi_needglob.so after RTLD_GLOBAL");
	if (n) {
		int (*f)(void) = (int (*)(void))dlsym(n, "needglob_fn");
		printf("  needglob_fn() = %d\n", f ? f() : -1);
		dlclose(n);
	}
	dlclose(g2);
	dlclose(g);
	void *g3 = dlopen("libdlapi_glob.so", RTLD_NOW | RTLD_NOLOAD);
	/* glibc: dlsym(RTLD_DEFAULT) from the program (which is never unloaded) resolving to a dlopened object
	 * makes that object NODELETE, so it stays. */
	printf("  NOLOAD libdlapi_glob.so after closing (dlsym from the program bound to it): %s\n", g3 ? "handle" : "NULL");
	if (g3)
		dlclose(g3);
	printf("  dlsym(RTLD_DEFAULT, glob_fn) after closing: %s\n", dlsym(RTLD_DEFAULT, "glob_fn") ? "found" : "NULL");
	err("dlsym(RTLD_DEFAULT, glob_fn) after closing");

	printf("== RTLD_NODELETE\n");
	const char *libs[] = { "libdlapi_nodel.so", "libdlapi_del.so" };
	for (int i = 0; i < 2; i++) {
		int mode = RTLD_NOW | (i == 0 ? RTLD_NODELETE : 0);
		void *x = dlopen(libs[i], mode);
		int (*ctors)(void) = (int (*)(void))dlsym(x, "counter_ctors");
		int (*calls)(void) = (int (*)(void))dlsym(x, "counter_calls");
		int c1 = calls();
		printf("  %s%s: ctors %d calls %d", libs[i], i == 0 ? " RTLD_NODELETE" : "", ctors(), c1);
		dlclose(x);
		void *still = dlopen(libs[i], RTLD_NOW | RTLD_NOLOAD);
		printf("; after dlclose NOLOAD %s", still ? "handle" : "NULL");
		if (still)
			dlclose(still);
		x = dlopen(libs[i], RTLD_NOW);
		ctors = (int (*)(void))dlsym(x, "counter_ctors");
		calls = (int (*)(void))dlsym(x, "counter_calls");
		c1 = calls();
		printf("; reopened: ctors %d calls %d\n", ctors(), c1);
		dlclose(x);
	}
	void *x = dlopen("libdlapi_nodel2.so", RTLD_NOW);
	void *y = dlopen("libdlapi_nodel2.so", RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
	printf("  libdlapi_nodel2.so then NOLOAD|NODELETE: same handle %d\n", x == y);
	dlclose(y);
	dlclose(x);
	y = dlopen("libdlapi_nodel2.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  libdlapi_nodel2.so after both dlclose: NOLOAD %s\n", y ? "handle" : "NULL");
	if (y) {
		int (*calls)(void) = (int (*)(void))dlsym(y, "counter_calls");
		int (*ctors)(void) = (int (*)(void))dlsym(y, "counter_ctors");
		int c1 = calls();
		printf("  libdlapi_nodel2.so: ctors %d calls %d\n", ctors(), c1);
	}

	printf("== RTLD_NOW / RTLD_LAZY with an undefined function\n");
	void *l = dlopen("libdlapi_lazy.so", RTLD_NOW);
	printf("  RTLD_NOW: %s\n", l ? "handle" : "NULL");
	err("RTLD_NOW");
	l = dlopen("libdlapi_lazy.so", RTLD_LAZY);
	printf("  RTLD_LAZY: %s\n", l ? "handle" : "NULL");
	err("RTLD_LAZY");
	if (l) {
		int (*ok)(void) = (int (*)(void))dlsym(l, "lazy_ok");
		printf("  lazy_ok() = %d\n", ok());
		void *l2 = dlopen("libdlapi_lazy.so", RTLD_NOW);
		printf("  RTLD_NOW once loaded lazily: %s\n", l2 ? "handle" : "NULL");
		err("RTLD_NOW once loaded lazily");
		if (l2)
			dlclose(l2);
		isolated("calling lazy_bad", lazy_bad_child, l);
		dlclose(l);
	}

	printf("== dlopen(NULL)\n");
	void *self = dlopen(0, RTLD_LAZY);
	void *self2 = dlopen(0, RTLD_NOW | RTLD_NOLOAD);
	struct link_map *m = 0;
	dlinfo(self, RTLD_DI_LINKMAP, &m);
	printf("  handle is the main map %d (l_name \"%s\", l_prev NULL %d); again same %d\n", (void *)m == self, m->l_name,
	       m->l_prev == 0, self2 == self);
	void *f = dlsym(self, "exported_fn");
	printf("  dlsym(self, exported_fn) == exported_fn %d\n", f == (void *)exported_fn);
	int *v = dlsym(self, "exported_var");
	printf("  dlsym(self, exported_var) == &exported_var %d\n", v == &exported_var);
	f = dlsym(self, "static_fn");
	printf("  dlsym(self, static_fn): %s\n", f ? "found" : "NULL");
	err("dlsym(self, static_fn)");
	f = dlsym(self, "puts");
	printf("  dlsym(self, puts) == puts %d\n", f == (void *)puts);
	f = dlsym(self, "notls_fn");
	printf("  dlsym(self, notls_fn) (nothing loaded it): %s\n", f ? "found" : "NULL");
	err("dlsym(self, notls_fn)");
	dlclose(self2);
	printf("  dlclose(self) returns %d\n", dlclose(self));

	printf("== constructors and destructors: a needs c then b, b needs c\n");
	printf("  dlopen a\n");
	void *ha = dlopen("libdlapi_ctora.so", RTLD_NOW);
	int (*cf)(void) = (int (*)(void))dlsym(ha, "c_fn");
	printf("  dlsym(a, c_fn) (a dependency) = %d\n", cf ? cf() : -1);
	printf("  dlsym(a, printf) == printf %d\n", dlsym(ha, "printf") == (void *)printf);
	printf("  dlclose a\n");
	dlclose(ha);
	printf("  dlopen c\n");
	void *hc = dlopen("libdlapi_ctorc.so", RTLD_NOW);
	printf("  dlopen a\n");
	ha = dlopen("libdlapi_ctora.so", RTLD_NOW);
	printf("  dlopen b\n");
	void *hb = dlopen("libdlapi_ctorb.so", RTLD_NOW);
	printf("  dlclose a\n");
	int r = dlclose(ha);
	printf("  dlclose a returns %d\n", r);
	void *c2 = dlopen("libdlapi_ctorc.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  c still loaded (dlopened, and needed by b) %d\n", c2 != 0);
	if (c2)
		dlclose(c2);
	printf("  dlclose c\n");
	r = dlclose(hc);
	printf("  dlclose c returns %d\n", r);
	err("dlclose c");
	printf("  dlclose b\n");
	r = dlclose(hb);
	printf("  dlclose b returns %d\n", r);
	err("dlclose b");
	c2 = dlopen("libdlapi_ctorc.so", RTLD_NOW | RTLD_NOLOAD);
	printf("  c loaded at the end %d\n", c2 != 0);
	printf("  done\n");
}

/* ---- dl_iterate_phdr */
struct iter {
	int print, n;
	unsigned long long adds, subs;
};

static int iter_cb(struct dl_phdr_info *i, size_t size, void *arg)
{
	struct iter *it = arg;
	if (it->n++ == 0) {
		it->adds = i->dlpi_adds;
		it->subs = i->dlpi_subs;
	}
	if (!it->print)
		return 0;
	int is_ldso = strstr(i->dlpi_name, "ld-linux-x86-64.so.2") != 0;
	int loads = 0;
	for (int k = 0; k < i->dlpi_phnum; k++)
		loads += i->dlpi_phdr[k].p_type == PT_LOAD;
	printf("    \"%s\"", i->dlpi_name);
	if (!is_ldso)
		printf(" phnum=%d loads=%d", i->dlpi_phnum, loads);
	printf(" tls_modid=%zu tls_data=%s size_ok=%d\n", i->dlpi_tls_modid,
	       i->dlpi_tls_modid ? (i->dlpi_tls_data ? "set" : "NULL") : "-",
	       size >= offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof(void *));
	return 0;
}

static void section_iterate(void)
{
	printf("== dl_iterate_phdr\n");
	struct iter a = { 1, 0, 0, 0 };
	dl_iterate_phdr(iter_cb, &a);
	printf("  %d objects\n", a.n);
	void *h = dlopen("libdlapi_ctora.so", RTLD_NOW);
	struct iter b = { 1, 0, 0, 0 };
	dl_iterate_phdr(iter_cb, &b);
	printf("  after dlopen a (3 new objects): %d objects, adds +%lld subs +%lld\n", b.n, (long long)(b.adds - a.adds),
	       (long long)(b.subs - a.subs));
	dlclose(h);
	struct iter c = { 0, 0, 0, 0 };
	dl_iterate_phdr(iter_cb, &c);
	printf("  after dlclose a: %d objects, adds +%lld subs +%lld (from the start)\n", c.n,
	       (long long)(c.adds - a.adds), (long long)(c.subs - a.subs));
	h = dlopen("libdlapi_notls.so", RTLD_NOW);
	struct iter d = { 0, 0, 0, 0 };
	dl_iterate_phdr(iter_cb, &d);
	printf("  after dlopen notls: %d objects, adds +%lld subs +%lld (from the start)\n", d.n,
	       (long long)(d.adds - a.adds), (long long)(d.subs - a.subs));
	dlclose(h);
}

static int stop_cb(struct dl_phdr_info *i, size_t size, void *arg)
{
	(void)i, (void)size;
	return ++*(int *)arg == 2 ? 77 : 0;
}

int main(int argc, char **argv)
{
	(void)argc;
	prog = argv[0];
	setvbuf(stdout, 0, _IOLBF, 0);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dlapi.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("LD_LIBRARY_PATH set %d\n", getenv("LD_LIBRARY_PATH") != 0);
	section_dladdr();
	section_dlinfo();
	section_dlerror();
	section_flags();
	section_iterate();
	int calls = 0;
	int r = dl_iterate_phdr(stop_cb, &calls);
	printf("  dl_iterate_phdr stopping at the 2nd object returns %d after %d calls\n", r, calls);
	const char *files[] = { "text.so", "short.so", "empty.so", "elf32.so", "link.so" };
	for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
		char p[128];
		snprintf(p, sizeof p, "%s/%s", tmpdir, files[k]);
		unlink(p);
	}
	if (rmdir(tmpdir))
		printf("rmdir failed: %s\n", strerror(errno));
	printf("end\n");
	return 0;
}
