// The kernel layer: every KernelSet of this build against the scalar reference (gemm in all
// transpose combinations around the tile sizes, the prepared-operand path, every fused gate
// kernel, special values), the accuracy of the polynomial exp / sigmoid / tanh against
// double-precision std::, and the design promise that every Vec type computes the same bits.
//
// Test names carry the kernel set (e.g. KernelSets/KernelSetTest.GemmIntegerExact/sse2), so a
// report shows which kernels ran on this machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/vmath.h"
#include "rnnlab/kernels.h"
#include "rnnlab/rng.h"

namespace rnnlab {
namespace {

using kernels::KernelSet;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kUnitRoundoff = 1.0 / 16777216.0;  // float32: u = 2^-24

uint32_t bits_of(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

float from_bits(uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// Equal as numbers, or both NaN (NaN payloads may legitimately differ where the compiler
// commutes the operands of a product; -0 == +0 here: see tanh's sign test for zeros).
bool same_value(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }

std::string set_test_name(const ::testing::TestParamInfo<const KernelSet*>& info) {
  std::string n = info.param->name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

// ---------------------------------------------------------------------------------------
// GEMM
// ---------------------------------------------------------------------------------------

const int kMs[] = {1, 3, 4, 5, 95, 96, 97, 200};  // MR = 4, MC = 96
const int kNs[] = {1, 7, 8, 9, 17, 64};           // NR = 8 (2 x 4 lanes)
const int kKs[] = {1, 3, 255, 256, 257, 600};     // KC = 256
struct AlphaBeta {
  float alpha, beta;
};
const AlphaBeta kAlphaBeta[] = {{1.0f, 0.0f}, {0.5f, 1.0f}, {1.0f, -2.0f}};

constexpr float kCSentinel = 12345.0f;  // C's padding columns: must survive every call

// A leading dimension larger than the row length and odd, so rows are never 16-byte aligned.
int padded_ld(int cols) { return (cols | 1) + 2; }

struct GemmProblem {
  bool ta = false, tb = false;
  int M = 0, N = 0, K = 0;
  float alpha = 1.0f, beta = 0.0f;
  int lda = 0, ldb = 0, ldc = 0;
  std::vector<float> A, B, C0;

  std::string describe() const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "ta=%d tb=%d M=%d N=%d K=%d alpha=%g beta=%g lda=%d ldb=%d ldc=%d",
                  ta, tb, M, N, K, alpha, beta, lda, ldb, ldc);
    return buf;
  }
  float a(int i, int k) const { return ta ? A[static_cast<size_t>(k) * lda + i] : A[static_cast<size_t>(i) * lda + k]; }
  float b(int k, int j) const { return tb ? B[static_cast<size_t>(j) * ldb + k] : B[static_cast<size_t>(k) * ldb + j]; }
};

// Operands with padded leading dimensions. The padding of A and B holds NaN, so a kernel that
// reads outside the logical matrix poisons its result; C's padding holds a sentinel that must
// survive. integers: values in {-3..3}, so every product and partial sum (|sum| <= 9 * 600)
// is exact in float32 and any summation order gives the same bits. With beta == 0, C starts
// as NaN (beta == 0 must overwrite, not scale, C).
GemmProblem make_problem(Rng& rng, bool ta, bool tb, int M, int N, int K, AlphaBeta ab,
                         bool integers, bool padded = true) {
  GemmProblem p;
  p.ta = ta, p.tb = tb, p.M = M, p.N = N, p.K = K, p.alpha = ab.alpha, p.beta = ab.beta;
  auto value = [&]() {
    return integers ? static_cast<float>(static_cast<int>(rng.below(7)) - 3) : rng.uniform(-1.0f, 1.0f);
  };
  auto fill = [&](std::vector<float>& v, int rows, int cols, int ld, float pad) {
    v.assign(static_cast<size_t>(std::max(rows, 1)) * ld, pad);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) v[static_cast<size_t>(r) * ld + c] = value();
  };
  const int a_rows = ta ? K : M, a_cols = ta ? M : K;
  const int b_rows = tb ? N : K, b_cols = tb ? K : N;
  p.lda = padded ? padded_ld(a_cols) : std::max(a_cols, 1);
  p.ldb = padded ? padded_ld(b_cols) : std::max(b_cols, 1);
  p.ldc = padded ? padded_ld(N) : N;
  fill(p.A, a_rows, a_cols, p.lda, kNaN);
  fill(p.B, b_rows, b_cols, p.ldb, kNaN);
  fill(p.C0, M, N, p.ldc, kCSentinel);
  if (ab.beta == 0.0f)
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) p.C0[static_cast<size_t>(i) * p.ldc + j] = kNaN;
  return p;
}

// Worst error of a gemm result against the reference, in units of the tolerance.
//
// Tolerance (real-valued operands): two float32 sums of the same K products in different
// orders (blocked by KC, 4x8 register tiles, Eigen's kernels with FMA) each lie within
// gamma_K * S of the exact value, gamma_K ~= K u, S_ij = sum_k |a_ik b_kj| (Higham, "Accuracy
// and Stability of Numerical Algorithms", 3.5). So they differ by at most 2 K u S; a few more
// roundings come from alpha, beta * C and the split at KC. Hence
//   |C - C_ref| <= (2K + 8) u (|alpha| S_ij + |beta C0_ij|)   (+ FLT_MIN for underflow).
// Integer-valued operands are exact in every order: there the tolerance is zero.
struct GemmCheck {
  double worst_ratio = 0.0;    // max |err| / tolerance (must be <= 1)
  double worst_in_uS = 0.0;    // max |err| / (u (|alpha| S + |beta C0|)): the measured slack
  std::string failure;
};

void compare_gemm(const GemmProblem& p, const std::vector<float>& got,
                  const std::vector<float>& want, bool exact, GemmCheck& out) {
  for (int i = 0; i < p.M; ++i) {
    for (int j = 0; j < p.N; ++j) {
      size_t idx = static_cast<size_t>(i) * p.ldc + j;
      float g = got[idx], w = want[idx];
      if (!std::isfinite(g) || !std::isfinite(w)) {
        if (out.failure.empty())
          out.failure = p.describe() + ": non-finite C[" + std::to_string(i) + "," +
                        std::to_string(j) + "] = " + std::to_string(g) + " (reference " +
                        std::to_string(w) + ")";
        continue;
      }
      if (exact) {
        if (bits_of(g) != bits_of(w) && !(g == 0.0f && w == 0.0f) && out.failure.empty())
          out.failure = p.describe() + ": C[" + std::to_string(i) + "," + std::to_string(j) +
                        "] = " + std::to_string(g) + ", reference " + std::to_string(w) +
                        " (integer operands: must be exact)";
        continue;
      }
      double S = 0.0;
      for (int k = 0; k < p.K; ++k) S += std::fabs(double(p.a(i, k)) * p.b(k, j));
      double c0 = p.beta == 0.0f ? 0.0 : std::fabs(double(p.beta) * p.C0[idx]);
      double scale = std::fabs(double(p.alpha)) * S + c0;
      double tol = (2.0 * p.K + 8.0) * kUnitRoundoff * scale + FLT_MIN;
      double err = std::fabs(double(g) - w);
      out.worst_ratio = std::max(out.worst_ratio, err / tol);
      if (scale > 0) out.worst_in_uS = std::max(out.worst_in_uS, err / (kUnitRoundoff * scale));
      if (err > tol && out.failure.empty())
        out.failure = p.describe() + ": C[" + std::to_string(i) + "," + std::to_string(j) +
                      "] = " + std::to_string(g) + ", reference " + std::to_string(w) +
                      ", |err| " + std::to_string(err) + " > tolerance " + std::to_string(tol);
    }
    for (int j = p.N; j < p.ldc; ++j) {
      size_t idx = static_cast<size_t>(i) * p.ldc + j;
      if (bits_of(got[idx]) != bits_of(kCSentinel) && out.failure.empty())
        out.failure = p.describe() + ": wrote C's padding column " + std::to_string(j);
    }
  }
}

void run_gemm(const KernelSet& ks, const GemmProblem& p, std::vector<float>& C) {
  C = p.C0;
  ks.gemm(p.ta, p.tb, p.M, p.N, p.K, p.alpha, p.A.data(), p.lda, p.B.data(), p.ldb, p.beta,
          C.data(), p.ldc);
}

// The prepared-operand path: pack op(B) once, then multiply (twice, as the recurrent loop
// reuses one packing for every step). The packed buffer is followed by a guard region that
// pack_b must not touch.
void run_gemm_packed(const KernelSet& ks, const GemmProblem& p, std::vector<float>& C,
                     std::string& failure) {
  const size_t size = ks.packed_b_size(p.K, p.N);
  constexpr size_t kGuard = 64;
  std::vector<float> packed(size + kGuard, kCSentinel);
  ks.pack_b(p.tb, p.K, p.N, p.B.data(), p.ldb, packed.data());
  for (size_t i = size; i < size + kGuard; ++i)
    if (bits_of(packed[i]) != bits_of(kCSentinel) && failure.empty())
      failure = p.describe() + ": pack_b wrote past packed_b_size = " + std::to_string(size);
  for (int rep = 0; rep < 2; ++rep) {
    C = p.C0;
    ks.gemm_packed(p.ta, p.M, p.N, p.K, p.alpha, p.A.data(), p.lda, packed.data(), p.beta,
                   C.data(), p.ldc);
  }
}

// An independent oracle: the product accumulated in double, rounded once. Integer operands
// make it exact; it is what the reference set itself is checked against.
void oracle_gemm(const GemmProblem& p, std::vector<float>& C) {
  C = p.C0;
  for (int i = 0; i < p.M; ++i)
    for (int j = 0; j < p.N; ++j) {
      double acc = 0.0;
      for (int k = 0; k < p.K; ++k) acc += double(p.a(i, k)) * p.b(k, j);
      float& c = C[static_cast<size_t>(i) * p.ldc + j];
      c = static_cast<float>(p.beta == 0.0f ? p.alpha * acc : p.alpha * acc + double(p.beta) * c);
    }
}

class KernelSetTest : public ::testing::TestWithParam<const KernelSet*> {
 protected:
  const KernelSet& ks() const { return *GetParam(); }
  const KernelSet& ref() const { return kernels::reference(); }
  // What ks()'s gemm is compared with: the reference set, or for the reference set itself
  // the double-precision oracle.
  void expected(const GemmProblem& p, std::vector<float>& C) const {
    if (&ks() == &ref()) oracle_gemm(p, C);
    else run_gemm(ref(), p, C);
  }
};

// alpha/beta for grid point (t, iM, iN, iK): rotating with the sum of the indices, every
// alpha/beta pair meets every M, every N, every K and every transpose combination.
AlphaBeta rotating_ab(int t, int iM, int iN, int iK) { return kAlphaBeta[(t + iM + iN + iK) % 3]; }

// Every M x N x K of the grid in all four transpose combinations (alpha/beta rotating).
// Integer operands: the result must equal the reference bit for bit (any indexing, packing
// or tail bug shows, even one missing product).
TEST_P(KernelSetTest, GemmIntegerExact) {
  Rng rng(101);
  GemmCheck check;
  std::vector<float> got, want;
  int n = 0;
  for (int t = 0; t < 4; ++t)
    for (int iM = 0; iM < 8; ++iM)
      for (int iN = 0; iN < 6; ++iN)
        for (int iK = 0; iK < 6; ++iK) {
          GemmProblem p = make_problem(rng, t & 1, t & 2, kMs[iM], kNs[iN], kKs[iK],
                                       rotating_ab(t, iM, iN, iK), /*integers=*/true);
          run_gemm(ks(), p, got);
          expected(p, want);
          compare_gemm(p, got, want, /*exact=*/true, check);
          ++n;
          ASSERT_TRUE(check.failure.empty()) << ks().name << " (" << ks().gemm_name << "): " << check.failure;
        }
  std::printf("[ gemm     ] %s (%s): %d integer problems, all exact\n", ks().name, ks().gemm_name, n);
}

// Real-valued operands: within the summation-order bound above.
TEST_P(KernelSetTest, GemmRealWithinSummationBound) {
  Rng rng(202);
  GemmCheck check;
  std::vector<float> got, want;
  int n = 0;
  for (int t = 0; t < 4; ++t)
    for (int iM = 0; iM < 8; ++iM)
      for (int iN = 0; iN < 6; ++iN)
        for (int iK = 0; iK < 6; ++iK) {
          GemmProblem p = make_problem(rng, t & 1, t & 2, kMs[iM], kNs[iN], kKs[iK],
                                       rotating_ab(t, iM + 1, iN, iK), /*integers=*/false);
          run_gemm(ks(), p, got);
          expected(p, want);
          compare_gemm(p, got, want, /*exact=*/false, check);
          ++n;
          ASSERT_TRUE(check.failure.empty()) << ks().name << " (" << ks().gemm_name << "): " << check.failure;
        }
  std::printf("[ gemm     ] %s: %d real problems, max |err| = %.3g u*S (tolerance (2K+8) u*S), "
              "max err/tol = %.3g\n", ks().name, n, check.worst_in_uS, check.worst_ratio);
}

// Tight leading dimensions (lda == row length), the layout the layers mostly use.
TEST_P(KernelSetTest, GemmTightLeadingDimensions) {
  Rng rng(303);
  GemmCheck check;
  std::vector<float> got, want;
  for (int t = 0; t < 4; ++t)
    for (int M : {1, 5, 97})
      for (int N : {1, 9, 64})
        for (int K : {3, 257})
          for (AlphaBeta ab : kAlphaBeta) {
            GemmProblem p = make_problem(rng, t & 1, t & 2, M, N, K, ab, true, /*padded=*/false);
            run_gemm(ks(), p, got);
            expected(p, want);
            compare_gemm(p, got, want, true, check);
            ASSERT_TRUE(check.failure.empty()) << ks().name << ": " << check.failure;
          }
}

// Wide outputs with a long inner dimension: Eigen's packed op(B) block would be kc x N floats
// (megabytes), so f32_gemm__eigen computes C in column panels; every set must still be exact.
TEST_P(KernelSetTest, GemmWideOutputIntegerExact) {
  Rng rng(505);
  GemmCheck check;
  std::vector<float> got, want, packed;
  for (int t = 0; t < 4; ++t)
    for (int M : {3, 13}) {
      GemmProblem p = make_problem(rng, t & 1, t & 2, M, 1201, 1100, kAlphaBeta[(t + M) % 3], true);
      run_gemm(ks(), p, got);
      expected(p, want);
      compare_gemm(p, got, want, /*exact=*/true, check);
      ASSERT_TRUE(check.failure.empty()) << ks().name << ": " << check.failure;
      std::string failure;
      run_gemm_packed(ks(), p, got, failure);
      ASSERT_TRUE(failure.empty()) << ks().name << ": " << failure;
      compare_gemm(p, got, want, /*exact=*/true, check);
      ASSERT_TRUE(check.failure.empty()) << ks().name << " gemm_packed: " << check.failure;
    }
}

// K == 0: C = beta * C (beta == 0: zeros, even from NaN). A and B are never read (null).
TEST_P(KernelSetTest, GemmEmptyInnerDimension) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (AlphaBeta ab : kAlphaBeta)
        for (int M : {1, 5, 97})
          for (int N : {1, 9}) {
            const int ldc = padded_ld(N);
            std::vector<float> C(static_cast<size_t>(M) * ldc, kCSentinel);
            for (int i = 0; i < M; ++i)
              for (int j = 0; j < N; ++j) C[static_cast<size_t>(i) * ldc + j] = ab.beta == 0.0f ? kNaN : 1.5f;
            std::vector<float> C2 = C;
            ks().gemm(ta, tb, M, N, 0, ab.alpha, nullptr, 1, nullptr, 1, ab.beta, C.data(), ldc);
            std::vector<float> packed(ks().packed_b_size(0, N) + 1);
            ks().pack_b(tb, 0, N, nullptr, 1, packed.data());
            ks().gemm_packed(ta, M, N, 0, ab.alpha, nullptr, 1, packed.data(), ab.beta, C2.data(), ldc);
            for (int i = 0; i < M; ++i)
              for (int j = 0; j < ldc; ++j) {
                size_t idx = static_cast<size_t>(i) * ldc + j;
                float want = j >= N ? kCSentinel : ab.beta * 1.5f * (ab.beta != 0.0f);
                ASSERT_EQ(bits_of(C[idx]), bits_of(want + 0.0f))
                    << "gemm M=" << M << " N=" << N << " beta=" << ab.beta << " at " << i << "," << j;
                ASSERT_EQ(bits_of(C2[idx]), bits_of(want + 0.0f))
                    << "gemm_packed M=" << M << " N=" << N << " beta=" << ab.beta << " at " << i << "," << j;
              }
          }
}

