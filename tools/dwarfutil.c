/* libdwarf helpers shared by the host-side tools (see dwarfutil.h). */
#include "dwarfutil.h"
#include <dwarf.h>
#include <stddef.h>

Dwarf_Die dw_type_of(Dwarf_Debug dbg, Dwarf_Die d)
{
	Dwarf_Attribute a;
	Dwarf_Error err = NULL;
	Dwarf_Off off;
	Dwarf_Die t = NULL;
	if (dwarf_attr(d, DW_AT_type, &a, &err) != DW_DLV_OK)
		return NULL;
	if (dwarf_global_formref(a, &off, &err) == DW_DLV_OK)
		dwarf_offdie_b(dbg, off, 1, &t, &err);
	dwarf_dealloc(dbg, a, DW_DLA_ATTR);
	return t;
}

int dw_open(const char *path, char *truepath, unsigned truepath_len, Dwarf_Debug *dbg)
{
	Dwarf_Error err = NULL; /* never NULL: libdwarf 20210528 aborts on an error with no place to put it */
#ifdef DW_LIBDWARF_VERSION_MAJOR
	return dwarf_init_path(path, truepath, truepath_len, DW_GROUPNUMBER_ANY, NULL, NULL, dbg, &err);
#else
	return dwarf_init_path(path, truepath, truepath_len, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, dbg, NULL, 0,
			       NULL, &err);
#endif
}

void dw_close(Dwarf_Debug dbg)
{
#ifdef DW_LIBDWARF_VERSION_MAJOR
	dwarf_finish(dbg);
#else
	Dwarf_Error err = NULL;
	dwarf_finish(dbg, &err);
#endif
}
