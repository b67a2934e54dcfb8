// Data helpers: exact window contents, normaliser round trips at every magnitude, the
// no-leak chronological split, UTF-8 and the character vocabulary, the CSV parser, every
// error path, and the bundled real data sets.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "rnnlab/data.h"
#include "rnnlab/error.h"
#include "rnnlab/rng.h"

namespace rnnlab::data {
namespace {

// Runs `stmt`, which must throw rnnlab::Error with the given field and code.
#define EXPECT_DATA_ERROR(stmt, expected_field, expected_code)                          \
  do {                                                                                  \
    try {                                                                               \
      stmt;                                                                             \
      ADD_FAILURE() << "no error from: " #stmt;                                         \
    } catch (const ::rnnlab::Error& e) {                                                \
      EXPECT_EQ(e.field(), expected_field) << #stmt << " -> " << e.what();              \
      EXPECT_EQ(e.code(), expected_code) << #stmt << " -> " << e.what();                \
    }                                                                                   \
  } while (0)

constexpr ErrorCode kConfig = ErrorCode::kInvalidConfig;
constexpr ErrorCode kNonFinite = ErrorCode::kNonFiniteData;

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(RNNLAB_PROJECT_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << relative;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// [T, F] with value 10 * t + f: every element names its own row and feature.
std::vector<float> indexed_series(int rows, int features) {
  std::vector<float> v;
  for (int t = 0; t < rows; ++t)
    for (int f = 0; f < features; ++f) v.push_back(static_cast<float>(10 * t + f));
  return v;
}

WindowOptions opts(int window, int horizon, int stride = 1, std::vector<int> targets = {}) {
  WindowOptions o;
  o.window = window;
  o.horizon = horizon;
  o.stride = stride;
  o.targets = std::move(targets);
  return o;
}

// ---------------------------------------------------------------------------------------
// Windows

TEST(Windows, UnivariateContentsAreExact) {
  const std::vector<float> s = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const Windows w = make_windows(s, 1, opts(3, 2));
  ASSERT_EQ(w.count, 6);
  EXPECT_EQ(w.starts, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(w.x, (std::vector<float>{0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6, 5, 6, 7}));
  EXPECT_EQ(w.y, (std::vector<float>{3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9}));
  EXPECT_EQ(w.targets, (std::vector<int>{0}));
}

TEST(Windows, MultivariateStrideAndTargetOrder) {
  // Rows 0..6 of 3 features; targets listed as {2, 0} come out in that order.
  const Windows w = make_windows(indexed_series(7, 3), 3, opts(2, 2, 2, {2, 0}));
  ASSERT_EQ(w.count, 2);  // (7 - 4) / 2 + 1
  EXPECT_EQ(w.window, 2);
  EXPECT_EQ(w.features, 3);
  EXPECT_EQ(w.horizon, 2);
  EXPECT_EQ(w.target_features(), 2);
  EXPECT_EQ(w.starts, (std::vector<int>{0, 2}));
  EXPECT_EQ(w.x, (std::vector<float>{0, 1, 2, 10, 11, 12,  //
                                     20, 21, 22, 30, 31, 32}));
  EXPECT_EQ(w.y, (std::vector<float>{22, 20, 32, 30,  //
                                     42, 40, 52, 50}));
}

TEST(Windows, StrideDropsAnIncompleteLastWindow) {
  // T = 8, W = 2, Hz = 1, stride 3: a window at row 6 would need a target at row 8.
  const Windows w = make_windows(indexed_series(8, 1), 1, opts(2, 1, 3));
  EXPECT_EQ(w.starts, (std::vector<int>{0, 3}));
  EXPECT_EQ(w.y, (std::vector<float>{20, 50}));
  // T == W + Hz exactly gives one window that uses the last row.
  const Windows one = make_windows(indexed_series(5, 1), 1, opts(3, 2));
  EXPECT_EQ(one.count, 1);
  EXPECT_EQ(one.y, (std::vector<float>{30, 40}));
}

TEST(Windows, RawPointerOverloadMatches) {
  const std::vector<float> s = indexed_series(9, 2);
  const Windows a = make_windows(s, 2, opts(3, 2, 2, {1}));
  const Windows b = make_windows(s.data(), 9, 2, opts(3, 2, 2, {1}));
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.starts, b.starts);
}

TEST(Windows, ErrorsNameTheField) {
  const std::vector<float> s = indexed_series(10, 3);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(0, 1)), "window", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(-2, 1)), "window", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(3, 0)), "horizon", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(3, -1)), "horizon", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(3, 1, 0)), "stride", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(3, 1, 1, {3})), "targets", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(3, 1, 1, {-1})), "targets", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(3, 1, 1, {1, 1})), "targets", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 3, opts(8, 3)), "series", kConfig);  // 10 < 11 rows
  EXPECT_DATA_ERROR(make_windows(s, 0, opts(3, 1)), "features", kConfig);
  EXPECT_DATA_ERROR(make_windows(s, 4, opts(3, 1)), "series", ErrorCode::kShapeMismatch);
  EXPECT_DATA_ERROR(make_windows(std::vector<float>{}, 1, opts(1, 1)), "series", kConfig);
  for (float bad : {std::nanf(""), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    std::vector<float> t = s;
    t[17] = bad;  // row 5, feature 2
    EXPECT_DATA_ERROR(make_windows(t, 3, opts(3, 1)), "series", kNonFinite);
    try {
      make_windows(t, 3, opts(3, 1));
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("row 5, feature 2"), std::string::npos) << e.what();
    }
  }
}

