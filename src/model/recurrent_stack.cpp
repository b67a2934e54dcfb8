#include "model/recurrent_stack.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "core/cold.h"
#include "core/require.h"
#include "rnnlab/error.h"

namespace rnnlab {

StackConfig StackConfig::from(const ModelConfig& c) {
  StackConfig s;
  s.cell = c.cell;
  s.gru_variant = c.gru_variant;
  s.input_encoding = c.input_encoding;
  s.input_size = c.input_size;
  s.vocab_size = c.vocab_size;
  s.embedding_size = c.input_encoding == InputEncoding::kEmbedding ? c.layer0_input_size() : 0;
  s.hidden_sizes = c.hidden_sizes;
  s.dropout = c.dropout;
  return s;
}

int StackConfig::layer0_input_size() const {
  switch (input_encoding) {
    case InputEncoding::kOneHot: return vocab_size;
    case InputEncoding::kEmbedding: return embedding_size;
    default: return input_size;
  }
}

RNNLAB_COLD RecurrentStack::RecurrentStack(const StackConfig& config, Parameters& params,
                                           const std::string& prefix)
    : cfg_(config), params_(params), dropout_rng_(0, 7) {
  if (cfg_.input_encoding == InputEncoding::kEmbedding)
    emb_ = params.declare(prefix + "embedding.weight", {cfg_.vocab_size, cfg_.embedding_size});
  int in = cfg_.layer0_input_size();
  for (size_t l = 0; l < cfg_.hidden_sizes.size(); ++l) {
    layers_.push_back(RecurrentLayer::create(cfg_.cell, cfg_.gru_variant, in,
                                             cfg_.hidden_sizes[l], params, prefix,
                                             static_cast<int>(l)));
    in = cfg_.hidden_sizes[l];
  }
  size_t L = layers_.size();
  masks_.resize(L), dropped_.resize(L), dx_.resize(L);
}

RNNLAB_COLD void RecurrentStack::init_weights(Rng& rng) {
  if (emb_ >= 0) {
    float* e = params_.value(emb_);  // N(0, 1), as torch.nn.Embedding
    for (size_t i = 0; i < params_.info(emb_).size; ++i) e[i] = static_cast<float>(rng.normal());
  }
  for (auto& layer : layers_) layer->init_weights(rng);
}

void RecurrentStack::stage(const Input& x, int extra_rows_width) {
  RNNLAB_REQUIRE(x.batch >= 1, "x", "batch size must be >= 1, got " + std::to_string(x.batch),
                 ErrorCode::kShapeMismatch);
  RNNLAB_REQUIRE(x.steps >= 1, "x",
                 "sequence length must be >= 1, got " + std::to_string(x.steps),
                 ErrorCode::kShapeMismatch);
  int widest = 0;
  for (auto& l : layers_) widest = std::max(widest, l->gates() * l->hidden());
  RNNLAB_REQUIRE(
      static_cast<int64_t>(x.batch) * x.steps * (2 * widest + extra_rows_width) <= kMaxActivations,
      "x",
      "batch " + std::to_string(x.batch) + " x " + std::to_string(x.steps) +
          " steps needs more activation memory than the cap; use smaller batches or tbptt",
      ErrorCode::kTooLarge);
  const int B = x.batch, T = x.steps;
  const size_t rows = static_cast<size_t>(B) * T;
  if (cfg_.token_input()) {
    RNNLAB_REQUIRE(x.ids != nullptr, "x",
                   "this model takes token ids (vocabSize is set): pass integer ids [batch, steps]",
                   ErrorCode::kShapeMismatch);
    // Validate everything before changing any state.
    for (size_t i = 0; i < rows; ++i) {
      int32_t id = x.ids[i];
      RNNLAB_REQUIRE(id >= 0 && id < cfg_.vocab_size, "x",
                     "token id " + std::to_string(id) + " at [" + std::to_string(i / T) + ", " +
                         std::to_string(i % T) + "] is outside [0, " +
                         std::to_string(cfg_.vocab_size) + ")");
    }
    B_ = B, T_ = T;
    ids_tm_.resize(rows);
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < T; ++t) ids_tm_[static_cast<size_t>(t) * B + b] = x.ids[static_cast<size_t>(b) * T + t];
    if (emb_ >= 0) {
      const int E = cfg_.embedding_size;
      emb_out_.ensure(rows * E);
      const float* table = params_.value(emb_);
      for (size_t r = 0; r < rows; ++r)
        std::memcpy(emb_out_.data() + r * E, table + static_cast<size_t>(ids_tm_[r]) * E,
                    E * sizeof(float));
    }
    return;
  }
  RNNLAB_REQUIRE(x.x != nullptr, "x",
                 "this model takes real-valued features [batch, steps, inputSize], not token ids",
                 ErrorCode::kShapeMismatch);
  const int I = cfg_.input_size;
  for (size_t i = 0; i < rows * I; ++i)
    RNNLAB_REQUIRE(std::isfinite(x.x[i]), "x",
                   "contains " + std::string(std::isnan(x.x[i]) ? "NaN" : "Infinity") +
                       " at flat index " + std::to_string(i),
                   ErrorCode::kNonFiniteData);
  B_ = B, T_ = T;
  x_tm_.ensure(rows * I);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      std::memcpy(x_tm_.data() + (static_cast<size_t>(t) * B + b) * I,
                  x.x + (static_cast<size_t>(b) * T + t) * I, I * sizeof(float));
}

