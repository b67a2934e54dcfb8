#include "core/init.h"

#include <cmath>
#include <vector>

namespace rnnlab {

void glorot_uniform(Rng& rng, int rows, int cols, float* w, int ld) {
  float limit = static_cast<float>(std::sqrt(6.0 / (static_cast<double>(rows) + cols)));
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) w[i * ld + j] = rng.uniform(-limit, limit);
}

void orthogonal(Rng& rng, int n, float* w, int ld) {
  // Columns of a are orthonormalised in turn; q stores them column-major.
  std::vector<double> q(static_cast<size_t>(n) * n);
  for (auto& v : q) v = rng.normal();
  for (int j = 0; j < n; ++j) {
    double* qj = q.data() + static_cast<size_t>(j) * n;
    for (int p = 0; p < j; ++p) {
      const double* qp = q.data() + static_cast<size_t>(p) * n;
      double dot = 0.0;
      for (int i = 0; i < n; ++i) dot += qp[i] * qj[i];
      for (int i = 0; i < n; ++i) qj[i] -= dot * qp[i];
    }
    double norm = 0.0;
    for (int i = 0; i < n; ++i) norm += qj[i] * qj[i];
    norm = std::sqrt(norm);
    // R's diagonal is +norm by construction, so no sign fix is needed; a zero column
    // (probability ~0) falls back to a unit vector.
    if (norm == 0.0) {
      for (int i = 0; i < n; ++i) qj[i] = i == j ? 1.0 : 0.0;
      continue;
    }
    for (int i = 0; i < n; ++i) qj[i] /= norm;
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) w[i * ld + j] = static_cast<float>(q[static_cast<size_t>(j) * n + i]);
}

}  // namespace rnnlab