TEST(Windows, RefusesToMaterialiseTooMuch) {
  // 99,001 windows of 1000 steps would be ~10^8 floats.
  const std::vector<float> s(100000, 1.0f);
  EXPECT_DATA_ERROR(make_windows(s, 1, opts(1000, 1)), "window", ErrorCode::kTooLarge);
  EXPECT_EQ(make_windows(s, 1, opts(1000, 1, 100)).count, 990);
}

// ---------------------------------------------------------------------------------------
// Normalizer

double ulp(float x) {
  const float a = std::fabs(x);
  return static_cast<double>(std::nextafter(a, std::numeric_limits<float>::infinity())) - a;
}

// The documented round-trip bound: ulp(x) + 2^-24 |x - offset|.
double round_trip_bound(float x, double offset) {
  return ulp(x) + std::ldexp(std::fabs(x - offset), -24);
}

TEST(Normalizer, ZScoreStatisticsAndConstantFeature) {
  // Feature 0: 1, 2, 3, 4 (mean 2.5, population std sqrt(1.25)); feature 1 constant.
  const std::vector<float> v = {1, 7, 2, 7, 3, 7, 4, 7};
  const Normalizer n = Normalizer::fit(NormKind::kZScore, v, 2);
  EXPECT_EQ(n.kind(), NormKind::kZScore);
  ASSERT_EQ(n.features(), 2);
  EXPECT_EQ(n.params().offset, (std::vector<double>{2.5, 7.0}));
  EXPECT_EQ(n.params().scale, (std::vector<double>{std::sqrt(1.25), 1.0}));
  const std::vector<float> z = n.transform(v);
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(z[2 * t], static_cast<float>((t + 1 - 2.5) / std::sqrt(1.25)));
    EXPECT_EQ(z[2 * t + 1], 0.0f);  // constant: scale 1, no division by zero
  }
  const std::vector<float> back = n.inverse(z);
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_LE(std::fabs(back[i] - v[i]), round_trip_bound(v[i], n.params().offset[i % 2])) << i;
  EXPECT_EQ(back[7], 7.0f);
}

TEST(Normalizer, MinMaxMapsOntoUnitIntervalExactly) {
  const std::vector<float> v = {2, -5, 4, -5, 6, -5};
  const Normalizer n = Normalizer::fit(NormKind::kMinMax, v, 2);
  EXPECT_EQ(n.params().offset, (std::vector<double>{2.0, -5.0}));
  EXPECT_EQ(n.params().scale, (std::vector<double>{4.0, 1.0}));
  EXPECT_EQ(n.transform(v), (std::vector<float>{0, 0, 0.5f, 0, 1, 0}));
  EXPECT_EQ(n.inverse(n.transform(v)), v);
  // Values outside the fitted range extrapolate linearly.
  EXPECT_EQ(n.transform(std::vector<float>{10, -3}), (std::vector<float>{2, 2}));
}

TEST(Normalizer, NoneIsTheIdentity) {
  const std::vector<float> v = {1.5f, -2e30f, 3e-20f};
  const Normalizer n = Normalizer::fit(NormKind::kNone, v, 1);
  EXPECT_EQ(n.params().offset, std::vector<double>{0.0});
  EXPECT_EQ(n.params().scale, std::vector<double>{1.0});
  EXPECT_EQ(n.transform(v), v);
  EXPECT_EQ(n.inverse(v), v);
}

// Seven features from tiny to near FLT_MAX, including ones whose spread dwarfs their values.
std::vector<float> wide_random_data(int rows, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v;
  for (int t = 0; t < rows; ++t) {
    v.push_back(rng.uniform(-1.0f, 1.0f));
    v.push_back(rng.uniform(1e6f, 2e6f));                  // large offset, small spread
    v.push_back(rng.uniform(-1.0f, 1.0f) * 3e38f);         // near FLT_MAX
    v.push_back(rng.uniform(1.5f, 2.0f) * 1e-30f);         // tiny
    v.push_back(1e7f + rng.uniform(0.0f, 64.0f));          // a few ulp of spread per step
    const float mag = std::ldexp(1.0f, static_cast<int>(rng.below(80)) - 40);
    v.push_back((rng.below(2) ? 1.0f : -1.0f) * mag * rng.uniform(1.0f, 2.0f));  // 2^-40..2^40
    v.push_back(rng.uniform(1000.0f, 1001.0f));
  }
  return v;
}

