// librace_throw.so for race.cpp: C++ exceptions thrown inside a shared library, through a few frames of it.
#include <stdexcept>
#include <string>
__attribute__((noinline)) static void deeper(int i, int depth)
{
	if (depth == 0)
		throw std::runtime_error("boom " + std::to_string(i));
	deeper(i, depth - 1);
	asm volatile("" ::: "memory"); // not a tail call: keep the frames
}
extern "C" void race_throw(int i) { deeper(i, i % 4); }
extern "C" int race_catch_inside(int i)
{
	try {
		deeper(i, 2);
	} catch (const std::runtime_error &e) {
		return std::string(e.what()) == "boom " + std::to_string(i) ? 1 : 0;
	}
	return 0;
}
