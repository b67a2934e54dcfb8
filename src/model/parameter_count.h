// Counting a configuration's parameters before anything is allocated (ModelConfig and
// Seq2SeqConfig::parameter_count). Counted in double: exact below 2^53, far above the cap, and
// no product of unchecked ints can overflow it.
#pragma once

#include <cstdint>
#include <vector>

namespace rnnlab::param_count {

// A stack of recurrent layers, the first reading `in` features: per layer W_ih, W_hh, b_ih and
// b_hh, `gates` blocks of `h` rows each.
inline double stack(int gates, double in, const std::vector<int>& hidden_sizes) {
  double n = 0;
  for (int h : hidden_sizes) {
    n += static_cast<double>(gates) * h * (in + h + 2);
    in = h;
  }
  return n;
}

// The count as an int64, saturating at INT64_MAX (and 0 for a negative sum of bad fields).
inline int64_t saturate(double n) {
  if (!(n < 9.2e18)) return INT64_MAX;
  return n < 0 ? 0 : static_cast<int64_t>(n);
}

}  // namespace rnnlab::param_count
