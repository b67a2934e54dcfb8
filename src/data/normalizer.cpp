// Per-feature z-score / min-max normalisation with an inverse that round-trips floats.
//
// Everything is computed in double: offset and scale keep full precision, and each float
// x becomes z = float((x - offset) / scale), x = float(double(z) * scale + offset). The
// only real loss is rounding z to float, and z is the float nearest the true quotient, so
// no other float z would invert better; see Normalizer in data.h for the bound.
#include <cmath>
#include <string>

#include "core/c_numbers.h"
#include "core/require.h"
#include "data/checks.h"
#include "rnnlab/data.h"

namespace rnnlab::data {
namespace {

// Mean and population std in two passes (no cancellation from sum-of-squares). A constant
// feature returns its value and std 0 exactly, whatever rounding the sum would add.
void zscore_stats(const float* v, int rows, int features, int f, double& offset, double& scale) {
  double sum = 0.0;
  bool constant = true;
  for (int t = 0; t < rows; ++t) {
    sum += v[static_cast<size_t>(t) * features + f];
    constant = constant && v[static_cast<size_t>(t) * features + f] == v[f];
  }
  const double mean = constant ? v[f] : sum / rows;
  double sq = 0.0;
  for (int t = 0; t < rows; ++t) {
    const double d = v[static_cast<size_t>(t) * features + f] - mean;
    sq += d * d;
  }
  offset = mean;
  scale = std::sqrt(sq / rows);
}

void minmax_stats(const float* v, int rows, int features, int f, double& offset, double& scale) {
  double lo = v[f], hi = v[f];
  for (int t = 1; t < rows; ++t) {
    const double x = v[static_cast<size_t>(t) * features + f];
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  offset = lo;
  scale = hi - lo;  // in double: no overflow even for -FLT_MAX..FLT_MAX
}

// A constant feature has no spread to divide by; scale 1 keeps it finite (it maps to 0).
double usable_scale(double scale) { return scale > 0.0 && std::isfinite(scale) ? scale : 1.0; }

float forward_one(float x, double offset, double scale) {
  return static_cast<float>((static_cast<double>(x) - offset) / scale);
}

float backward_one(float z, double offset, double scale) {
  return static_cast<float>(static_cast<double>(z) * scale + offset);
}

}  // namespace

NormKind parse_norm_kind(const std::string& name) {
  if (name == "none") return NormKind::kNone;
  if (name == "zscore") return NormKind::kZScore;
  if (name == "minmax") return NormKind::kMinMax;
  throw Error(ErrorCode::kInvalidConfig, "normalization",
              "unknown value '" + name + "'; expected 'none', 'zscore' or 'minmax'");
}

const char* to_string(NormKind kind) {
  return kind == NormKind::kZScore ? "zscore" : kind == NormKind::kMinMax ? "minmax" : "none";
}

Normalizer::Normalizer(NormalizerParams params) : params_(std::move(params)) {
  const size_t n = params_.offset.size();
  RNNLAB_REQUIRE(n >= 1 && params_.scale.size() == n, "normalizer",
                 "needs offset and scale of the same length >= 1, got " + std::to_string(n) +
                     " and " + std::to_string(params_.scale.size()),
                 ErrorCode::kShapeMismatch);
  for (size_t f = 0; f < n; ++f) {
    RNNLAB_REQUIRE(std::isfinite(params_.offset[f]) && std::isfinite(params_.scale[f]) &&
                       params_.scale[f] > 0.0,
                   "normalizer",
                   "feature " + std::to_string(f) + " has offset " + rnnlab::detail::format_c_g(params_.offset[f]) +
                       " and scale " + rnnlab::detail::format_c_g(params_.scale[f]) +
                       "; both must be finite and the scale > 0");
  }
}

Normalizer Normalizer::fit(NormKind kind, const float* values, int rows, int features) {
  RNNLAB_REQUIRE(features >= 1, "features", "must be a positive integer, got " + std::to_string(features));
  RNNLAB_REQUIRE(rows >= 1 && values != nullptr, "series", "needs at least one row to fit on");
  detail::require_finite(values, rows, features, "series");
  NormalizerParams p;
  p.kind = kind;
  p.offset.assign(static_cast<size_t>(features), 0.0);
  p.scale.assign(static_cast<size_t>(features), 1.0);
  for (int f = 0; f < features; ++f) {
    if (kind == NormKind::kZScore) zscore_stats(values, rows, features, f, p.offset[f], p.scale[f]);
    if (kind == NormKind::kMinMax) minmax_stats(values, rows, features, f, p.offset[f], p.scale[f]);
    p.scale[f] = usable_scale(p.scale[f]);
  }
  return Normalizer(std::move(p));
}

Normalizer Normalizer::fit(NormKind kind, const std::vector<float>& values, int features) {
  const int rows = detail::rows_of(values.size(), features, "series");
  return fit(kind, values.data(), rows, features);
}

std::vector<float> Normalizer::apply(const std::vector<float>& values,
                                     const std::vector<int>& columns, bool forward) const {
  RNNLAB_REQUIRE(features() >= 1, "normalizer", "is empty; fit or load it first", ErrorCode::kInvalidState);
  const std::vector<int> cols = detail::resolve_features(columns, features(), "columns");
  const int rows = detail::rows_of(values.size(), static_cast<int>(cols.size()), "values");
  detail::require_finite(values.data(), rows, static_cast<int>(cols.size()), "values");
  std::vector<float> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t f = static_cast<size_t>(cols[i % cols.size()]);
    const double off = params_.offset[f], sc = params_.scale[f];
    out[i] = forward ? forward_one(values[i], off, sc) : backward_one(values[i], off, sc);
    RNNLAB_REQUIRE(std::isfinite(out[i]), "values",
                   "value " + rnnlab::detail::format_c_g(values[i]) + " of feature " + std::to_string(f) +
                       " overflows float when " + (forward ? "normalised" : "denormalised"),
                   ErrorCode::kNonFiniteData);
  }
  return out;
}

std::vector<float> Normalizer::transform(const std::vector<float>& values) const {
  return apply(values, {}, true);
}
std::vector<float> Normalizer::inverse(const std::vector<float>& values) const {
  return apply(values, {}, false);
}
std::vector<float> Normalizer::transform(const std::vector<float>& values,
                                         const std::vector<int>& columns) const {
  return apply(values, columns, true);
}
std::vector<float> Normalizer::inverse(const std::vector<float>& values,
                                       const std::vector<int>& columns) const {
  return apply(values, columns, false);
}

}  // namespace rnnlab::data
