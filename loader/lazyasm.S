/* The PLT resolvers, as glibc's sysdeps/x86_64/dl-trampoline.h: a lazy PLT entry pushes its DT_JMPREL
 * index, PLT0 pushes GOT[1] (the object's link_map) and jumps through GOT[2] to one of these. Each saves the
 * argument registers and the vector state (XSAVEC, XSAVE or FXSAVE, chosen as glibc chooses: cpu.c's
 * cpu_plt_resolver), calls _dl_fixup(link_map, index) (lazy.c), restores everything and jumps to the
 * function with the caller's return address on top of the stack, as if it had been called directly.
 *
 * Frame: %rbx keeps the stack pointer of entry (minus the saved %rbx); below it, 64-byte aligned,
 *   0..55   %rax %rcx %rdx %rsi %rdi %r8 %r9 (%rax: the vector-register count of a variadic call)
 *   64..    the vector state (elfld_plt_save_size bytes in all, from glibc's xsave_state_size)
 * The CFI describes all of it, so GDB's `bt` and `finish` inside _dl_fixup reach the caller. */
	.text
	.cfi_sections .debug_frame

.macro RESOLVER name, kind
	.globl \name
	.hidden \name
	.type \name, @function
	.p2align 4
\name:
	.cfi_startproc
	.cfi_adjust_cfa_offset 16 /* the index and GOT[1], pushed by the PLT */
	endbr64
	push %rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset %rbx, 0
	mov %rsp, %rbx
	.cfi_def_cfa_register %rbx
	and $-64, %rsp
	sub elfld_plt_save_size(%rip), %rsp
	mov %rax, 0(%rsp)
	mov %rcx, 8(%rsp)
	mov %rdx, 16(%rsp)
	mov %rsi, 24(%rsp)
	mov %rdi, 32(%rsp)
	mov %r8, 40(%rsp)
	mov %r9, 48(%rsp)
.ifc \kind, fxsave
	fxsave 64(%rsp)
.else
	mov elfld_plt_xsave_mask(%rip), %eax
	xor %edx, %edx
	/* XRSTOR wants bytes 16..63 of the XSAVE header zero and neither XSAVE nor XSAVEC writes them (XSAVE
	 * writes XSTATE_BV only, XSAVEC also XCOMP_BV): the stack below has old data there. */
.ifc \kind, xsave
	mov %rdx, 64+512(%rsp)
	mov %rdx, 64+512+8(%rsp)
.endif
	mov %rdx, 64+512+16(%rsp)
	mov %rdx, 64+512+24(%rsp)
	mov %rdx, 64+512+32(%rsp)
	mov %rdx, 64+512+40(%rsp)
	mov %rdx, 64+512+48(%rsp)
	mov %rdx, 64+512+56(%rsp)
.ifc \kind, xsave
	xsave 64(%rsp)
.else
	xsavec 64(%rsp)
.endif
.endif
	mov 8(%rbx), %rdi  /* GOT[1]: the link_map */
	mov 16(%rbx), %rsi /* the DT_JMPREL index */
	call _dl_fixup
	mov %rax, %r11
.ifc \kind, fxsave
	fxrstor 64(%rsp)
.else
	mov elfld_plt_xsave_mask(%rip), %eax
	xor %edx, %edx
	xrstor 64(%rsp)
.endif
	mov 0(%rsp), %rax
	mov 8(%rsp), %rcx
	mov 16(%rsp), %rdx
	mov 24(%rsp), %rsi
	mov 32(%rsp), %rdi
	mov 40(%rsp), %r8
	mov 48(%rsp), %r9
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

	.section .note.GNU-stack,"",@progbits
