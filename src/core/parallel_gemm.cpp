#include "core/parallel_gemm.h"

#include <cstddef>

namespace rnnlab {

void parallel_gemm(const kernels::KernelSet& k, bool ta, bool tb, int M, int N, int K,
                   float alpha, const float* A, int lda, const float* B, int ldb, float beta,
                   float* C, int ldc) {
  const double flops = 2.0 * M * N * K;
  constexpr int kBlock = 32;  // whole 4x8 / 8x32 tiles (for speed: no bit depends on it)
  if (M >= N) {
    parallel_blocks(k, M, kBlock, flops, [&](int first, int last) {
      const size_t f = static_cast<size_t>(first);
      const float* a = ta ? A + f : A + f * lda;
      k.gemm(ta, tb, last - first, N, K, alpha, a, lda, B, ldb, beta, C + f * ldc, ldc);
    });
  } else {
    parallel_blocks(k, N, kBlock, flops, [&](int first, int last) {
      const size_t f = static_cast<size_t>(first);
      const float* b = tb ? B + f * ldb : B + f;
      k.gemm(ta, tb, M, last - first, K, alpha, A, lda, b, ldb, beta, C + f, ldc);
    });
  }
}

}  // namespace rnnlab
