/* The libhw variant isa9 (hwcaps_cache.sh): a GNU_PROPERTY_X86_ISA_1_NEEDED property asking for ISA level
 * bit 4, above x86-64-v4, which no CPU has. ldconfig records the level in the library's glibc-hwcaps cache
 * entry, and the loader passes such an entry over (dl_cache_hwcap_isa_level_compatible). */
	.section .note.gnu.property, "a"
	.p2align 3
	.long 4, 16, 5                /* namesz, descsz, NT_GNU_PROPERTY_TYPE_0 */
	.asciz "GNU"
	.long 0xc0008002, 4, 0x10, 0  /* GNU_PROPERTY_X86_ISA_1_NEEDED, 4 bytes, bit 4; padding */
	.section .note.GNU-stack, "", @progbits
