// Helpers shared by the native test suites.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "rnnlab/rng.h"

namespace rnnlab::test {

inline std::vector<float> random_vector(Rng& rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(lo, hi);
  return v;
}

inline std::vector<int32_t> random_ids(Rng& rng, size_t n, int vocab) {
  std::vector<int32_t> v(n);
  for (auto& x : v) x = static_cast<int32_t>(rng.below(static_cast<uint32_t>(vocab)));
  return v;
}

// max |a - b| / max(|b|, floor): a relative error that does not explode near zero.
inline double max_rel_error(const float* a, const float* b, size_t n, double floor = 1e-3) {
  double worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double e = std::fabs(double(a[i]) - b[i]) / std::fmax(std::fabs(double(b[i])), floor);
    worst = std::fmax(worst, e);
  }
  return worst;
}

}  // namespace rnnlab::test
