// Encoder-decoder (Sutskever et al. 2014): an encoder reads a token sequence and hands its
// final state, layer by layer, to a decoder that emits a sequence of a different length.
// Training uses teacher forcing: the decoder reads [start, y_0 .. y_{L-2}] and predicts
// y_0 .. y_{L-1}. translate() decodes greedily.
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
#include "rnnlab/tensor.h"
#include "rnnlab/train.h"

namespace rnnlab {

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
