/* CPUID feature bits as glibc numbers them (generated from sysdeps/x86/bits/platform/x86.h of 2.36, 2.41 and
 * 2.43, which agree on every bit they share): FEAT_<name> = (index in cpu_features->features[]) * 128
 * + register (eax, ebx, ecx, edx) * 32 + bit (reserved INDEX_* bits left out). Index 9, CPUID_INDEX_24_ECX_0,
 * exists from 2.41 on. */
#ifndef ELFLD_CPU_BITS_H
#define ELFLD_CPU_BITS_H
#define FEAT_SSE3 64
#define FEAT_PCLMULQDQ 65
#define FEAT_DTES64 66
#define FEAT_MONITOR 67
#define FEAT_DS_CPL 68
#define FEAT_VMX 69
#define FEAT_SMX 70
#define FEAT_EIST 71
#define FEAT_TM2 72
#define FEAT_SSSE3 73
#define FEAT_CNXT_ID 74
#define FEAT_SDBG 75
#define FEAT_FMA 76
#define FEAT_CMPXCHG16B 77
#define FEAT_XTPRUPDCTRL 78
#define FEAT_PDCM 79
#define FEAT_PCID 81
#define FEAT_DCA 82
#define FEAT_SSE4_1 83
#define FEAT_SSE4_2 84
#define FEAT_X2APIC 85
#define FEAT_MOVBE 86
#define FEAT_POPCNT 87
#define FEAT_TSC_DEADLINE 88
#define FEAT_AES 89
#define FEAT_XSAVE 90
#define FEAT_OSXSAVE 91
#define FEAT_AVX 92
#define FEAT_F16C 93
#define FEAT_RDRAND 94
#define FEAT_FPU 96
#define FEAT_VME 97
#define FEAT_DE 98
#define FEAT_PSE 99
#define FEAT_TSC 100
#define FEAT_MSR 101
#define FEAT_PAE 102
#define FEAT_MCE 103
#define FEAT_CX8 104
#define FEAT_APIC 105
#define FEAT_SEP 107
#define FEAT_MTRR 108
#define FEAT_PGE 109
#define FEAT_MCA 110
#define FEAT_CMOV 111
#define FEAT_PAT 112
#define FEAT_PSE_36 113
#define FEAT_PSN 114
#define FEAT_CLFSH 115
#define FEAT_DS 117
#define FEAT_ACPI 118
#define FEAT_MMX 119
#define FEAT_FXSR 120
#define FEAT_SSE 121
#define FEAT_SSE2 122
#define FEAT_SS 123
#define FEAT_HTT 124
#define FEAT_TM 125
#define FEAT_PBE 127
#define FEAT_FSGSBASE 160
#define FEAT_TSC_ADJUST 161
#define FEAT_SGX 162
#define FEAT_BMI1 163
#define FEAT_HLE 164
#define FEAT_AVX2 165
#define FEAT_SMEP 167
#define FEAT_BMI2 168
#define FEAT_ERMS 169
#define FEAT_INVPCID 170
#define FEAT_RTM 171
#define FEAT_RDT_M 172
#define FEAT_DEPR_FPU_CS_DS 173
#define FEAT_MPX 174
#define FEAT_RDT_A 175
#define FEAT_AVX512F 176
#define FEAT_AVX512DQ 177
#define FEAT_RDSEED 178
#define FEAT_ADX 179
#define FEAT_SMAP 180
#define FEAT_AVX512_IFMA 181
#define FEAT_CLFLUSHOPT 183
#define FEAT_CLWB 184
#define FEAT_TRACE 185
#define FEAT_AVX512PF 186
#define FEAT_AVX512ER 187
#define FEAT_AVX512CD 188
#define FEAT_SHA 189
#define FEAT_AVX512BW 190
#define FEAT_AVX512VL 191
#define FEAT_PREFETCHWT1 192
#define FEAT_AVX512_VBMI 193
#define FEAT_UMIP 194
#define FEAT_PKU 195
#define FEAT_OSPKE 196
#define FEAT_WAITPKG 197
#define FEAT_AVX512_VBMI2 198
#define FEAT_SHSTK 199
#define FEAT_GFNI 200
#define FEAT_VAES 201
#define FEAT_VPCLMULQDQ 202
#define FEAT_AVX512_VNNI 203
#define FEAT_AVX512_BITALG 204
#define FEAT_AVX512_VPOPCNTDQ 206
#define FEAT_LA57 208 /* 2.41+ */
#define FEAT_RDPID 214
#define FEAT_KL 215
#define FEAT_BUS_LOCK_DETECT 216 /* 2.41+ */
#define FEAT_CLDEMOTE 217
#define FEAT_MOVDIRI 219
#define FEAT_MOVDIR64B 220
#define FEAT_ENQCMD 221
#define FEAT_SGX_LC 222
#define FEAT_PKS 223
#define FEAT_SGX_KEYS 225 /* 2.41+ */
#define FEAT_AVX512_4VNNIW 226
#define FEAT_AVX512_4FMAPS 227
#define FEAT_FSRM 228
#define FEAT_UINTR 229
#define FEAT_AVX512_VP2INTERSECT 232
#define FEAT_MD_CLEAR 234
#define FEAT_RTM_ALWAYS_ABORT 235
#define FEAT_RTM_FORCE_ABORT 237 /* 2.41+ */
#define FEAT_SERIALIZE 238
#define FEAT_HYBRID 239
#define FEAT_TSXLDTRK 240
#define FEAT_PCONFIG 242
#define FEAT_LBR 243 /* 2.41+ */
#define FEAT_IBT 244
#define FEAT_AMX_BF16 246
#define FEAT_AVX512_FP16 247
#define FEAT_AMX_TILE 248
#define FEAT_AMX_INT8 249
#define FEAT_IBRS_IBPB 250
#define FEAT_STIBP 251
#define FEAT_L1D_FLUSH 252
#define FEAT_ARCH_CAPABILITIES 253
#define FEAT_CORE_CAPABILITIES 254
#define FEAT_SSBD 255
#define FEAT_LAHF64_SAHF64 320
#define FEAT_SVM 322
#define FEAT_LZCNT 325
#define FEAT_SSE4A 326
#define FEAT_PREFETCHW 328
#define FEAT_XOP 331
#define FEAT_LWP 335
#define FEAT_FMA4 336
#define FEAT_TBM 341
#define FEAT_SYSCALL_SYSRET 363
#define FEAT_NX 372
#define FEAT_PAGE1GB 378
#define FEAT_RDTSCP 379
#define FEAT_LM 381
#define FEAT_XSAVEOPT 384
#define FEAT_XSAVEC 385
#define FEAT_XGETBV_ECX_1 386
#define FEAT_XSAVES 387
#define FEAT_XFD 388
#define FEAT_INVARIANT_TSC 616
#define FEAT_WBNOINVD 681
#define FEAT_AMD_IBPB 684
#define FEAT_AMD_IBRS 686
#define FEAT_AMD_STIBP 687
#define FEAT_AMD_SSBD 696
#define FEAT_AMD_VIRT_SSBD 697
#define FEAT_RAO_INT 771 /* 2.41+ */
#define FEAT_AVX_VNNI 772
#define FEAT_AVX512_BF16 773
#define FEAT_LASS 774 /* 2.41+ */
#define FEAT_CMPCCXADD 775 /* 2.41+ */
#define FEAT_ArchPerfmonExt 776 /* 2.41+ */
#define FEAT_FZLRM 778
#define FEAT_FSRS 779
#define FEAT_FSRCS 780
#define FEAT_WRMSRNS 787 /* 2.41+ */
#define FEAT_AMX_FP16 789 /* 2.41+ */
#define FEAT_HRESET 790
#define FEAT_AVX_IFMA 791 /* 2.41+ */
#define FEAT_LAM 794
#define FEAT_MSRLIST 795 /* 2.41+ */
#define FEAT_AVX_VNNI_INT8 868 /* 2.41+ */
#define FEAT_AVX_NE_CONVERT 869 /* 2.41+ */
#define FEAT_AMX_COMPLEX 872 /* 2.41+ */
#define FEAT_PREFETCHI 878 /* 2.41+ */
#define FEAT_AVX10 883 /* 2.41+ */
#define FEAT_APX_F 885 /* 2.41+ */
#define FEAT_AESKLE 928
#define FEAT_WIDE_KL 930
#define FEAT_PTWRITE 1060
#define FEAT_AVX10_XMM 1200 /* 2.41+ */
#define FEAT_AVX10_YMM 1201 /* 2.41+ */
#define FEAT_AVX10_ZMM 1202 /* 2.41+ */
#endif
