#include "model/dense_head.h"

#include <cstddef>
#include <cstring>

#include "core/parallel_gemm.h"

namespace rnnlab {

void dense_forward(const kernels::KernelSet& k, const float* x, int n, int H, int O,
                   const float* w, const float* b, float* y) {
  for (int r = 0; r < n; ++r) std::memcpy(y + static_cast<size_t>(r) * O, b, O * sizeof(float));
  parallel_gemm(k, false, true, n, O, H, 1.0f, x, H, w, H, 1.0f, y, O);
}

void dense_backward(const kernels::KernelSet& k, const float* x, const float* dy, int n, int H,
                    int O, const float* w, float* dw, float* db, float* dx) {
  parallel_gemm(k, true, false, O, H, n, 1.0f, dy, O, x, H, 1.0f, dw, H);
  for (int r = 0; r < n; ++r)
    for (int o = 0; o < O; ++o) db[o] += dy[static_cast<size_t>(r) * O + o];
  parallel_gemm(k, false, false, n, H, O, 1.0f, dy, O, w, H, 0.0f, dx, H);
}

}  // namespace rnnlab