TEST(Normalizer, RoundTripIsExactToTheDocumentedBound) {
  const int rows = 4000, F = 7;
  const std::vector<float> v = wide_random_data(rows, 7);
  for (NormKind kind : {NormKind::kZScore, NormKind::kMinMax}) {
    SCOPED_TRACE(to_string(kind));
    const Normalizer n = Normalizer::fit(kind, v, F);
    const std::vector<float> z = n.transform(v);
    const std::vector<float> back = n.inverse(z);
    int exact[F] = {}, checked[F] = {};
    for (size_t i = 0; i < v.size(); ++i) {
      const size_t f = i % F;
      const double off = n.params().offset[f], sc = n.params().scale[f];
      // transform is the float nearest the true quotient.
      const double q = (static_cast<double>(v[i]) - off) / sc;
      ASSERT_LE(std::fabs(z[i] - q), ulp(static_cast<float>(q)) / 2) << "feature " << f;
      // |inverse(transform(x)) - x| <= ulp(x) + 2^-24 |x - offset|.
      const double err = std::fabs(static_cast<double>(back[i]) - v[i]);
      ASSERT_LE(err, round_trip_bound(v[i], off))
          << "feature " << f << " x " << v[i] << " back " << back[i];
      if (std::fabs(v[i] - off) <= std::fabs(v[i]) / 2) {
        ++checked[f];
        exact[f] += back[i] == v[i];
      }
    }
    // Bit-exact wherever |x - offset| <= |x| / 2: all of features 1, 3, 4 and 6.
    for (int f = 0; f < F; ++f) EXPECT_EQ(exact[f], checked[f]) << "feature " << f;
    for (int f : {1, 3, 4, 6}) EXPECT_EQ(checked[f], rows) << "feature " << f;
  }
}

TEST(Normalizer, ParamsRoundTripBitExactly) {
  const std::vector<float> v = wide_random_data(500, 3);
  const Normalizer a = Normalizer::fit(NormKind::kZScore, v, 7);
  const Normalizer b(a.params());  // what a saved model carries
  EXPECT_EQ(b.kind(), NormKind::kZScore);
  EXPECT_EQ(b.params().offset, a.params().offset);
  EXPECT_EQ(b.params().scale, a.params().scale);
  EXPECT_EQ(b.transform(v), a.transform(v));
  EXPECT_EQ(parse_norm_kind(to_string(NormKind::kMinMax)), NormKind::kMinMax);
  EXPECT_EQ(parse_norm_kind("zscore"), NormKind::kZScore);
  EXPECT_EQ(parse_norm_kind("none"), NormKind::kNone);
}

TEST(Normalizer, ColumnsSelectFeaturesForTargets) {
  // Feature 0 in [0, 10], feature 1 in [100, 300]; y holds columns {1, 0}.
  const std::vector<float> v = {0, 100, 10, 300};
  const Normalizer n = Normalizer::fit(NormKind::kMinMax, v, 2);
  const std::vector<float> y = {200, 5, 300, 0};
  EXPECT_EQ(n.transform(y, {1, 0}), (std::vector<float>{0.5f, 0.5f, 1.0f, 0.0f}));
  EXPECT_EQ(n.inverse(n.transform(y, {1, 0}), {1, 0}), y);
  EXPECT_EQ(n.inverse(std::vector<float>{0.25f}, {1}), std::vector<float>{150.0f});
}

