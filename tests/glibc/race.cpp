// Threads racing the loader; the output is deterministic (compare.sh): "A ok" ... "D ok", the first
// mismatch of each thread if any, and whether memory stayed flat.
//   A: dlopen(librace_x.so, RTLD_NOW|RTLD_LOCAL) -> dlsym -> GD TLS (__tls_get_addr) -> dlclose, in a loop;
//      each fresh load must start from the TLS initial image (100, 101, 102).
//   B: the same with librace_y.so (200, ...).
//   C: short-lived threads calling into librace_z.so (opened once): each new thread sees 500, 501.
//   D: C++ exceptions thrown inside librace_throw.so and caught here (and inside it), while A and B change
//      the set of loaded objects (unwinding asks _dl_find_object); dl_iterate_phdr now and then.
// Runs about a second: until every thread did a minimum of iterations and 1 s has passed.
// `race lazy': the libraries are dlopened with RTLD_LAZY, so each fresh load binds its PLT (__tls_get_addr)
// at its first calls, in threads A and B, while the other one's dlopen/dlclose changes the scope.
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>

static int open_mode = RTLD_NOW;

#ifndef RACE_DIR
#define RACE_DIR "."
#endif

extern "C" void race_throw(int i);
extern "C" int race_catch_inside(int i);

static std::atomic<bool> stop_flag{ false };
static std::atomic<long> iters[4];
static char mismatch[4][256];

static void fail(int t, const std::string &what)
{
	if (!mismatch[t][0])
		std::snprintf(mismatch[t], sizeof mismatch[t], "%s", what.c_str());
}

static double now()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_pages()
{
	FILE *f = std::fopen("/proc/self/statm", "r");
	long a = 0, b = 0;
	if (f) {
		if (std::fscanf(f, "%ld %ld", &a, &b) != 2)
			b = 0;
		std::fclose(f);
	}
	return b;
}

typedef int (*bump_fn)(void);
typedef int *(*addr_fn)(void);

// Threads A and B.
struct cycler {
	int t;
	const char *lib;
	int init;
};

static void *cycle(void *arg)
{
	const cycler *c = static_cast<const cycler *>(arg);
	while (!stop_flag.load()) {
		long i = iters[c->t].load();
		void *h = dlopen(c->lib, open_mode | RTLD_LOCAL);
		if (!h) {
			fail(c->t, std::string("dlopen: ") + dlerror());
			break;
		}
		bump_fn bump = (bump_fn)dlsym(h, "race_bump");
		addr_fn addr = (addr_fn)dlsym(h, "race_addr");
		bump_fn ctors = (bump_fn)dlsym(h, "race_ctors");
		int *sym = (int *)dlsym(h, "tv");
		if (!bump || !addr || !ctors || !sym) {
			fail(c->t, "dlsym failed at iteration " + std::to_string(i));
			dlclose(h);
			break;
		}
		int v0 = bump(), v1 = bump(), v2 = bump();
		if (v0 != c->init || v1 != c->init + 1 || v2 != c->init + 2)
			fail(c->t, "values " + std::to_string(v0) + " " + std::to_string(v1) + " " + std::to_string(v2) +
					   " at iteration " + std::to_string(i));
		if (sym != addr() || *sym != c->init + 3)
			fail(c->t, "dlsym(tv) is not this thread's tv at iteration " + std::to_string(i));
		if (ctors() != 1)
			fail(c->t, "constructor ran " + std::to_string(ctors()) + " times");
		size_t modid = 0;
		if (dlinfo(h, RTLD_DI_TLS_MODID, &modid) || !modid)
			fail(c->t, "no TLS module id");
		void *data = 0;
		if (dlinfo(h, RTLD_DI_TLS_DATA, &data) || data == 0)
			fail(c->t, "no TLS block after use");
		if (dlclose(h))
			fail(c->t, std::string("dlclose: ") + dlerror());
		iters[c->t]++;
	}
	return 0;
}

// Thread C.
static void *z_thread(void *arg)
{
	bump_fn bump = (bump_fn)arg;
	int a = bump(), b = bump();
	return (void *)(long)(a * 1000 + b);
}

static void *spawner(void *arg)
{
	void *h = arg;
	bump_fn bump = (bump_fn)dlsym(h, "race_bump");
	if (!bump) {
		fail(2, "dlsym race_bump");
		return 0;
	}
	int mine = bump(); // this thread's own copy moves on; new threads must not see it
	if (mine != 500)
		fail(2, "spawner saw " + std::to_string(mine));
	while (!stop_flag.load()) {
		pthread_t t;
		if (pthread_create(&t, 0, z_thread, (void *)bump)) {
			fail(2, "pthread_create failed");
			break;
		}
		void *r = 0;
		pthread_join(t, &r);
		if ((long)r != 500 * 1000 + 501)
			fail(2, "new thread saw " + std::to_string((long)r) + " at iteration " + std::to_string(iters[2].load()));
		iters[2]++;
	}
	if (bump() != 501)
		fail(2, "spawner's own copy changed");
	return 0;
}

