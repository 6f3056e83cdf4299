#pragma once
/*
 * MD_SIMD_CLONES: a function compiled twice, for AVX2 and for the baseline x86-64 (SSE2), the one to run
 * chosen when the addon loads (GCC's target_clones, which needs glibc's ifunc: not on musl). The loops it
 * marks add and multiply each output's terms in the same order either way, and -ffp-contract=off forbids
 * fused multiply-adds, so both versions are meant to give the same bits. Only the chosen one runs on a
 * given machine: kernels.test.ts compares that one with JavaScript, not the two with each other.
 */
#include <stdlib.h> /* defines __GLIBC__ on glibc */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
#define MD_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MD_SIMD_CLONES
#endif
