/* elfld-run: options, then the pipeline  parse -> map -> deps -> TLS -> relocate -> init -> start. */
#include "elfld.h"
#include "glibc_version.h"
#include "events.h"
#include "parse.h"
#include "sys.h"
#include "tls.h"
#include "glibc.h"
#include "lddebug.h"
#include "audit.h"

struct loader L HIDDEN = { .nns = 1 };
extern const Elf64_Ehdr __ehdr_start HIDDEN;
extern Elf64_Dyn _DYNAMIC[] HIDDEN;
void elfld_self_relocate(void) HIDDEN;
void elfld_fini(void) HIDDEN;
__attribute__((noreturn)) void elfld_jump(uintptr_t entry, uintptr_t *sp, void (*fini)(void)) HIDDEN;

#ifndef ELFLD_VERSION
#define ELFLD_VERSION "0.1"
#endif

static const char usage[] =
	"Usage: elfld-run [OPTIONS] PROGRAM [ARGS...]\n"
	"Load PROGRAM and its libraries, relocate, set up TLS, run initializers and start it,\n"
	"without the system dynamic linker. PROGRAM without a slash is looked up in PATH.\n"
	"\n"
	"Options:\n"
	"  --trace[=CATS]         readable trace of what the loader does, on stderr. CATS is a comma\n"
	"                         list of: stages objects segments search symbols relocs tls init\n"
	"                         warnings bindings all\n"
	"                         (default: everything except relocs and symbols)\n"
	"  --trace-file=FILE      write the trace to FILE instead of stderr\n"
	"  --events=FD|FILE       write the versioned event stream (docs/events.md) to file descriptor\n"
	"                         FD or to FILE (created/truncated)\n"
	"  --events-format=text|binary  the stream's form: lines (default) or compact records, the same\n"
	"                         events (docs/events.md; tools/elfld-events-decode turns binary into lines)\n"
	"  --events-schema        print the event stream schema and exit\n"
	"  --pause-at=STAGE[,..]  stop at these stage boundaries; with --control wait for a command,\n"
	"                         without it stop the process (SIGSTOP; resume with kill -CONT)\n"
	"  --pause-objects        also stop after each object is mapped and after it is relocated\n"
	"  --control=FD           read pause commands from FD: continue | step | step-object |\n"
	"                         step-reloc | pause-at STAGE | clear (one per line)\n"
	"  --library-path=PATH    search PATH (colon-separated) before LD_LIBRARY_PATH\n"
	"  --preload=LIST         load these libraries first (like LD_PRELOAD)\n"
	"  --audit=LIST           load these audit modules (rtld-audit(7), colon-separated), after those\n"
	"                         of LD_AUDIT, each in a namespace of its own; also --audit LIST, as ld.so\n"
	"  --glibc-hwcaps-prepend=LIST  search the glibc-hwcaps subdirectories LIST names (NAME:NAME...)\n"
	"                         first, in every library directory and in ld.so.cache\n"
	"  --glibc-hwcaps-mask=LIST  search only those of the built-in glibc-hwcaps subdirectories\n"
	"                         (x86-64-v4 x86-64-v3 x86-64-v2) that LIST names. Both as ld.so's options,\n"
	"                         which also take LIST as the next word\n"
	"  --list-hwcaps          print the glibc-hwcaps subdirectories searched, in priority order, as\n"
	"                         ld.so --help does, and exit\n"
	"  --bind-now             bind every PLT slot before the program starts (like LD_BIND_NOW);\n"
	"                         by default they bind at their first call, as with glibc\n"
	"  --argv0=NAME           pass NAME as the program's argv[0]\n"
	"  --list                 load and relocate, then print the objects and exit (like ldd)\n"
	"  --list-tunables        print glibc's tunables with their values and bounds, as ld.so does\n"
	"  --verify               exit 0 if PROGRAM is a dynamically linked program, 2 if it is dynamic\n"
	"                         without an interpreter (a library), 1 otherwise (what ldd asks ld.so)\n"
	"  --as-interp            let the kernel map PROGRAM with elfld as its interpreter (in a private\n"
	"                         mount namespace), so /proc/self/exe and AT_EXECFN are PROGRAM's own\n"
	"  --stages               list the stage names and exit\n"
	"  --help                 this text\n"
	"  --version              print the version\n"
	"\n"
	"Environment: LD_LIBRARY_PATH, LD_PRELOAD (ignored for set-user-ID programs), PATH,\n"
	"LD_AUDIT, LD_BIND_NOW, LD_BIND_NOT (lazy bindings are not written to the GOT), LD_TRACE_LOADED_OBJECTS\n"
	"(list the objects as ldd does and exit), LD_DEBUG (LD_DEBUG=help), LD_DEBUG_OUTPUT, as glibc's loader.\n"
	"Exit status: the program's own; 127 if elfld cannot load it (with a message on stderr).\n";

static void die_usage(const char *msg, const char *arg)
{
	u_err("elfld-run: %s%s%s\nTry 'elfld-run --help' for more information.\n", msg, arg ? ": " : "", arg ? arg : "");
	sys_exit_group(127);
}

