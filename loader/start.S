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
