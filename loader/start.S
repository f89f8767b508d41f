/* Process entry: the kernel jumps here with the initial stack (argc, argv, envp, auxv) in %rsp.
 * elfld_start relocates elfld itself before anything touches a global. */
	.text
	.globl _start
	.hidden _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call elfld_start
	hlt
	.size _start, .-_start

/* elfld_jump(entry, sp, fini): switch to the program's stack and enter it, as the ABI says:
 * %rdx = finalizer for atexit, other registers cleared, %rsp 16-byte aligned at the argc word. */
	.globl elfld_jump
	.hidden elfld_jump
	.type elfld_jump, @function
elfld_jump:
	mov %rsi, %rsp
	mov %rdi, %rax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	jmp *%rax
	.size elfld_jump, .-elfld_jump
	.section .note.GNU-stack,"",@progbits

/* int elfld_setjmp(uint64_t jb[8]) / void elfld_longjmp(uint64_t jb[8], int v): callee-saved registers,
 * stack and return address; used to turn a loading error inside dlopen into an error return. */
	.text
	.globl elfld_setjmp
	.hidden elfld_setjmp
	.type elfld_setjmp, @function
elfld_setjmp:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rdx
	mov %rdx, 48(%rdi)
	mov (%rsp), %rdx
	mov %rdx, 56(%rdi)
	xor %eax, %eax
	ret
	.size elfld_setjmp, .-elfld_setjmp

	.globl elfld_longjmp
	.hidden elfld_longjmp
	.type elfld_longjmp, @function
elfld_longjmp:
	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 48(%rdi), %rsp
	mov %esi, %eax
	jmp *56(%rdi)
	.size elfld_longjmp, .-elfld_longjmp
	.section .note.GNU-stack,"",@progbits
