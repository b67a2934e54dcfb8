// PackedGemm<VecAvx512, 8> compiled with -ffp-contract=fast, so acc + a * b becomes an FMA:
// how far the library's own packed design gets with FMA (Eigen's native gemm uses FMA too).
#include <cstddef>

#include "kernels/gemm_packed.h"
#include "vec_avx512.h"

#if defined(__AVX512F__)
namespace proto_fma {
using PG = rnnlab::kernels::PackedGemm<rnnlab::kernels::VecAvx512<1>, 8>;
size_t packed_b_size(int K, int N) { return PG::packed_b_size(K, N); }
void pack_b(bool tb, int K, int N, const float* B, int ldb, float* out) {
  PG::pack_b(tb, K, N, B, ldb, out);
}
void gemm_packed(bool ta, int M, int N, int K, float alpha, const float* A, int lda,
                 const float* Bp, float beta, float* C, int ldc) {
  PG::gemm_packed(ta, M, N, K, alpha, A, lda, Bp, beta, C, ldc);
}
}  // namespace proto_fma
#endif
