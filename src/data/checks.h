// Input checks shared by the data helpers (internal).
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "core/c_numbers.h"
#include "core/require.h"
#include "rnnlab/data.h"
#include "rnnlab/error.h"

namespace rnnlab::data::detail {

// Rows of a flat [rows, features] buffer; the size must divide evenly and fit an int.
inline int rows_of(size_t size, int features, const char* field) {
  RNNLAB_REQUIRE(features >= 1, "features",
                 "must be a positive integer, got " + std::to_string(features));
  RNNLAB_REQUIRE(size % static_cast<size_t>(features) == 0, field,
                 "has " + std::to_string(size) + " values, not a multiple of " +
                     std::to_string(features) + " features",
                 ErrorCode::kShapeMismatch);
  const size_t rows = size / static_cast<size_t>(features);
  RNNLAB_REQUIRE(rows <= static_cast<size_t>(std::numeric_limits<int>::max()), field,
                 "has " + std::to_string(rows) + " rows, above the int range", ErrorCode::kTooLarge);
  return static_cast<int>(rows);
}

// NaN/Inf would silently poison statistics and losses; name the first one's position.
inline void require_finite(const float* v, int rows, int features, const char* field) {
  const size_t n = static_cast<size_t>(rows) * static_cast<size_t>(features);
  for (size_t i = 0; i < n; ++i) {
    RNNLAB_REQUIRE(std::isfinite(v[i]), field,
                   "row " + std::to_string(i / features) + ", feature " +
                       std::to_string(i % features) + " is " + rnnlab::detail::format_c_g(v[i]) +
                       "; the data must be finite",
                   ErrorCode::kNonFiniteData);
  }
}

// Feature indices must be in [0, features) and distinct; empty means all features.
inline std::vector<int> resolve_features(const std::vector<int>& wanted, int features,
                                         const char* field) {
  std::vector<int> out;
  if (wanted.empty()) {
    for (int f = 0; f < features; ++f) out.push_back(f);
    return out;
  }
  std::vector<bool> seen(static_cast<size_t>(features), false);
  for (int f : wanted) {
    RNNLAB_REQUIRE(f >= 0 && f < features, field,
                   "feature index " + std::to_string(f) + " is outside [0, " +
                       std::to_string(features) + ")");
    RNNLAB_REQUIRE(!seen[static_cast<size_t>(f)], field,
                   "lists feature " + std::to_string(f) + " twice");
    seen[static_cast<size_t>(f)] = true;
    out.push_back(f);
  }
  return out;
}

// "U+00E9", "U+1F600": how messages name a code point (utf8.cpp).
std::string code_point_name(char32_t c);

// Window sizes are checked before anything else reads them.
inline void check_window_options(const WindowOptions& o) {
  RNNLAB_REQUIRE(o.window >= 1, "window", "must be a positive integer, got " + std::to_string(o.window));
  RNNLAB_REQUIRE(o.horizon >= 1, "horizon",
                 "must be a positive integer, got " + std::to_string(o.horizon));
  RNNLAB_REQUIRE(o.stride >= 1, "stride", "must be a positive integer, got " + std::to_string(o.stride));
}

}  // namespace rnnlab::data::detail
