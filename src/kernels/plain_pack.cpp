// "Packing" for the gemms that read a plain row-major op(B) (reference, portable): a copy,
// transposed when op(B) = B^T.
#include "kernels/registry.h"

namespace rnnlab::kernels {

size_t plain_packed_b_size(int K, int N) { return static_cast<size_t>(K) * N; }

void plain_pack_b(bool trans_b, int K, int N, const float* B, int ldb, float* packed) {
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) packed[k * N + j] = trans_b ? B[j * ldb + k] : B[k * ldb + j];
}

}  // namespace rnnlab::kernels