static int parse_fd(const char *s)
{
	int v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int open_out(const char *arg, const char *opt)
{
	int fd = parse_fd(arg);
	if (fd >= 0)
		return fd;
	/* Set-user-ID, a file name from the invoking user would let them truncate any file. */
	if (L.secure)
		u_fatal(arg, "%s: secure mode (set-user-ID): only an inherited descriptor number is accepted", opt);
	fd = (int)sys_open(arg, K_O_WRONLY | K_O_CREAT | K_O_TRUNC | K_O_CLOEXEC, 0644);
	if (fd < 0)
		u_fatal(arg, "cannot open for %s (errno %d)", opt, -fd);
	return fd;
}

/* The canonical path of an open file. */
static char *fd_path(int fd)
{
	char link[64], buf[4096];
	u_snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	long n = sys_readlink(link, buf, sizeof buf - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return u_strdup(buf);
}

/* PATH lookup like a shell: first executable regular file. */
static char *find_in_path(const char *name)
{
	if (u_strchr(name, '/'))
		return u_strdup(name);
	const char *path = u_getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char buf[4096];
	while (*path) {
		const char *e = u_strchr(path, ':');
		size_t n = e ? (size_t)(e - path) : strlen(path);
		if (n == 0)
			u_snprintf(buf, sizeof buf, "./%s", name);
		else {
			char dir[4096];
			if (n >= sizeof dir)
				n = sizeof dir - 1;
			memcpy(dir, path, n);
			dir[n] = 0;
			u_snprintf(buf, sizeof buf, "%s/%s", dir, name);
		}
		struct k_stat st;
		if (sys_stat(buf, &st) == 0 && (st.st_mode & K_S_IFMT) == K_S_IFREG &&
		    sys_call(SYS_access, buf, 1 /* X_OK */, 0) == 0)
			return u_strdup(buf);
		path = e ? e + 1 : path + n;
	}
	u_fatal(name, "command not found in PATH");
}

static void read_auxv(uintptr_t *sp)
{
	L.argc = (int)sp[0];
	L.argv = (char **)(sp + 1);
	L.envp = L.argv + L.argc + 1;
	char **e = L.envp;
	while (*e)
		e++;
	L.auxv = (Elf64_auxv_t *)(e + 1);
	u_environ = L.envp;
	for (Elf64_auxv_t *a = L.auxv; a->a_type != AT_NULL; a++) {
		switch (a->a_type) {
		case AT_RANDOM: L.at_random = a->a_un.a_val; break;
		case AT_HWCAP: L.at_hwcap = a->a_un.a_val; break;
		case AT_HWCAP2: L.at_hwcap2 = a->a_un.a_val; break;
		case AT_SYSINFO_EHDR: L.at_sysinfo_ehdr = a->a_un.a_val; break;
		case AT_SECURE: L.secure = a->a_un.a_val != 0; break;
		case AT_PLATFORM: L.platform = (const char *)a->a_un.a_val; break;
		case AT_EXECFN: L.at_execfn = (const char *)a->a_un.a_val; break;
		case AT_ENTRY: L.at_entry = a->a_un.a_val; break;
		case AT_PHDR: L.at_phdr = a->a_un.a_val; break;
		case AT_PHNUM: L.at_phnum = a->a_un.a_val; break;
		case AT_MINSIGSTKSZ: L.at_minsigstksz = a->a_un.a_val; break;
		case 27 /* AT_RSEQ_FEATURE_SIZE */: L.at_rseq_feature_size = a->a_un.a_val; break;
		case 28 /* AT_RSEQ_ALIGN */: L.at_rseq_align = a->a_un.a_val; break;
		}
	}
}

/* elfld itself, as the object that provides ld-linux-x86-64.so.2's interface. */
extern char _start[] HIDDEN;
#define INTERP_PATH "/lib64/ld-linux-x86-64.so.2"

static void register_self(void)
{
	char self[4096];
	long n = sys_readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		n = 0;
	self[n] = 0;
	struct obj *o = obj_new(L.at_entry != (uintptr_t)_start ? INTERP_PATH : n ? self : "elfld-run");
	o->is_rtld = 1;
	o->ehdr = __ehdr_start;
	obj_from_memory(o, (uintptr_t)&__ehdr_start, (const Elf64_Phdr *)((uintptr_t)&__ehdr_start + __ehdr_start.e_phoff),
			__ehdr_start.e_phnum);
	o->relocated = o->initialized = 1;
	L.rtld = o;
}

/* The kernel's vDSO is an object like the others (dl_iterate_phdr lists it; libc calls its fast
 * clock_gettime). It comes right after the program, where glibc puts it. */
static void register_vdso(void)
{
	if (!L.at_sysinfo_ehdr)
		return;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)L.at_sysinfo_ehdr;
	if (elf_check_header(eh, 4096, 4096))
		return;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(L.at_sysinfo_ehdr + eh->e_phoff);
	uintptr_t vaddr0 = 0;
	for (int k = 0; k < eh->e_phnum; k++)
		if (ph[k].p_type == PT_LOAD) {
			vaddr0 = ph[k].p_vaddr - ph[k].p_offset;
			break;
		}
	struct obj *o = obj_new("linux-vdso.so.1");
	o->l_name = o->abspath = o->path;
	o->is_vdso = 1;
	o->ehdr = *eh;
	obj_from_memory(o, L.at_sysinfo_ehdr - vaddr0, ph, eh->e_phnum);
	o->relocated = o->irelative_done = o->initialized = o->deps_done = 1;
	L.vdso = o;
}

/* A static (or static-pie) program: no PT_INTERP, no DT_NEEDED. Its own start-up code relocates it and
 * sets up TLS (glibc's _dl_relocate_static_pie, __libc_setup_tls), so elfld only maps it and starts it as
 * the kernel would have: AT_BASE 0, the stack as it came. */
/* What the kernel would refuse, or crash on, in the program itself (libraries' e_entry and PT_INTERP
 * mean nothing): an entry point outside its code, an interpreter path that is not a string. */
static void check_program(struct obj *o)
{
	if (o->ehdr.e_entry && !elf_addr_in_exec(o->phdr, o->phnum, o->ehdr.e_entry))
		u_fatal(L.progname, "entry point 0x%lx is not in an executable segment", o->ehdr.e_entry);
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_INTERP &&
		    *(const char *)(o->l_addr + o->phdr[i].p_vaddr + o->phdr[i].p_filesz - 1) != 0)
			u_fatal(L.progname, "PT_INTERP (the interpreter's path) is not NUL-terminated");
}

static int is_static_program(const struct obj *o)
{
	for (int k = 0; k < o->phnum; k++)
		if (o->phdr[k].p_type == PT_INTERP)
			return 0;
	return o->nneeded == 0;
}

static uintptr_t *prepare_stack(int first_arg, const char *argv0);
static __attribute__((noreturn)) void start_static_program(int first, const char *argv0)
{
	event_stage(STAGE_MAPPED);
	uintptr_t *psp = prepare_stack(first, argv0);
	for (Elf64_auxv_t *a = L.auxv; a->a_type != AT_NULL; a++)
		if (a->a_type == AT_BASE)
			a->a_un.a_val = 0;
	rdebug_end();
	struct elfld_event ev = { .type = EV_ENTRY, .obj = L.main->id };
	ev.u.entry.entry = L.main->entry;
	ev.u.entry.sp = (uintptr_t)psp;
	event_stage(STAGE_ENTRY);
	event_emit(&ev);
	events_flush();
	elfld_jump(L.main->entry, psp, 0);
}

/* PT_GNU_STACK: an object without it, or with PF_X, needs an executable stack (as with glibc's ld.so).
 * The kernel chose elfld-run's (non-executable), so the main stack is changed here; nptl gives new threads
 * the same through GL(dl_stack_flags). */
