/* The PLT resolvers, instruction for instruction glibc's sysdeps/x86_64/dl-trampoline.h (so that `stepi`
 * through a first call reads as under glibc): a lazy PLT entry pushes its DT_JMPREL index, PLT0 pushes
 * GOT[1] (the object's link_map) and jumps through GOT[2] to one of these (chosen as glibc chooses: cpu.c's
 * cpu_plt_resolver). Each saves the argument registers and the vector state, calls _dl_fixup(link_map,
 * index) (lazy.c), restores everything and jumps to the function, with the caller's return address on top
 * of the stack as if it had been called directly.
 *
 * Frame: %rbx keeps the stack pointer of entry (minus the saved %rbx); below it, 64-byte aligned,
 *   0..55   %rax %rcx %rdx %rsi %rdi %r8 %r9 (%rax: the vector-register count of a variadic call)
 *   64..    the vector state: cpu_features.xsave_state_size bytes in all (which counts the 64 above), or
 *           512 for FXSAVE
 * The CFI describes it all, so GDB's `bt` and `finish` inside _dl_fixup reach the caller.
 *
 * The section is named .plt because GDB takes code in a .plt section for "dynamic symbol resolve code"
 * (solib-svr4's in_dynsym_resolve_code), which `step` goes through instead of stopping in; _dl_fixup
 * starts in one too, and GDB's glibc_skip_solib_resolver (the `_dl_runtime_resolve` and `_dl_fixup`
 * symbols) then lets it run to its return. So `step` into a function not bound yet stops in that
 * function, as under glibc, where the same code is the interpreter's. */
#include "glibc_layout.h"

#if GLIBC_LAYOUT_MINOR >= 41 /* STATE_SAVE_MASK: SSE, AVX, BNDREGS, K, ZMM_H, ZMM; from 2.41 also APX */
#define STATE_SAVE_MASK ((1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 19))
#else
#define STATE_SAVE_MASK ((1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7))
#endif
#define STATE_SAVE_OFFSET (8 * 7 + 8)
#define XSAVE_STATE_SIZE \
	(_rtld_global_ro + GLIBC_OFF_rtld_global_ro___dl_x86_cpu_features + GLIBC_OFF_cpu_features__xsave_state_size)

	.section .plt,"ax",@progbits
	.cfi_sections .debug_frame

.macro RESOLVER name, kind
	.globl \name
	.hidden \name
	.type \name, @function
	.p2align 4
\name:
	.cfi_startproc
	.cfi_adjust_cfa_offset 16 /* the index and GOT[1], pushed by the PLT */
	push %rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %rbx, 0
	mov %rsp, %rbx
	.cfi_def_cfa_register %rbx
.ifc \kind, fxsave
	and $-16, %rsp
	sub $(STATE_SAVE_OFFSET + 512), %rsp
.else
	and $-64, %rsp
	sub XSAVE_STATE_SIZE(%rip), %rsp
.endif
	mov %rax, 0(%rsp)
	mov %rcx, 8(%rsp)
	mov %rdx, 16(%rsp)
	mov %rsi, 24(%rsp)
	mov %rdi, 32(%rsp)
	mov %r8, 40(%rsp)
	mov %r9, 48(%rsp)
.ifc \kind, fxsave
	fxsave STATE_SAVE_OFFSET(%rsp)
.else
	mov $STATE_SAVE_MASK, %eax
	xor %edx, %edx
	/* XRSTOR wants bytes 16..63 of the XSAVE header zero and neither XSAVE nor XSAVEC writes them (XSAVE
	 * writes XSTATE_BV only, XSAVEC also XCOMP_BV): the stack below has old data there. */
.ifc \kind, xsave
	mov %rdx, STATE_SAVE_OFFSET+512(%rsp)
	mov %rdx, STATE_SAVE_OFFSET+512+8(%rsp)
.endif
	mov %rdx, STATE_SAVE_OFFSET+512+16(%rsp)
	mov %rdx, STATE_SAVE_OFFSET+512+24(%rsp)
	mov %rdx, STATE_SAVE_OFFSET+512+32(%rsp)
	mov %rdx, STATE_SAVE_OFFSET+512+40(%rsp)
	mov %rdx, STATE_SAVE_OFFSET+512+48(%rsp)
	mov %rdx, STATE_SAVE_OFFSET+512+56(%rsp)
.ifc \kind, xsave
	xsave STATE_SAVE_OFFSET(%rsp)
.else
	xsavec STATE_SAVE_OFFSET(%rsp)
.endif
.endif
	mov 16(%rbx), %rsi /* the DT_JMPREL index */
	mov 8(%rbx), %rdi  /* GOT[1]: the link_map */
	call _dl_fixup
	mov %rax, %r11
.ifc \kind, fxsave
	fxrstor STATE_SAVE_OFFSET(%rsp)
.else
	mov $STATE_SAVE_MASK, %eax
	xor %edx, %edx
	xrstor STATE_SAVE_OFFSET(%rsp)
.endif
	mov 48(%rsp), %r9
	mov 40(%rsp), %r8
	mov 32(%rsp), %rdi
	mov 24(%rsp), %rsi
	mov 16(%rsp), %rdx
	mov 8(%rsp), %rcx
	mov 0(%rsp), %rax
	mov %rbx, %rsp
	.cfi_def_cfa_register %rsp
	mov (%rsp), %rbx
	.cfi_restore %rbx
	add $24, %rsp
	.cfi_adjust_cfa_offset -24
	jmp *%r11
	.cfi_endproc
	.size \name, .-\name
.endm

	RESOLVER _dl_runtime_resolve_xsavec, xsavec
	RESOLVER _dl_runtime_resolve_xsave, xsave
	RESOLVER _dl_runtime_resolve_fxsave, fxsave

/* The name GDB's glibc_skip_solib_resolver looks for, with _dl_fixup in the same file (glibc's resolver had
 * it before its x86-64 variants took suffixes). Never reached. */
	.globl _dl_runtime_resolve
	.hidden _dl_runtime_resolve
	.type _dl_runtime_resolve, @function
_dl_runtime_resolve:
	ud2
	.size _dl_runtime_resolve, .-_dl_runtime_resolve

	.section .note.GNU-stack,"",@progbits