TEST(Normalizer, ErrorsNameTheField) {
  const std::vector<float> v = {1, 2, 3, 4};
  const Normalizer n = Normalizer::fit(NormKind::kZScore, v, 2);
  EXPECT_DATA_ERROR(Normalizer::fit(NormKind::kZScore, std::vector<float>{1, NAN}, 1), "series", kNonFinite);
  EXPECT_DATA_ERROR(Normalizer::fit(NormKind::kZScore, std::vector<float>{}, 1), "series", kConfig);
  EXPECT_DATA_ERROR(Normalizer::fit(NormKind::kZScore, v, 3), "series", ErrorCode::kShapeMismatch);
  EXPECT_DATA_ERROR(Normalizer::fit(NormKind::kZScore, v, 0), "features", kConfig);
  EXPECT_DATA_ERROR(n.transform(std::vector<float>{1, INFINITY}), "values", kNonFinite);
  EXPECT_DATA_ERROR(n.inverse(std::vector<float>{NAN, 1}), "values", kNonFinite);
  EXPECT_DATA_ERROR(n.transform(std::vector<float>{1, 2, 3}), "values", ErrorCode::kShapeMismatch);
  EXPECT_DATA_ERROR(n.transform(v, {2}), "columns", kConfig);
  EXPECT_DATA_ERROR(n.inverse(v, {0, 0}), "columns", kConfig);
  // A tiny fitted range makes ordinary values overflow float when normalised.
  const Normalizer tiny = Normalizer::fit(NormKind::kMinMax, std::vector<float>{0, 1e-30f}, 1);
  EXPECT_DATA_ERROR(tiny.transform(std::vector<float>{1e10f}), "values", kNonFinite);
  EXPECT_DATA_ERROR(Normalizer().transform(v), "normalizer", ErrorCode::kInvalidState);
  EXPECT_DATA_ERROR(Normalizer(NormalizerParams{NormKind::kZScore, {0, 0}, {1}}), "normalizer",
                    ErrorCode::kShapeMismatch);
  EXPECT_DATA_ERROR(Normalizer(NormalizerParams{NormKind::kZScore, {}, {}}), "normalizer",
                    ErrorCode::kShapeMismatch);
  EXPECT_DATA_ERROR(Normalizer(NormalizerParams{NormKind::kZScore, {0}, {0}}), "normalizer", kConfig);
  EXPECT_DATA_ERROR(Normalizer(NormalizerParams{NormKind::kZScore, {0}, {-1}}), "normalizer", kConfig);
  EXPECT_DATA_ERROR(Normalizer(NormalizerParams{NormKind::kZScore, {NAN}, {1}}), "normalizer", kConfig);
  EXPECT_DATA_ERROR(parse_norm_kind("standard"), "normalization", kConfig);
}

// ---------------------------------------------------------------------------------------
// Chronological split

// A trend plus a second feature, so statistics over different rows differ.
std::vector<float> trend_series(int rows) {
  std::vector<float> v;
  for (int t = 0; t < rows; ++t) {
    v.push_back(0.01f * t * t);
    v.push_back(100.0f + static_cast<float>(t % 7) * static_cast<float>(t));
  }
  return v;
}

SplitOptions split_opts(double fraction, int window, int horizon, int stride, NormKind kind,
                        std::vector<int> targets = {}) {
  SplitOptions o;
  o.validation_fraction = fraction;
  o.windows = opts(window, horizon, stride, std::move(targets));
  o.normalization = kind;
  return o;
}

TEST(Split, NoTargetCrossesTheSplitPoint) {
  const int T = 100, F = 2, W = 5, Hz = 3;
  const Split s = chronological_split(trend_series(T), F, split_opts(0.25, W, Hz, 2, NormKind::kZScore, {1}));
  EXPECT_EQ(s.split_row, 75);
  EXPECT_EQ(s.train.count, (75 - W - Hz) / 2 + 1);
  EXPECT_EQ(s.validation.count, (T - 70 - W - Hz) / 2 + 1);
  for (int i = 0; i < s.train.count; ++i)
    EXPECT_LE(s.train.starts[i] + W + Hz, s.split_row) << "training target at or after the split";
  for (int i = 0; i < s.validation.count; ++i) {
    EXPECT_GE(s.validation.starts[i] + W, s.split_row) << "validation target before the split";
    EXPECT_LE(s.validation.starts[i] + W + Hz, T);
  }
  // Validation inputs reach back into training rows and the first target is the split row.
  EXPECT_EQ(s.validation.starts.front(), s.split_row - W);
  EXPECT_EQ(s.train.starts.back() + W + Hz, 74);  // the last training target row is 73
}

TEST(Split, StatisticsComeFromTrainingRowsOnly) {
  const int T = 100, F = 2;
  const std::vector<float> series = trend_series(T);
  for (NormKind kind : {NormKind::kZScore, NormKind::kMinMax}) {
    SCOPED_TRACE(to_string(kind));
    const Split s = chronological_split(series, F, split_opts(0.3, 4, 2, 1, kind));
    ASSERT_EQ(s.split_row, 70);
    const std::vector<float> head(series.begin(), series.begin() + 70 * F);
    const Normalizer expected = Normalizer::fit(kind, head, F);
    EXPECT_EQ(s.normalizer.params().offset, expected.params().offset);
    EXPECT_EQ(s.normalizer.params().scale, expected.params().scale);
    EXPECT_NE(s.normalizer.params().scale, Normalizer::fit(kind, series, F).params().scale);

    // Changing every validation row changes neither the statistics nor the training set.
    std::vector<float> altered = series;
    for (size_t i = 70 * F; i < altered.size(); ++i) altered[i] = altered[i] * -50.0f + 1e4f;
    const Split t = chronological_split(altered, F, split_opts(0.3, 4, 2, 1, kind));
    EXPECT_EQ(t.normalizer.params().offset, s.normalizer.params().offset);
    EXPECT_EQ(t.normalizer.params().scale, s.normalizer.params().scale);
    EXPECT_EQ(t.train.x, s.train.x);
    EXPECT_EQ(t.train.y, s.train.y);
    EXPECT_NE(t.validation.y, s.validation.y);
  }
}

