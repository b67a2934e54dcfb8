// The end of every training step, shared by Model and Seq2Seq: divergence guards, global-norm
// clipping and the optimizer update.
#pragma once

#include <cstdint>
#include <vector>

#include "core/parameters.h"
#include "rnnlab/train.h"
#include "train/optimizer.h"

namespace rnnlab {

// Throws kNonFiniteLoss (nothing has been changed yet) if loss is NaN or Inf.
void check_finite_loss(double loss, int64_t steps_so_far);

struct UpdateResult {
  float grad_norm = 0.0f;  // before clipping
  float lr = 0.0f;
};

// After backward: checks the gradient norm is finite, clips, and steps the optimizer. If the
// update overflows, restores the previous weights (kept in backup) and throws, so a failed
// step never leaves NaN/Inf weights behind.
UpdateResult apply_update(Parameters& params, Optimizer& opt, const TrainOptions& options,
                          std::vector<float>& backup);

}  // namespace rnnlab
