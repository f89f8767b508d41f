/* elfld-run: options, then the pipeline  parse -> map -> deps -> TLS -> relocate -> init -> start. */
#include "elfld.h"
#include "events.h"
#include "parse.h"
#include "sys.h"
#include "tls.h"
#include "glibc.h"

struct loader L HIDDEN;
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
	"                         list of: stages objects segments search symbols relocs tls init all\n"
	"                         (default: everything except relocs and symbols)\n"
	"  --trace-file=FILE      write the trace to FILE instead of stderr\n"
	"  --events=FD|FILE       write the versioned event stream (docs/events.md) to file descriptor\n"
	"                         FD or to FILE (created/truncated)\n"
	"  --events-schema        print the event stream schema and exit\n"
	"  --pause-at=STAGE[,..]  stop at these stage boundaries; with --control wait for a command,\n"
	"                         without it stop the process (SIGSTOP; resume with kill -CONT)\n"
	"  --pause-objects        also stop after each object is mapped and after it is relocated\n"
	"  --control=FD           read pause commands from FD: continue | step | step-object |\n"
	"                         pause-at STAGE | clear (one per line)\n"
	"  --library-path=PATH    search PATH (colon-separated) before LD_LIBRARY_PATH\n"
	"  --preload=LIST         load these libraries first (like LD_PRELOAD)\n"
	"  --argv0=NAME           pass NAME as the program's argv[0]\n"
	"  --list                 load and relocate, then print the objects and exit (like ldd)\n"
	"  --stages               list the stage names and exit\n"
	"  --help                 this text\n"
	"  --version              print the version\n"
	"\n"
	"Environment: LD_LIBRARY_PATH, LD_PRELOAD (ignored for set-user-ID programs), PATH.\n"
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
	fd = (int)sys_open(arg, K_O_WRONLY | K_O_CREAT | K_O_TRUNC | K_O_CLOEXEC, 0644);
	if (fd < 0)
		u_fatal(arg, "cannot open for %s (errno %d)", opt, -fd);
	return fd;
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
		}
	}
}

/* elfld itself, as the object that provides ld-linux-x86-64.so.2's interface. */
static void register_self(void)
{
	char self[4096];
	long n = sys_readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		n = 0;
	self[n] = 0;
	struct obj *o = obj_new(n ? self : "elfld-run");
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
	for (int k = 1; k < L.global_scope.n; k++) {
		dep_push(&order, L.global_scope.v[k]);
		have_rtld |= L.global_scope.v[k] == L.rtld;
	}
	if (!have_rtld)
		dep_push(&order, L.rtld);
	L.objs_head = L.objs_tail = 0;
	for (int k = 0; k < order.n; k++) {
		struct obj *o = order.v[k];
		o->l_prev = L.objs_tail;
		o->l_next = 0;
		if (L.objs_tail)
			L.objs_tail->l_next = o;
		else
			L.objs_head = o;
		L.objs_tail = o;
	}
	u_free(order.v);
	elfld_debug.objs = L.objs_head;
	L.main->l_name = "";
	/* ld.so's name is the program's PT_INTERP, as under the system loader. */
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
	for (struct obj *o = L.objs_head; o; o = o->l_next) {
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
	}
	L.argc -= first_arg;
	L.argv = (char **)(sp + 1);
	return sp;
}

__attribute__((noreturn, used)) void elfld_start(uintptr_t *sp)
{
	elfld_self_relocate();
	read_auxv(sp);

	const char *argv0 = 0;
	int list = 0, i;
	L.lib_path = (char *)u_getenv("LD_LIBRARY_PATH");
	L.preload = (char *)u_getenv("LD_PRELOAD");
	char *cli_libpath = 0;
	for (i = 1; i < L.argc; i++) {
		const char *a = L.argv[i];
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
		} else if (u_startswith(a, "--library-path=")) {
			cli_libpath = (char *)a + 15;
		} else if (u_startswith(a, "--preload=")) {
			L.preload = (char *)a + 10;
		} else if (u_startswith(a, "--argv0=")) {
			argv0 = a + 8;
		} else if (u_strcmp(a, "--list") == 0) {
			list = 1;
		} else
			die_usage("unknown option", a);
	}
	if (i >= L.argc)
		die_usage("no PROGRAM given", 0);
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
		L.lib_path = 0;
		L.preload = 0;
	}

	events_init();
	event_stage(STAGE_BEGIN);
	register_self();
	rdebug_init();
	rdebug_begin(1);

	L.progname = find_in_path(L.argv[i]);
	int fd = (int)sys_open(L.progname, K_O_RDONLY | K_O_CLOEXEC, 0);
	if (fd < 0)
		u_fatal(L.progname, fd == -2 ? "no such file" : fd == -13 ? "permission denied" : "cannot open (errno %d)", -fd);
	struct k_stat st;
	if (sys_fstat(fd, &st) == 0 && (st.st_mode & K_S_IFMT) == K_S_IFREG && !(st.st_mode & 0111))
		u_fatal(L.progname, "not executable (no execute permission)");
	L.main = load_object(L.progname, fd, 0);
	L.main->is_main = 1;
	sys_close(fd);
	register_vdso();
	if (!L.main->entry)
		u_fatal(L.progname, "has no entry point (a shared library, not a program?)");
	/* GDB's first node is the executable it knows (elfld); the program comes second. Move it there. */
	deps_load_all();
	chain_in_glibc_order();
	event_stage(STAGE_MAPPED);

	glibc_setup(); /* a glibc program: the globals libc reads, CPU features before any IFUNC resolver */
	tls_register_initial();
	glibc_fill_link_maps();
	rdebug_sync();
	tls_setup_main_thread();
	event_stage(STAGE_TLS_ALLOCATED);

	relocate_all();
	glibc_after_relocation();
	event_stage(STAGE_RELOCATED);

	/* The program's stack block (argv, auxv) is rewritten now: initializers get the program's argv. */
	uintptr_t *psp = list ? 0 : prepare_stack(i, argv0);
	tls_init_main_thread();
	if (psp) {
		glibc_update_argv(L.argv);
		glibc_init_main_thread(tls_tp_of_main(), psp);
	}
	/* Tell debuggers about the start-up set only now, as glibc's ld.so does: libthread_db, which GDB
	 * loads when it sees libc, needs the main thread's TCB in place. */
	rdebug_end();
	event_stage(STAGE_TLS_INITIALIZED);

	for (struct obj *o = L.objs_head; o; o = o->l_next)
		protect_relro(o);
	event_stage(STAGE_PROTECTED);

	if (list) {
		list_objects();
		events_flush();
		sys_exit_group(0);
	}

	glibc_early_init();
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