TEST(Split, WindowsHoldNormalisedRowsAtTheirStarts) {
  const int T = 60, F = 2, W = 6, Hz = 2;
  const std::vector<float> series = trend_series(T);
  const Split s = chronological_split(series, F, split_opts(0.2, W, Hz, 3, NormKind::kZScore, {0}));
  const std::vector<float> normed = s.normalizer.transform(series);
  for (const Windows* w : {&s.train, &s.validation}) {
    for (int i = 0; i < w->count; ++i) {
      const size_t row0 = static_cast<size_t>(w->starts[i]);
      for (int k = 0; k < W * F; ++k)
        ASSERT_EQ(w->x[i * W * F + k], normed[row0 * F + k]);
      for (int h = 0; h < Hz; ++h)
        ASSERT_EQ(w->y[i * Hz + h], normed[(row0 + W + h) * F + 0]);
    }
  }
  // Targets go back to original units through the target columns.
  const std::vector<float> y = s.normalizer.inverse(s.validation.y, s.validation.targets);
  for (int i = 0; i < s.validation.count; ++i)
    for (int h = 0; h < Hz; ++h)
      EXPECT_EQ(y[i * Hz + h], series[(s.validation.starts[i] + W + h) * F + 0]);
}

TEST(Split, NoneKeepsRawValues) {
  const std::vector<float> series = indexed_series(20, 1);
  const Split s = chronological_split(series, 1, split_opts(0.25, 3, 1, 1, NormKind::kNone));
  EXPECT_EQ(s.split_row, 15);
  EXPECT_EQ(s.train.y.back(), 140.0f);       // row 14
  EXPECT_EQ(s.validation.y.front(), 150.0f);  // row 15
  EXPECT_EQ(s.validation.y.back(), 190.0f);   // row 19
  EXPECT_EQ(s.validation.x.front(), 120.0f);  // context from row 12
}

TEST(Split, ErrorsNameTheField) {
  const std::vector<float> series = trend_series(100);
  for (double bad : {0.0, 1.0, -0.1, 1.5, std::nan("")})
    EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(bad, 5, 1, 1, NormKind::kZScore)),
                      "validationFraction", kConfig);
  // 0.95 leaves 5 training rows for W + Hz = 6.
  EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(0.95, 5, 1, 1, NormKind::kZScore)),
                    "series", kConfig);
  // 0.02 leaves 2 validation rows for a horizon of 3.
  EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(0.02, 5, 3, 1, NormKind::kZScore)),
                    "series", kConfig);
  EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(0.2, 0, 1, 1, NormKind::kZScore)),
                    "window", kConfig);
  EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(0.2, 5, 0, 1, NormKind::kZScore)),
                    "horizon", kConfig);
  EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(0.2, 5, 1, 0, NormKind::kZScore)),
                    "stride", kConfig);
  EXPECT_DATA_ERROR(chronological_split(series, 2, split_opts(0.2, 5, 1, 1, NormKind::kZScore, {2})),
                    "targets", kConfig);
  std::vector<float> bad = series;
  bad[190] = INFINITY;  // a validation row: still refused
  EXPECT_DATA_ERROR(chronological_split(bad, 2, split_opts(0.2, 5, 1, 1, NormKind::kZScore)),
                    "series", kNonFinite);
}

// ---------------------------------------------------------------------------------------
// UTF-8

TEST(Utf8, DecodesAndEncodesEveryLength) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a, e-acute, euro, emoji
  const std::u32string cps = decode_utf8(text);
  EXPECT_EQ(cps, (std::u32string{U'a', 0xE9, 0x20AC, 0x1F600}));
  EXPECT_EQ(encode_utf8(cps), text);
  // Boundaries of each length and around the surrogate gap.
  const std::u32string edges = {0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
  EXPECT_EQ(decode_utf8(encode_utf8(edges)), edges);
  EXPECT_EQ(encode_utf8(std::u32string{0x7FF}), "\xDF\xBF");
  EXPECT_EQ(encode_utf8(std::u32string{0x10FFFF}), "\xF4\x8F\xBF\xBF");
}

const char* const kInvalidUtf8[] = {
    "\x80",              // stray continuation byte
    "ab\xBF",            // stray continuation byte after ASCII
    "\xC0\xAF",          // overlong '/'
    "\xC1\xBF",          // overlong
    "\xE0\x80\xAF",      // overlong 3-byte
    "\xF0\x80\x80\xAF",  // overlong 4-byte
    "\xED\xA0\x80",      // surrogate U+D800
    "\xF4\x90\x80\x80",  // U+110000
    "\xF5\x80\x80\x80",  // lead byte above F4
    "\xFF",              // never valid
    "\xE2\x82",          // truncated at the end
    "\xC3" "A",          // missing continuation
};

