#include "kernels/gemm_eigen.h"

#include <Eigen/Core>

namespace rnnlab::kernels {
namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstView = Eigen::Map<const RowMajor, Eigen::Unaligned, Eigen::OuterStride<>>;
using View = Eigen::Map<RowMajor, Eigen::Unaligned, Eigen::OuterStride<>>;

template <class OpA, class OpB>
void run(const OpA& a, const OpB& b, float alpha, float beta, View& c) {
  // noalias(): C never overlaps A or B in rnnlab, and it spares Eigen a temporary.
  if (beta == 0.0f) {
    c.noalias() = alpha * (a * b);
  } else {
    if (beta != 1.0f) c *= beta;
    c.noalias() += alpha * (a * b);
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
  ConstView b(B, tb ? N : K, tb ? K : N, Eigen::OuterStride<>(ldb));
  if (!ta && !tb) run(a, b, alpha, beta, c);
  else if (ta && !tb) run(a.transpose(), b, alpha, beta, c);
  else if (!ta && tb) run(a, b.transpose(), alpha, beta, c);
  else run(a.transpose(), b.transpose(), alpha, beta, c);
}

void f32_gemm_packed__eigen(bool ta, int M, int N, int K, float alpha, const float* A, int lda,
                            const float* packed_b, float beta, float* C, int ldc) {
  f32_gemm__eigen(ta, false, M, N, K, alpha, A, lda, packed_b, N, beta, C, ldc);
}

}  // namespace rnnlab::kernels
