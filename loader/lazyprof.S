/* LD_AUDIT's PLT trampolines (glibc's _dl_runtime_profile_*). Apart from lazyasm.S: their CFI goes to
 * .eh_frame (elfld's PT_GNU_EH_FRAME, which _dl_find_object hands to the unwinder), for a C++ exception
 * thrown by a function called through one (la_pltexit wanted) unwinds through its frame. In a .plt section
 * as the resolvers, for GDB's `step`. */
#include "glibc_layout.h"

	.section .plt,"ax",@progbits

/* LD_AUDIT with la_x86_64_gnu_pltenter/pltexit: GOT[2] is one of these instead (glibc's
 * _dl_runtime_profile_{avx512,avx,sse}, sysdeps/x86_64/dl-trampoline.h, instruction for instruction). Every
 * call through a lazy PLT slot comes here (the slot is never written): the argument registers go into a
 * La_x86_64_regs, _dl_profile_fixup (audit.c) binds the slot once, calls la_pltenter and says whether to
 * call la_pltexit (framesize >= 0): then the function is called with a copy of `framesize` bytes of the
 * caller's stack arguments, its return registers go into a La_x86_64_retval for _dl_audit_pltexit, and
 * this returns to the caller; else it jumps to the function.
 * Frame (%rbx): 56 the caller's stack arguments, 48 return address, 40 reloc index, 32 link_map,
 * 24 La_x86_64_regs pointer, 16 framesize, 8 %rax, 0 %rbx. */
/* struct La_x86_64_regs / La_x86_64_retval (<bits/link.h>, the same in 2.36, 2.41 and 2.43) */
#define LR_RDX_OFFSET 0
#define LR_R8_OFFSET 8
#define LR_R9_OFFSET 16
#define LR_RCX_OFFSET 24
#define LR_RSI_OFFSET 32
#define LR_RDI_OFFSET 40
#define LR_RBP_OFFSET 48
#define LR_RSP_OFFSET 56
#define LR_XMM_OFFSET 64
#define LR_VECTOR_OFFSET 192
#define LR_SIZE 768
#define LRV_RAX_OFFSET 0
#define LRV_RDX_OFFSET 8
#define LRV_XMM0_OFFSET 16
#define LRV_XMM1_OFFSET 32
#define LRV_ST0_OFFSET 48
#define LRV_ST1_OFFSET 64
#define LRV_VECTOR0_OFFSET 80
#define LRV_VECTOR1_OFFSET 144
#define LRV_SIZE 240
#define XMM_SIZE 16
#define VECTOR_SIZE 64

/* \avx: 1 to save and restore the whole vector registers (\vec: ymm or zmm) besides xmm0-7 */
.macro XCHECK i, vmova, vec
	vpcmpeqb (LR_SIZE + XMM_SIZE*\i)(%rsp), %xmm\i, %xmm8
	vpmovmskb %xmm8, %esi
	incw %si
	je 2f
	vmovdqa %xmm\i, (LR_VECTOR_OFFSET + VECTOR_SIZE*\i)(%rsp)
	jmp 1f
2:	\vmova (LR_VECTOR_OFFSET + VECTOR_SIZE*\i)(%rsp), %\vec\i
	vmovdqa %xmm\i, (LR_XMM_OFFSET + XMM_SIZE*\i)(%rsp)
1:
.endm

.macro LEAVE_FRAME /* %rsp and %rbx back, our 32 bytes and the PLT's 16 dropped */
	mov %rbx, %rsp
	movq (%rsp), %rbx
	.cfi_restore %rbx
	.cfi_def_cfa_register %rsp
	add $48, %rsp
	.cfi_adjust_cfa_offset -48
.endm

.macro PROFILE name, vmova, vec, vecsize, avx
	.globl \name
	.hidden \name
	.type \name, @function
	.p2align 4
\name:
	.cfi_startproc
	.cfi_adjust_cfa_offset 16 /* the index and GOT[1], pushed by the PLT */
	sub $32, %rsp
	.cfi_adjust_cfa_offset 32
	movq %rbx, (%rsp)
	.cfi_rel_offset %rbx, 0
	movq %rax, 8(%rsp)
	mov %rsp, %rbx
	.cfi_def_cfa_register %rbx
	and $-\vecsize, %rsp
	sub $(LR_SIZE + XMM_SIZE*8), %rsp
	movq %rsp, 24(%rbx)
	movq %rdx, LR_RDX_OFFSET(%rsp)
	movq %r8, LR_R8_OFFSET(%rsp)
	movq %r9, LR_R9_OFFSET(%rsp)
	movq %rcx, LR_RCX_OFFSET(%rsp)
	movq %rsi, LR_RSI_OFFSET(%rsp)
	movq %rdi, LR_RDI_OFFSET(%rsp)
	movq %rbp, LR_RBP_OFFSET(%rsp)
	lea 48(%rbx), %rax
	movq %rax, LR_RSP_OFFSET(%rsp)
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	\vmova %xmm\i, (LR_XMM_OFFSET + XMM_SIZE*\i)(%rsp)
	.endr
