// The one-row product of batch-1 steps (KernelSet::matvec_packed): every set of this build
// against its own gemm_packed with M = 1 (the promise: the same bits, so sampling and
// forecasting do not depend on which kernel ran the step), against the scalar reference
// (bit for bit where the order of the sums is the reference's: the packed sets for K up to
// one K block; exactly with integer data everywhere), and its edge cases (K = 0, beta = 0
// ignoring NaN in y, partial panels).
//
// Test names carry the kernel set (e.g. Sets/MatvecTest.SameBitsAsGemmPackedRow/avx512).
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "rnnlab/kernels.h"
#include "rnnlab/rng.h"

namespace rnnlab {
namespace {

using kernels::KernelSet;

// Column counts around the 4-, 8- and 16-lane panel widths and the 4-panel groups; depths
// around the packed gemm's K block (256).
const int kNs[] = {1, 3, 8, 9, 31, 32, 33, 65, 100, 129, 257, 1024};
const int kKs[] = {1, 5, 64, 255, 256, 257, 600};
constexpr int kKBlock = 256;

struct Operands {
  int N, K;
  std::vector<float> w;       // op(B) [K, N] row-major
  std::vector<float> packed;  // the set's prepared op(B)
  std::vector<float> x;       // [K]
  std::vector<float> y0;      // initial y [N]
};

// integers: small whole numbers, so every sum is exact whatever its order.
Operands make_operands(const KernelSet& ks, int N, int K, uint64_t seed, bool integers) {
  Rng rng(seed, 5);
  auto draw = [&] {
    float u = rng.uniform();
    return integers ? std::floor(u * 7.0f) - 3.0f : 2.0f * u - 1.0f;
  };
  Operands o{N, K, {}, {}, {}, {}};
  o.w.resize(static_cast<size_t>(K) * N);
  for (float& v : o.w) v = draw();
  o.x.resize(K);
  for (float& v : o.x) v = draw();
  o.y0.resize(N);
  for (float& v : o.y0) v = draw();
  o.packed.assign(ks.packed_b_size(K, N), std::numeric_limits<float>::quiet_NaN());
  ks.pack_b(false, K, N, o.w.data(), N, o.packed.data());
  return o;
}

std::vector<float> matvec(const KernelSet& ks, const Operands& o, float alpha, float beta) {
  std::vector<float> y = o.y0;
  ks.matvec_packed(o.N, o.K, alpha, o.x.data(), o.packed.data(), beta, y.data());
  return y;
}

// The first element whose bits differ, or -1.
int first_difference(const std::vector<float>& a, const std::vector<float>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return static_cast<int>(i);
  return -1;
}

std::string set_test_name(const ::testing::TestParamInfo<const KernelSet*>& info) {
  std::string n = info.param->name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

class MatvecTest : public ::testing::TestWithParam<const KernelSet*> {
 protected:
  const KernelSet& ks() const { return *GetParam(); }
};

struct AlphaBeta {
  float alpha, beta;
};
const AlphaBeta kAlphaBetas[] = {{1.0f, 0.0f}, {1.0f, 1.0f}, {0.5f, -0.75f}};

TEST_P(MatvecTest, SameBitsAsGemmPackedRow) {
  for (int N : kNs)
    for (int K : kKs)
      for (const AlphaBeta& ab : kAlphaBetas) {
        Operands o = make_operands(ks(), N, K, 1000u + N * 7919u + K, false);
        std::vector<float> got = matvec(ks(), o, ab.alpha, ab.beta);
        std::vector<float> row = o.y0;
        ks().gemm_packed(false, 1, N, K, ab.alpha, o.x.data(), K, o.packed.data(), ab.beta,
                         row.data(), N);
        int d = first_difference(got, row);
        ASSERT_EQ(d, -1) << ks().name << " N=" << N << " K=" << K << " beta=" << ab.beta
                         << " at " << d << ": " << got[d] << " vs gemm_packed " << row[d];
      }
}

TEST_P(MatvecTest, ExactOnIntegersAgainstReference) {
  for (int N : kNs)
    for (int K : kKs)
      for (const AlphaBeta& ab : kAlphaBetas) {
        Operands o = make_operands(ks(), N, K, 77u + N * 31u + K, true);
        Operands r = make_operands(kernels::reference(), N, K, 77u + N * 31u + K, true);
        std::vector<float> got = matvec(ks(), o, ab.alpha, ab.beta);
        std::vector<float> want = matvec(kernels::reference(), r, ab.alpha, ab.beta);
        // Equal as numbers (Eigen may return -0 where the reference has +0).
        for (int j = 0; j < N; ++j)
          ASSERT_EQ(got[j], want[j]) << ks().name << " N=" << N << " K=" << K << " at " << j;
      }
}

// Within one K block the packed sets sum in the reference's order (k = 0, 1, ...), so they
// give its bits on any data. (Eigen's portable gemm orders its sums its own way.)
TEST(MatvecPackedSets, ReferenceBitsWithinOneKBlock) {
  int sets = 0;
  for (const KernelSet* ks : kernels::all()) {
    if (!ks->simd) continue;
    ++sets;
    for (int N : kNs)
      for (int K : kKs) {
        if (K > kKBlock) continue;
        for (const AlphaBeta& ab : kAlphaBetas) {
          Operands o = make_operands(*ks, N, K, 5u + N * 13u + K, false);
          Operands r = make_operands(kernels::reference(), N, K, 5u + N * 13u + K, false);
          std::vector<float> got = matvec(*ks, o, ab.alpha, ab.beta);
          std::vector<float> want = matvec(kernels::reference(), r, ab.alpha, ab.beta);
          int d = first_difference(got, want);
          ASSERT_EQ(d, -1) << ks->name << " N=" << N << " K=" << K << " at " << d << ": "
                           << got[d] << " vs reference " << want[d];
        }
      }
  }
#if (defined(__x86_64__) && !defined(__EMSCRIPTEN__)) || defined(__wasm_simd128__)
  EXPECT_GE(sets, 1) << "this build should hold a SIMD set";
#endif
  std::printf("[ matvec ] %d SIMD set(s) compared with the reference\n", sets);
}

// Beyond one block the sum is split per block (as gemm_packed does): close to the reference.
TEST_P(MatvecTest, CloseToReferenceOverManyKBlocks) {
  for (int N : {9, 65, 1024})
    for (int K : {257, 600}) {
      Operands o = make_operands(ks(), N, K, 9u + N + K, false);
      Operands r = make_operands(kernels::reference(), N, K, 9u + N + K, false);
      std::vector<float> got = matvec(ks(), o, 1.0f, 1.0f);
      std::vector<float> want = matvec(kernels::reference(), r, 1.0f, 1.0f);
      for (int j = 0; j < N; ++j) {
        double bound = 1.0;  // |y0| <= 1
        for (int k = 0; k < K; ++k) bound += std::fabs(o.x[k] * o.w[static_cast<size_t>(k) * N + j]);
        ASSERT_NEAR(got[j], want[j], 2.0 * K * bound / 16777216.0) << ks().name << " j=" << j;
      }
    }
}

TEST_P(MatvecTest, BetaZeroIgnoresNaNAndKZeroScales) {
  Operands o = make_operands(ks(), 33, 40, 3, false);
  o.y0.assign(33, std::numeric_limits<float>::quiet_NaN());
  for (float v : matvec(ks(), o, 1.0f, 0.0f)) ASSERT_TRUE(std::isfinite(v)) << ks().name;

  std::vector<float> y(33, 2.0f);
  ks().matvec_packed(33, 0, 1.0f, nullptr, nullptr, 0.5f, y.data());
  for (float v : y) EXPECT_EQ(v, 1.0f) << ks().name;
  ks().matvec_packed(33, 0, 1.0f, nullptr, nullptr, 0.0f, y.data());
  for (float v : y) EXPECT_EQ(v, 0.0f) << ks().name;
}

// Writes exactly N elements: a partial last panel leaves what follows y untouched.
TEST_P(MatvecTest, WritesOnlyN) {
  for (int N : {1, 9, 33, 65}) {
    Operands o = make_operands(ks(), N, 20, 11u + N, false);
    std::vector<float> y(N + 8, 123.0f);
    ks().matvec_packed(N, 20, 1.0f, o.x.data(), o.packed.data(), 0.0f, y.data());
    for (int j = N; j < N + 8; ++j) ASSERT_EQ(y[j], 123.0f) << ks().name << " N=" << N;
  }
}

// The scalar reference itself: each element within the float32 error bound of a double sum.
TEST(MatvecReference, WithinRoundingOfDoubleSums) {
  const KernelSet& ref = kernels::reference();
  for (int N : {7, 65})
    for (int K : {1, 100, 600}) {
      Operands o = make_operands(ref, N, K, 21u + N + K, false);
      std::vector<float> got = matvec(ref, o, 0.5f, -0.75f);
      for (int j = 0; j < N; ++j) {
        double exact = 0.0, bound = std::fabs(0.75 * o.y0[j]);
        for (int k = 0; k < K; ++k) {
          double p = double(o.x[k]) * o.w[static_cast<size_t>(k) * N + j];
          exact += p, bound += 0.5 * std::fabs(p);
        }
        exact = 0.5 * exact - 0.75 * o.y0[j];
        ASSERT_NEAR(got[j], exact, (K + 3) * bound / 16777216.0) << "N=" << N << " K=" << K;
      }
    }
}

INSTANTIATE_TEST_SUITE_P(Sets, MatvecTest, ::testing::ValuesIn(kernels::all()), set_test_name);

}  // namespace
}  // namespace rnnlab