static void stack_permissions(void)
{
	L.stack_flags = PF_R | PF_W;
	for (int k = 0; k < L.ns[0].global.n; k++) {
		const struct obj *o = L.ns[0].global.v[k];
		int found = 0;
		for (int j = 0; j < o->phnum; j++)
			if (o->phdr[j].p_type == PT_GNU_STACK) {
				found = 1;
				L.stack_flags |= o->phdr[j].p_flags & PF_X;
			}
		if (!found && !o->is_rtld)
			L.stack_flags |= PF_X;
	}
	if (L.stack_flags & PF_X) {
		uintptr_t page = ALIGN_DOWN((uintptr_t)L.argv, PAGE_SIZE);
		long r = sys_mprotect((void *)page, PAGE_SIZE,
				      K_PROT_READ | K_PROT_WRITE | K_PROT_EXEC | 0x01000000 /* PROT_GROWSDOWN */);
		if (r)
			u_fatal(L.progname, "needs an executable stack (PT_GNU_STACK) and mprotect refused (errno %ld)", -r);
	}
}

static void glibc_names(void);
/* glibc's order of the object list: the program (named "" as glibc names it), the vDSO, the libraries
 * breadth-first, and ld.so (elfld) where it was first needed, else last. GDB gets its own view
 * (rdebug.c) with absolute names and elfld first. */
static void chain_in_glibc_order(void)
{
	struct dep_list order = { 0, 0, 0 };
	dep_push(&order, L.main);
	if (L.vdso)
		dep_push(&order, L.vdso);
	int have_rtld = 0;
	for (int k = 1; k < L.ns[0].global.n; k++) {
		dep_push(&order, L.ns[0].global.v[k]);
		have_rtld |= L.ns[0].global.v[k] == L.rtld;
	}
	if (!have_rtld)
		dep_push(&order, L.rtld);
	L.ns[0].head = L.ns[0].tail = 0;
	for (int k = 0; k < order.n; k++)
		chain_link(order.v[k]);
	u_free(order.v);
	glibc_names();
}

/* The program's glibc name is "", ld.so's the program's PT_INTERP, as under the system loader. */
static void glibc_names(void)
{
	L.main->l_name = "";
	L.rtld->l_name = "/lib64/ld-linux-x86-64.so.2";
	for (int k = 0; k < L.main->phnum; k++) {
		const Elf64_Phdr *p = &L.main->phdr[k];
		if (p->p_type == PT_INTERP && elf_range_in_file(L.main->phdr, L.main->phnum, p->p_vaddr, p->p_filesz) &&
		    u_strnlen((const char *)(L.main->l_addr + p->p_vaddr), p->p_filesz) < p->p_filesz)
			L.rtld->l_name = (char *)(L.main->l_addr + p->p_vaddr);
	}
}

static void list_objects(void)
{
	char b[4096];
	struct outbuf ob;
	ob_init(&ob, 1, b, sizeof b);
	for (struct obj *o = L.ns[0].head; o; o = o->l_next) {
		if (o->is_rtld)
			continue;
		if (o->is_vdso)
			ob_printf(&ob, "%s (0x%016lx)", o->name, o->l_addr);
		else
			ob_printf(&ob, "%s => %s (0x%016lx)", o->is_main ? o->path : o->name,
				  o->is_rtld ? o->abspath : o->path, o->l_addr);
		if (o->tls_modid)
			ob_printf(&ob, " tls module %lu", o->tls_modid);
		ob_putc(&ob, '\n');
	}
	ob_flush(&ob);
}

/* LD_TRACE_LOADED_OBJECTS (what ldd sets): the objects in glibc's trace format, the program's own line
 * left out, missing libraries as "=> not found". */
static void trace_objects(void)
{
	char b[4096];
	struct outbuf ob;
	ob_init(&ob, 1, b, sizeof b);
	const char *interp = 0;
	for (int i = 0; i < L.main->phnum; i++)
		if (L.main->phdr[i].p_type == PT_INTERP)
			interp = (const char *)(L.main->l_addr + L.main->phdr[i].p_vaddr);
	for (struct obj *o = L.ns[0].head; o; o = o->l_next) {
		if (o->is_main)
			continue;
		if (o->faked)
			ob_printf(&ob, "\t%s => not found\n", o->name);
		else if (o->is_vdso)
			ob_printf(&ob, "\t%s (0x%016lx)\n", o->name, o->map_start);
		else if (o->is_rtld) /* glibc's ld.so is named by the program's PT_INTERP */
			ob_printf(&ob, "\t%s (0x%016lx)\n", interp ? interp : "/lib64/ld-linux-x86-64.so.2", o->map_start);
		else
			ob_printf(&ob, "\t%s => %s (0x%016lx)\n", o->needed_as ? o->needed_as : o->name, o->path, o->map_start);
	}
	ob_flush(&ob);
}

/* LD_SHOW_AUXV: the program's auxiliary vector as glibc's _dl_show_auxv prints it (its labels; numbers
 * in decimal or hex as it chooses), the vector as the program gets it. */
