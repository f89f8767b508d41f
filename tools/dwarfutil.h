/* libdwarf helpers shared by the host-side tools that read DWARF (tools/glibc-layout.c, tui/dwarf.c). */
#ifndef ELFLD_DWARFUTIL_H
#define ELFLD_DWARFUTIL_H
#include <libdwarf.h>

/* The DIE that DW_AT_type of `d` refers to, or NULL (the caller deallocates it). */
Dwarf_Die dw_type_of(Dwarf_Debug dbg, Dwarf_Die d);
#endif
