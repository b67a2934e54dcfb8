// Training options: loss, optimizer, schedule, clipping, truncated BPTT.
#pragma once

#include <cstdint>
#include <string>

namespace rnnlab {

enum class LossType { kAuto, kMse, kHuber, kCrossEntropy };
enum class OptimizerType { kSgd, kRmsProp, kAdam, kAdamW };
enum class ScheduleType { kConstant, kStep, kCosine };

// Learning rate as a function of the optimizer step count s (0-based):
//   constant: lr;  step: lr * gamma^floor(s / step_size);
//   cosine: eta_min + (lr - eta_min) * (1 + cos(pi * min(s, t_max) / t_max)) / 2
// (torch.optim.lr_scheduler StepLR / CosineAnnealingLR stepped once per optimizer step).
struct ScheduleConfig {
  ScheduleType type = ScheduleType::kConstant;
  int step_size = 100;
  float gamma = 0.5f;
  int t_max = 1000;
  float eta_min = 0.0f;
};

// Hyper-parameters follow torch.optim's defaults and update rules exactly.
struct OptimizerConfig {
  OptimizerType type = OptimizerType::kAdam;
  float lr = 1e-3f;
  float momentum = 0.0f;   // SGD, RMSProp
  bool nesterov = false;   // SGD
  float beta1 = 0.9f, beta2 = 0.999f;  // Adam(W)
  float eps = 1e-8f;       // Adam(W), RMSProp
  float alpha = 0.99f;     // RMSProp smoothing
  float weight_decay = 0.0f;  // L2 for SGD/RMSProp/Adam, decoupled for AdamW (default 0.01)
  ScheduleConfig schedule;

  void validate() const;
};

struct TrainOptions {
  OptimizerConfig optimizer;
  LossType loss = LossType::kAuto;  // kAuto: MSE for a linear head, cross-entropy for softmax
  float huber_delta = 1.0f;
  float clip_norm = 0.0f;  // clip the global gradient norm to this; 0 = off
  int tbptt = 0;           // truncated BPTT chunk length k; 0 = full BPTT
  // Carry the final state into the next call (char-rnn style consecutive batches).
  bool stateful = false;

  void validate() const;
};

OptimizerType parse_optimizer(const std::string& name);
LossType parse_loss(const std::string& name);
ScheduleType parse_schedule(const std::string& name);
const char* to_string(OptimizerType v);
const char* to_string(LossType v);

// What one training call did.
struct TrainResult {
  float loss = 0.0f;        // mean loss over the batch (over the chunks with tbptt)
  float grad_norm = 0.0f;   // global gradient norm before clipping (last chunk)
  float lr = 0.0f;          // learning rate used (last chunk)
  int steps = 0;            // optimizer steps taken (chunks)
};

}  // namespace rnnlab
