// Chronological train/validation split with the normaliser fitted on training rows only,
// so no validation statistic leaks into training (or into the validation inputs' scaling).
#include <cmath>
#include <cstdint>
#include <string>

#include "core/c_numbers.h"
#include "core/require.h"
#include "data/checks.h"
#include "rnnlab/data.h"

namespace rnnlab::data {
namespace {

// First validation target row: the last round(fraction * T) rows are validation targets.
int split_row_of(int rows, double fraction) {
  RNNLAB_REQUIRE(std::isfinite(fraction) && fraction > 0.0 && fraction < 1.0, "validationFraction",
                 "must be in (0, 1), got " + rnnlab::detail::format_c_g(fraction));
  return rows - static_cast<int>(std::llround(fraction * rows));
}

// Both sides need at least one window: W + Hz training rows, Hz validation rows.
void check_sides(int rows, int split, const WindowOptions& o) {
  const int64_t train_needed = int64_t{o.window} + o.horizon;
  RNNLAB_REQUIRE(split >= train_needed, "series",
                 "has " + std::to_string(rows) + " rows, leaving " + std::to_string(split) +
                     " for training; window " + std::to_string(o.window) + " + horizon " +
                     std::to_string(o.horizon) + " needs at least " + std::to_string(train_needed) +
                     " (use a longer series, a smaller validation fraction or a shorter window)");
  RNNLAB_REQUIRE(rows - split >= o.horizon, "series",
                 "leaves " + std::to_string(rows - split) + " validation rows, fewer than horizon " +
                     std::to_string(o.horizon) + " (use a larger validation fraction)");
}

}  // namespace

Split chronological_split(const std::vector<float>& series, int features, const SplitOptions& options) {
  const int rows = detail::rows_of(series.size(), features, "series");
  detail::check_window_options(options.windows);
  Split out;
  out.split_row = split_row_of(rows, options.validation_fraction);
  check_sides(rows, out.split_row, options.windows);
  detail::require_finite(series.data(), rows, features, "series");
  out.normalizer = Normalizer::fit(options.normalization, series.data(), out.split_row, features);
  const std::vector<float> normed = out.normalizer.transform(series);
  out.train = make_windows(normed.data(), out.split_row, features, options.windows);
  // Validation inputs may reach back W rows into training data; their targets cannot.
  const int first = out.split_row - options.windows.window;
  const size_t offset = static_cast<size_t>(first) * static_cast<size_t>(features);
  out.validation = make_windows(normed.data() + offset, rows - first, features, options.windows);
  for (int& s : out.validation.starts) s += first;
  return out;
}

}  // namespace rnnlab::data