// Prepared operands: packed_b_size / pack_b / gemm_packed agree with gemm(ta, tb, ...) of the
// reference, exactly for integer operands and within the summation bound for real ones.
TEST_P(KernelSetTest, GemmPackedMatchesReference) {
  Rng rng(404);
  GemmCheck exact_check, real_check;
  std::vector<float> got, want;
  int n = 0;
  const int Ms[] = {1, 3, 4, 5, 96, 97};
  for (int t = 0; t < 4; ++t)
    for (int iM = 0; iM < 6; ++iM)
      for (int iN = 0; iN < 6; ++iN)
        for (int iK = 0; iK < 6; ++iK)
          for (bool integers : {true, false}) {
            GemmProblem p = make_problem(rng, t & 1, t & 2, Ms[iM], kNs[iN], kKs[iK],
                                         rotating_ab(t, iM + integers, iN, iK), integers);
            std::string failure;
            run_gemm_packed(ks(), p, got, failure);
            ASSERT_TRUE(failure.empty()) << ks().name << ": " << failure;
            expected(p, want);
            GemmCheck& c = integers ? exact_check : real_check;
            compare_gemm(p, got, want, integers, c);
            ++n;
            ASSERT_TRUE(c.failure.empty()) << ks().name << " gemm_packed: " << c.failure;
          }
  std::printf("[ gemm     ] %s packed path: %d problems, integer exact, real max |err| = %.3g u*S\n",
              ks().name, n, real_check.worst_in_uS);
}