TEST(Utf8, RejectsMalformedInput) {
  for (const char* bad : kInvalidUtf8) {
    SCOPED_TRACE(bad);
    EXPECT_DATA_ERROR(decode_utf8(bad), "text", kConfig);
  }
  EXPECT_DATA_ERROR(encode_utf8(std::u32string{0xD800}), "symbols", kConfig);
  EXPECT_DATA_ERROR(encode_utf8(std::u32string{0x110000}), "symbols", kConfig);
}

// ---------------------------------------------------------------------------------------
// Character vocabulary

TEST(CharVocab, SortsCodePointsAndRoundTripsMultiByteText) {
  const std::string text = "h\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x98\x80\xC3\xA9";  // héllo wörld 😀é
  const CharVocab v = CharVocab::build(text);
  EXPECT_EQ(v.symbols(), (std::u32string{U' ', U'd', U'h', U'l', U'o', U'r', U'w', 0xE9, 0xF6, 0x1F600}));
  EXPECT_EQ(v.fallback_id(), -1);
  const std::vector<int32_t> ids = v.encode(text);
  EXPECT_EQ(ids, (std::vector<int32_t>{2, 7, 3, 3, 4, 0, 6, 8, 5, 3, 1, 0, 9, 7}));
  EXPECT_EQ(v.decode(ids), text);
  EXPECT_EQ(v.encode("\xF0\x9F\x98\x80"), std::vector<int32_t>{9});  // one symbol, four bytes
  EXPECT_EQ(v.id_of(0xF6), 8);
  EXPECT_EQ(v.id_of(U'z'), -1);
  EXPECT_EQ(v.decode({}), "");
  EXPECT_TRUE(v.encode("").empty());
}

TEST(CharVocab, MaxSizeKeepsTheMostFrequentAndFallsBack) {
  // Counts: euro 5, a 4, b 3, c 2, d 1. Keep 2 + U+FFFD.
  const std::string euro = "\xE2\x82\xAC";
  const std::string text = "aaaabbbccd" + euro + euro + euro + euro + euro;
  VocabOptions o;
  o.max_size = 3;
  const CharVocab v = CharVocab::build(text, o);
  EXPECT_EQ(v.symbols(), (std::u32string{U'a', 0x20AC, 0xFFFD}));
  EXPECT_EQ(v.fallback_id(), 2);
  EXPECT_EQ(v.encode("ab" + euro + "z"), (std::vector<int32_t>{0, 2, 1, 2}));
  EXPECT_EQ(v.decode(v.encode("abd")), "a\xEF\xBF\xBD\xEF\xBF\xBD");
  // A limit at or above the symbol count drops nothing and adds no fallback.
  o.max_size = 5;
  EXPECT_EQ(CharVocab::build(text, o).size(), 5);
  EXPECT_EQ(CharVocab::build(text, o).fallback_id(), -1);
}

TEST(CharVocab, TiesGoToTheLowerCodePointAndTheFallbackIsConfigurable) {
  VocabOptions o;
  o.max_size = 3;
  o.fallback = U'?';
  const CharVocab v = CharVocab::build("ddccbbaa", o);
  EXPECT_EQ(v.symbols(), (std::u32string{U'?', U'a', U'b'}));
  EXPECT_EQ(v.fallback_id(), 0);
  EXPECT_EQ(v.decode(v.encode("abc")), "ab?");
  // The fallback character occurring in the text is not counted against the kept symbols.
  const CharVocab w = CharVocab::build("?????ddccbbaa", o);
  EXPECT_EQ(w.symbols(), (std::u32string{U'?', U'a', U'b'}));
}

TEST(CharVocab, ReservedFallbackCatchesUnseenSymbols) {
  VocabOptions o;
  o.reserve_fallback = true;
  const CharVocab v = CharVocab::build("abc", o);
  EXPECT_EQ(v.symbols(), (std::u32string{U'a', U'b', U'c', 0xFFFD}));
  EXPECT_EQ(v.encode("az"), (std::vector<int32_t>{0, 3}));
  // Without a fallback an unseen symbol is an error naming it.
  const CharVocab strict = CharVocab::build("abc");
  EXPECT_DATA_ERROR(strict.encode("abz"), "text", kConfig);
  try {
    strict.encode("ab\xC3\xA9");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("U+00E9"), std::string::npos) << e.what();
  }
}