// Thread D.
struct phdr_check {
	int n, main_first, z, thr, bad;
};

static int phdr_cb(dl_phdr_info *i, size_t, void *arg)
{
	phdr_check *c = static_cast<phdr_check *>(arg);
	if (c->n++ == 0)
		c->main_first = i->dlpi_name && !i->dlpi_name[0];
	if (!i->dlpi_name || !i->dlpi_phdr || !i->dlpi_phnum)
		c->bad++;
	else {
		c->z += std::strstr(i->dlpi_name, "librace_z.so") != 0;
		c->thr += std::strstr(i->dlpi_name, "librace_throw.so") != 0;
	}
	return 0;
}

static void *thrower(void *)
{
	while (!stop_flag.load()) {
		int i = (int)iters[3].load();
		bool caught = false;
		try {
			race_throw(i);
		} catch (const std::runtime_error &e) {
			caught = true;
			if (std::string(e.what()) != "boom " + std::to_string(i))
				fail(3, std::string("caught ") + e.what() + " at iteration " + std::to_string(i));
		} catch (...) {
			fail(3, "caught something else at iteration " + std::to_string(i));
		}
		if (!caught)
			fail(3, "nothing caught at iteration " + std::to_string(i));
		if (!race_catch_inside(i))
			fail(3, "inside catch failed at iteration " + std::to_string(i));
		if (i % 16 == 0) {
			phdr_check c = { 0, 0, 0, 0, 0 };
			dl_iterate_phdr(phdr_cb, &c);
			if (!c.main_first || c.z != 1 || c.thr != 1 || c.bad)
				fail(3, "dl_iterate_phdr: main first " + std::to_string(c.main_first) + " z " + std::to_string(c.z) +
						" throw " + std::to_string(c.thr) + " bad " + std::to_string(c.bad));
		}
		iters[3]++;
	}
	return 0;
}

static bool reached(const long *min)
{
	for (int t = 0; t < 4; t++)
		if (iters[t].load() < min[t])
			return false;
	return true;
}

static void wait_for(const long *min, double until)
{
	timespec ts = { 0, 2000000 };
	while (!reached(min) || now() < until)
		nanosleep(&ts, 0);
}

int main(int argc, char **argv)
{
	double t0 = now();
	if (argc > 1 && !strcmp(argv[1], "lazy"))
		open_mode = RTLD_LAZY;
	void *z = dlopen(RACE_DIR "/librace_z.so", open_mode | RTLD_LOCAL);
	if (!z) {
		std::printf("dlopen librace_z.so: %s\n", dlerror());
		return 1;
	}
	cycler a = { 0, RACE_DIR "/librace_x.so", 100 }, b = { 1, RACE_DIR "/librace_y.so", 200 };
	// RACE_THREADS=AD (say) runs only those threads: for narrowing a failure down by hand.
	const char *only = getenv("RACE_THREADS");
	bool run[4];
	for (int t = 0; t < 4; t++)
		run[t] = !only || std::strchr(only, 'A' + t);
	pthread_t th[4];
	void *(*fn[4])(void *) = { cycle, cycle, spawner, thrower };
	void *args[4] = { &a, &b, z, 0 };
	long warm[4] = { 30, 30, 30, 300 }, enough[4] = { 100, 100, 100, 1000 };
	for (int t = 0; t < 4; t++)
		if (run[t])
			pthread_create(&th[t], 0, fn[t], args[t]);
		else
			warm[t] = enough[t] = 0;
	wait_for(warm, t0 + 0.25);
	long r0 = rss_pages();
	wait_for(enough, t0 + 1.0);
	stop_flag = true;
	for (int t = 0; t < 4; t++)
		if (run[t])
			pthread_join(th[t], 0);
	long r1 = rss_pages();
	for (int t = 0; t < 4; t++) {
		if (!run[t])
			std::printf("%c not run\n", 'A' + t);
		else if (mismatch[t][0])
			std::printf("%c mismatch: %s\n", 'A' + t, mismatch[t]);
		else
			std::printf("%c ok\n", 'A' + t);
	}
	// 1 MiB for a second of dlopen/dlclose, threads and exceptions: a leak per iteration shows.
	std::printf("memory flat %d\n", r1 - r0 < 256);
	if (getenv("RACE_VERBOSE"))
		std::fprintf(stderr, "iterations %ld %ld %ld %ld, rss %ld -> %ld pages, %.2f s\n", iters[0].load(),
			     iters[1].load(), iters[2].load(), iters[3].load(), r0, r1, now() - t0);
	dlclose(z);
	return 0;
}
