// Internal state of rnnlab::Model: a Network (parameters, dense head, optimizer) over one
// RecurrentStack, plus staged targets, the loss and the carried state (model.cpp,
// model_inference.cpp).
#pragma once

#include <memory>
#include <vector>

#include "model/carried_state.h"
#include "model/network.h"
#include "model/recurrent_stack.h"
#include "rnnlab/model.h"
#include "train/loss.h"

namespace rnnlab {

struct Model::Impl : Network {
  // With weights: checked against the declared tensors before anything is allocated, then
  // copied; no initial weights are drawn (loading). Without: initialised from config.seed.
  explicit Impl(const ModelConfig& config, const std::vector<NamedTensor>* weights = nullptr);

  ModelConfig cfg;
  std::unique_ptr<RecurrentStack> stack;

  // Staged targets (time-major rows, as the stack's outputs).
  Buffer y_tm, w_tm;            // targets [rows, O], row weights [rows]
  std::vector<int32_t> cls_tm;  // class ids [rows]
  bool has_mask = false;

  // Last chunk.
  int chunk_t0 = 0, chunk_T = 0;
  Buffer logits, dlogits, probs, dhead;
  Buffer dx_in;  // dL/dx [T*B, I] when requested
  std::vector<const float*> dh_last_ptrs;  // per layer, reused

  // For stateful training and step(), forecast(), generate().
  CarriedState state;

  int B() const { return stack->batch(); }
  int T() const { return stack->steps(); }
  int top_hidden() const { return cfg.hidden_sizes.back(); }
  bool last_only() const { return cfg.output == OutputMode::kLast; }
  int head_rows(int Tc) const { return last_only() ? B() : Tc * B(); }
  LossType resolve_loss(LossType requested) const;

  void stage_input(const Input& x) { stack->stage(x, 2 * top_hidden() + 2 * cfg.output_size); }
  void stage_target(const Target& y);
  void forward_chunk(int t0, int Tc, bool training, bool from_state);
  void save_state() { state.capture(*stack, chunk_T); }
  LossValue chunk_loss(LossType loss, float huber_delta, bool want_grad);
  void backward_chunk(std::vector<float>* grad_norms, bool want_input_grad = false);
  // Head outputs of the last forward: values, or softmax probabilities.
  const float* head_outputs(float temperature = 1.0f);
  void copy_outputs_batch_major(const float* rows, float* out) const;
  const float* head_input() const;
};

}  // namespace rnnlab
