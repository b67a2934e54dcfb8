// The recurrent body shared by Model and Seq2Seq: input encoding (features, embedding or
// one-hot) -> stacked recurrent layers with dropout between them. It stages a batch once
// (time-major) and then runs forward/backward over chunks of its steps, so truncated BPTT
// and encoder-decoder state hand-off are both plain calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cells/recurrent_layer.h"
#include "core/parameters.h"
#include "rnnlab/config.h"
#include "rnnlab/model.h"

namespace rnnlab {

struct StackConfig {
  CellType cell = CellType::kLstm;
  GruVariant gru_variant = GruVariant::kPyTorch;
  InputEncoding input_encoding = InputEncoding::kFeatures;
  int input_size = 1, vocab_size = 0, embedding_size = 0;  // embedding_size resolved (> 0)
  std::vector<int> hidden_sizes;
  float dropout = 0.0f;

  static StackConfig from(const ModelConfig& c);
  bool token_input() const { return input_encoding != InputEncoding::kFeatures; }
  int layer0_input_size() const;
};

class RecurrentStack {
 public:
  // Declares the parameters: "<prefix>embedding.weight", "<prefix>weight_ih_l0", ...
  RecurrentStack(const StackConfig& config, Parameters& params, const std::string& prefix);
  void init_weights(Rng& rng);  // call after params.allocate()

  // Validates and stages x time-major (also looks up embeddings). extra_rows_width: the
  // widest per-row activation the caller adds (for the activation-memory cap).
  void stage(const Input& x, int extra_rows_width = 0);
  int batch() const { return B_; }
  int steps() const { return T_; }

  // Forward over steps [t0, t0 + Tc) of the staged batch. h0/c0: per-layer [B, H] initial
  // states, or null for zeros.
  void forward(int t0, int Tc, bool training, const std::vector<const float*>* h0,
               const std::vector<const float*>* c0);
  // Backward over the last forward chunk. dh_top: dL/d(top outputs) [Tc*B, H_top] or null.
  // dh_last/dc_last: per-layer gradients on the final states (entries may be null).
  // grad_norms: if given, receives [L][Tc] per-step ||dL/dh_t||. input_grad: features only,
  // receives dL/dx [Tc*B, I] time-major.
  void backward(const float* dh_top, const std::vector<const float*>* dh_last,
                const std::vector<const float*>* dc_last, std::vector<float>* grad_norms,
                float* input_grad = nullptr);
  // What the last forward chunk did, per layer and batch-major (see LayerTrace), with the
  // per-step gradient norms [L][Tc] a backward over that chunk wrote (for inspect()).
  std::vector<LayerTrace> trace(const std::vector<float>& grad_norms) const;

  size_t depth() const { return layers_.size(); }
  RecurrentLayer& layer(size_t l) { return *layers_[l]; }
  const RecurrentLayer& layer(size_t l) const { return *layers_[l]; }
  RecurrentLayer& top() { return *layers_.back(); }
  const StackConfig& config() const { return cfg_; }
  // Time-major staged token ids [T*B] (token input).
  const int32_t* ids() const { return ids_tm_.data(); }
  void seed_dropout(uint64_t seed) { dropout_rng_.reseed(seed, 7); }

 private:
  StackConfig cfg_;
  Parameters& params_;
  int emb_ = -1;
  std::vector<std::unique_ptr<RecurrentLayer>> layers_;
  Rng dropout_rng_;

  int B_ = 0, T_ = 0, chunk_t0_ = 0, chunk_T_ = 0;
  bool dropout_active_ = false;
  Buffer x_tm_;                  // [T*B, I]
  std::vector<int32_t> ids_tm_;  // [T*B]
  Buffer emb_out_, demb_;        // [T*B, E]
  std::vector<Buffer> masks_, dropped_, dx_;  // index l: the input of layer l (l >= 1)
};

}  // namespace rnnlab
