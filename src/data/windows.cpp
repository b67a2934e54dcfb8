// Sliding windows: [T, F] series -> inputs [N, W, F] and targets [N, Hz * TF].
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/require.h"
#include "data/checks.h"
#include "rnnlab/data.h"

namespace rnnlab::data {
namespace {

// x and y are materialised (each row is copied W times); above this many floats (256 MB)
// a larger stride or a shorter window is the better answer than an allocation failure.
constexpr int64_t kMaxWindowFloats = int64_t{64} * 1024 * 1024;

// N, after checking the series holds one window and the result fits the memory cap.
int window_count(int rows, int features, int target_count, const WindowOptions& o) {
  const int64_t needed = int64_t{o.window} + o.horizon;
  RNNLAB_REQUIRE(rows >= needed, "series",
                 "has " + std::to_string(rows) + " rows; window " + std::to_string(o.window) +
                     " + horizon " + std::to_string(o.horizon) + " needs at least " +
                     std::to_string(needed));
  const int64_t n = (rows - needed) / o.stride + 1;
  const int64_t floats = n * (int64_t{o.window} * features + int64_t{o.horizon} * target_count);
  RNNLAB_REQUIRE(floats <= kMaxWindowFloats, "window",
                 std::to_string(n) + " windows would hold " + std::to_string(floats) +
                     " floats, above the cap of " + std::to_string(kMaxWindowFloats) +
                     "; use a larger stride or a shorter window",
                 ErrorCode::kTooLarge);
  return static_cast<int>(n);
}

// Copies window i: W full rows into x, then the target columns of the next Hz rows into y.
void fill_window(const float* series, int start, Windows& w, size_t i) {
  const size_t f = static_cast<size_t>(w.features), tf = w.targets.size();
  const float* in = series + static_cast<size_t>(start) * f;
  std::copy(in, in + w.window * f, w.x.begin() + i * w.window * f);
  float* out = w.y.data() + i * w.horizon * tf;
  for (int h = 0; h < w.horizon; ++h) {
    const float* row = series + (static_cast<size_t>(start) + w.window + h) * f;
    for (size_t t = 0; t < tf; ++t) *out++ = row[w.targets[t]];
  }
}

}  // namespace

Windows make_windows(const float* series, int rows, int features, const WindowOptions& options) {
  detail::check_window_options(options);
  RNNLAB_REQUIRE(features >= 1, "features", "must be a positive integer, got " + std::to_string(features));
  RNNLAB_REQUIRE(rows >= 0 && (series != nullptr || rows == 0), "series", "is missing");
  Windows w;
  w.targets = detail::resolve_features(options.targets, features, "targets");
  detail::require_finite(series, rows, features, "series");
  w.count = window_count(rows, features, w.target_features(), options);
  w.window = options.window;
  w.features = features;
  w.horizon = options.horizon;
  w.x.resize(static_cast<size_t>(w.count) * w.window * features);
  w.y.resize(static_cast<size_t>(w.count) * w.horizon * w.targets.size());
  w.starts.resize(static_cast<size_t>(w.count));
  for (int i = 0; i < w.count; ++i) {
    w.starts[i] = i * options.stride;
    fill_window(series, w.starts[i], w, static_cast<size_t>(i));
  }
  return w;
}

Windows make_windows(const std::vector<float>& series, int features, const WindowOptions& options) {
  const int rows = detail::rows_of(series.size(), features, "series");
  return make_windows(series.data(), rows, features, options);
}

}  // namespace rnnlab::data