// The per-step products (prepared W_hh) give each row the same bits whatever the number of
// rows: a sequence forecast alone (batch 1) matches the same sequence inside a batch. Rows
// 1..13 cover single rows, partial MR tiles and whole ones. The bit-for-bit promise is
// PackedGemm's and the reference loops'; `portable` multiplies with Eigen, whose blocking
// depends on M, so there the rows must only agree within the summation bound.
TEST_P(KernelSetTest, GemmPackedRowsIndependentOfBatchSize) {
  const bool bitwise = std::strcmp(ks().name, "portable") != 0;
  Rng rng(606);
  GemmCheck check;
  for (bool ta : {false, true})
    for (int N : {9, 64})
      for (int K : {3, 257}) {
        const int M = 13;
        GemmProblem p = make_problem(rng, ta, false, M, N, K, {1.0f, 1.0f}, /*integers=*/false);
        std::string failure;
        std::vector<float> all_rows;
        run_gemm_packed(ks(), p, all_rows, failure);
        ASSERT_TRUE(failure.empty()) << failure;
        std::vector<float> packed(ks().packed_b_size(K, N));
        ks().pack_b(false, K, N, p.B.data(), p.ldb, packed.data());
        for (int rows = 1; rows <= M; ++rows) {
          std::vector<float> C = p.C0;
          // The first `rows` rows of op(A): rows of A, or (ta) its first `rows` columns.
          ks().gemm_packed(ta, rows, N, K, 1.0f, p.A.data(), p.lda, packed.data(), 1.0f, C.data(),
                           p.ldc);
          GemmProblem first = p;
          first.M = rows;
          if (!bitwise) {
            compare_gemm(first, C, all_rows, /*exact=*/false, check);
            ASSERT_TRUE(check.failure.empty()) << ks().name << ": " << check.failure;
            continue;
          }
          for (int i = 0; i < rows; ++i)
            for (int j = 0; j < N; ++j) {
              const size_t idx = static_cast<size_t>(i) * p.ldc + j;
              ASSERT_EQ(bits_of(C[idx]), bits_of(all_rows[idx]))
                  << ks().name << " ta=" << ta << " N=" << N << " K=" << K << ": row " << i
                  << " of a " << rows << "-row product differs from the " << M << "-row one";
            }
        }
      }
}

// ---------------------------------------------------------------------------------------
// Fused gate kernels
// ---------------------------------------------------------------------------------------

const int kHs[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 33};  // lanes of 4: tails 1..3, none, several
const int kBs[] = {1, 3};

// Tolerance of outputs that pass through exp / tanh: the polynomials (vmath.h, ~2 ulp) and
// libm's expf / tanhf (~1 ulp) differ by a few ulp, i.e. < 1e-6 relative for values near 1.
// Relative-or-absolute: |got - ref| <= kTransRel * max(|ref|, floor), where floor is the
// natural scale of the quantity (1 for activations; 1 + |c_prev| for LSTM's c, whose terms
// f*c_prev and i*g can cancel; 1 + |h_prev| + |W_hn h| for GRU's h and n).
constexpr double kTransRel = 1e-6;

// Pure mul/add outputs (the backward kernels, rnn_backward) run the same IEEE operations in
// the same order as the reference, without FMA (-ffp-contract=off): they must be identical.

struct Specials {
  // Pre-activations: signed zeros, infinities, NaN, huge, tiny, subnormal, and values around
  // the clamps of vexp (+-87.34, +-88.38).
  static const std::vector<float>& pre() {
    static const std::vector<float> v = {0.0f,   -0.0f,  kInf,    -kInf,   kNaN,    1e30f,
                                         -1e30f, 1e-30f, -1e-30f, 1e-40f,  -1e-40f, 88.5f,
                                         -88.5f, 87.4f,  -87.4f,  100.0f,  -100.0f, 0.625f,
                                         -0.625f, 20.0f, -20.0f,  FLT_MAX, -FLT_MAX};
    return v;
  }
  // Gradients arriving from above.
  static const std::vector<float>& grad() {
    static const std::vector<float> v = {0.0f, -0.0f, kInf, -kInf, kNaN, 1e30f, -1e30f,
                                         1e-30f, -1e-30f, 1e-40f, FLT_MAX};
    return v;
  }
  static const std::vector<float>& unit() {  // sigmoid activations, in [0, 1]
    static const std::vector<float> v = {0.0f, 1.0f, 0.5f, 1e-30f, 1.0f - 1.0f / 16777216.0f, 4e-39f};
    return v;
  }
  static const std::vector<float>& sym() {  // tanh activations, in [-1, 1]
    static const std::vector<float> v = {0.0f, -0.0f, 1.0f, -1.0f, 1e-30f, -1e-30f};
    return v;
  }
};

// Random values in [lo, hi); with specials, every third element (offset by `phase` so they
// land on vector lanes and on tails alike) is taken from `sv` in turn.
std::vector<float> values(Rng& rng, size_t n, float lo, float hi, const std::vector<float>* sv,
                          int phase = 0) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = rng.uniform(lo, hi);
  if (sv)
    for (size_t i = static_cast<size_t>(phase) % 3, k = 0; i < n; i += 3, ++k) v[i] = (*sv)[k % sv->size()];
  return v;
}

struct Closeness {
  double worst = 0.0;  // max |got - ref| / max(|ref|, floor)
  void note(double e) { worst = std::max(worst, e); }
};

// |got - want| <= kTransRel * max(|want|, floor_i) (or both NaN, or equal infinities).
void expect_close(const char* what, const std::vector<float>& got, const std::vector<float>& want,
                  const std::vector<double>& floor, Closeness& c, const std::string& ctx) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (same_value(got[i], want[i])) continue;
    double e = std::fabs(double(got[i]) - want[i]) / std::max(std::fabs(double(want[i])), floor[i]);
    if (!(e <= kTransRel)) {
      ADD_FAILURE() << ctx << " " << what << "[" << i << "] = " << got[i] << ", reference "
                    << want[i] << " (relative-or-absolute error " << e << " > " << kTransRel << ")";
      return;
    }
    c.note(e);
  }
}

void expect_identical(const char* what, const std::vector<float>& got,
                      const std::vector<float>& want, const std::string& ctx) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (bits_of(got[i]) == bits_of(want[i]) || (std::isnan(got[i]) && std::isnan(want[i]))) continue;
    ADD_FAILURE() << ctx << " " << what << "[" << i << "] = " << got[i] << " (0x" << std::hex
                  << bits_of(got[i]) << "), reference " << want[i] << " (0x" << bits_of(want[i])
                  << std::dec << "): the same operations in the same order must give the same bits";
    return;
  }
}