static void show_auxv(void)
{
	enum { DEC, HEX, STR };
	static const struct { unsigned char type, form; const char *label; } names[] = {
		{ AT_EXECFD, DEC, "EXECFD:            " }, { AT_EXECFN, STR, "EXECFN:            " },
		{ AT_PHDR, HEX, "PHDR:              0x" }, { AT_PHENT, DEC, "PHENT:             " },
		{ AT_PHNUM, DEC, "PHNUM:             " }, { AT_PAGESZ, DEC, "PAGESZ:            " },
		{ AT_BASE, HEX, "BASE:              0x" }, { AT_FLAGS, HEX, "FLAGS:             0x" },
		{ AT_ENTRY, HEX, "ENTRY:             0x" }, { AT_NOTELF, HEX, "NOTELF:            " },
		{ AT_UID, DEC, "UID:               " }, { AT_EUID, DEC, "EUID:              " },
		{ AT_GID, DEC, "GID:               " }, { AT_EGID, DEC, "EGID:              " },
		{ AT_PLATFORM, STR, "PLATFORM:          " },
#if GLIBC_LAYOUT_MINOR >= 43 /* 2.43 writes 0x before HWCAP too */
		{ AT_HWCAP, HEX, "HWCAP:             0x" },
#else
		{ AT_HWCAP, HEX, "HWCAP:             " },
#endif
		{ AT_CLKTCK, DEC, "CLKTCK:            " }, { AT_FPUCW, HEX, "FPUCW:             " },
		{ AT_DCACHEBSIZE, HEX, "DCACHEBSIZE:       0x" }, { AT_ICACHEBSIZE, HEX, "ICACHEBSIZE:       0x" },
		{ AT_UCACHEBSIZE, HEX, "UCACHEBSIZE:       0x" }, { AT_SECURE, DEC, "SECURE:            " },
		{ AT_BASE_PLATFORM, STR, "BASE_PLATFORM:     " }, { AT_SYSINFO, HEX, "SYSINFO:           0x" },
		{ AT_SYSINFO_EHDR, HEX, "SYSINFO_EHDR:      0x" }, { AT_RANDOM, HEX, "RANDOM:            0x" },
		{ AT_HWCAP2, HEX, "HWCAP2:            0x" }, { AT_MINSIGSTKSZ, DEC, "MINSIGSTKSZ:       " },
		{ AT_L1I_CACHESIZE, DEC, "L1I_CACHESIZE:     " }, { AT_L1I_CACHEGEOMETRY, HEX, "L1I_CACHEGEOMETRY: 0x" },
		{ AT_L1D_CACHESIZE, DEC, "L1D_CACHESIZE:     " }, { AT_L1D_CACHEGEOMETRY, HEX, "L1D_CACHEGEOMETRY: 0x" },
		{ AT_L2_CACHESIZE, DEC, "L2_CACHESIZE:      " }, { AT_L2_CACHEGEOMETRY, HEX, "L2_CACHEGEOMETRY:  0x" },
		{ AT_L3_CACHESIZE, DEC, "L3_CACHESIZE:      " }, { AT_L3_CACHEGEOMETRY, HEX, "L3_CACHEGEOMETRY:  0x" },
#if GLIBC_LAYOUT_MINOR >= 41 /* glibc 2.39+ names these too */
		{ 29 /* AT_HWCAP3 */, HEX, "HWCAP3:            0x" }, { 30 /* AT_HWCAP4 */, HEX, "HWCAP4:            0x" },
		{ 27 /* AT_RSEQ_FEATURE_SIZE */, DEC, "RSEQ_FEATURE_SIZE: " }, { 28 /* AT_RSEQ_ALIGN */, DEC, "RSEQ_ALIGN:        " },
#endif
	};
	char b[4096];
	struct outbuf ob;
	ob_init(&ob, 1, b, sizeof b);
	for (Elf64_auxv_t *a = L.auxv; a->a_type != AT_NULL; a++) {
		if (a->a_type < 2 || a->a_type == AT_IGNOREPPC)
			continue;
		size_t k = 0;
		while (k < ARRAY_LEN(names) && names[k].type != a->a_type)
			k++;
		if (k == ARRAY_LEN(names))
			ob_printf(&ob, "AT_??? (0x%lx): 0x%lx\n", (unsigned long)a->a_type, (unsigned long)a->a_un.a_val);
		else if (names[k].form == STR)
			ob_printf(&ob, "AT_%s%s\n", names[k].label, (const char *)a->a_un.a_val);
		else
			ob_printf(&ob, names[k].form == DEC ? "AT_%s%lu\n" : "AT_%s%lx\n", names[k].label,
				  (unsigned long)a->a_un.a_val);
	}
	ob_flush(&ob);
}

/* --verify (ldd's question): can this loader take FILE as a program? */
static __attribute__((noreturn)) void verify_program(const char *path)
{
	static struct u_catch c;
	if (elfld_setjmp(c.jb))
		sys_exit_group(1);
	u_catch_frame = &c;
	static struct elf_file f;
	int fd = f.fd = (int)sys_open(path, K_O_RDONLY | K_O_CLOEXEC | K_O_NONBLOCK, 0);
	if (fd < 0)
		sys_exit_group(1);
	f.n = -1;
	f.have_st = sys_fstat(fd, &f.st) == 0;
	struct obj *o = load_object(path, &f, 0);
	u_catch_frame = 0;
	int dyn = 0, interp = 0;
	for (int k = 0; k < o->phnum; k++) {
		dyn |= o->phdr[k].p_type == PT_DYNAMIC;
		interp |= o->phdr[k].p_type == PT_INTERP;
	}
	sys_exit_group(!dyn ? 1 : interp ? 0 : 2);
}

/* Rewrite the start-up block in place: the program's argv starts where PROGRAM was, auxv describes
 * the program instead of elfld. Returns the program's initial stack pointer (at its argc word). */
static uintptr_t *prepare_stack(int first_arg, const char *argv0)
{
	uintptr_t *sp = (uintptr_t *)(L.argv + first_arg) - 1;
	*sp = (uintptr_t)(L.argc - first_arg);
	if (argv0)
		L.argv[first_arg] = (char *)argv0;
	for (Elf64_auxv_t *a = L.auxv; a->a_type != AT_NULL; a++) {
		switch (a->a_type) {
		case AT_PHDR: a->a_un.a_val = (uintptr_t)L.main->phdr; break;
		case AT_PHNUM: a->a_un.a_val = (uintptr_t)L.main->phnum; break;
		case AT_PHENT: a->a_un.a_val = sizeof(Elf64_Phdr); break;
		case AT_ENTRY: a->a_un.a_val = L.main->entry; break;
		case AT_BASE: a->a_un.a_val = L.rtld->l_addr; break;
		case AT_EXECFN: a->a_un.a_val = (uintptr_t)L.progname; break;
		}
	}
	/* 16-byte alignment at argc is the ABI's: shift the whole block down by 8 if needed. */
	if ((uintptr_t)sp & 15) {
		uintptr_t *end = (uintptr_t *)L.auxv;
		while (((Elf64_auxv_t *)end)->a_type != AT_NULL)
			end += 2;
		end += 2;
		uintptr_t *nsp = sp - 1;
		for (uintptr_t *p = sp; p < end; p++)
			p[-1] = p[0];
		sp = nsp;
		L.auxv = (Elf64_auxv_t *)((uintptr_t *)L.auxv - 1);
	}
	L.argc -= first_arg;
	L.argv = (char **)(sp + 1);
	L.envp = L.argv + L.argc + 1;
	u_environ = L.envp;
	return sp;
}


/* Options that matter after parsing. */
static struct {
	const char *argv0, *libpath, *preload;
	const char *hwcaps_prepend, *hwcaps_mask; /* NULL: not given */
	int list, as_interp, verify, list_hwcaps;
	const char *pass[64]; /* the options as given, for --as-interp's ELFLD_OPTIONS */
	int npass;
} opt;

