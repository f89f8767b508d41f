/* C++: exceptions in the main thread and a std::thread (unwinding through _dl_find_object), thread_local,
 * static destructors (finalizers through the loader). */
#include <cstdio>
#include <stdexcept>
#include <thread>
thread_local int tl = 3;
struct D { ~D(){ std::puts("static dtor"); } } d;
int main(){ try { throw std::runtime_error("boom"); } catch (const std::exception &e) { std::printf("caught %s %d\n", e.what(), tl); }
 std::thread t([]{ try { throw 42; } catch (int x) { std::printf("thread caught %d %d\n", x, tl); } }); t.join(); return 0; }