std::vector<double> constant_floor(size_t n, double f = 1.0) { return std::vector<double>(n, f); }

std::string shape_ctx(const KernelSet& ks, int B, int H, bool special) {
  return std::string(ks.name) + " B=" + std::to_string(B) + " H=" + std::to_string(H) +
         (special ? " (special values)" : "");
}

// Runs body(B, H, special) over the whole shape grid.
template <class F>
void for_shapes(F&& body) {
  for (int B : kBs)
    for (int H : kHs)
      for (bool special : {false, true}) body(B, H, special);
}

void report(const KernelSet& ks, const char* kernel, const Closeness& c) {
  std::printf("[ gates    ] %s %s: max relative-or-absolute error vs reference %.3g (bound %.0e)\n",
              ks.name, kernel, c.worst, kTransRel);
}

TEST_P(KernelSetTest, LstmForward) {
  Rng rng(11);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    std::vector<float> gates = values(rng, 4 * n, -6, 6, sp ? &Specials::pre() : nullptr, B + H);
    std::vector<float> c_prev = values(rng, n, -3, 3, nullptr);
    std::vector<float> g1 = gates, g2 = gates, c1(n), c2(n), tc1(n), tc2(n), h1(n), h2(n);
    ks().lstm_forward(B, H, g1.data(), c_prev.data(), c1.data(), tc1.data(), h1.data());
    ref().lstm_forward(B, H, g2.data(), c_prev.data(), c2.data(), tc2.data(), h2.data());
    std::vector<double> fc(n);
    for (size_t i = 0; i < n; ++i) fc[i] = 1.0 + std::fabs(c_prev[i]);
    expect_close("gates", g1, g2, constant_floor(4 * n), cl, ctx);
    expect_close("c", c1, c2, fc, cl, ctx);
    expect_close("tanh_c", tc1, tc2, fc, cl, ctx);
    expect_close("h", h1, h2, fc, cl, ctx);
  });
  report(ks(), "lstm_forward", cl);
}

TEST_P(KernelSetTest, LstmBackward) {
  Rng rng(12);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    // Activations as the forward pass leaves them: i, f, o in [0,1], g in [-1,1].
    std::vector<float> gates(4 * n);
    for (int b = 0; b < B; ++b) {
      std::vector<float> s = values(rng, 3 * H, 0, 1, sp ? &Specials::unit() : nullptr, b);
      std::vector<float> g = values(rng, H, -1, 1, sp ? &Specials::sym() : nullptr, b + 1);
      float* row = gates.data() + static_cast<size_t>(b) * 4 * H;
      std::copy(s.begin(), s.begin() + 2 * H, row);
      std::copy(g.begin(), g.end(), row + 2 * H);
      std::copy(s.begin() + 2 * H, s.end(), row + 3 * H);
    }
    std::vector<float> c_prev = values(rng, n, -3, 3, nullptr);
    std::vector<float> tanh_c = values(rng, n, -1, 1, sp ? &Specials::sym() : nullptr, 2);
    std::vector<float> dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    std::vector<float> dc = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H + 1);
    std::vector<float> dc1 = dc, dc2 = dc, dg1(4 * n), dg2(4 * n);
    ks().lstm_backward(B, H, gates.data(), c_prev.data(), tanh_c.data(), dh.data(), dc1.data(), dg1.data());
    ref().lstm_backward(B, H, gates.data(), c_prev.data(), tanh_c.data(), dh.data(), dc2.data(), dg2.data());
    expect_identical("dgates", dg1, dg2, ctx);
    expect_identical("dc", dc1, dc2, ctx);
  });
}

TEST_P(KernelSetTest, GruForward) {
  Rng rng(13);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    // Special values go into W_i x + b_i only: h_prev and the recurrent part stay finite, as
    // they are in training (a non-finite state stops training with kNonFiniteLoss).
    std::vector<float> xg = values(rng, 3 * n, -6, 6, sp ? &Specials::pre() : nullptr, H);
    std::vector<float> hg = values(rng, 3 * n, -3, 3, nullptr);
    std::vector<float> h_prev = values(rng, n, -1, 1, nullptr);
    std::vector<float> x1 = xg, x2 = xg, h1(n), h2(n);
    ks().gru_forward(B, H, x1.data(), hg.data(), h_prev.data(), h1.data());
    ref().gru_forward(B, H, x2.data(), hg.data(), h_prev.data(), h2.data());
    std::vector<double> fx = constant_floor(3 * n), fh(n);
    for (int b = 0; b < B; ++b)
      for (int j = 0; j < H; ++j) {
        double hn = std::fabs(hg[static_cast<size_t>(b) * 3 * H + 2 * H + j]);
        fx[static_cast<size_t>(b) * 3 * H + 2 * H + j] = 1.0 + hn;
        fh[static_cast<size_t>(b) * H + j] = 1.0 + hn + std::fabs(h_prev[static_cast<size_t>(b) * H + j]);
      }
    expect_close("xg (r, z, n)", x1, x2, fx, cl, ctx);
    expect_close("h", h1, h2, fh, cl, ctx);
  });
  report(ks(), "gru_forward", cl);
}

TEST_P(KernelSetTest, GruBackward) {
  Rng rng(14);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    std::vector<float> xg(3 * n);
    for (int b = 0; b < B; ++b) {
      std::vector<float> rz = values(rng, 2 * H, 0, 1, sp ? &Specials::unit() : nullptr, b);
      std::vector<float> nn = values(rng, H, -1, 1, sp ? &Specials::sym() : nullptr, b + 2);
      std::copy(rz.begin(), rz.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H);
      std::copy(nn.begin(), nn.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H + 2 * H);
    }
    std::vector<float> hg = values(rng, 3 * n, -3, 3, nullptr);
    std::vector<float> h_prev = values(rng, n, -1, 1, nullptr);
    std::vector<float> dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    std::vector<float> dx1(3 * n), dx2(3 * n), dhh1(3 * n), dhh2(3 * n), dp1(n), dp2(n);
    ks().gru_backward(B, H, xg.data(), hg.data(), h_prev.data(), dh.data(), dx1.data(), dhh1.data(), dp1.data());
    ref().gru_backward(B, H, xg.data(), hg.data(), h_prev.data(), dh.data(), dx2.data(), dhh2.data(), dp2.data());
    expect_identical("dxg", dx1, dx2, ctx);
    expect_identical("dhg", dhh1, dhh2, ctx);
    expect_identical("dh_prev", dp1, dp2, ctx);
  });
}

TEST_P(KernelSetTest, GruClassicRz) {
  Rng rng(15);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    std::vector<float> xg = values(rng, 3 * n, -6, 6, sp ? &Specials::pre() : nullptr, H + 2);
    std::vector<float> hrz = values(rng, 2 * n, -3, 3, nullptr);
    std::vector<float> h_prev = values(rng, n, -1, 1, nullptr);
    std::vector<float> x1 = xg, x2 = xg, rh1(n), rh2(n);
    ks().gru_classic_rz(B, H, x1.data(), hrz.data(), h_prev.data(), rh1.data());
    ref().gru_classic_rz(B, H, x2.data(), hrz.data(), h_prev.data(), rh2.data());
    expect_close("xg (r, z)", x1, x2, constant_floor(3 * n), cl, ctx);
    expect_close("r*h_prev", rh1, rh2, constant_floor(n), cl, ctx);
  });
  report(ks(), "gru_classic_rz", cl);
}

TEST_P(KernelSetTest, GruClassicN) {
  Rng rng(16);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    // xg holds r, z (activations, from gru_classic_rz) and the n pre-activation.
    std::vector<float> xg(3 * n);
    for (int b = 0; b < B; ++b) {
      std::vector<float> rz = values(rng, 2 * H, 0, 1, sp ? &Specials::unit() : nullptr, b);
      std::vector<float> pre = values(rng, H, -6, 6, sp ? &Specials::pre() : nullptr, b + 1);
      std::copy(rz.begin(), rz.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H);
      std::copy(pre.begin(), pre.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H + 2 * H);
    }
    std::vector<float> hn = values(rng, n, -3, 3, nullptr);
    std::vector<float> h_prev = values(rng, n, -1, 1, nullptr);
    std::vector<float> x1 = xg, x2 = xg, h1(n), h2(n);
    ks().gru_classic_n(B, H, x1.data(), hn.data(), h_prev.data(), h1.data());
    ref().gru_classic_n(B, H, x2.data(), hn.data(), h_prev.data(), h2.data());
    std::vector<double> fh(n);
    for (size_t i = 0; i < n; ++i) fh[i] = 1.0 + std::fabs(h_prev[i]);
    expect_close("xg (n)", x1, x2, constant_floor(3 * n), cl, ctx);
    expect_close("h", h1, h2, fh, cl, ctx);
  });
  report(ks(), "gru_classic_n", cl);
}