static const char *audit_opt; /* --audit */
/* Parse options from argv[first..]; returns the index of PROGRAM. */
static int parse_options(int argc, char **argv, int first)
{
	int i;
	for (i = first; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] != '-')
			break;
		if (u_strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (u_strcmp(a, "--help") == 0) {
			sys_write(1, usage, sizeof usage - 1);
			sys_exit_group(0);
		} else if (u_strcmp(a, "--version") == 0) {
			u_err("elfld-run %s (events format %d)\n", ELFLD_VERSION, ELFLD_EVENTS_VERSION);
			sys_exit_group(0);
		} else if (u_strcmp(a, "--events-schema") == 0) {
			events_print_schema(1);
			sys_exit_group(0);
		} else if (u_strcmp(a, "--stages") == 0) {
			for (int s = 0; s < STAGE_COUNT; s++)
				u_err("%-16s %s\n", stage_names[s], stage_descs[s]);
			sys_exit_group(0);
		} else if (u_strcmp(a, "--trace") == 0) {
			evcfg.trace_mask = TR_DEFAULT;
			if (evcfg.trace_fd < 0)
				evcfg.trace_fd = 2;
		} else if (u_startswith(a, "--trace=")) {
			if (events_parse_trace(a + 8, &evcfg.trace_mask) < 0)
				die_usage("unknown trace category in", a);
			if (evcfg.trace_fd < 0)
				evcfg.trace_fd = 2;
		} else if (u_startswith(a, "--trace-file=")) {
			evcfg.trace_fd = open_out(a + 13, "--trace-file");
			if (!evcfg.trace_mask)
				evcfg.trace_mask = TR_DEFAULT;
		} else if (u_startswith(a, "--events=")) {
			evcfg.stream_fd = open_out(a + 9, "--events");
		} else if (u_startswith(a, "--events-format=")) {
			if (u_strcmp(a + 16, "binary") == 0)
				evcfg.stream_binary = 1;
			else if (u_strcmp(a + 16, "text") == 0)
				evcfg.stream_binary = 0;
			else
				die_usage("--events-format is text or binary", a);
		} else if (u_startswith(a, "--control=")) {
			evcfg.control_fd = parse_fd(a + 10);
			if (evcfg.control_fd < 0)
				die_usage("--control needs a file descriptor number", a);
		} else if (u_startswith(a, "--pause-at=")) {
			const char *s = a + 11;
			while (*s) {
				const char *e = u_strchr(s, ',');
				char name[64];
				size_t n = e ? (size_t)(e - s) : strlen(s);
				if (n >= sizeof name)
					die_usage("unknown stage in", a);
				memcpy(name, s, n);
				name[n] = 0;
				int st = stage_from_name(name);
				if (st < 0)
					die_usage("unknown stage (see --stages) in", a);
				evcfg.pause_mask |= 1u << st;
				s += n + (e ? 1 : 0);
			}
		} else if (u_strcmp(a, "--pause-objects") == 0) {
			evcfg.pause_objects = 1;
		} else if (u_strcmp(a, "--audit") == 0 || u_startswith(a, "--audit=")) {
			if (a[7] == '=')
				audit_opt = a + 8;
			else if (i + 1 < argc) { /* ld.so's form; handed on as --audit=LIST */
				audit_opt = argv[++i];
				size_t m = strlen(audit_opt);
				char *w = u_alloc(m + 9);
				memcpy(w, "--audit=", 8);
				memcpy(w + 8, audit_opt, m + 1);
				a = w;
			} else
				die_usage("a list of audit modules must follow", a);
		} else if (u_strcmp(a, "--bind-now") == 0) {
			L.bind_now = 1;
		} else if (u_startswith(a, "--library-path=")) {
			opt.libpath = (char *)a + 15;
		} else if (u_startswith(a, "--preload=")) {
			opt.preload = (char *)a + 10;
		} else if (u_startswith(a, "--argv0=")) {
			opt.argv0 = a + 8;
		} else if (u_startswith(a, "--glibc-hwcaps-prepend") || u_startswith(a, "--glibc-hwcaps-mask")) {
			/* --OPT=LIST, or as ld.so: --OPT LIST (handed on as --OPT=LIST: an empty LIST stays one) */
			int mask = a[15] == 'm';
			const char *v = a + (mask ? 19 : 22);
			if (*v == '=')
				v++;
			else if (*v)
				die_usage("unknown option", a);
			else if (i + 1 < argc) {
				v = argv[++i];
				size_t n = strlen(a), m = strlen(v);
				char *w = u_alloc(n + m + 2);
				memcpy(w, a, n);
				w[n] = '=';
				memcpy(w + n + 1, v, m + 1);
				a = w;
			} else
				die_usage("a list of names must follow", a);
			*(mask ? &opt.hwcaps_mask : &opt.hwcaps_prepend) = v;
		} else if (u_strcmp(a, "--list-hwcaps") == 0) {
			opt.list_hwcaps = 1;
		} else if (u_strcmp(a, "--list") == 0) {
			opt.list = 1;
		} else if (u_strcmp(a, "--verify") == 0) {
			opt.verify = 1;
		} else if (u_strcmp(a, "--list-tunables") == 0) {
			/* glibc's tunables with their values here (GLIBC_TUNABLES applied, the CPU's set) */
			tunables_init(L.envp);
			glibc_cpu_setup();
			tunables_print();
			sys_exit_group(0);
		} else if (u_strcmp(a, "--as-interp") == 0) {
			opt.as_interp = 1;
		} else
			die_usage("unknown option", a);
		opt.pass[opt.npass++] = a; /* handed on to the interpreter-mode elfld (--as-interp) */
	}
	return i;
}

/* ---- interpreter mode: `--as-interp` re-executes the program through the kernel, in a private mount
 * namespace where elfld is bind-mounted over /lib64/ld-linux-x86-64.so.2. The kernel then maps the program
 * and starts elfld as its PT_INTERP, so /proc/self/exe, AT_EXECFN and argv are the native ones. Options
 * travel in ELFLD_OPTIONS (separated by \x1f), which elfld removes before the program sees its
 * environment. (prctl(PR_SET_MM_EXE_FILE) would be simpler but needs CAP_SYS_RESOURCE.) */
#define SYS_execve 59
#define SYS_mount 165
#define SYS_unshare 272
#define SYS_getuid 102
#define SYS_getgid 104

