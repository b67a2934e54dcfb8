// Products over the thread pool: the output is cut into fixed blocks of rows (or of columns,
// when C is wider than tall), one per thread, and each block is one call of the kernel set's
// own product. Every element of C is then computed by the same operations in the same order
// as in a single call (the packed kernels promise that whatever the tile or the row count),
// so results are identical for any thread count. Eigen's portable set chooses its blocking
// from the whole shape, so it always runs as one call.
#pragma once

#include <algorithm>

#include "core/thread_pool.h"
#include "rnnlab/kernels.h"

namespace rnnlab {

// Floating-point operations below which a product is not split: two threads break even at
// 24^3-32^3 and gain 1.3-1.5x from 48^3 (`rnnlab_kernel_bench --crossover`, sse2 and avx512
// kernels; bench/README.md, "Sampling (GEN) and threads"). Where the worker is not running,
// the caller runs both blocks itself, so a split costs well under a microsecond then.
constexpr double kParallelFlops = 2.0 * 48 * 48 * 48;

// Calls fn(first, last) on blocks of [0, extent) whose bounds are multiples of `align` (whole
// tiles, for speed only: no result depends on where a block starts), on as many threads as
// the pool has and the blocks allow; or fn(0, extent) once when the work is too small, the
// set cannot be split, or the pool has one thread.
template <class F>
void parallel_blocks(const kernels::KernelSet& k, int extent, int align, double flops, F&& fn) {
  ThreadPool& pool = thread_pool();
  const int kAlign = align;
  const int groups = (extent + kAlign - 1) / kAlign;
  const int tasks = std::min(pool.size(), groups);
  if (tasks <= 1 || !k.simd || flops < kParallelFlops) {
    fn(0, extent);
    return;
  }
  pool.run(tasks, [&](int t) {
    const int first = groups * t / tasks * kAlign;
    const int last = std::min(extent, groups * (t + 1) / tasks * kAlign);
    if (first < last) fn(first, last);
  });
}

// As KernelSet::gemm, split over the pool.
void parallel_gemm(const kernels::KernelSet& k, bool ta, bool tb, int M, int N, int K,
                   float alpha, const float* A, int lda, const float* B, int ldb, float beta,
                   float* C, int ldc);

}  // namespace rnnlab
