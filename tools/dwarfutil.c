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