TEST_P(KernelSetTest, GruClassicNBackward) {
  Rng rng(17);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    std::vector<float> xg(3 * n);
    for (int b = 0; b < B; ++b) {
      std::vector<float> rz = values(rng, 2 * H, 0, 1, sp ? &Specials::unit() : nullptr, b);
      std::vector<float> nn = values(rng, H, -1, 1, sp ? &Specials::sym() : nullptr, b + 1);
      std::copy(rz.begin(), rz.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H);
      std::copy(nn.begin(), nn.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H + 2 * H);
    }
    std::vector<float> h_prev = values(rng, n, -1, 1, nullptr);
    std::vector<float> dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    // dg[:, :H] belongs to gru_classic_r_backward: it must be left as it was.
    std::vector<float> dg = values(rng, 3 * n, -1, 1, nullptr);
    std::vector<float> dg1 = dg, dg2 = dg, dp1(n), dp2(n);
    ks().gru_classic_n_backward(B, H, xg.data(), h_prev.data(), dh.data(), dg1.data(), dp1.data());
    ref().gru_classic_n_backward(B, H, xg.data(), h_prev.data(), dh.data(), dg2.data(), dp2.data());
    expect_identical("dg", dg1, dg2, ctx);
    expect_identical("dh_prev", dp1, dp2, ctx);
  });
}

TEST_P(KernelSetTest, GruClassicRBackward) {
  Rng rng(18);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    std::vector<float> xg = values(rng, 3 * n, 0, 1, sp ? &Specials::unit() : nullptr, H);
    std::vector<float> h_prev = values(rng, n, -1, 1, nullptr);
    std::vector<float> d_rh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, B);
    std::vector<float> dg = values(rng, 3 * n, -1, 1, nullptr);  // dz, dn parts: untouched
    std::vector<float> dhp = values(rng, n, -1, 1, nullptr);     // accumulated into
    std::vector<float> dg1 = dg, dg2 = dg, dp1 = dhp, dp2 = dhp;
    ks().gru_classic_r_backward(B, H, xg.data(), h_prev.data(), d_rh.data(), dg1.data(), dp1.data());
    ref().gru_classic_r_backward(B, H, xg.data(), h_prev.data(), d_rh.data(), dg2.data(), dp2.data());
    expect_identical("dg", dg1, dg2, ctx);
    expect_identical("dh_prev", dp1, dp2, ctx);
  });
}

TEST_P(KernelSetTest, RnnForward) {
  Rng rng(19);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::vector<float> pre = values(rng, n, -6, 6, sp ? &Specials::pre() : nullptr, H);
    std::vector<float> h1(n), h2(n);
    ks().rnn_forward(static_cast<int>(n), pre.data(), h1.data());
    ref().rnn_forward(static_cast<int>(n), pre.data(), h2.data());
    expect_close("h", h1, h2, constant_floor(n), cl, shape_ctx(ks(), B, H, sp));
  });
  report(ks(), "rnn_forward", cl);
}

TEST_P(KernelSetTest, RnnBackward) {
  Rng rng(20);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::vector<float> h = values(rng, n, -1, 1, sp ? &Specials::sym() : nullptr, 1);
    std::vector<float> dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    std::vector<float> d1(n), d2(n);
    ks().rnn_backward(static_cast<int>(n), h.data(), dh.data(), d1.data());
    ref().rnn_backward(static_cast<int>(n), h.data(), dh.data(), d2.data());
    expect_identical("dpre", d1, d2, shape_ctx(ks(), B, H, sp));
  });
}

// The elementwise maps over lengths 0..40 (every tail) and the special values.
TEST_P(KernelSetTest, SigmoidAndTanhMaps) {
  Rng rng(21);
  Closeness cs, ct;
  for (int n = 0; n <= 40; ++n)
    for (bool sp : {false, true}) {
      std::vector<float> x = values(rng, static_cast<size_t>(n), -12, 12, sp ? &Specials::pre() : nullptr, n);
      std::vector<float> y1(n), y2(n);
      std::string ctx = std::string(ks().name) + " n=" + std::to_string(n) + (sp ? " (special values)" : "");
      ks().sigmoid(n, x.data(), y1.data());
      ref().sigmoid(n, x.data(), y2.data());
      expect_close("sigmoid", y1, y2, constant_floor(n), cs, ctx);
      ks().tanh(n, x.data(), y1.data());
      ref().tanh(n, x.data(), y2.data());
      expect_close("tanh", y1, y2, constant_floor(n), ct, ctx);
    }
  // Limits and signs the cells rely on: saturation to exactly 0/1 and +-1, NaN propagation,
  // and tanh odd (including the sign of zero, as std::tanh).
  const std::vector<float> x = {kInf, -kInf, kNaN, 0.0f, -0.0f, 1e-40f, -1e-40f, 50.0f, -50.0f};
  std::vector<float> s(x.size()), t(x.size());
  ks().sigmoid(static_cast<int>(x.size()), x.data(), s.data());
  ks().tanh(static_cast<int>(x.size()), x.data(), t.data());
  EXPECT_EQ(s[0], 1.0f);
  EXPECT_LE(s[1], FLT_MIN) << "sigmoid(-inf)";
  EXPECT_GE(s[1], 0.0f);
  EXPECT_TRUE(std::isnan(s[2]));
  EXPECT_EQ(s[3], 0.5f);
  EXPECT_EQ(s[4], 0.5f);
  EXPECT_EQ(s[7], 1.0f);
  EXPECT_EQ(t[0], 1.0f);
  EXPECT_EQ(t[1], -1.0f);
  EXPECT_TRUE(std::isnan(t[2]));
  EXPECT_EQ(bits_of(t[3]), bits_of(0.0f)) << "tanh(+0)";
  EXPECT_EQ(bits_of(t[4]), bits_of(-0.0f)) << "tanh(-0) must be -0, as std::tanh";
  EXPECT_EQ(t[5], 1e-40f);
  EXPECT_EQ(t[6], -1e-40f);
  EXPECT_EQ(t[7], 1.0f);
  EXPECT_EQ(t[8], -1.0f);
  report(ks(), "sigmoid", cs);
  report(ks(), "tanh", ct);
}

INSTANTIATE_TEST_SUITE_P(KernelSets, KernelSetTest, ::testing::ValuesIn(kernels::all()),
                         set_test_name);

// ---------------------------------------------------------------------------------------
// Sets built from the Vec template (every set but the reference) compute the same bits as
// the 1-lane VecScalar set "portable", whatever their lane count: a unit's result does not
// depend on whether it ran in a vector body or a scalar tail. And they compute the same bits
// as the native build did (golden hashes below), which is what lets the wasm build (VecWasm,
// where these suites also run) promise the native results.
// ---------------------------------------------------------------------------------------

std::vector<const KernelSet*> vec_sets() {
  std::vector<const KernelSet*> v;
  for (const KernelSet* s : kernels::all())
    if (std::strcmp(s->name, "reference") != 0) v.push_back(s);
  return v;
}

const KernelSet& portable_set() {
  for (const KernelSet* s : kernels::all())
    if (std::strcmp(s->name, "portable") == 0) return *s;
  return kernels::reference();  // not reached: every build has "portable"
}

// Same bits. Natively NaNs must match bit for bit too (checked); WebAssembly leaves the
// payload and sign of a NaN produced by arithmetic unspecified, so there any NaN matches any.
bool bits_match(float a, float b) {
#if defined(__EMSCRIPTEN__)
  if (std::isnan(a) && std::isnan(b)) return true;
#endif
  return bits_of(a) == bits_of(b);
}

