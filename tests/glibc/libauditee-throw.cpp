// For the glibc-audit test: a function that throws, called from the program through a PLT slot that the
// audit module's la_pltenter asks la_pltexit for, so the exception unwinds through the loader's
// _dl_runtime_profile frame.
#include <stdexcept>
extern "C" int auditee_throw(int x)
{
	if (x > 1)
		throw std::runtime_error("thrown through the PLT trampoline");
	return x;
}
