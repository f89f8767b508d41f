/* __tls_get_addr and the TLSDESC resolvers. The loader is built -mgeneral-regs-only, so only the
 * general-purpose caller-saved registers need saving around calls into C. */
	.text
	.globl __tls_get_addr
	.type __tls_get_addr, @function
/* void *__tls_get_addr(tls_index *ti): callers may arrive with a misaligned stack (old GCC). */
__tls_get_addr:
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	call tls_get_addr_c
	mov %rbp, %rsp
	pop %rbp
	ret
	.size __tls_get_addr, .-__tls_get_addr

	.globl elfld_tlsdesc_static
	.hidden elfld_tlsdesc_static
	.type elfld_tlsdesc_static, @function
/* %rax = descriptor; return its tp offset. */
elfld_tlsdesc_static:
	mov 8(%rax), %rax
	ret
	.size elfld_tlsdesc_static, .-elfld_tlsdesc_static

	.globl elfld_tlsdesc_dynamic
	.hidden elfld_tlsdesc_dynamic
	.type elfld_tlsdesc_dynamic, @function
/* %rax = descriptor whose arg points to {modid, offset}; return address - tp, all else preserved. */
elfld_tlsdesc_dynamic:
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	mov 8(%rax), %rdi
	call tls_get_addr_c
	sub %fs:0, %rax
	mov %rbp, %rsp
	pop %rbp
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	ret
	.size elfld_tlsdesc_dynamic, .-elfld_tlsdesc_dynamic

	.section .note.GNU-stack,"",@progbits
