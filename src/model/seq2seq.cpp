// Encoder-decoder over two RecurrentStacks and a softmax head.
#include "rnnlab/seq2seq.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/require.h"
#include "model/carried_state.h"
#include "model/network.h"
#include "model/recurrent_stack.h"
#include "rnnlab/error.h"
#include "train/loss.h"

namespace rnnlab {
struct Seq2Seq::Impl : Network {
  explicit Impl(const Seq2SeqConfig& c, const std::vector<NamedTensor>* weights = nullptr);  // as Model::Impl

  Seq2SeqConfig cfg;
  std::unique_ptr<RecurrentStack> encoder, decoder;

  std::vector<int32_t> dec_in, tgt_tm;  // [B, Tt] decoder input, [Tt*B] targets
  Buffer w_tm, logits, dlogits, dhead;
  Buffer probs, greedy_mask;  // inspect(): [Tt*B, V] probabilities, [B, Tt] weights
  CarriedState state;  // while decoding: the decoder's state, starting at the encoder's
  std::vector<const float*> h0, c0, dh_last, dc_last;

  int H() const { return cfg.hidden_sizes.back(); }
  void stage(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt, const float* mask);
  void forward(bool training);
  // probs, if given, receives the softmax [Tt*B, V] of the last forward.
  double loss(bool want_grad, float* probs = nullptr);
  // enc_norms / dec_norms, if given, receive [L][Ts] / [L][Tt] per-step ||dL/dh_t||.
  void backward(std::vector<float>* enc_norms = nullptr, std::vector<float>* dec_norms = nullptr);
  // Greedy decoding into out [B, max_length] (-1 after a row's stop token); returns the
  // steps decoded (fewer than max_length when every row stopped).
  int greedy(const int32_t* src, int B, int Ts, const TranslateOptions& o, std::vector<int32_t>& out);
};

Seq2Seq::Impl::Impl(const Seq2SeqConfig& c, const std::vector<NamedTensor>* weights) : cfg(c) {
  cfg.validate();
  StackConfig enc;
  enc.cell = cfg.cell;
  enc.gru_variant = cfg.gru_variant;
  enc.input_encoding = InputEncoding::kEmbedding;
  enc.hidden_sizes = cfg.hidden_sizes;
  enc.dropout = cfg.dropout;
  StackConfig dec = enc;
  enc.vocab_size = cfg.input_vocab;
  enc.embedding_size = resolved_embedding_size(cfg.embedding_size, cfg.input_vocab);
  dec.vocab_size = cfg.output_vocab + 1;  // + the start token
  dec.embedding_size = resolved_embedding_size(cfg.embedding_size, cfg.output_vocab);
  encoder = std::make_unique<RecurrentStack>(enc, params, "encoder.");
  decoder = std::make_unique<RecurrentStack>(dec, params, "decoder.");
  declare_head(cfg.output_vocab, H());
  if (weights) params.check_named(*weights, /*require_all=*/true);
  params.allocate();
  if (weights) {
    params.copy_checked(*weights);  // checked above, before allocate()
  } else {
    Rng rng(cfg.seed);
    encoder->init_weights(rng);
    decoder->init_weights(rng);
    init_head(rng);
  }
  encoder->seed_dropout(cfg.seed);
  decoder->seed_dropout(cfg.seed + 1);
  size_t L = cfg.hidden_sizes.size();
  state.resize(L);
  h0.resize(L), c0.resize(L), dh_last.resize(L), dc_last.resize(L);
}

void Seq2Seq::Impl::stage(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt,
                          const float* mask) {
  RNNLAB_REQUIRE(src != nullptr, "x", "needs source token ids [batch, steps]", ErrorCode::kShapeMismatch);
  RNNLAB_REQUIRE(B >= 1, "x", "batch size must be >= 1, got " + std::to_string(B),
                 ErrorCode::kShapeMismatch);
  RNNLAB_REQUIRE(tgt != nullptr, "y", "needs target token ids [batch, steps]", ErrorCode::kShapeMismatch);
  RNNLAB_REQUIRE(Tt >= 1, "y", "target sequences need at least one step", ErrorCode::kShapeMismatch);
  const size_t n = static_cast<size_t>(B) * Tt;
  for (size_t i = 0; i < n; ++i) {
    bool padded = mask && mask[i] == 0.0f;
    RNNLAB_REQUIRE(padded || (tgt[i] >= 0 && tgt[i] < cfg.output_vocab), "y",
                   "token id " + std::to_string(tgt[i]) + " at flat index " + std::to_string(i) +
                       " is outside [0, " + std::to_string(cfg.output_vocab) + ")");
    if (mask)
      RNNLAB_REQUIRE(std::isfinite(mask[i]) && mask[i] >= 0.0f, "mask",
                     "weights must be finite and >= 0", ErrorCode::kNonFiniteData);
  }
  // Teacher forcing: the decoder reads the start token, then the target shifted right.
  dec_in.resize(n);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < Tt; ++t) {
      size_t i = static_cast<size_t>(b) * Tt + t;
      int32_t prev = t == 0 ? cfg.start_token() : tgt[i - 1];
      bool prev_padded = t > 0 && mask && mask[i - 1] == 0.0f;
      dec_in[i] = prev_padded ? cfg.start_token() : prev;
    }
  encoder->stage(Input::tokens(src, B, Ts), 2 * H());
  decoder->stage(Input::tokens(dec_in.data(), B, Tt), 2 * H() + 2 * cfg.output_vocab);
  tgt_tm.resize(n);
  w_tm.ensure(n);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < Tt; ++t) {
      size_t src_i = static_cast<size_t>(b) * Tt + t, dst = static_cast<size_t>(t) * B + b;
      bool padded = mask && mask[src_i] == 0.0f;
      tgt_tm[dst] = padded ? 0 : tgt[src_i];
      w_tm.data()[dst] = mask ? mask[src_i] : 1.0f;
    }
}