static int program_interp_is_standard(const char *path)
{
	int fd = (int)sys_open(path, K_O_RDONLY | K_O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	static char buf[4096] __attribute__((aligned(8)));
	long n = sys_pread(fd, buf, sizeof buf, 0);
	int ok = 0;
	if (n > 0 && !elf_check_header(buf, (size_t)n, (uint64_t)n)) {
		const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
		for (int k = 0; k < eh->e_phnum && eh->e_phoff + (k + 1) * sizeof(Elf64_Phdr) <= (uint64_t)n; k++) {
			const Elf64_Phdr *p = (const Elf64_Phdr *)(buf + eh->e_phoff) + k;
			char interp[64];
			if (p->p_type == PT_INTERP && p->p_filesz == sizeof INTERP_PATH &&
			    sys_pread(fd, interp, sizeof INTERP_PATH, p->p_offset) == sizeof INTERP_PATH)
				ok = memcmp(interp, INTERP_PATH, sizeof INTERP_PATH) == 0;
		}
	}
	sys_close(fd);
	return ok;
}

static int write_file(const char *path, const char *text)
{
	int fd = (int)sys_open(path, K_O_WRONLY, 0);
	if (fd < 0)
		return -1;
	long r = sys_write(fd, text, strlen(text));
	sys_close(fd);
	return r < 0 ? -1 : 0;
}

static int mounts_all_private(void)
{
	int fd = (int)sys_open("/proc/self/mountinfo", K_O_RDONLY | K_O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	enum { BUF = 65536 };
	char *buf = u_alloc(BUF); /* rarely needed (--as-interp): not in .bss */
	long n, total = 0;
	int shared = 0;
	while ((n = sys_read(fd, buf + total, BUF - 1 - (size_t)total)) > 0) {
		total += n;
		if (total >= BUF - 1)
			break;
	}
	sys_close(fd);
	if (total <= 0 || total >= BUF - 1) {
		u_free(buf);
		return 0; /* unknown: do not risk a mount that could propagate */
	}
	buf[total] = 0;
	for (char *p = buf; (p = u_strchr(p, ' ')); p++)
		if (u_startswith(p + 1, "shared:"))
			shared = 1;
	u_free(buf);
	return !shared;
}

static int private_mount_namespace(void)
{
	if (sys_call(SYS_unshare, 0x00020000 /* CLONE_NEWNS */, 0, 0) != 0) {
		/* Not root: a user namespace mapping our own ids gives us mount rights in it. */
		long uid = sys_call(SYS_getuid, 0, 0, 0), gid = sys_call(SYS_getgid, 0, 0, 0);
		if (sys_call(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */ | 0x00020000, 0, 0) != 0)
			return -1;
		char map[64];
		write_file("/proc/self/setgroups", "deny");
		u_snprintf(map, sizeof map, "%ld %ld 1", uid, uid);
		if (write_file("/proc/self/uid_map", map))
			return -1;
		u_snprintf(map, sizeof map, "%ld %ld 1", gid, gid);
		write_file("/proc/self/gid_map", map);
	}
	if (sys_call6(SYS_mount, 0, (long)"/", 0, 0x4000 /* MS_REC */ | 0x40000 /* MS_PRIVATE */, 0, 0) == 0)
		return 0;
	/* In a chroot "/" is no mount point and cannot be made private. That is fine if no mount we can see
	 * propagates to another namespace (e.g. the chroot was entered from `unshare --propagation private`). */
	return mounts_all_private() ? 0 : -1;
}

static void exec_as_interp(int first)
{
	if (!program_interp_is_standard(L.progname)) {
		u_err("elfld: %s: --as-interp needs a program whose PT_INTERP is %s; loading it directly\n", L.progname,
		      INTERP_PATH);
		return;
	}
	char self[4096];
	long n = sys_readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		u_fatal(0, "--as-interp: cannot find elfld's own file");
	self[n] = 0;
	if (private_mount_namespace() != 0) {
		u_err("elfld: %s: --as-interp: no private mount namespace here (unshare/mount refused); loading it directly\n",
		      L.progname);
		return;
	}
	long r = sys_call6(SYS_mount, (long)self, (long)INTERP_PATH, 0, 0x1000 /* MS_BIND */, 0, 0);
	if (r != 0)
		u_fatal(INTERP_PATH, "--as-interp: cannot bind-mount elfld over it (errno %ld)", -r);
	/* Environment: the program's plus ELFLD_OPTIONS. */
	int nenv = 0;
	while (L.envp[nenv])
		nenv++;
	char **env = u_alloc(sizeof(char *) * (size_t)(nenv + 2));
	memcpy(env, L.envp, sizeof(char *) * (size_t)nenv);
	size_t len = 16;
	for (int k = 0; k < opt.npass; k++)
		len += strlen(opt.pass[k]) + 1;
	char *o = u_alloc(len), *w = o;
	memcpy(w, "ELFLD_OPTIONS=", 14);
	w += 14;
	for (int k = 0; k < opt.npass; k++) {
		if (u_strcmp(opt.pass[k], "--as-interp") == 0)
			continue;
		if (w > o + 14)
			*w++ = '\x1f';
		size_t l = strlen(opt.pass[k]);
		memcpy(w, opt.pass[k], l);
		w += l;
	}
	*w = 0;
	env[nenv] = o;
	env[nenv + 1] = 0;
	char **argv = L.argv + first;
	if (opt.argv0)
		argv[0] = (char *)opt.argv0;
	r = sys_call(SYS_execve, L.progname, argv, env);
	u_fatal(L.progname, "--as-interp: execve failed (errno %ld)", -r);
}

/* Take envp[k] out of the start-up block: the envp tail, its NULL and auxv move down one word (the
 * program's libc finds auxv right after envp's NULL). */
static void env_remove(int k)
{
	uintptr_t *p = (uintptr_t *)&L.envp[k];
	uintptr_t *end = (uintptr_t *)L.auxv;
	while (((Elf64_auxv_t *)end)->a_type != AT_NULL)
		end += 2;
	end += 2;
	memmove(p, p + 1, (size_t)((char *)end - (char *)(p + 1)));
	L.auxv = (Elf64_auxv_t *)((uintptr_t *)L.auxv - 1);
	u_environ = L.envp;
}

/* Secure mode: the variables glibc's ld.so removes for set-user-ID programs (sysdeps/generic/unsecvars.h),
 * so neither the program nor what it runs sees them. */
static void drop_unsecure_env(void)
{
	static const char unsecure[] = "GCONV_PATH\0GETCONF_DIR\0HOSTALIASES\0LD_AUDIT\0LD_DEBUG\0LD_DEBUG_OUTPUT\0"
				       "LD_DYNAMIC_WEAK\0LD_HWCAP_MASK\0LD_LIBRARY_PATH\0LD_ORIGIN_PATH\0LD_PRELOAD\0"
				       "LD_PROFILE\0LD_SHOW_AUXV\0LOCALDOMAIN\0LOCPATH\0MALLOC_TRACE\0NIS_PATH\0"
				       "NLSPATH\0RESOLV_HOST_CONF\0RES_OPTIONS\0TMPDIR\0TZDIR\0";
	for (int k = 0; L.envp[k];) {
		int drop = 0;
		for (const char *v = unsecure; *v && !drop; v += strlen(v) + 1) {
			size_t n = strlen(v);
			drop = u_strncmp(L.envp[k], v, n) == 0 && L.envp[k][n] == '=';
		}
		if (drop)
			env_remove(k);
		else
			k++;
	}
}

/* Interpreter mode: options from ELFLD_OPTIONS, which is then taken out of the environment (the
 * envp tail, its NULL and auxv move down one word). */
static int options_from_env(void)
{
	int k;
	for (k = 0; L.envp[k]; k++)
		if (u_startswith(L.envp[k], "ELFLD_OPTIONS="))
			break;
	if (!L.envp[k])
		return 0;
	char *spec = L.envp[k] + 14;
	static char *vec[65];
	int n = 0;
	while (*spec && n < 64) {
		vec[n++] = spec;
		char *e = u_strchr(spec, '\x1f');
		if (!e)
			break;
		*e = 0;
		spec = e + 1;
	}
	vec[n] = 0;
	env_remove(k);
	if (parse_options(n, vec, 0) != n)
		u_fatal(0, "ELFLD_OPTIONS: unexpected argument %s", vec[parse_options(n, vec, 0)]);
	return 0;
}

/* Interpreter mode: the kernel mapped the program (AT_PHDR/AT_PHNUM/AT_ENTRY); elfld takes it as is. */
static struct obj *program_from_kernel(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)L.at_phdr;
	uintptr_t base = 0;
	for (size_t k = 0; k < L.at_phnum; k++)
		if (ph[k].p_type == PT_PHDR)
			base = L.at_phdr - ph[k].p_vaddr;
	L.progname = L.at_execfn ? L.at_execfn : L.argv[0];
	char self[4096];
	long n = sys_readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		L.main_realpath = u_strdup(self);
	}
	struct obj *o = obj_new(L.progname);
	o->is_main = 1;
	o->entry = L.at_entry;
	o->ehdr.e_type = ET_DYN;
	obj_from_memory(o, base, ph, (int)L.at_phnum);
	o->mapped_by_kernel = 1;
	return o;
}

