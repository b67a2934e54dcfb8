// Internal state of rnnlab::Model (shared by model.cpp, model_inference.cpp and seq2seq).
#pragma once

#include <memory>
#include <vector>

#include "cells/recurrent_layer.h"
#include "model/parameters.h"
#include "rnnlab/model.h"
#include "train/loss.h"
#include "train/optimizer.h"

namespace rnnlab {

struct Model::Impl {
  explicit Impl(const ModelConfig& config);

  ModelConfig cfg;
  Parameters params;
  int emb = -1;              // embedding.weight [V, E]
  int head_w = -1, head_b = -1;  // head.weight [O, H_top], head.bias [O]
  std::vector<std::unique_ptr<RecurrentLayer>> layers;
  Optimizer opt;
  Rng dropout_rng;

  // Staged batch (time-major: row r = t * B + b).
  int B = 0, T = 0;
  Buffer x_tm;                 // [T*B, I]
  std::vector<int32_t> ids_tm; // [T*B]
  Buffer emb_out, demb;        // [T*B, E]
  Buffer y_tm, w_tm;           // targets [rows, O], row weights [rows]
  std::vector<int32_t> cls_tm; // class ids [rows]
  bool has_mask = false;

  // Per-chunk activations and gradients.
  bool dropout_active = false;
  std::vector<Buffer> masks, dropped, dx;  // index l: the input of layer l (l >= 1)
  Buffer logits, dlogits, probs, dhead;
  bool want_input_grad = false;  // backward also fills dx_in [T*B, I] (features input)
  Buffer dx_in;
  int chunk_t0 = 0, chunk_T = 0;

  // Carried state ([B, H] per layer) for stateful training and step().
  int state_batch = 0;
  bool has_state = false;
  std::vector<Buffer> h_state, c_state;

  int top_hidden() const { return cfg.hidden_sizes.back(); }
  bool last_only() const { return cfg.output == OutputMode::kLast; }
  int head_rows(int Tc) const { return last_only() ? B : Tc * B; }
  LossType resolve_loss(LossType requested) const;

  void stage_input(const Input& x);
  void stage_target(const Target& y);
  void forward_chunk(int t0, int Tc, bool training, bool from_state);
  void save_state();
  void zero_state(int batch);
  LossValue chunk_loss(LossType loss, float huber_delta, bool want_grad);
  void backward_chunk(std::vector<float>* grad_norms);  // grad_norms: [L][Tc] flattened
  // Head outputs of the last forward for the user: values, or softmax probabilities.
  const float* head_outputs(float temperature = 1.0f);
  // Writes head outputs batch-major into out.
  void copy_outputs_batch_major(const float* rows, float* out) const;
};

}  // namespace rnnlab
