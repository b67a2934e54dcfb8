#include "kernels/gemm_eigen.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>

namespace rnnlab::kernels {
namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstView = Eigen::Map<const RowMajor, Eigen::Unaligned, Eigen::OuterStride<>>;
using View = Eigen::Map<RowMajor, Eigen::Unaligned, Eigen::OuterStride<>>;

// Eigen runs a row-major product as the column-major C^T = op(B)^T op(A)^T. It packs a
// kc x N block of op(B) (all N columns of C whenever it blocks K or M) and a kc x nc block of
// op(A) (nc capped by its blocking to 0.75 MB) into buffers it declares on the stack up to
// EIGEN_STACK_ALLOCATION_LIMIT (src/CMakeLists.txt) and mallocs, per call, beyond it. A wide C
// (N = 4H of a large LSTM, a word-level head) is therefore computed in column panels whose
// packed op(B) block fits in kPanelBytes: no shape allocates, and one product keeps at most
// kPanelBytes + 0.75 MB on the stack.
constexpr Eigen::Index kPanelBytes = EIGEN_STACK_ALLOCATION_LIMIT / 2;
static_assert(EIGEN_STACK_ALLOCATION_LIMIT >= 786432,
              "Eigen's packed op(A) block (up to 0.75 MB) must fit under the stack limit");

// Columns of C per Eigen call, from Eigen's own blocking (kc depends only on K and the CPU).
int panel_width(int M, int N, int K) {
  Eigen::Index kc = K, mc = N, nc = M;  // Eigen's (k, m, n) for the transposed product
  Eigen::internal::computeProductBlockingSizes<float, float, 1, Eigen::Index>(kc, mc, nc, 1);
  const Eigen::Index bytes_per_column = kc * static_cast<Eigen::Index>(sizeof(float));
  if (mc * bytes_per_column <= kPanelBytes) return N;
  const Eigen::Index w = kPanelBytes / bytes_per_column;
  return static_cast<int>(std::max<Eigen::Index>(16, w - w % 16));
}

template <class OpA, class OpB>
void run(const OpA& a, const OpB& b, float alpha, float beta, View& c) {
  // noalias(): C never overlaps A or B in rnnlab, and it spares Eigen a temporary. alpha == 1
  // (every product the core runs) is left out of the expression: for a one-row C Eigen would
  // evaluate alpha * A into a heap temporary on every call (a sampling step's products).
  if (beta != 0.0f && beta != 1.0f) c *= beta;
  if (alpha == 1.0f) {
    if (beta == 0.0f) c.noalias() = a * b;
    else c.noalias() += a * b;
  } else {
    if (beta == 0.0f) c.noalias() = alpha * (a * b);
    else c.noalias() += alpha * (a * b);
  }
}

}  // namespace

void f32_gemm__eigen(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
                     const float* B, int ldb, float beta, float* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  View c(C, M, N, Eigen::OuterStride<>(ldc));
  if (K <= 0) {
    if (beta == 0.0f) c.setZero(); else c *= beta;
    return;
  }
  ConstView a(A, ta ? K : M, ta ? M : K, Eigen::OuterStride<>(lda));
  const int w = panel_width(M, N, K);
  for (int j0 = 0; j0 < N; j0 += w) {
    const int nj = std::min(w, N - j0);
    View cj(C + j0, M, nj, Eigen::OuterStride<>(ldc));
    ConstView b(tb ? B + static_cast<std::ptrdiff_t>(j0) * ldb : B + j0, tb ? nj : K, tb ? K : nj,
                Eigen::OuterStride<>(ldb));
    if (!ta && !tb) run(a, b, alpha, beta, cj);
    else if (ta && !tb) run(a.transpose(), b, alpha, beta, cj);
    else if (!ta && tb) run(a, b.transpose(), alpha, beta, cj);
    else run(a.transpose(), b.transpose(), alpha, beta, cj);
  }
}

void f32_gemm_packed__eigen(bool ta, int M, int N, int K, float alpha, const float* A, int lda,
                            const float* packed_b, float beta, float* C, int ldc) {
  f32_gemm__eigen(ta, false, M, N, K, alpha, A, lda, packed_b, N, beta, C, ldc);
}

void f32_matvec_packed__eigen(int N, int K, float alpha, const float* x, const float* packed_b,
                              float beta, float* y) {
  f32_gemm_packed__eigen(false, 1, N, K, alpha, x, K, packed_b, beta, y, N);
}

}  // namespace rnnlab::kernels
