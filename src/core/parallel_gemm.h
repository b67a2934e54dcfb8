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

// Floats written below which a copy loop (bias rows, gathered one-hot columns) is not split: it
// moves several floats a nanosecond, so a small one costs less than the hand-off. In the wasm
// threads build, 131K floats (the bias rows of batch 4 x 64 steps x 512 gates) took 13-25 us
// on one thread and 21-40 us split; 262K floats 1.9x faster split, 1M 1.4x (bench/README.md,
// "Small batches on two threads").
constexpr double kParallelFloats = 256.0 * 1024;

// How many blocks a region of `extent` is cut into on a pool of `threads` (a pure function of
// the shape, the decision every split makes): whole `align` groups, at most one a thread; 1
// (no split) when `worth` is false.
constexpr int block_count(int threads, int extent, int align, bool worth) {
  const int groups = (extent + align - 1) / align;
  return !worth || threads <= 1 ? 1 : std::max(1, std::min(threads, groups));
}

// Block t of `blocks` over [0, extent), bounds on multiples of `align`: [first, last).
constexpr int block_first(int extent, int align, int blocks, int t) {
  return std::min(extent, (extent + align - 1) / align * t / blocks * align);
}

// The step loops' batch rows (RecurrentLayer::over_rows): blocks of whole 8-row groups from 16
// rows (two 4-row tiles), of single rows below, from kParallelFlops of step-loop work (the
// sweep's batch 4 x 64 steps x LSTM 128: 33.5 MFLOP, split 2 + 2). Every block streams all of
// W_hh at every step, yet in wasm even one row a thread pays when both cores are free: LSTM
// 128, 64 steps, 8 inputs, a training step on two threads against one, rows split / not
// split: batch 2 1.35x / 1.14x, batch 3 1.37x / 1.08x, batch 4 1.41-1.56x / 1.07-1.33x
// (bench/README.md, "Small batches on two threads"). So no minimum beyond a row a block.
constexpr int row_block_align(int rows) { return rows >= 16 ? 8 : 1; }

// Calls fn(first, last) on `blocks` blocks of [0, extent) (bounds multiples of `align`: whole
// tiles, for speed only: no result depends on where a block starts), one task each on the
// pool; or fn(0, extent) once when blocks is 1 or the set cannot be split.
template <class F>
void run_blocks(const kernels::KernelSet& k, int extent, int align, int blocks, F&& fn) {
  if (blocks <= 1 || !k.simd) {
    fn(0, extent);
    return;
  }
  thread_pool().run(blocks, [&](int t) {
    const int first = block_first(extent, align, blocks, t);
    const int last = block_first(extent, align, blocks, t + 1);
    if (first < last) fn(first, last);
  });
}

// A region that computes `flops` (products, the loss rows): split over the pool, as many
// blocks as threads and groups allow, from kParallelFlops.
template <class F>
void parallel_blocks(const kernels::KernelSet& k, int extent, int align, double flops, F&& fn) {
  const int blocks = block_count(thread_pool().size(), extent, align, flops >= kParallelFlops);
  run_blocks(k, extent, align, blocks, fn);
}

// A copy loop that writes `floats`: split from kParallelFloats.
template <class F>
void parallel_copy(const kernels::KernelSet& k, int extent, int align, double floats, F&& fn) {
  const int blocks = block_count(thread_pool().size(), extent, align, floats >= kParallelFloats);
  run_blocks(k, extent, align, blocks, fn);
}

// As KernelSet::gemm, split over the pool.
void parallel_gemm(const kernels::KernelSet& k, bool ta, bool tb, int M, int N, int K,
                   float alpha, const float* A, int lda, const float* B, int ldb, float beta,
                   float* C, int ldc);

}  // namespace rnnlab
