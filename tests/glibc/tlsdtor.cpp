// A dlopened library's thread_local with a destructor, then dlclose while the main thread and a second,
// still running thread hold such objects: glibc keeps the library loaded while destructors are pending
// (l_tls_dtor_count), so the thread's exit and the program's exit call them safely.
#include <condition_variable>
#include <cstdio>
#include <dlfcn.h>
#include <mutex>
#include <thread>
static std::mutex m;
static std::condition_variable cv;
static int step;
static void wait_for(int s) { std::unique_lock<std::mutex> l(m); cv.wait(l, [s] { return step >= s; }); }
static void go(int s) { { std::lock_guard<std::mutex> l(m); step = s; } cv.notify_all(); }
int main()
{
	void *h = dlopen(TLSDTOR_LIB, RTLD_NOW);
	if (!h) { std::printf("dlopen: %s\n", dlerror()); return 1; }
	auto touch = (int (*)(int))dlsym(h, "touch");
	std::printf("main touch %d\n", touch(1));
	std::thread th([&] {
		std::printf("thread touch %d\n", touch(2));
		std::fflush(stdout);
		go(1);
		wait_for(2);
	});
	wait_for(1);
	std::printf("dlclose %d\n", dlclose(h));
	std::fflush(stdout);
	go(2);
	th.join();
	std::printf("joined\n");
	return 0;
}