TEST(CharVocab, SerialisesAsTheOrderedSymbolList) {
  VocabOptions o;
  o.max_size = 4;
  const CharVocab v = CharVocab::build("zz yy \xC3\xA9\xC3\xA9\xC3\xA9 x", o);
  const std::string saved = v.symbols_utf8();
  EXPECT_EQ(saved, " y\xC3\xA9\xEF\xBF\xBD");  // space and e-acute 3 times, y and z twice
  const CharVocab loaded(decode_utf8(saved, "symbols"), v.fallback_id());
  EXPECT_EQ(loaded.symbols(), v.symbols());
  EXPECT_EQ(loaded.fallback_id(), v.fallback_id());
  EXPECT_EQ(loaded.encode("zyx \xC3\xA9"), v.encode("zyx \xC3\xA9"));
}

TEST(CharVocab, ErrorsNameTheField) {
  for (const char* bad : kInvalidUtf8) {
    SCOPED_TRACE(bad);
    EXPECT_DATA_ERROR(CharVocab::build(std::string("ok") + bad), "text", kConfig);
    EXPECT_DATA_ERROR(CharVocab::build("abc").encode(bad), "text", kConfig);
  }
  EXPECT_DATA_ERROR(CharVocab::build(""), "text", kConfig);
  VocabOptions o;
  o.max_size = 1;
  EXPECT_DATA_ERROR(CharVocab::build("ab", o), "maxSize", kConfig);
  o.max_size = -3;
  EXPECT_DATA_ERROR(CharVocab::build("ab", o), "maxSize", kConfig);
  o.max_size = 0;
  o.fallback = 0xDC00;
  EXPECT_DATA_ERROR(CharVocab::build("ab", o), "fallback", kConfig);
  const CharVocab v = CharVocab::build("abc");
  EXPECT_DATA_ERROR(v.decode({0, 3}), "ids", kConfig);
  EXPECT_DATA_ERROR(v.decode({-1}), "ids", kConfig);
  EXPECT_DATA_ERROR(CharVocab(std::u32string{}), "symbols", kConfig);
  EXPECT_DATA_ERROR(CharVocab(std::u32string{U'b', U'a'}), "symbols", kConfig);
  EXPECT_DATA_ERROR(CharVocab(std::u32string{U'a', U'a'}), "symbols", kConfig);
  EXPECT_DATA_ERROR(CharVocab(std::u32string{U'a', 0xD800}), "symbols", kConfig);
  EXPECT_DATA_ERROR(CharVocab(std::u32string{U'a', U'b'}, 2), "fallback", kConfig);
  EXPECT_DATA_ERROR(CharVocab(std::u32string{U'a', U'b'}, -2), "fallback", kConfig);
  EXPECT_DATA_ERROR(CharVocab().encode("a"), "vocab", ErrorCode::kInvalidState);
}

// ---------------------------------------------------------------------------------------
// CSV

TEST(Csv, ParsesDatesAndValues) {
  const DatedSeries d = parse_date_value_csv("date,value\r\n1949-01,112\r\n1949-02, 118.5 \r\n1960-Q1,-1e-3\r\n");
  EXPECT_EQ(d.dates, (std::vector<std::string>{"1949-01", "1949-02", "1960-Q1"}));
  EXPECT_EQ(d.values, (std::vector<float>{112.0f, 118.5f, -1e-3f}));
  // No final newline, and a UTF-8 byte order mark before the header.
  EXPECT_EQ(parse_date_value_csv("\xEF\xBB\xBF" "date,value\n1871,1120").values, std::vector<float>{1120});
}

void expect_csv_error(const std::string& text, const std::string& line, ErrorCode code = kConfig) {
  SCOPED_TRACE(text);
  EXPECT_DATA_ERROR(parse_date_value_csv(text), "csv", code);
  try {
    parse_date_value_csv(text);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(line), std::string::npos) << e.what();
  }
}

TEST(Csv, ErrorsNameTheLine) {
  expect_csv_error("time,value\n1,2\n", "line 1");
  expect_csv_error("", "no data rows");
  expect_csv_error("date,value\n", "no data rows");
  expect_csv_error("date,value\n1949-01 112\n", "line 2");
  expect_csv_error("date,value\n1,2\n1,2,3\n", "line 3");
  expect_csv_error("date,value\n1,2\n,3\n", "line 3");
  expect_csv_error("date,value\n1,2\n2,\n", "line 3");
  expect_csv_error("date,value\n1,2\n2,abc\n", "line 3");
  expect_csv_error("date,value\n1,2\n2,12x\n", "line 3");
  expect_csv_error("date,value\n1,2\n\n3,4\n", "line 3");
  expect_csv_error("date,value\n1,2\n2,NA\n", "line 3");
  expect_csv_error("date,value\n1,2\n2,nan\n", "line 3", kNonFinite);
  expect_csv_error("date,value\n1,2\n2,inf\n", "line 3", kNonFinite);
  expect_csv_error("date,value\n1,2\n2,1e39\n", "line 3", kNonFinite);
}

