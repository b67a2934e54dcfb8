// GEMM of every KernelSet against the scalar reference (and the reference against a
// double-precision oracle): all transpose combinations around the tile sizes, padded and tight
// leading dimensions, wide outputs, K == 0, and the prepared-operand (packed B) path.
// Test names carry the kernel set (e.g. KernelSets/KernelSetTest.GemmIntegerExact/sse2).
#include "kernel_test_util.h"

namespace rnnlab::kernel_tests {
namespace {

const int kMs[] = {1, 3, 4, 5, 95, 96, 97, 200};  // MR = 4, MC = 96
const int kNs[] = {1, 7, 8, 9, 17, 64};           // NR = 8 (2 x 4 lanes)
const int kKs[] = {1, 3, 255, 256, 257, 600};     // KC = 256

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

}  // namespace
}  // namespace rnnlab::kernel_tests