/* LD_AUDIT (audit.c): what glibc's dl_main does before loading the program's libraries when there are
 * audit modules: the thread pointer with the program's TLS block (init_tls), then each module in a
 * namespace of its own, la_objopen for the program and ld.so, LA_ACT_ADD. Returns 1 if any was named
 * (the libraries' TLS then comes from the static surplus, as glibc's). */
static int audit_startup(const char *env_audit, int first)
{
	audit_add_list(env_audit);
	audit_add_list(audit_opt);
	const char *strtab = 0;
	for (const Elf64_Dyn *d = L.main->l_ld; d && d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_STRTAB)
			strtab = (const char *)(L.main->l_addr + d->d_un.d_ptr);
	for (int tag = 0; tag < 2 && strtab; tag++) /* DT_AUDIT, then DT_DEPAUDIT (the program's only, as glibc) */
		for (const Elf64_Dyn *d = L.main->l_ld; d->d_tag != DT_NULL; d++)
			if (d->d_tag == (tag ? DT_DEPAUDIT : DT_AUDIT))
				audit_add_list(strtab + d->d_un.d_val);
	if (!audit_requested())
		return 0;
	glibc_names();
	glibc_setup_audit();
	audit_tls_surplus();
	dep_push(&L.ns[0].global, L.main);
	tls_register_initial(); /* only the program's block is known yet */
	L.ns[0].global.n = 0;
	tls_setup_main_thread();
	uintptr_t tp = tls_tp_of_main();
	glibc_register_rseq(tp);
	tls_init_main_thread();
	glibc_update_argv(L.argv + first);
	glibc_init_main_thread(tp, (uintptr_t *)(L.argv + first) - 1);
	audit_argc = L.argc - first;
	audit_argv = L.argv + first;
	audit_load_modules();
	audit_adding(0);
	return 1;
}

extern char __bss_start[] HIDDEN, _end[] HIDDEN;