void RecurrentStack::forward(int t0, int Tc, bool training, const std::vector<const float*>* h0,
                             const std::vector<const float*>* c0) {
  chunk_t0_ = t0;
  chunk_T_ = Tc;
  const size_t rows = static_cast<size_t>(Tc) * B_;
  dropout_active_ = training && cfg_.dropout > 0.0f;
  LayerInput in;
  if (cfg_.input_encoding == InputEncoding::kOneHot) in.ids = ids_tm_.data() + static_cast<size_t>(t0) * B_;
  else if (emb_ >= 0) in.x = emb_out_.data() + static_cast<size_t>(t0) * B_ * cfg_.embedding_size;
  else in.x = x_tm_.data() + static_cast<size_t>(t0) * B_ * cfg_.input_size;
  const float keep_scale = 1.0f / (1.0f - cfg_.dropout);
  for (size_t l = 0; l < layers_.size(); ++l) {
    if (l > 0) {
      in = LayerInput{layers_[l - 1]->outputs(), nullptr};
      if (dropout_active_) {
        // Inverted dropout between layers (as torch.nn.LSTM's dropout argument).
        size_t n = rows * layers_[l - 1]->hidden();
        masks_[l].ensure(n);
        dropped_[l].ensure(n);
        float* m = masks_[l].data();
        float* d = dropped_[l].data();
        for (size_t i = 0; i < n; ++i) {
          m[i] = dropout_rng_.uniform() < cfg_.dropout ? 0.0f : keep_scale;
          d[i] = in.x[i] * m[i];
        }
        in.x = d;
      }
    }
    layers_[l]->forward(in, B_, Tc, h0 ? (*h0)[l] : nullptr, c0 ? (*c0)[l] : nullptr);
  }
}

void RecurrentStack::backward(const float* dh_top, const std::vector<const float*>* dh_last,
                              const std::vector<const float*>* dc_last,
                              std::vector<float>* grad_norms, float* input_grad) {
  const size_t L = layers_.size();
  const size_t rows = static_cast<size_t>(chunk_T_) * B_;
  if (grad_norms) grad_norms->assign(L * chunk_T_, 0.0f);
  for (size_t li = L; li-- > 0;) {
    const float* dh_out = li == L - 1 ? dh_top : dx_[li + 1].data();
    float* dxl = nullptr;
    if (li > 0) {
      dx_[li].ensure(rows * layers_[li - 1]->hidden());
      dxl = dx_[li].data();
    } else if (emb_ >= 0) {
      demb_.ensure(rows * cfg_.embedding_size);
      dxl = demb_.data();
    } else if (input_grad && !cfg_.token_input()) {
      dxl = input_grad;
    }
    layers_[li]->backward(dh_out, dh_last ? (*dh_last)[li] : nullptr,
                          dc_last ? (*dc_last)[li] : nullptr, dxl,
                          grad_norms ? grad_norms->data() + li * chunk_T_ : nullptr);
    if (li > 0 && dropout_active_) {
      const float* m = masks_[li].data();
      for (size_t i = 0, e = rows * layers_[li - 1]->hidden(); i < e; ++i) dxl[i] *= m[i];
    }
  }
  if (emb_ >= 0) {
    const int E = cfg_.embedding_size;
    float* g = params_.grad(emb_);
    const int32_t* ids = ids_tm_.data() + static_cast<size_t>(chunk_t0_) * B_;
    for (size_t r = 0; r < rows; ++r) {
      float* row = g + static_cast<size_t>(ids[r]) * E;
      const float* src = demb_.data() + r * E;
      for (int e = 0; e < E; ++e) row[e] += src[e];
    }
  }
}

RNNLAB_COLD std::vector<LayerTrace> RecurrentStack::trace(
    const std::vector<float>& grad_norms) const {
  const int B = B_, T = chunk_T_;
  std::vector<LayerTrace> out;
  out.reserve(layers_.size());
  for (size_t l = 0; l < layers_.size(); ++l) {
    const RecurrentLayer& layer = *layers_[l];
    const int H = layer.hidden(), GH = layer.gates() * H;
    LayerTrace tr;
    tr.hidden = H;
    tr.h.resize(static_cast<size_t>(B) * T * H);
    tr.gates.resize(static_cast<size_t>(B) * T * GH);
    if (layer.has_cell_state()) tr.c.resize(tr.h.size());
    for (int t = 0; t < T; ++t)
      for (int b = 0; b < B; ++b) {
        size_t dst = static_cast<size_t>(b) * T + t;
        const size_t state = static_cast<size_t>(b) * H;
        std::memcpy(tr.h.data() + dst * H, layer.h(t + 1) + state, H * sizeof(float));
        if (layer.has_cell_state())
          std::memcpy(tr.c.data() + dst * H, layer.c(t + 1) + state, H * sizeof(float));
        // A plain RNN keeps pre-activations in its gate buffer; its one "gate" is h itself.
        const float* g = layer.gates() == 1
                             ? layer.h(t + 1) + state
                             : layer.gate_activations() + (static_cast<size_t>(t) * B + b) * GH;
        std::memcpy(tr.gates.data() + dst * GH, g, GH * sizeof(float));
      }
    tr.grad_norm.assign(grad_norms.begin() + l * T, grad_norms.begin() + (l + 1) * T);
    out.push_back(std::move(tr));
  }
  return out;
}

}  // namespace rnnlab