// ---------------------------------------------------------------------------------------
// The bundled real data (data/, see data/README.md)

TEST(RealData, EveryTimeSeriesParses) {
  struct Expect {
    const char* file;
    size_t rows;
    const char *first_date, *last_date;
    float first, last;
  };
  const Expect cases[] = {
      {"air-passengers", 144, "1949-01", "1960-12", 112, 432},
      {"sunspots-monthly", 3177, "1749-01", "2013-09", 58, 37},
      {"co2-mauna-loa", 468, "1959-01", "1997-12", 315.42f, 364.34f},
      {"nottingham-temperature", 240, "1920-01", "1939-12", 40.6f, 37.8f},
      {"lynx-trappings", 114, "1821", "1934", 269, 3396},
      {"nile-flow", 100, "1871", "1970", 1120, 740},
      {"uk-lung-deaths", 72, "1974-01", "1979-12", 3035, 1915},
      {"uk-gas", 108, "1960-Q1", "1986-Q4", 160.1f, 782.8f},
  };
  for (const Expect& c : cases) {
    SCOPED_TRACE(c.file);
    const DatedSeries d = parse_date_value_csv(read_file(std::string("data/timeseries/") + c.file + ".csv"));
    ASSERT_EQ(d.values.size(), c.rows);
    ASSERT_EQ(d.dates.size(), c.rows);
    EXPECT_EQ(d.dates.front(), c.first_date);
    EXPECT_EQ(d.dates.back(), c.last_date);
    EXPECT_EQ(d.values.front(), c.first);
    EXPECT_EQ(d.values.back(), c.last);
  }
}

TEST(RealData, AirPassengersSplitsWithoutLeakage) {
  const DatedSeries d = parse_date_value_csv(read_file("data/timeseries/air-passengers.csv"));
  const Split s = chronological_split(d.values, 1, split_opts(1.0 / 6.0, 12, 3, 1, NormKind::kZScore));
  EXPECT_EQ(s.split_row, 120);  // 1959-01 onwards is validation
  EXPECT_EQ(d.dates[static_cast<size_t>(s.split_row)], "1959-01");
  EXPECT_EQ(s.train.count, 120 - 15 + 1);
  EXPECT_EQ(s.validation.count, 24 - 3 + 1);
  const std::vector<float> train_rows(d.values.begin(), d.values.begin() + 120);
  double sum = 0.0;
  for (float v : train_rows) sum += v;
  EXPECT_DOUBLE_EQ(s.normalizer.params().offset[0], sum / 120);
  // Every validation target, denormalised, is the passenger count of a 1959-1960 month.
  const std::vector<float> y = s.normalizer.inverse(s.validation.y, s.validation.targets);
  for (int i = 0; i < s.validation.count; ++i)
    for (int h = 0; h < 3; ++h) EXPECT_EQ(y[i * 3 + h], d.values[s.validation.starts[i] + 12 + h]);
}

TEST(RealData, GenesisVocabularyRoundTrips) {
  const std::string text = read_file("data/text/kjv-genesis.txt");
  ASSERT_EQ(text.size(), 196818u);
  const CharVocab v = CharVocab::build(text);
  EXPECT_EQ(v.size(), 60);
  EXPECT_EQ(v.symbols_utf8(), "\n !'(),.:;?ABCDEFGHIJKLMNOPRSTUWYZabcdefghijklmnopqrstuvwxyz");
  const std::vector<int32_t> ids = v.encode(text);
  EXPECT_EQ(ids.size(), text.size());  // plain ASCII: one symbol a byte
  EXPECT_EQ(v.decode(ids), text);
  // Psalms uses '-', 'Q' and 'V', which Genesis does not: an error without a fallback.
  const std::string psalms = read_file("data/text/kjv-psalms.txt");
  EXPECT_DATA_ERROR(v.encode(psalms), "text", kConfig);
  EXPECT_EQ(CharVocab::build(text + psalms).size(), 63);
}

TEST(RealData, GenesisWithACappedVocabulary) {
  const std::string text = read_file("data/text/kjv-genesis.txt");
  VocabOptions o;
  o.max_size = 20;
  const CharVocab v = CharVocab::build(text, o);
  ASSERT_EQ(v.size(), 20);
  EXPECT_GE(v.id_of(U' '), 0);
  EXPECT_GE(v.id_of(U'e'), 0);
  EXPECT_EQ(v.id_of(U'Z'), -1);
  const std::string back = v.decode(v.encode(text));
  EXPECT_EQ(decode_utf8(back).size(), text.size());  // one symbol for one symbol
  EXPECT_NE(back.find("\xEF\xBF\xBD"), std::string::npos);
}

}  // namespace
}  // namespace rnnlab::data
