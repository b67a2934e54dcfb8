// Internal state of rnnlab::Model: a RecurrentStack plus the dense head, targets, loss,
// optimizer and the carried state (model.cpp, model_inference.cpp).
#pragma once

#include <memory>
#include <vector>

#include "model/recurrent_stack.h"
#include "rnnlab/model.h"
#include "train/loss.h"
#include "train/optimizer.h"

namespace rnnlab {

struct Model::Impl {
  explicit Impl(const ModelConfig& config);

  ModelConfig cfg;
  Parameters params;
  std::unique_ptr<RecurrentStack> stack;
  int head_w = -1, head_b = -1;  // head.weight [O, H_top], head.bias [O]
  Optimizer opt;

  // Staged targets (time-major rows, as the stack's outputs).
  Buffer y_tm, w_tm;            // targets [rows, O], row weights [rows]
  std::vector<int32_t> cls_tm;  // class ids [rows]
  bool has_mask = false;

  // Last chunk.
  int chunk_t0 = 0, chunk_T = 0;
  Buffer logits, dlogits, probs, dhead;
  Buffer dx_in;  // dL/dx [T*B, I] when requested
  std::vector<const float*> h0_ptrs, c0_ptrs, dh_last_ptrs;  // per layer, reused

  // Carried state ([B, H] per layer) for stateful training and step().
  int state_batch = 0;
  bool has_state = false;
  std::vector<Buffer> h_state, c_state;

  int B() const { return stack->batch(); }
  int T() const { return stack->steps(); }
  int top_hidden() const { return cfg.hidden_sizes.back(); }
  bool last_only() const { return cfg.output == OutputMode::kLast; }
  int head_rows(int Tc) const { return last_only() ? B() : Tc * B(); }
  LossType resolve_loss(LossType requested) const;

  void stage_input(const Input& x) { stack->stage(x, 2 * top_hidden() + 2 * cfg.output_size); }
  void stage_target(const Target& y);
  void forward_chunk(int t0, int Tc, bool training, bool from_state);
  void save_state();
  void zero_state(int batch);
  LossValue chunk_loss(LossType loss, float huber_delta, bool want_grad);
  void backward_chunk(std::vector<float>* grad_norms, bool want_input_grad = false);
  // Head outputs of the last forward: values, or softmax probabilities.
  const float* head_outputs(float temperature = 1.0f);
  void copy_outputs_batch_major(const float* rows, float* out) const;
  const float* head_input() const;
};

}  // namespace rnnlab