void Seq2Seq::Impl::forward(bool training) {
  encoder->forward(0, encoder->steps(), training, nullptr, nullptr);
  const int Ts = encoder->steps();
  const bool lstm = cfg.cell == CellType::kLstm;
  for (size_t l = 0; l < encoder->depth(); ++l)
    h0[l] = encoder->layer(l).h(Ts), c0[l] = lstm ? encoder->layer(l).c(Ts) : nullptr;
  decoder->forward(0, decoder->steps(), training, &h0, lstm ? &c0 : nullptr);
  const int rows = decoder->steps() * decoder->batch();
  logits.ensure(static_cast<size_t>(rows) * cfg.output_vocab);
  head_forward(decoder->top().outputs(), rows, logits.data());
}

double Seq2Seq::Impl::loss(bool want_grad, float* probs) {
  const int rows = decoder->steps() * decoder->batch(), O = cfg.output_vocab;
  if (want_grad) dlogits.ensure(static_cast<size_t>(rows) * O);
  return cross_entropy_loss(logits.data(), tgt_tm.data(), w_tm.data(), rows, O,
                            want_grad ? dlogits.data() : nullptr, probs)
      .mean;
}

void Seq2Seq::Impl::backward(std::vector<float>* enc_norms, std::vector<float>* dec_norms) {
  const int rows = decoder->steps() * decoder->batch();
  dhead.ensure(static_cast<size_t>(rows) * H());
  head_backward(decoder->top().outputs(), dlogits.data(), rows, dhead.data());
  decoder->backward(dhead.data(), nullptr, nullptr, dec_norms);
  // The decoder's gradient on its initial state is the encoder's on its final state.
  const bool lstm = cfg.cell == CellType::kLstm;
  for (size_t l = 0; l < decoder->depth(); ++l)
    dh_last[l] = decoder->layer(l).dh0(), dc_last[l] = lstm ? decoder->layer(l).dc0() : nullptr;
  encoder->backward(nullptr, &dh_last, &dc_last, enc_norms);
}

int Seq2Seq::Impl::greedy(const int32_t* src, int B, int Ts, const TranslateOptions& options,
                          std::vector<int32_t>& out) {
  RNNLAB_REQUIRE(src != nullptr, "x", "needs source token ids [batch, steps]", ErrorCode::kShapeMismatch);
  options.validate();
  const int max_length = options.max_length, stop_token = options.stop_token;
  RNNLAB_REQUIRE(stop_token < cfg.output_vocab, "stop_token",
                 "must be -1 (none) or a token id below output_vocab");
  encoder->stage(Input::tokens(src, B, Ts), 2 * H());
  encoder->forward(0, Ts, false, nullptr, nullptr);
  state.capture(*encoder, Ts);
  const int O = cfg.output_vocab;
  out.assign(static_cast<size_t>(B) * max_length, -1);
  std::vector<int32_t> token(B, cfg.start_token());
  std::vector<bool> done(B, false);
  logits.ensure(static_cast<size_t>(B) * O);
  const bool lstm = cfg.cell == CellType::kLstm;
  for (int s = 0; s < max_length; ++s) {
    decoder->stage(Input::tokens(token.data(), B, 1), 2 * H());
    decoder->forward(0, 1, false, state.h0(), lstm ? state.c0() : nullptr);
    state.capture(*decoder, 1);
    head_forward(decoder->top().outputs(), B, logits.data());
    bool all_done = true;
    for (int b = 0; b < B; ++b) {
      const float* z = logits.data() + static_cast<size_t>(b) * O;
      int32_t best = static_cast<int32_t>(std::max_element(z, z + O) - z);
      token[b] = best;
      if (!done[b]) out[static_cast<size_t>(b) * max_length + s] = best;
      if (best == stop_token) done[b] = true;
      all_done = all_done && done[b];
    }
    if (all_done) return s + 1;
  }
  return max_length;
}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Seq2Seq::Seq2Seq(const Seq2SeqConfig& config, const std::vector<NamedTensor>& weights)
    : impl_(std::make_unique<Impl>(config, &weights)) {}
