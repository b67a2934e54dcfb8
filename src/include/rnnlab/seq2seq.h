// Encoder-decoder (Sutskever et al. 2014): an encoder reads a token sequence and hands its
// final state, layer by layer, to a decoder that emits a sequence of a different length.
// Training uses teacher forcing: the decoder reads [start, y_0 .. y_{L-2}] and predicts
// y_0 .. y_{L-1}. translate() decodes greedily; inspect() traces both stacks.
//
// Shapes (batch-major): src [B, Ts] ids in [0, input_vocab); tgt [B, Tt] ids in
// [0, output_vocab); mask [B, Tt] optional 0/1 weights for padded target steps.
// Source sequences of different lengths should be left-padded with a pad token, so that
// every row's last encoder step is a real token.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "rnnlab/config.h"
#include "rnnlab/model.h"  // LayerTrace
#include "rnnlab/tensor.h"
#include "rnnlab/train.h"

namespace rnnlab {

// What Seq2Seq::inspect returns (all batch-major). B = batch, Ts = source steps, Tt = target
// steps, V = output_vocab. Each layer trace is as in Model::inspect.
struct Seq2SeqInspection {
  int batch = 0, source_steps = 0, target_steps = 0;
  float loss = 0.0f;              // mean cross-entropy of `target` (teacher forcing), as evaluate()
  std::vector<float> output;      // [B, Tt, V] the decoder's output probabilities
  std::vector<int32_t> target;    // [B, Tt] the ids scored: the given target, or the greedy
                                  // translation with -1 after each row's stop token
  std::vector<LayerTrace> encoder;  // per layer, bottom first, over the Ts source steps
  std::vector<LayerTrace> decoder;  // per layer, bottom first, over the Tt target steps
};

class Seq2Seq {
 public:
  explicit Seq2Seq(const Seq2SeqConfig& config);
  // As Model(config, weights): exactly these weights, no initialisation drawn.
  Seq2Seq(const Seq2SeqConfig& config, const std::vector<NamedTensor>& weights);
  ~Seq2Seq();
  Seq2Seq(Seq2Seq&&) noexcept;
  Seq2Seq& operator=(Seq2Seq&&) noexcept;

  const Seq2SeqConfig& config() const;
  size_t parameter_count() const;

  // One optimizer step (tbptt and stateful options do not apply and are rejected).
  TrainResult train_batch(const int32_t* src, int batch, int src_steps, const int32_t* tgt,
                          int tgt_steps, const float* mask, const TrainOptions& options);
  float evaluate(const int32_t* src, int batch, int src_steps, const int32_t* tgt, int tgt_steps,
                 const float* mask);
  float compute_gradients(const int32_t* src, int batch, int src_steps, const int32_t* tgt,
                          int tgt_steps, const float* mask, std::vector<float>& grads);

  // Greedy decoding of each source row: [batch, max_length] ids; after a row emits
  // stop_token (if >= 0) the rest of its row is -1.
  std::vector<int32_t> translate(const int32_t* src, int batch, int src_steps, int max_length,
                                 int stop_token = -1);

  // Forward and backward over one batch (no update, no dropout), returning the loss, the
  // decoder's probabilities and per layer of both stacks the states, gates and per-step
  // ||dL/dh_t||. With a target the loss is evaluate()'s and the gradient that of training
  // (teacher forcing). Without one (tgt null, mask null) the target is the greedy
  // translation under `greedy` (Tt = the steps decoded; steps after a row's stop token are
  // masked out), so the gradient is that of its negative log-likelihood. The encoder's norms
  // include what reaches it from the decoder through the final state -> initial state bridge.
  Seq2SeqInspection inspect(const int32_t* src, int batch, int src_steps,
                            const int32_t* tgt = nullptr, int tgt_steps = 0,
                            const float* mask = nullptr, const TranslateOptions& greedy = {});

  // Names: encoder.embedding.weight, encoder.weight_ih_l0, ..., decoder.embedding.weight,
  // decoder.weight_ih_l0, ..., head.weight, head.bias.
  std::vector<NamedTensor> get_weights() const;
  void set_weights(const std::vector<NamedTensor>& weights, bool require_all = true);
  std::vector<float>& parameters();  // as Model::parameters()
  void parameters_changed();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rnnlab
