#include "train/loss.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/parallel_gemm.h"

namespace rnnlab {
namespace {

inline double weight_of(const float* row_w, int r) { return row_w ? row_w[r] : 1.0; }

double total_weight(const float* row_w, int rows) {
  double w = 0.0;
  for (int r = 0; r < rows; ++r) w += weight_of(row_w, r);
  return w;
}

}  // namespace

LossValue mse_loss(const float* pred, const float* y, const float* row_w, int rows, int O,
                   float* grad) {
  LossValue out{0.0, total_weight(row_w, rows)};
  double denom = out.weight * O;
  double sum = 0.0;
  for (int r = 0; r < rows; ++r) {
    double w = weight_of(row_w, r);
    for (int o = 0; o < O; ++o) {
      size_t k = static_cast<size_t>(r) * O + o;
      double d = static_cast<double>(pred[k]) - y[k];
      sum += w * d * d;
      if (grad) grad[k] = denom > 0 ? static_cast<float>(2.0 * w * d / denom) : 0.0f;
    }
  }
  out.mean = denom > 0 ? sum / denom : 0.0;
  return out;
}

LossValue huber_loss(const float* pred, const float* y, const float* row_w, int rows, int O,
                     float delta, float* grad) {
  LossValue out{0.0, total_weight(row_w, rows)};
  double denom = out.weight * O;
  double sum = 0.0;
  for (int r = 0; r < rows; ++r) {
    double w = weight_of(row_w, r);
    for (int o = 0; o < O; ++o) {
      size_t k = static_cast<size_t>(r) * O + o;
      double d = static_cast<double>(pred[k]) - y[k], a = std::fabs(d);
      sum += w * (a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta));
      double g = a <= delta ? d : (d > 0 ? delta : -delta);
      if (grad) grad[k] = denom > 0 ? static_cast<float>(w * g / denom) : 0.0f;
    }
  }
  out.mean = denom > 0 ? sum / denom : 0.0;
  return out;
}

void softmax_rows(const float* logits, int rows, int O, float* probs, float temperature) {
  for (int r = 0; r < rows; ++r) {
    const float* z = logits + static_cast<size_t>(r) * O;
    float* p = probs + static_cast<size_t>(r) * O;
    float m = *std::max_element(z, z + O);
    double s = 0.0;
    for (int o = 0; o < O; ++o) {
      p[o] = std::exp((z[o] - m) / temperature);
      s += p[o];
    }
    float inv = static_cast<float>(1.0 / s);
    for (int o = 0; o < O; ++o) p[o] *= inv;
  }
}

LossValue cross_entropy_loss(const float* logits, const int32_t* classes, const float* row_w,
                             int rows, int O, float* grad, float* probs) {
  LossValue out{0.0, total_weight(row_w, rows)};
  // Rows split over the pool: each row's term goes to its slot, and the slots are summed in
  // row order afterwards, so the mean has the bits of one thread.
  thread_local std::vector<double> terms;
  if (terms.size() < static_cast<size_t>(rows)) terms.resize(rows);
  double* term = terms.data();
  parallel_blocks(kernels::active(), rows, 8, 30.0 * rows * O, [&](int first, int last) {
    // exp once per logit (it dominates this function), normalised after the row sum.
    for (int r = first; r < last; ++r) {
      const float* z = logits + static_cast<size_t>(r) * O;
      float* e = probs ? probs + static_cast<size_t>(r) * O
                       : (grad ? grad + static_cast<size_t>(r) * O : nullptr);
      double w = weight_of(row_w, r);
      float m = *std::max_element(z, z + O);
      double s = 0.0;
      if (e) {
        for (int o = 0; o < O; ++o) s += (e[o] = std::exp(z[o] - m));
      } else {
        for (int o = 0; o < O; ++o) s += std::exp(z[o] - m);
      }
      int c = classes[r];
      term[r] = w != 0.0 ? w * (std::log(s) - (static_cast<double>(z[c]) - m)) : 0.0;
      if (!e) continue;
      float inv = static_cast<float>(1.0 / s);
      float scale = out.weight > 0 ? static_cast<float>(w / out.weight) : 0.0f;
      float* g = grad ? grad + static_cast<size_t>(r) * O : nullptr;
      for (int o = 0; o < O; ++o) {
        float p = e[o] * inv;
        if (probs) probs[static_cast<size_t>(r) * O + o] = p;
        if (g) g[o] = scale * (p - (o == c ? 1.0f : 0.0f));
      }
    }
  });
  double sum = 0.0;
  for (int r = 0; r < rows; ++r)
    if (weight_of(row_w, r) != 0.0) sum += term[r];
  out.mean = out.weight > 0 ? sum / out.weight : 0.0;
  return out;
}

}  // namespace rnnlab
