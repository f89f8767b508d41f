// tlsdtor's library: a C++ thread_local with a destructor (registered through __cxa_thread_atexit_impl).
#include <cstdio>
struct Tracked {
	int v = 0;
	~Tracked() { std::printf("~Tracked %d\n", v); std::fflush(stdout); }
};
thread_local Tracked tracked;
extern "C" int touch(int v) { tracked.v = v; return tracked.v; }
