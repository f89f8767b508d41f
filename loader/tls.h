/* Thread-local storage, x86-64 variant II: %fs:0 points at the TCB; static blocks sit below it at
 * tp - tls_offset; each thread has a DTV (glibc layout: 16-byte entries, tcb->dtv points at the entry
 * holding the generation, the entry before it holds the number of module slots). */
#ifndef ELFLD_TLS_H
#define ELFLD_TLS_H
#include <stddef.h>
#include <stdint.h>

typedef union {
	size_t counter;
	struct {
		void *val;     /* block address, or TLS_DTV_UNALLOCATED */
		void *to_free; /* non-NULL for dynamically allocated blocks */
	} pointer;
} dtv_t;
#define TLS_DTV_UNALLOCATED ((void *)-1L)
#define TLS_DTV_SURPLUS 14

/* tcbhead_t: the fields of glibc's that elfld fills. Offsets are ABI (used by compiled code). */
#define TCB_OFF_TCB 0
#define TCB_OFF_DTV 8
#define TCB_OFF_SELF 16
#define TCB_OFF_STACK_GUARD 40
#define TCB_OFF_POINTER_GUARD 48
#define TLS_MAX_ALIGN_LIMIT (1UL << 20)

struct obj;
void tlsdesc_set(uint64_t *desc, struct obj *ref, struct obj *def, uint64_t off);
void tls_stats_line(void);
#endif
