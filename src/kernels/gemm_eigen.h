// Eigen's blocked GEMM on row-major views. Natively Eigen vectorises for the machine
// (AVX-512/AVX2/SSE); in wasm without SIMD it is the best portable product we have.
#pragma once

namespace rnnlab::kernels {

void f32_gemm__eigen(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
                     const float* B, int ldb, float beta, float* C, int ldc);
// B_packed is op(B) as a plain row-major [K,N] matrix (plain_pack_b).
void f32_gemm_packed__eigen(bool ta, int M, int N, int K, float alpha, const float* A, int lda,
                            const float* packed_b, float beta, float* C, int ldc);
// f32_gemm_packed__eigen with M = 1.
void f32_matvec_packed__eigen(int N, int K, float alpha, const float* x, const float* packed_b,
                              float beta, float* y);

}  // namespace rnnlab::kernels
