/* A data symbol whose st_size (56) is larger than what its segment holds (4 bytes, the last of the
 * library's writable segment): glibc's COPY reads the rest from the mapped page. */
	.data
	.p2align 2
	.globl ext_tail
	.type ext_tail, @object
	.size ext_tail, 56
ext_tail:
	.long 4242
	.section .note.GNU-stack,"",@progbits
