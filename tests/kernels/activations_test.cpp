// The elementwise maps: every KernelSet's sigmoid and tanh against the reference over every
// tail length and the special values; the polynomial exp / sigmoid / tanh of vmath.h against
// double-precision std:: (ulp bounds); and the design promise that every Vec type computes the
// same bits (natively and in the wasm build, against the native build's golden hashes).
#include "kernel_test_util.h"
#include "kernels/vmath.h"

namespace rnnlab::kernel_tests {
namespace {

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

}  // namespace
}  // namespace rnnlab::kernel_tests