__attribute__((noreturn, used)) void elfld_start(uintptr_t *sp)
{
	elfld_self_relocate();
	/* elfld's own .bss (~30 KiB, most of it used by every run): filled in one call, not a fault per page */
	uintptr_t bss = ALIGN_UP((uintptr_t)__bss_start, PAGE_SIZE);
	sys_madvise((void *)bss, ALIGN_UP((uintptr_t)_end, PAGE_SIZE) - bss, K_MADV_POPULATE_WRITE);
	read_auxv(sp);

	L.lib_path = (char *)u_getenv("LD_LIBRARY_PATH");
	const char *bn = u_getenv("LD_BIND_NOW"), *bnot = u_getenv("LD_BIND_NOT");
	L.bind_now = bn && *bn;
	L.bind_not = bnot && *bnot;
	lazy_init();
	L.preload = (char *)u_getenv("LD_PRELOAD");
	const char *env_audit = u_getenv("LD_AUDIT"); /* read in secure mode too (names are filtered) */
	int interp = L.at_entry != (uintptr_t)_start; /* the kernel started us as PT_INTERP (--as-interp) */
	int i = interp ? options_from_env() : parse_options(L.argc, L.argv, 1);
	L.lazy = !L.bind_now; /* the start-up objects bind lazily, as glibc's (lazy.c) */
	const char *argv0 = opt.argv0;
	L.prog_argv0 = argv0 ? argv0 : i < L.argc ? L.argv[i] : "";
	int list = opt.list;
	char *cli_libpath = (char *)opt.libpath;
	if (opt.preload)
		L.preload = (char *)opt.preload;
	if (!L.secure) /* (names under trusted directories: not from an untrusted user) */
		search_hwcaps_options(opt.hwcaps_prepend, opt.hwcaps_mask);
	if (opt.list_hwcaps) {
		search_print_hwcaps();
		sys_exit_group(0);
	}
	if (i >= L.argc && !interp)
		die_usage("no PROGRAM given", 0);
	if (opt.verify)
		verify_program(L.argv[i]);
	L.trace = u_getenv("LD_TRACE_LOADED_OBJECTS") != 0; /* set at all, as glibc reads it */
	if (cli_libpath) {
		if (L.lib_path) {
			size_t n = strlen(cli_libpath) + strlen(L.lib_path) + 2;
			char *p = u_alloc(n);
			u_snprintf(p, n, "%s:%s", cli_libpath, L.lib_path);
			L.lib_path = p;
		} else
			L.lib_path = cli_libpath;
	}
	if (L.secure) {
		/* As glibc's secure mode, and stricter: LD_PRELOAD is ignored altogether (glibc still loads
		 * set-user-ID libraries named without a slash from the system directories). */
		L.lib_path = 0;
		L.preload = 0;
		drop_unsecure_env();
		if (opt.as_interp)
			u_fatal(0, "--as-interp: not available in secure mode (set-user-ID)");
	}

	if (opt.as_interp && !interp && !list) {
		/* The kernel maps the program, elfld is its interpreter: /proc/self/exe is the program. */
		L.progname = find_in_path(L.argv[i]);
		exec_as_interp(i); /* returns only if this program cannot be started that way */
	}
	lddebug_init(); /* LD_DEBUG, as glibc's ld.so (help and unknown options before anything is loaded) */
	events_init();
	event_stage(STAGE_BEGIN);
	register_self();
	rdebug_init();
	rdebug_begin(1);

	if (interp)
		L.main = program_from_kernel();
	else {
		L.progname = find_in_path(L.argv[i]);
		/* O_NONBLOCK: a FIFO given as the program must not block the open (load_object refuses it). */
		static struct elf_file f;
		int fd = f.fd = (int)sys_open(L.progname, K_O_RDONLY | K_O_CLOEXEC | K_O_NONBLOCK, 0);
		if (fd < 0)
			u_fatal(L.progname, fd == -2 ? "no such file" : fd == -13 ? "permission denied" : "cannot open (errno %d)", -fd);
		f.n = -1;
		f.have_st = sys_fstat(fd, &f.st) == 0;
		if (f.have_st && (f.st.st_mode & K_S_IFMT) == K_S_IFREG && !(f.st.st_mode & 0111))
			u_fatal(L.progname, "not executable (no execute permission)");
		/* Address randomization off (GDB's default, setarch -R): a PIE program goes where the kernel would
		 * put it, so its addresses are the native run's, and GDB's can know them before `run`. */
		L.main_fixed_base = (sys_call(SYS_personality, 0xffffffff, 0, 0) & 0x0040000 /* ADDR_NO_RANDOMIZE */) != 0;
		L.main = load_object(L.progname, &f, 0);
		L.main_fixed_base = 0;
		L.main_realpath = fd_path(fd);
		sys_close(fd);
	}
	if (!interp) /* the kernel named the process after elfld-run: /proc/self/comm, ps, top show the program's */
		sys_call(157 /* prctl */, 15 /* PR_SET_NAME */, u_strrchr(L.progname, '/') ? u_strrchr(L.progname, '/') + 1 : L.progname, 0);
	soname_index(L.main, 0); /* indexed as a file when it was appended; glibc's program has no file id */
	L.main->is_main = 1;
	check_program(L.main);
	if (is_static_program(L.main))
		start_static_program(i, argv0); /* does not return */
	register_vdso();
	if (LDDEBUG(LDD_SYMBOLS | LDD_BINDINGS | LDD_STATISTICS))
		lddebug_vdso(); /* glibc's setup_vdso_pointers looks these up before loading the libraries */
	if (!L.main->entry && !L.trace) /* ldd lists a library's dependencies too */
		u_fatal(L.progname, "has no entry point (a shared library, not a program?)");
	/* GDB's first node is the executable it knows (elfld); the program comes second. Move it there. */
	if (LDDEBUG(LDD_STATISTICS))
		lddebug_time(1);
	int audit = 0;
	if (__builtin_expect(env_audit || audit_opt || L.main->has_audit, 0) && !list)
		audit = audit_startup(env_audit, i); /* LD_AUDIT: modules loaded before the libraries, as glibc */
	deps_load_all();
	if (LDDEBUG(LDD_STATISTICS))
		lddebug_time(2);
	chain_in_glibc_order();
	if (L.trace) {
		if (LDDEBUG(LDD_UNUSED)) /* ldd -u */
			sys_exit_group(lddebug_unused());
		trace_objects();
		sys_exit_group(0);
	}
	versions_check_startup(); /* glibc's version requirements, before anything is relocated */
	stack_permissions();
	event_stage(STAGE_MAPPED);

	glibc_setup(); /* a glibc program: the globals libc reads, CPU features before any IFUNC resolver */
	if (lddebug_mask)
		lddebug_glro();
	if (!audit)
		tls_register_initial();
	else /* the program's block is in place: the libraries' TLS is allocated as dlopen's (glibc too) */
		for (struct obj *o = L.ns[0].head; o; o = o->l_next)
			tls_register_dynamic(o);
	glibc_fill_link_maps();
	rdebug_sync();
	if (!audit)
		tls_setup_main_thread();
	if (LDDEBUG(LDD_SCOPES)) /* glibc prints them after init_tls (LD_DEBUG=tls's "TCB allocated") */
		lddebug_scopes();
	if (!audit)
		glibc_register_rseq(tls_tp_of_main()); /* before relocation: COPY relocations copy __rseq_size/offset */
	event_stage(STAGE_TLS_ALLOCATED);

	if (LDDEBUG(LDD_STATISTICS))
		lddebug_time(3);
	relocate_all();
	if (LDDEBUG(LDD_STATISTICS))
		lddebug_time(4);
	if (lddebug_mask)
		lddebug_rtld();
	glibc_after_relocation();
	if (audit)
		audit_malloc_lookups();
	event_stage(STAGE_RELOCATED);

	/* The program's stack block (argv, auxv) is rewritten now: initializers get the program's argv. */
	uintptr_t *psp = list ? 0 : prepare_stack(i, argv0);
	if (psp && !L.secure && u_getenv("LD_SHOW_AUXV"))
		show_auxv();
	if (!audit)
		tls_init_main_thread();
	else { /* the program's block again, relocated now, and the libraries' */
		uintptr_t tp = tls_tp_of_main();
		for (struct obj *o = L.ns[0].head; o; o = o->l_next)
			if (o->tls_static)
				tls_init_static_in_threads(o, &tp, 1);
	}
	if (psp) {
		glibc_update_argv(L.argv);
		glibc_init_main_thread(tls_tp_of_main(), psp);
	}
	/* Tell debuggers about the start-up set only now, as glibc's ld.so does: libthread_db, which GDB
	 * loads when it sees libc, needs the main thread's TCB in place. */
	rdebug_end();
	event_stage(STAGE_TLS_INITIALIZED);

	for (struct obj *o = L.ns[0].head; o; o = o->l_next)
		protect_relro(o);
	event_stage(STAGE_PROTECTED);

	if (list) {
		list_objects();
		events_flush();
		sys_exit_group(0);
	}

	glibc_early_init();
	if (audit)
		audit_consistent(0);
	if (LDDEBUG(LDD_STATISTICS))
		lddebug_statistics(0);
	run_initializers();
	event_stage(STAGE_INITIALIZED);

	struct elfld_event ev = { .type = EV_ENTRY, .obj = L.main->id };
	ev.u.entry.entry = L.main->entry;
	ev.u.entry.sp = (uintptr_t)psp;
	ev.u.entry.fini = (uintptr_t)elfld_fini;
	ev.u.entry.tp = tls_tp_of_main();
	event_stage(STAGE_ENTRY);
	event_emit(&ev);
	events_flush();
	elfld_jump(L.main->entry, psp, elfld_fini);
}