// FNV-1a over the bits of a float sequence, every NaN hashed as one canonical NaN.
constexpr uint64_t kFnvBasis = 1469598103934665603ull;
uint64_t hash_bits(const std::vector<float>& v, uint64_t h = kFnvBasis) {
  for (float x : v) {
    uint32_t b = std::isnan(x) ? 0x7fc00000u : bits_of(x);
    for (int i = 0; i < 4; ++i) h = (h ^ ((b >> (8 * i)) & 0xffu)) * 1099511628211ull;
  }
  return h;
}

void expect_same_bits(const std::string& what, const std::vector<float>& got,
                      const std::vector<float>& want, const char* want_name) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    if (!bits_match(got[i], want[i])) {
      ADD_FAILURE() << what << "[" << i << "]: 0x" << std::hex << bits_of(got[i]) << " vs "
                    << want_name << " 0x" << bits_of(want[i]) << std::dec << " (" << got[i]
                    << " vs " << want[i] << ")";
      return;
    }
}

struct NamedOutput {
  std::string name;
  std::vector<float> v;
};

// Runs every gate kernel of ks over a fixed set of inputs (the library's Rng is bit-identical
// across platforms), shapes with and without tails, special values included; backward
// kernels take the set's own forward outputs. Returns every output array, named.
std::vector<NamedOutput> run_all_gates(const KernelSet& ks) {
  std::vector<NamedOutput> out;
  Rng rng(31);
  for (int B : kBs)
    for (int H : {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 16, 33})
      for (bool sp : {false, true}) {
        const size_t n = static_cast<size_t>(B) * H;
        const std::string at = " B=" + std::to_string(B) + " H=" + std::to_string(H) + (sp ? " special" : "");
        auto keep = [&](const char* what, const std::vector<float>& v) { out.push_back({what + at, v}); };
        const std::vector<float>* pre = sp ? &Specials::pre() : nullptr;
        const std::vector<float>* grad = sp ? &Specials::grad() : nullptr;
        {  // LSTM
          std::vector<float> g = values(rng, 4 * n, -6, 6, pre, H);
          std::vector<float> cp = values(rng, n, -3, 3, nullptr);
          std::vector<float> c(n), tc(n), h(n);
          ks.lstm_forward(B, H, g.data(), cp.data(), c.data(), tc.data(), h.data());
          keep("lstm_forward gates", g), keep("lstm_forward c", c), keep("lstm_forward tanh_c", tc);
          keep("lstm_forward h", h);
          std::vector<float> dh = values(rng, n, -2, 2, grad, B);
          std::vector<float> dc = values(rng, n, -2, 2, nullptr), dg(4 * n);
          ks.lstm_backward(B, H, g.data(), cp.data(), tc.data(), dh.data(), dc.data(), dg.data());
          keep("lstm_backward dgates", dg), keep("lstm_backward dc", dc);
        }
        {  // GRU (PyTorch)
          std::vector<float> x = values(rng, 3 * n, -6, 6, pre, H + 1);
          std::vector<float> hg = values(rng, 3 * n, -3, 3, nullptr);
          std::vector<float> hp = values(rng, n, -1, 1, nullptr);
          std::vector<float> h(n);
          ks.gru_forward(B, H, x.data(), hg.data(), hp.data(), h.data());
          keep("gru_forward xg", x), keep("gru_forward h", h);
          std::vector<float> dh = values(rng, n, -2, 2, grad, B);
          std::vector<float> dx(3 * n), dhh(3 * n), dp(n);
          ks.gru_backward(B, H, x.data(), hg.data(), hp.data(), dh.data(), dx.data(), dhh.data(), dp.data());
          keep("gru_backward dxg", dx), keep("gru_backward dhg", dhh), keep("gru_backward dh_prev", dp);
        }
        {  // GRU (classic)
          std::vector<float> x = values(rng, 3 * n, -6, 6, pre, H + 2);
          std::vector<float> hrz = values(rng, 2 * n, -3, 3, nullptr);
          std::vector<float> hn = values(rng, n, -3, 3, nullptr);
          std::vector<float> hp = values(rng, n, -1, 1, nullptr);
          std::vector<float> rh(n), h(n);
          ks.gru_classic_rz(B, H, x.data(), hrz.data(), hp.data(), rh.data());
          keep("gru_classic_rz xg", x), keep("gru_classic_rz rh", rh);
          ks.gru_classic_n(B, H, x.data(), hn.data(), hp.data(), h.data());
          keep("gru_classic_n xg", x), keep("gru_classic_n h", h);
          std::vector<float> dh = values(rng, n, -2, 2, grad, B);
          std::vector<float> dg(3 * n, 0.0f), dp(n);
          ks.gru_classic_n_backward(B, H, x.data(), hp.data(), dh.data(), dg.data(), dp.data());
          keep("gru_classic_n_backward dg", dg), keep("gru_classic_n_backward dh_prev", dp);
          std::vector<float> drh = values(rng, n, -2, 2, grad, H);
          ks.gru_classic_r_backward(B, H, x.data(), hp.data(), drh.data(), dg.data(), dp.data());
          keep("gru_classic_r_backward dg", dg), keep("gru_classic_r_backward dh_prev", dp);
        }
        {  // RNN and the maps
          std::vector<float> x = values(rng, n, -12, 12, pre, H);
          std::vector<float> y(n);
          ks.rnn_forward(static_cast<int>(n), x.data(), y.data());
          keep("rnn_forward", y);
          std::vector<float> dh = values(rng, n, -2, 2, grad, B), d(n);
          ks.rnn_backward(static_cast<int>(n), y.data(), dh.data(), d.data());
          keep("rnn_backward", d);
          ks.sigmoid(static_cast<int>(n), x.data(), y.data());
          keep("sigmoid", y);
          ks.tanh(static_cast<int>(n), x.data(), y.data());
          keep("tanh", y);
        }
      }
  return out;
}

class VecSetTest : public ::testing::TestWithParam<const KernelSet*> {};

TEST_P(VecSetTest, GatesBitIdenticalToScalarLanes) {
  const KernelSet& ks = *GetParam();
  ASSERT_STREQ(portable_set().name, "portable");
  std::vector<NamedOutput> got = run_all_gates(ks), want = run_all_gates(portable_set());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    expect_same_bits(std::string(ks.name) + " " + got[i].name, got[i].v, want[i].v, "portable");
}

// FNV-1a of every output of run_all_gates, computed by the native x86-64 build (GCC 12,
// -ffp-contract=off). Any Vec set, on any target, must reproduce it; a deliberate change to
// the gate or vmath arithmetic updates it (the failure message prints the new value).
constexpr uint64_t kGatesGoldenHash = 0xfb6e84ef4893831eull;

TEST_P(VecSetTest, GatesMatchNativeGoldenBits) {
  const KernelSet& ks = *GetParam();
  uint64_t h = kFnvBasis;
  for (const NamedOutput& o : run_all_gates(ks)) h = hash_bits(o.v, h);
  EXPECT_EQ(h, kGatesGoldenHash) << ks.name << ": gate outputs differ from the native build's bits "
                                 << "(hash 0x" << std::hex << h << ")";
}

INSTANTIATE_TEST_SUITE_P(VecSets, VecSetTest, ::testing::ValuesIn(vec_sets()), set_test_name);

// The products too: every set built on PackedGemm (all but the reference loops and the
// Eigen-based portable set) gives each element the same products summed in the same order,
// whatever its vector width, tile shape or path (row kernels, narrow columns, K split at KC).
// So the native default set and wasm simd128 produce the native build's bits (golden hash,
// printed on failure; a deliberate change of the summation order updates it).
constexpr uint64_t kGemmGoldenHash = 0xfe36c59842ab696bull;

std::vector<const KernelSet*> packed_gemm_sets() {
  std::vector<const KernelSet*> v;
  for (const KernelSet* s : vec_sets())
    if (std::strcmp(s->name, "portable") != 0) v.push_back(s);
  return v;
}

class PackedGemmSetTest : public ::testing::TestWithParam<const KernelSet*> {};

