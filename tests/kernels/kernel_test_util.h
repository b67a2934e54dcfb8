// What the kernel tests share (tests/kernels/*_test.cpp, one kernels_test binary): float bit
// helpers, the GEMM problems with their tolerance and oracle, the special values and random
// inputs of the gate kernels with their closeness checks, the fixture that runs a test on every
// KernelSet of the build, and the bit hashes behind the golden-bit tests.
#pragma once

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

#include "rnnlab/kernels.h"
#include "rnnlab/rng.h"

namespace rnnlab::kernel_tests {

using kernels::KernelSet;

inline constexpr float kInf = std::numeric_limits<float>::infinity();
inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
inline constexpr double kUnitRoundoff = 1.0 / 16777216.0;  // float32: u = 2^-24

inline uint32_t bits_of(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

inline float from_bits(uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// Equal as numbers, or both NaN (NaN payloads may legitimately differ where the compiler
// commutes the operands of a product; -0 == +0 here: see tanh's sign test for zeros).
inline bool same_value(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }

inline std::string set_test_name(const ::testing::TestParamInfo<const KernelSet*>& info) {
  std::string n = info.param->name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

// ---------------------------------------------------------------------------------------
// GEMM problems
// ---------------------------------------------------------------------------------------

struct AlphaBeta {
  float alpha, beta;
};
inline const AlphaBeta kAlphaBeta[] = {{1.0f, 0.0f}, {0.5f, 1.0f}, {1.0f, -2.0f}};

inline constexpr float kCSentinel = 12345.0f;  // C's padding columns: must survive every call

// A leading dimension larger than the row length and odd, so rows are never 16-byte aligned.
inline int padded_ld(int cols) { return (cols | 1) + 2; }

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
inline GemmProblem make_problem(Rng& rng, bool ta, bool tb, int M, int N, int K, AlphaBeta ab,
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

inline void compare_gemm(const GemmProblem& p, const std::vector<float>& got,
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

inline void run_gemm(const KernelSet& ks, const GemmProblem& p, std::vector<float>& C) {
  C = p.C0;
  ks.gemm(p.ta, p.tb, p.M, p.N, p.K, p.alpha, p.A.data(), p.lda, p.B.data(), p.ldb, p.beta,
          C.data(), p.ldc);
}

// The prepared-operand path: pack op(B) once, then multiply (twice, as the recurrent loop
// reuses one packing for every step). The packed buffer is followed by a guard region that
// pack_b must not touch.
inline void run_gemm_packed(const KernelSet& ks, const GemmProblem& p, std::vector<float>& C,
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
inline void oracle_gemm(const GemmProblem& p, std::vector<float>& C) {
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

// ---------------------------------------------------------------------------------------
// Gate kernel inputs and checks
// ---------------------------------------------------------------------------------------

inline const int kHs[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 33};  // lanes of 4: tails 1..3, none, several
inline const int kBs[] = {1, 3};

// Tolerance of outputs that pass through exp / tanh: the polynomials (vmath.h, ~2 ulp) and
// libm's expf / tanhf (~1 ulp) differ by a few ulp, i.e. < 1e-6 relative for values near 1.
// Relative-or-absolute: |got - ref| <= kTransRel * max(|ref|, floor), where floor is the
// natural scale of the quantity (1 for activations; 1 + |c_prev| for LSTM's c, whose terms
// f*c_prev and i*g can cancel; 1 + |h_prev| + |W_hn h| for GRU's h and n).
inline constexpr double kTransRel = 1e-6;

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
inline std::vector<float> values(Rng& rng, size_t n, float lo, float hi, const std::vector<float>* sv,
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
inline void expect_close(const char* what, const std::vector<float>& got, const std::vector<float>& want,
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

inline void expect_identical(const char* what, const std::vector<float>& got,
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

inline std::vector<double> constant_floor(size_t n, double f = 1.0) { return std::vector<double>(n, f); }

inline std::string shape_ctx(const KernelSet& ks, int B, int H, bool special) {
  return std::string(ks.name) + " B=" + std::to_string(B) + " H=" + std::to_string(H) +
         (special ? " (special values)" : "");
}

// Runs body(B, H, special) over the whole shape grid.
template <class F>
inline void for_shapes(F&& body) {
  for (int B : kBs)
    for (int H : kHs)
      for (bool special : {false, true}) body(B, H, special);
}

inline void report(const KernelSet& ks, const char* kernel, const Closeness& c) {
  std::printf("[ gates    ] %s %s: max relative-or-absolute error vs reference %.3g (bound %.0e)\n",
              ks.name, kernel, c.worst, kTransRel);
}

// ---------------------------------------------------------------------------------------
// Bits: what the golden-bit tests compare and hash
// ---------------------------------------------------------------------------------------

inline std::vector<const KernelSet*> vec_sets() {
  std::vector<const KernelSet*> v;
  for (const KernelSet* s : kernels::all())
    if (std::strcmp(s->name, "reference") != 0) v.push_back(s);
  return v;
}

inline const KernelSet& portable_set() {
  for (const KernelSet* s : kernels::all())
    if (std::strcmp(s->name, "portable") == 0) return *s;
  return kernels::reference();  // not reached: every build has "portable"
}

// Same bits. Natively NaNs must match bit for bit too (checked); WebAssembly leaves the
// payload and sign of a NaN produced by arithmetic unspecified, so there any NaN matches any.
inline bool bits_match(float a, float b) {
#if defined(__EMSCRIPTEN__)
  if (std::isnan(a) && std::isnan(b)) return true;
#endif
  return bits_of(a) == bits_of(b);
}

// FNV-1a over the bits of a float sequence, every NaN hashed as one canonical NaN.
inline constexpr uint64_t kFnvBasis = 1469598103934665603ull;
inline uint64_t hash_bits(const std::vector<float>& v, uint64_t h = kFnvBasis) {
  for (float x : v) {
    uint32_t b = std::isnan(x) ? 0x7fc00000u : bits_of(x);
    for (int i = 0; i < 4; ++i) h = (h ^ ((b >> (8 * i)) & 0xffu)) * 1099511628211ull;
  }
  return h;
}

inline void expect_same_bits(const std::string& what, const std::vector<float>& got,
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

}  // namespace rnnlab::kernel_tests
