#pragma once
/*
 * MD_SIMD_CLONES: a function compiled twice, for AVX2 and for the baseline x86-64 (SSE2), the one to run
 * chosen when the addon loads (GCC's target_clones, Linux only). The loops it marks add and multiply each
 * output's terms in the same order either way, and -ffp-contract=off forbids fused multiply-adds, so both
 * versions give the same bits (kernels.test.ts compares them with JavaScript on the machine that runs them).
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define MD_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MD_SIMD_CLONES
#endif