TEST_P(PackedGemmSetTest, GemmMatchesNativeGoldenBits) {
  const KernelSet& ks = *GetParam();
  Rng rng(707);
  uint64_t h = kFnvBasis;
  std::vector<float> got;
  int t = 0;
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (int M : {1, 3, 7, 33, 130})
        for (int N : {1, 2, 5, 40, 67})
          for (int K : {1, 19, 300}) {
            GemmProblem p = make_problem(rng, ta, tb, M, N, K, kAlphaBeta[t++ % 3], false);
            run_gemm(ks, p, got);
            h = hash_bits(got, h);
            std::string failure;
            run_gemm_packed(ks, p, got, failure);
            ASSERT_TRUE(failure.empty()) << failure;
            h = hash_bits(got, h);
          }
  EXPECT_EQ(h, kGemmGoldenHash) << ks.name << ": products differ from the native build's bits "
                                << "(hash 0x" << std::hex << h << ")";
}

INSTANTIATE_TEST_SUITE_P(PackedGemmSets, PackedGemmSetTest, ::testing::ValuesIn(packed_gemm_sets()),
                         set_test_name);

// ---------------------------------------------------------------------------------------
// vmath.h: accuracy against double precision and bit identity of the Vec types.
// ---------------------------------------------------------------------------------------

// Spacing of float32 values at |y| (the float binade of y; subnormal spacing below FLT_MIN).
double ulp_at(double y) {
  y = std::fabs(y);
  if (y < FLT_MIN) return std::ldexp(1.0, -149);
  int e;
  std::frexp(y, &e);  // y = m * 2^e, m in [0.5, 1): float spacing is 2^(e - 24)
  return std::ldexp(1.0, e - 24);
}

// Evaluates f over xs with Vec type V (whole vectors; xs is padded to a multiple of 4).
template <class V, class F>
std::vector<float> eval_vec(const std::vector<float>& xs, F f) {
  std::vector<float> ys(xs.size());
  for (size_t i = 0; i + V::N <= xs.size(); i += V::N) f(V::load(xs.data() + i)).store(ys.data() + i);
  return ys;
}

struct VmathFn {
  const char* name;
  float (*scalar)(float);  // vmath over VecScalar
  double (*exact)(double);
};

