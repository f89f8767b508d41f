/* What differs between the glibc releases elfld supports, beyond struct layouts (those come from DWARF:
 * glibc_layout.h, and a field that is gone is an #ifdef on its GLIBC_OFF_ macro). Keyed by
 * GLIBC_LAYOUT_MINOR, the release of the libc.so.6 the build found. One place for every such fact: to add
 * a release, list it in GLIBC_KNOWN_RELEASE and check each switch below against that release's elf/,
 * nptl/ and sysdeps/x86/ sources. */
#ifndef ELFLD_GLIBC_VERSION_H
#define ELFLD_GLIBC_VERSION_H
#include "glibc_layout.h"

/* Releases tested: Debian 12 (2.36), 13 (2.41), unstable (2.43). CMakeLists.txt refuses others first. */
#define GLIBC_KNOWN_RELEASE (GLIBC_LAYOUT_MINOR == 36 || GLIBC_LAYOUT_MINOR == 41 || GLIBC_LAYOUT_MINOR == 43)
#if !GLIBC_KNOWN_RELEASE
#error "elfld supports glibc 2.36, 2.41 and 2.43 (Debian 12, 13, unstable); see loader/glibc_version.h"
#endif

/* 2.37: ld.so owns the error-catching machinery (elf/dl-catch.c): libc imports _dl_catch_exception,
 * _dl_signal_exception and _dl_signal_error from it, and GLRO(dl_catch_error) is ld.so's. Before, libc had
 * its own and elfld borrowed them. The innermost catch hangs off struct pthread's rtld_catch. */
#define GLIBC_RTLD_OWNS_CATCH (GLIBC_LAYOUT_MINOR >= 37)

/* 2.41: the rseq area moved from struct pthread (rseq_area) to an "extra TLS" block at the far end of the
 * static TLS block (sysdeps/unix/sysv/linux/dl-extra_tls.h); __rseq_size is the kernel's feature size
 * (AT_RSEQ_FEATURE_SIZE, at least 20) rather than a constant 20. */
#define GLIBC_RSEQ_IN_STATIC_TLS (GLIBC_LAYOUT_MINOR >= 41)

/* 2.42: dlopen of an object already fully open (dlopened before or the program, in the global scope if
 * RTLD_GLOBAL asks, NODELETE if RTLD_NODELETE asks), found by name, only counts the reference: no
 * "opening file" line of LD_DEBUG=files, no r_debug change (elf/dl-open.c is_already_fully_open). */
#define GLIBC_DLOPEN_FAST_PATH (GLIBC_LAYOUT_MINOR >= 42)

/* LD_AUDIT, dlopen: LA_ACT_CONSISTENT once the new objects are mapped and their versions checked, before
 * relocation (2.36); since 2.40 (bug 31986) after relocation and the namespace libc's early init, when
 * the list is consistent again for the debugger, error or not. */
#define GLIBC_AUDIT_CONSISTENT_AFTER_RELOC (GLIBC_LAYOUT_MINOR >= 40)

/* LD_AUDIT, 2.41 (bugs 31985, 32065, 32066): ld.so's proxy link map in a dlmopen namespace gets la_objopen
 * when it is added and la_objclose at exit; dlclose signals LA_ACT_DELETE before its first la_objclose
 * (after that object's destructors), as _dl_fini does, not after them all. */
#define GLIBC_AUDIT_2_41_EVENTS (GLIBC_LAYOUT_MINOR >= 41)

#endif