Seq2Seq::~Seq2Seq() = default;
Seq2Seq::Seq2Seq(Seq2Seq&&) noexcept = default;
Seq2Seq& Seq2Seq::operator=(Seq2Seq&&) noexcept = default;
const Seq2SeqConfig& Seq2Seq::config() const { return impl_->cfg; }
size_t Seq2Seq::parameter_count() const { return impl_->params.count(); }
std::vector<float>& Seq2Seq::parameters() { return impl_->values_for_writing(); }
void Seq2Seq::parameters_changed() { impl_->params.touch(); }
std::vector<NamedTensor> Seq2Seq::get_weights() const { return impl_->get_weights(); }
void Seq2Seq::set_weights(const std::vector<NamedTensor>& w, bool require_all) {
  impl_->set_weights(w, require_all);
}

TrainResult Seq2Seq::train_batch(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt,
                                 const float* mask, const TrainOptions& options) {
  Impl& m = *impl_;
  options.validate();
  RNNLAB_REQUIRE(options.tbptt == 0, "tbptt", "does not apply to encoder-decoder models");
  RNNLAB_REQUIRE(!options.stateful, "stateful", "does not apply to encoder-decoder models");
  RNNLAB_REQUIRE(options.loss == LossType::kAuto || options.loss == LossType::kCrossEntropy,
                 "loss", "an encoder-decoder model trains with 'crossentropy'");
  m.stage(src, B, Ts, tgt, Tt, mask);
  m.opt.configure(options.optimizer, m.params.count());
  m.forward(true);
  double loss = m.loss(true);
  UpdateResult u = m.train_step(loss, options, [&] { m.backward(); });
  TrainResult r;
  r.loss = static_cast<float>(loss);
  r.grad_norm = u.grad_norm;
  r.lr = u.lr;
  r.steps = 1;
  return r;
}

float Seq2Seq::evaluate(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt,
                        const float* mask) {
  impl_->stage(src, B, Ts, tgt, Tt, mask);
  impl_->forward(false);
  return static_cast<float>(impl_->loss(false));
}

float Seq2Seq::compute_gradients(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt,
                                 const float* mask, std::vector<float>& grads) {
  Impl& m = *impl_;
  m.stage(src, B, Ts, tgt, Tt, mask);
  m.forward(false);
  double loss = m.loss(true);
  m.params.zero_grads();
  m.backward();
  grads = m.params.grads();
  return static_cast<float>(loss);
}

std::vector<int32_t> Seq2Seq::translate(const int32_t* src, int B, int Ts, int max_length,
                                        int stop_token) {
  TranslateOptions options;
  options.max_length = max_length, options.stop_token = stop_token;
  std::vector<int32_t> out;
  impl_->greedy(src, B, Ts, options, out);
  return out;
}

Seq2SeqInspection Seq2Seq::inspect(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt,
                                   const float* mask, const TranslateOptions& greedy) {
  Impl& m = *impl_;
  Seq2SeqInspection ins;
  if (!tgt) {
    RNNLAB_REQUIRE(mask == nullptr, "mask",
                   "needs a target (without one, inspect scores the greedy translation)");
    // The greedy translation becomes the target: written into ins.target [B, max_length],
    // then compacted in place to the Tt steps decoded (row b moves to b * Tt, never later).
    const int L = greedy.max_length;
    Tt = m.greedy(src, B, Ts, greedy, ins.target);
    const size_t n = static_cast<size_t>(B) * Tt;
    m.greedy_mask.ensure(n);
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < Tt; ++t) {
        const size_t i = static_cast<size_t>(b) * Tt + t;
        ins.target[i] = ins.target[static_cast<size_t>(b) * L + t];
        m.greedy_mask.data()[i] = ins.target[i] < 0 ? 0.0f : 1.0f;  // after the stop token
      }
    ins.target.resize(n);
    tgt = ins.target.data();
    mask = m.greedy_mask.data();
  }
  m.stage(src, B, Ts, tgt, Tt, mask);
  if (ins.target.empty()) ins.target.assign(tgt, tgt + static_cast<size_t>(B) * Tt);
  m.forward(false);
  const int O = m.cfg.output_vocab;
  m.probs.ensure(static_cast<size_t>(Tt) * B * O);
  ins.loss = static_cast<float>(m.loss(true, m.probs.data()));
  std::vector<float> enc_norms, dec_norms;
  m.params.zero_grads();
  m.backward(&enc_norms, &dec_norms);
  m.params.zero_grads();

  ins.batch = B, ins.source_steps = Ts, ins.target_steps = Tt;
  ins.output.resize(static_cast<size_t>(B) * Tt * O);
  for (int t = 0; t < Tt; ++t)
    for (int b = 0; b < B; ++b)
      std::memcpy(ins.output.data() + (static_cast<size_t>(b) * Tt + t) * O,
                  m.probs.data() + (static_cast<size_t>(t) * B + b) * O, O * sizeof(float));
  ins.encoder = m.encoder->trace(enc_norms);
  ins.decoder = m.decoder->trace(dec_norms);
  return ins;
}

}  // namespace rnnlab