float vexp_s(float x) { return kernels::vexp(kernels::VecScalar{x}).v; }
float vsigmoid_s(float x) { return kernels::vsigmoid(kernels::VecScalar{x}).v; }
float vtanh_s(float x) { return kernels::vtanh(kernels::VecScalar{x}).v; }
double exp_d(double x) { return std::exp(x); }
double sigmoid_d(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double tanh_d(double x) { return std::tanh(x); }

// The test grid: 200k evenly spaced points over [-90, 90], plus every 512th float bit
// pattern in [0, 90] and its negative (dense near 0: all binades down to the subnormals).
const std::vector<float>& grid() {
  static const std::vector<float> g = [] {
    std::vector<float> v;
    const int n = 200000;
    for (int i = 0; i < n; ++i) v.push_back(static_cast<float>(-90.0 + 180.0 * i / (n - 1)));
    for (uint32_t b = 0; b <= bits_of(90.0f); b += 512) {
      v.push_back(from_bits(b));
      v.push_back(-from_bits(b));
    }
    while (v.size() % 4) v.push_back(0.0f);
    return v;
  }();
  return g;
}

struct UlpStats {
  double worst = 0.0;
  float at = 0.0f;
  size_t points = 0;
  void note(double u, float x) {
    ++points;
    if (u > worst) worst = u, at = x;
  }
};

// Max error bounds in ulps of the exact (double) result. Measured on this grid with GCC 12 /
// glibc 2.36 on x86-64; each bound leaves a margin of about half an ulp:
//   vexp     on [-87.3365, 88.3763] (its unclamped range):  measured 0.973 ulp -> bound 1.5
//   vsigmoid where sigmoid(x) >= FLT_MIN (x >= -87.33):    measured 2.423 ulp -> bound 3.0
//            (vexp's error, then the rounding of 1 + e and of the division)
//   vtanh    on all of [-90, 90]:                           measured 1.216 ulp -> bound 2.0
constexpr double kExpMaxUlp = 1.5;
constexpr double kSigmoidMaxUlp = 3.0;
constexpr double kTanhMaxUlp = 2.0;

TEST(VmathAccuracy, ExpWithinUlps) {
  UlpStats s;
  const float lo = -87.3365f, hi = 88.3762626647949f;  // vexp's clamps
  const float at_lo = vexp_s(lo), at_hi = vexp_s(hi);
  for (float x : grid()) {
    float y = vexp_s(x);
    if (x < lo) {
      // Below the clamp: exp(x) < FLT_MIN (subnormal or 0); vexp returns exp(-87.3365).
      ASSERT_EQ(y, at_lo) << "x = " << x;
      ASSERT_LE(std::fabs(y - std::exp(double(x))), FLT_MIN) << "x = " << x;
      continue;
    }
    if (x > hi) {
      // Above the clamp: exp(x) is within 0.6% of FLT_MAX or overflows; vexp saturates to a
      // finite exp(88.376) instead of +inf.
      ASSERT_EQ(y, at_hi) << "x = " << x;
      ASSERT_TRUE(std::isfinite(y));
      continue;
    }
    double e = std::exp(double(x));
    s.note(std::fabs(y - e) / ulp_at(e), x);
  }
  std::printf("[ vmath    ] vexp: max error %.3f ulp at x = %.9g over %zu points (bound %.1f)\n",
              s.worst, s.at, s.points, kExpMaxUlp);
  EXPECT_LE(s.worst, kExpMaxUlp) << "at x = " << s.at;
  EXPECT_TRUE(std::isnan(vexp_s(kNaN)));
  EXPECT_EQ(vexp_s(0.0f), 1.0f);
  EXPECT_EQ(vexp_s(-0.0f), 1.0f);
  EXPECT_EQ(vexp_s(-kInf), at_lo);
  EXPECT_EQ(vexp_s(kInf), at_hi);
}

TEST(VmathAccuracy, SigmoidWithinUlps) {
  UlpStats s;
  double worst_abs_tiny = 0.0;
  for (float x : grid()) {
    float y = vsigmoid_s(x);
    double e = sigmoid_d(x);
    if (e < FLT_MIN) {
      // x < -87.33: the result is subnormal (or 0) and vexp(-x) is clamped; what matters is
      // that it is ~0, not its relative precision.
      worst_abs_tiny = std::max(worst_abs_tiny, std::fabs(y - e));
      ASSERT_LE(std::fabs(y - e), FLT_MIN) << "x = " << x;
      continue;
    }
    s.note(std::fabs(y - e) / ulp_at(e), x);
  }
  std::printf("[ vmath    ] vsigmoid: max error %.3f ulp at x = %.9g over %zu points (bound %.1f); "
              "below FLT_MIN max abs error %.3g\n",
              s.worst, s.at, s.points, kSigmoidMaxUlp, worst_abs_tiny);
  EXPECT_LE(s.worst, kSigmoidMaxUlp) << "at x = " << s.at;
  EXPECT_EQ(vsigmoid_s(kInf), 1.0f);
  EXPECT_LE(vsigmoid_s(-kInf), FLT_MIN);
  EXPECT_TRUE(std::isnan(vsigmoid_s(kNaN)));
  EXPECT_EQ(vsigmoid_s(0.0f), 0.5f);
  EXPECT_EQ(vsigmoid_s(-0.0f), 0.5f);
}

TEST(VmathAccuracy, TanhWithinUlps) {
  UlpStats s;
  for (float x : grid()) s.note(std::fabs(vtanh_s(x) - std::tanh(double(x))) / ulp_at(std::tanh(double(x))), x);
  std::printf("[ vmath    ] vtanh: max error %.3f ulp at x = %.9g over %zu points (bound %.1f)\n",
              s.worst, s.at, s.points, kTanhMaxUlp);
  EXPECT_LE(s.worst, kTanhMaxUlp) << "at x = " << s.at;
  EXPECT_EQ(vtanh_s(kInf), 1.0f);
  EXPECT_EQ(vtanh_s(-kInf), -1.0f);
  EXPECT_TRUE(std::isnan(vtanh_s(kNaN)));
  EXPECT_EQ(bits_of(vtanh_s(0.0f)), bits_of(0.0f));
  EXPECT_EQ(bits_of(vtanh_s(-0.0f)), bits_of(-0.0f)) << "tanh is odd: tanh(-0) = -0";
}

// The design promise: every Vec type computes the same bits. Each lane position of a vector
// must agree with the scalar evaluation, over the grid and special values (natively VecSse2,
// in the wasm SIMD build VecWasm; natively also checked once over all 2^32 inputs). And the
// bits must be the native build's (golden hashes): the wasm build runs this suite too.
constexpr uint64_t kVmathGoldenHash[3] = {0xefcbfd66ccd2111full, 0xaa485a931c488345ull,
                                         0x0e5f5bb80738ecefull};  // vexp, vsigmoid, vtanh

TEST(VmathBitIdentity, VecTypesAgreeWithEachOtherAndTheNativeBuild) {
  using kernels::VecScalar;
  std::vector<float> xs = grid();
  // Special values and their neighbourhood, each at every lane position (shifted copies).
  std::vector<float> sp = Specials::pre();
  for (float v : {FLT_MIN, -FLT_MIN, FLT_EPSILON, 0.625f, 0.62499994f, 0.62500006f, -87.3365f,
                  88.3762626647949f, 88.72f, -88.72f, 44.0f, -44.0f, 1.0f, -1.0f})
    sp.push_back(v);
  sp.push_back(from_bits(0x7f800001u));  // signalling NaN
  sp.push_back(from_bits(0xffc00001u));  // negative NaN with payload
  for (int shift = 0; shift < 4; ++shift) {
    for (int i = 0; i < shift; ++i) xs.push_back(0.5f);
    xs.insert(xs.end(), sp.begin(), sp.end());
  }
  while (xs.size() % 4) xs.push_back(0.0f);
  const char* names[3] = {"vexp", "vsigmoid", "vtanh"};
  auto eval = [&](auto tag, int f) {
    using V = decltype(tag);
    if (f == 0) return eval_vec<V>(xs, [](auto x) { return kernels::vexp(x); });
    if (f == 1) return eval_vec<V>(xs, [](auto x) { return kernels::vsigmoid(x); });
    return eval_vec<V>(xs, [](auto x) { return kernels::vtanh(x); });
  };
  auto compare = [&](const char* isa, const std::vector<float>& v, const std::vector<float>& s,
                     const char* name) {
    size_t diffs = 0, first = 0;
    for (size_t i = 0; i < xs.size(); ++i)
      if (!bits_match(v[i], s[i]) && diffs++ == 0) first = i;
    EXPECT_EQ(diffs, 0u) << name << ": VecScalar and " << isa << " differ at " << diffs
                         << " points, first x = " << xs[first] << " (0x" << std::hex
                         << bits_of(xs[first]) << "): 0x" << bits_of(s[first]) << " vs 0x"
                         << bits_of(v[first]) << std::dec;
    std::printf("[ vmath    ] %s: VecScalar == %s bit for bit over %zu inputs\n", name, isa, xs.size());
  };
  for (int f = 0; f < 3; ++f) {
    std::vector<float> s = eval(VecScalar{}, f);
#if RNNLAB_HAVE_SSE2
    compare("VecSse2", eval(kernels::VecSse2{}, f), s, names[f]);
#endif
#if RNNLAB_HAVE_WASM_SIMD
    compare("VecWasm", eval(kernels::VecWasm{}, f), s, names[f]);
#endif
    uint64_t h = hash_bits(s);
    EXPECT_EQ(h, kVmathGoldenHash[f]) << names[f] << ": VecScalar's bits differ from the native "
                                      << "build's (hash 0x" << std::hex << h << ")";
  }
}

// ---------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------

TEST(KernelRegistry, ReferenceFirstAndNamesUnique) {
  const auto& sets = kernels::all();
  ASSERT_FALSE(sets.empty());
  EXPECT_EQ(sets.front(), &kernels::reference());
  EXPECT_STREQ(sets.front()->name, "reference");
  for (size_t i = 0; i < sets.size(); ++i) {
    const KernelSet& s = *sets[i];
    std::printf("[ registry ] %s (%s): gemm %s, gates %s\n", s.name, s.simd ? "SIMD" : "scalar",
                s.gemm_name, s.gates_name);
    EXPECT_TRUE(s.gemm && s.packed_b_size && s.pack_b && s.gemm_packed && s.lstm_forward &&
                s.lstm_backward && s.gru_forward && s.gru_backward && s.gru_classic_rz &&
                s.gru_classic_n && s.gru_classic_n_backward && s.gru_classic_r_backward &&
                s.rnn_forward && s.rnn_backward && s.sigmoid && s.tanh)
        << s.name << " has a null entry";
    // Kernel names: dtype_op[_tile]__isa; a SIMD set's kernels are named after the set's ISA.
    const std::string gemm = s.gemm_name, gates = s.gates_name;
    EXPECT_EQ(gemm.rfind("f32_gemm_", 0), 0u) << gemm;
    EXPECT_EQ(gates.rfind("f32_gates_", 0), 0u) << gates;
    if (s.simd) {
      const std::string isa = std::string("__") + s.name;
      EXPECT_EQ(gemm.substr(gemm.size() - std::min(gemm.size(), isa.size())), isa) << gemm;
      EXPECT_EQ(gates.substr(gates.size() - std::min(gates.size(), isa.size())), isa) << gates;
    }
    EXPECT_EQ(s.simd, std::strcmp(s.name, "reference") != 0 && std::strcmp(s.name, "portable") != 0)
        << s.name;
    // One name per kernel: no two sets name their kernels alike.
    for (size_t j = 0; j < i; ++j) {
      EXPECT_STRNE(s.name, sets[j]->name);
      EXPECT_STRNE(s.gemm_name, sets[j]->gemm_name);
      EXPECT_STRNE(s.gates_name, sets[j]->gates_name);
    }
  }
}

// Which set runs is decided by CPUID natively (every x86-64 build holds sse2, avx2 and avx512)
// and at compile time in wasm. Printed, so every test log says which kernels ran.
TEST(KernelRegistry, DefaultsToTheWidestSetTheMachineRuns) {
  const KernelSet& a = kernels::active();
#if defined(__x86_64__) && !defined(__EMSCRIPTEN__)
  // Asked here independently of registry.cpp.
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f"), avx2 = __builtin_cpu_supports("avx2");
  std::printf("[ dispatch ] CPU: avx512f %s, avx2 %s -> kernel set %s (gemm %s, gates %s)\n",
              avx512 ? "yes" : "no", avx2 ? "yes" : "no", a.name, a.gemm_name, a.gates_name);
  EXPECT_STREQ(a.name, avx512 ? "avx512" : avx2 ? "avx2" : "sse2");
  EXPECT_TRUE(a.simd);
  // Sets the CPU cannot run are not offered.
  EXPECT_EQ(kernels::use("avx512"), avx512);
  EXPECT_EQ(kernels::use("avx2"), avx2);
  EXPECT_TRUE(kernels::use("sse2"));
  EXPECT_TRUE(kernels::use(a.name));
#elif defined(__wasm_simd128__)
  std::printf("[ dispatch ] wasm simd128 build -> kernel set %s (gemm %s)\n", a.name, a.gemm_name);
  EXPECT_STREQ(a.name, "wasmsimd");
  EXPECT_TRUE(a.simd);
#else
  // Other targets: at least the choice must be a set of this build, the last (fastest) one.
  std::printf("[ dispatch ] kernel set %s (gemm %s)\n", a.name, a.gemm_name);
  EXPECT_EQ(&a, kernels::all().back());
#endif
  EXPECT_EQ(&kernels::active(), &a);
  EXPECT_EQ(kernels::active_is_simd(), a.simd);
}

TEST(KernelRegistry, UseSelectsByNameAndRejectsUnknown) {
  const KernelSet* before = &kernels::active();
  EXPECT_FALSE(kernels::use("no-such-kernels"));
  EXPECT_FALSE(kernels::use(""));
  EXPECT_FALSE(kernels::use("native"));  // the ISA names the set
  EXPECT_FALSE(kernels::use("AVX2"));
  EXPECT_EQ(&kernels::active(), before) << "a rejected name must leave the choice unchanged";
  for (const KernelSet* s : kernels::all()) {
    EXPECT_TRUE(kernels::use(s->name)) << s->name;
    EXPECT_EQ(&kernels::active(), s);
  }
  EXPECT_TRUE(kernels::use("reference"));
  EXPECT_FALSE(kernels::active_is_simd());
  EXPECT_TRUE(kernels::use(before->name));
  EXPECT_EQ(&kernels::active(), before);
}

}  // namespace
}  // namespace rnnlab
