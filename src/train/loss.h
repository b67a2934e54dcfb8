// Losses over rows of predictions [rows, O], each row weighted by a mask entry (1 when no
// mask). Every function returns the weighted mean (as torch's reduction='mean', which
// for a masked cross-entropy equals ignore_index) and writes d(mean)/d(pred) into grad.
#pragma once

#include <cstdint>

namespace rnnlab {

struct LossValue {
  double mean = 0.0;
  double weight = 0.0;  // sum of row weights (the mean's denominator / O)
};

LossValue mse_loss(const float* pred, const float* y, const float* row_w, int rows, int O,
                   float* grad);
LossValue huber_loss(const float* pred, const float* y, const float* row_w, int rows, int O,
                     float delta, float* grad);
// logits [rows, O], classes [rows]; probs (optional) receives softmax(logits).
LossValue cross_entropy_loss(const float* logits, const int32_t* classes, const float* row_w,
                             int rows, int O, float* grad, float* probs = nullptr);

// Numerically stable softmax of each row, in place allowed.
void softmax_rows(const float* logits, int rows, int O, float* probs, float temperature = 1.0f);

}  // namespace rnnlab
