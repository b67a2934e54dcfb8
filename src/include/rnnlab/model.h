// The recurrent model: [embedding | one-hot | features] -> stacked RNN/LSTM/GRU layers
// (dropout between them while training) -> dense head (linear or softmax) at the last step
// or at every step. Training, inference, stateful stepping, introspection and weights.
//
// Public shapes are batch-major as in PyTorch's batch_first=True:
//   features x [B, T, input_size] float, tokens x [B, T] int32,
//   outputs [B, output_size] (OutputMode::kLast) or [B, T, output_size] (kSequence),
//   linear targets shaped like outputs, softmax targets class ids [B] or [B, T],
//   mask (optional) [B] or [B, T] of 0/1 weights per output step.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rnnlab/config.h"
#include "rnnlab/tensor.h"
#include "rnnlab/train.h"

namespace rnnlab {

// A view of one batch of inputs. Exactly one of x, ids is set.
struct Input {
  const float* x = nullptr;
  const int32_t* ids = nullptr;
  int batch = 0, steps = 0;

  static Input features(const float* x, int batch, int steps) { return {x, nullptr, batch, steps}; }
  static Input tokens(const int32_t* ids, int batch, int steps) { return {nullptr, ids, batch, steps}; }
};

// A view of the targets of one batch. Exactly one of y, classes is set.
struct Target {
  const float* y = nullptr;
  const int32_t* classes = nullptr;
  const float* mask = nullptr;

  static Target values(const float* y, const float* mask = nullptr) { return {y, nullptr, mask}; }
  static Target labels(const int32_t* c, const float* mask = nullptr) { return {nullptr, c, mask}; }
};

// Per-layer traces for the playground (all batch-major).
struct LayerTrace {
  int hidden = 0;
  std::vector<float> h;          // [B, T, H] hidden states
  std::vector<float> c;          // [B, T, H] LSTM cell state (empty otherwise)
  std::vector<float> gates;      // [B, T, G*H] activations: LSTM i,f,g,o; GRU r,z,n; RNN h
  std::vector<float> grad_norm;  // [T] ||dL/dh_t|| (RMS over the batch)
};

struct Inspection {
  int batch = 0, steps = 0;
  float loss = 0.0f;              // with targets; else the loss is sum of outputs at the end
  std::vector<float> output;      // as predict()
  std::vector<LayerTrace> layers;
};

class Model {
 public:
  explicit Model(const ModelConfig& config);  // validates and initialises from config.seed
  // Validates and takes exactly these weights (every tensor required; names, shapes and values
  // checked as set_weights) instead of drawing initial ones, which for large layers costs far
  // more than the copy (orthogonal initialisation is cubic in the hidden size). What loading
  // a model file does; the result equals Model(config) followed by set_weights(weights).
  Model(const ModelConfig& config, const std::vector<NamedTensor>& weights);
  ~Model();
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;

  const ModelConfig& config() const;
  size_t parameter_count() const;
  // Elements of predict()'s output for a batch of this shape.
  size_t output_elements(int batch, int steps) const;

  // One training call: forward, loss, BPTT, clipping and an optimizer step (one per chunk with
  // tbptt). Optimizer state persists across calls while the optimizer type is unchanged.
  // Throws kNonFiniteLoss (weights untouched) if the loss or gradients are NaN/Inf.
  TrainResult train_batch(const Input& x, const Target& y, const TrainOptions& options);
  // Loss without updating anything (validation).
  float evaluate(const Input& x, const Target& y, LossType loss = LossType::kAuto,
                 float huber_delta = 1.0f);
  // Gradients of the loss (no update), flat in parameter order; for tests and tools.
  // With training = true dropout is active (seed it with seed_dropout for repeatable masks).
  // input_grad (features input only), if given, receives dL/dx [B, T, input_size].
  float compute_gradients(const Input& x, const Target& y, LossType loss, std::vector<float>& grads,
                          float huber_delta = 1.0f, bool training = false,
                          std::vector<float>* input_grad = nullptr);
  // Restarts the dropout mask stream (masks are otherwise drawn from config.seed onwards).
  void seed_dropout(uint64_t seed);
  // Optimizer steps taken so far; reset_optimizer() forgets moments and the step count.
  int64_t optimizer_steps() const;
  void reset_optimizer();

  // Batched inference from zero state: linear head -> values, softmax -> probabilities.
  std::vector<float> predict(const Input& x);

  // Stateful stepping. reset_state() zeroes the state for `batch` rows; step() feeds one
  // time step ([B, input_size] floats or [B] ids) and returns [B, output_size].
  void reset_state(int batch = 1);
  // Rows of the carried state step() continues from; 0 when there is none (training without
  // `stateful`, or a new model). forecast() and generate() leave their own state behind.
  int state_batch() const;
  std::vector<float> step(const float* x);
  std::vector<float> step_tokens(const int32_t* ids);
  // Autoregressive forecast: prime with window [T, input_size], then feed each prediction back
  // as the next input, `steps` times. Needs features in, linear head, output_size == input_size.
  std::vector<float> forecast(const float* window, int window_steps, int steps);
  // Token generation after a priming sequence; returns `length` new ids.
  std::vector<int32_t> generate(const std::vector<int32_t>& prime, int length,
                                const SampleOptions& options);
  // Next-token distribution after a priming sequence (for the playground's probability view).
  std::vector<float> next_token_probabilities(const std::vector<int32_t>& prime, float temperature);

  Inspection inspect(const Input& x, const Target* y = nullptr);

  // Weights in PyTorch's names and layouts (weight_ih_l0, ..., head.weight, head.bias,
  // embedding.weight). set_weights checks names and shapes and copies bit-exactly.
  std::vector<NamedTensor> get_weights() const;
  void set_weights(const std::vector<NamedTensor>& weights, bool require_all = true);
  // Flat parameter vector (parameter order), for tests and tools. Layouts derived from the
  // weights are cached per weight version: after changing values through a reference kept
  // from an earlier call, call parameters_changed() before the next forward.
  std::vector<float>& parameters();
  void parameters_changed();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rnnlab
