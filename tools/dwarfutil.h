/* libdwarf helpers shared by the host-side tools that read DWARF (tools/glibc-layout.c, tui/dwarf.c). */
#ifndef ELFLD_DWARFUTIL_H
#define ELFLD_DWARFUTIL_H
#include <libdwarf.h>

/* Opens the DWARF of the ELF file `path`, following its build-id and .gnu_debuglink to a separate debug
 * file (truepath receives the file read). libdwarf 0.x (Debian 13 and later) dropped the access-mode and
 * error-handler arguments of dwarf_init_path and the error argument of dwarf_finish that libdwarf
 * 20210528 (Debian 12) has: these two are the only calls whose form differs. DW_DLV_OK on success. */
int dw_open(const char *path, char *truepath, unsigned truepath_len, Dwarf_Debug *dbg);
void dw_close(Dwarf_Debug dbg);

/* The DIE that DW_AT_type of `d` refers to, or NULL (the caller deallocates it). */
Dwarf_Die dw_type_of(Dwarf_Debug dbg, Dwarf_Die d);
#endif