.if \avx
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	\vmova %\vec\i, (LR_VECTOR_OFFSET + VECTOR_SIZE*\i)(%rsp)
	.endr
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	vmovdqa %xmm\i, (LR_SIZE + XMM_SIZE*\i)(%rsp)
	.endr
.endif
	mov %rsp, %rcx    /* La_x86_64_regs */
	mov 48(%rbx), %rdx /* return address */
	mov 40(%rbx), %rsi /* reloc index */
	mov 32(%rbx), %rdi /* link_map */
	lea 16(%rbx), %r8  /* &framesize */
	call _dl_profile_fixup
	mov %rax, %r11
	movq 8(%rbx), %rax
	movq LR_RDX_OFFSET(%rsp), %rdx
	movq LR_R8_OFFSET(%rsp), %r8
	movq LR_R9_OFFSET(%rsp), %r9
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	\vmova (LR_XMM_OFFSET + XMM_SIZE*\i)(%rsp), %xmm\i
	.endr
.if \avx /* an xmm register the module changed wins over the saved vector register */
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	XCHECK \i, \vmova, \vec
	.endr
.endif
	mov 16(%rbx), %rcx /* framesize */
	test %rcx, %rcx
	jns 3f
	/* no la_pltexit: jump to the function */
	movq LR_RCX_OFFSET(%rsp), %rcx
	movq LR_RSI_OFFSET(%rsp), %rsi
	movq LR_RDI_OFFSET(%rsp), %rdi
	LEAVE_FRAME
	jmp *%r11
3:
	.cfi_adjust_cfa_offset 48
	.cfi_rel_offset %rbx, 0
	.cfi_def_cfa_register %rbx
	/* call it with a copy of framesize bytes of the caller's stack arguments */
	lea LR_RSP_OFFSET(%rbx), %rsi
	add $8, %rcx
	and $-16, %rcx
	sub %rcx, %rsp
	mov %rsp, %rdi
	rep movsb
	movq 24(%rdi), %rcx
	movq 32(%rdi), %rsi
	movq 40(%rdi), %rdi
	call *%r11
	mov 24(%rbx), %rsp
.if \avx
	sub $(LRV_SIZE + XMM_SIZE*2), %rsp
.else
	sub $LRV_SIZE, %rsp
.endif
	mov %rsp, %rcx
	movq %rax, LRV_RAX_OFFSET(%rcx)
	movq %rdx, LRV_RDX_OFFSET(%rcx)
	\vmova %xmm0, LRV_XMM0_OFFSET(%rcx)
	\vmova %xmm1, LRV_XMM1_OFFSET(%rcx)
.if \avx
	\vmova %\vec\()0, LRV_VECTOR0_OFFSET(%rcx)
	\vmova %\vec\()1, LRV_VECTOR1_OFFSET(%rcx)
	vmovdqa %xmm0, (LRV_SIZE + XMM_SIZE*0)(%rcx)
	vmovdqa %xmm1, (LRV_SIZE + XMM_SIZE*1)(%rcx)
.endif
	fstpt LRV_ST0_OFFSET(%rcx)
	fstpt LRV_ST1_OFFSET(%rcx)
	movq 24(%rbx), %rdx /* La_x86_64_regs */
	movq 40(%rbx), %rsi
	movq 32(%rbx), %rdi
	call _dl_audit_pltexit
	movq LRV_RAX_OFFSET(%rsp), %rax
	movq LRV_RDX_OFFSET(%rsp), %rdx
	\vmova LRV_XMM0_OFFSET(%rsp), %xmm0
	\vmova LRV_XMM1_OFFSET(%rsp), %xmm1
.if \avx
	vpcmpeqb (LRV_SIZE)(%rsp), %xmm0, %xmm2
	vpmovmskb %xmm2, %esi
	incw %si
	jne 1f
	\vmova LRV_VECTOR0_OFFSET(%rsp), %\vec\()0
1:	vpcmpeqb (LRV_SIZE + XMM_SIZE)(%rsp), %xmm1, %xmm2
	vpmovmskb %xmm2, %esi
	incw %si
	jne 1f
	\vmova LRV_VECTOR1_OFFSET(%rsp), %\vec\()1
1:
.endif
	fldt LRV_ST1_OFFSET(%rsp)
	fldt LRV_ST0_OFFSET(%rsp)
	LEAVE_FRAME
	ret
	.cfi_endproc
	.size \name, .-\name
.endm

	PROFILE _dl_runtime_profile_avx512, vmovdqa64, zmm, 64, 1
	PROFILE _dl_runtime_profile_avx, vmovdqa, ymm, 32, 1
	PROFILE _dl_runtime_profile_sse, movaps, xmm, 16, 0

	.section .note.GNU-stack,"",@progbits

