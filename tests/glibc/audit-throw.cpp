// glibc-audit: C++ exceptions thrown by a library function called through LD_AUDIT's PLT trampoline
// (la_pltexit wanted), caught in the program.
#include <cstdio>
#include <stdexcept>
extern "C" int auditee_throw(int);
int main()
{
	for (int i = 0; i < 4; i++) {
		try {
			std::printf("auditee_throw(%d) = %d\n", i, auditee_throw(i));
		} catch (const std::exception &e) {
			std::printf("caught: %s\n", e.what());
		}
	}
	return 0;
}
