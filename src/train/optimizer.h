// Optimizers over one flat parameter array, with torch.optim's update rules (SGD with
// momentum/Nesterov, RMSprop, Adam, AdamW), so a run can be compared step for step.
#pragma once

#include <cstdint>
#include <vector>

#include "rnnlab/train.h"

namespace rnnlab {

class Optimizer {
 public:
  // Keeps moments while the optimizer type stays the same; a new type starts fresh.
  void configure(const OptimizerConfig& config, size_t n);
  // One update of params from grads; returns the learning rate used (after the schedule).
  float step(float* params, const float* grads, size_t n);
  int64_t steps() const { return steps_; }
  void reset();

 private:
  OptimizerConfig config_;
  bool configured_ = false;
  int64_t steps_ = 0;
  std::vector<float> m_, v_;  // first moment / momentum buffer, second moment
};

// Learning rate at optimizer step `step` (0-based) under config.schedule.
float scheduled_lr(const OptimizerConfig& config, int64_t step);

// Global L2 norm of a gradient vector (double accumulation).
double global_norm(const float* g, size_t n);
// torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is < 1.
void clip_by_global_norm(float* g, size_t n, double norm, float max_norm);

}  // namespace rnnlab
