// Encoder-decoder over two RecurrentStacks and a softmax head.
#include "rnnlab/seq2seq.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "model/dense_head.h"
#include "model/init.h"
#include "model/recurrent_stack.h"
#include "rnnlab/error.h"
#include "train/loss.h"
#include "train/optimizer.h"
#include "train/update.h"

namespace rnnlab {
namespace {

int default_embedding(int requested, int vocab) {
  return requested > 0 ? requested : std::min(vocab, 64);
}

}  // namespace

void Seq2SeqConfig::validate() const {
  check_size(input_vocab, "inputVocab", 1 << 20);
  check_size(output_vocab, "outputVocab", 1 << 20);
  RNNLAB_REQUIRE(output_vocab >= 2, "outputVocab", "needs at least 2 tokens to choose from");
  if (embedding_size != 0) check_size(embedding_size, "embeddingSize");
  RNNLAB_REQUIRE(!hidden_sizes.empty() && hidden_sizes.size() <= 16, "hiddenSize",
                 "needs between 1 and 16 layers");
  for (int h : hidden_sizes) check_size(h, "hiddenSize", 8192);
  RNNLAB_REQUIRE(std::isfinite(dropout) && dropout >= 0.0f && dropout < 1.0f, "dropout",
                 "must be in [0, 1)");
  // Parameter count in 64 bits before anything is allocated.
  int64_t g = cell == CellType::kLstm ? 4 : cell == CellType::kGru ? 3 : 1;
  int64_t n = 0;
  for (int side = 0; side < 2; ++side) {
    int vocab = side == 0 ? input_vocab : output_vocab + 1;
    int64_t in = default_embedding(embedding_size, side == 0 ? input_vocab : output_vocab);
    n += vocab * in;
    for (int h : hidden_sizes) n += g * h * (in + h + 2), in = h;
  }
  n += static_cast<int64_t>(output_vocab) * (hidden_sizes.back() + 1);
  RNNLAB_REQUIRE(n <= kMaxParameters, "hiddenSize",
                 "the model would have " + std::to_string(n) + " parameters, above the cap of " +
                     std::to_string(kMaxParameters),
                 ErrorCode::kTooLarge);
}

struct Seq2Seq::Impl {
  explicit Impl(const Seq2SeqConfig& c);

  Seq2SeqConfig cfg;
  Parameters params;
  std::unique_ptr<RecurrentStack> encoder, decoder;
  int head_w = -1, head_b = -1;
  Optimizer opt;
  std::vector<float> backup;

  std::vector<int32_t> dec_in, tgt_tm;  // [B, Tt] decoder input, [Tt*B] targets
  Buffer w_tm, logits, dlogits, dhead;
  std::vector<Buffer> h_state, c_state;  // decoding state per layer
  std::vector<const float*> h0, c0, dh_last, dc_last;

  int H() const { return cfg.hidden_sizes.back(); }
  void stage(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt, const float* mask);
  void forward(bool training);
  double loss(bool want_grad);
  void backward();
};

Seq2Seq::Impl::Impl(const Seq2SeqConfig& c) : cfg(c) {
  cfg.validate();
  StackConfig enc;
  enc.cell = cfg.cell;
  enc.gru_variant = cfg.gru_variant;
  enc.input_encoding = InputEncoding::kEmbedding;
  enc.hidden_sizes = cfg.hidden_sizes;
  enc.dropout = cfg.dropout;
  StackConfig dec = enc;
  enc.vocab_size = cfg.input_vocab;
  enc.embedding_size = default_embedding(cfg.embedding_size, cfg.input_vocab);
  dec.vocab_size = cfg.output_vocab + 1;  // + the start token
  dec.embedding_size = default_embedding(cfg.embedding_size, cfg.output_vocab);
  encoder = std::make_unique<RecurrentStack>(enc, params, "encoder.");
  decoder = std::make_unique<RecurrentStack>(dec, params, "decoder.");
  head_w = params.declare("head.weight", {cfg.output_vocab, H()});
  head_b = params.declare("head.bias", {cfg.output_vocab});
  params.allocate();
  Rng rng(cfg.seed);
  encoder->init_weights(rng);
  decoder->init_weights(rng);
  glorot_uniform(rng, cfg.output_vocab, H(), params.value(head_w), H());
  encoder->seed_dropout(cfg.seed);
  decoder->seed_dropout(cfg.seed + 1);
  size_t L = cfg.hidden_sizes.size();
  h_state.resize(L), c_state.resize(L);
  h0.resize(L), c0.resize(L), dh_last.resize(L), dc_last.resize(L);
}

void Seq2Seq::Impl::stage(const int32_t* src, int B, int Ts, const int32_t* tgt, int Tt,
                          const float* mask) {
  RNNLAB_REQUIRE(src != nullptr, "x", "needs source token ids [batch, steps]", ErrorCode::kShapeMismatch);
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
  const int rows = decoder->steps() * decoder->batch(), O = cfg.output_vocab;
  logits.ensure(static_cast<size_t>(rows) * O);
  dense_forward(kernels::active(), decoder->top().outputs(), rows, H(), O, params.value(head_w),
                params.value(head_b), logits.data());
}

double Seq2Seq::Impl::loss(bool want_grad) {
  const int rows = decoder->steps() * decoder->batch(), O = cfg.output_vocab;
  if (want_grad) dlogits.ensure(static_cast<size_t>(rows) * O);
  return cross_entropy_loss(logits.data(), tgt_tm.data(), w_tm.data(), rows, O,
                            want_grad ? dlogits.data() : nullptr)
      .mean;
}

void Seq2Seq::Impl::backward() {
  const int rows = decoder->steps() * decoder->batch(), O = cfg.output_vocab;
  dhead.ensure(static_cast<size_t>(rows) * H());
  dense_backward(kernels::active(), decoder->top().outputs(), dlogits.data(), rows, H(), O,
                 params.value(head_w), params.grad(head_w), params.grad(head_b), dhead.data());
  decoder->backward(dhead.data(), nullptr, nullptr, nullptr);
  // The decoder's gradient on its initial state is the encoder's on its final state.
  const bool lstm = cfg.cell == CellType::kLstm;
  for (size_t l = 0; l < decoder->depth(); ++l)
    dh_last[l] = decoder->layer(l).dh0(), dc_last[l] = lstm ? decoder->layer(l).dc0() : nullptr;
  encoder->backward(nullptr, &dh_last, &dc_last, nullptr);
}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Seq2Seq::~Seq2Seq() = default;
Seq2Seq::Seq2Seq(Seq2Seq&&) noexcept = default;
Seq2Seq& Seq2Seq::operator=(Seq2Seq&&) noexcept = default;
const Seq2SeqConfig& Seq2Seq::config() const { return impl_->cfg; }
size_t Seq2Seq::parameter_count() const { return impl_->params.count(); }
std::vector<float>& Seq2Seq::parameters() {
  impl_->params.touch();
  return impl_->params.values();
}
void Seq2Seq::parameters_changed() { impl_->params.touch(); }
std::vector<NamedTensor> Seq2Seq::get_weights() const { return impl_->params.export_named(); }
void Seq2Seq::set_weights(const std::vector<NamedTensor>& w, bool require_all) {
  impl_->params.import_named(w, require_all);
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
  check_finite_loss(loss, m.opt.steps());
  m.params.zero_grads();
  m.backward();
  UpdateResult u = apply_update(m.params, m.opt, options, m.backup);
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
  Impl& m = *impl_;
  RNNLAB_REQUIRE(src != nullptr, "x", "needs source token ids [batch, steps]", ErrorCode::kShapeMismatch);
  RNNLAB_REQUIRE(max_length >= 1 && max_length <= 1 << 16, "maxLength",
                 "must be between 1 and 65536, got " + std::to_string(max_length));
  RNNLAB_REQUIRE(stop_token < m.cfg.output_vocab, "stopToken",
                 "must be -1 (none) or a token id below outputVocab");
  m.encoder->stage(Input::tokens(src, B, Ts), 2 * m.H());
  m.encoder->forward(0, Ts, false, nullptr, nullptr);
  const size_t L = m.encoder->depth();
  for (size_t l = 0; l < L; ++l) {
    size_t n = static_cast<size_t>(B) * m.encoder->layer(l).hidden();
    m.h_state[l].ensure(n), m.c_state[l].ensure(n);
    std::memcpy(m.h_state[l].data(), m.encoder->layer(l).h(Ts), n * sizeof(float));
    if (m.cfg.cell == CellType::kLstm)
      std::memcpy(m.c_state[l].data(), m.encoder->layer(l).c(Ts), n * sizeof(float));
    m.h0[l] = m.h_state[l].data(), m.c0[l] = m.c_state[l].data();
  }
  const int O = m.cfg.output_vocab;
  std::vector<int32_t> out(static_cast<size_t>(B) * max_length, -1), token(B, m.cfg.start_token());
  std::vector<bool> done(B, false);
  m.logits.ensure(static_cast<size_t>(B) * O);
  const bool lstm = m.cfg.cell == CellType::kLstm;
  for (int s = 0; s < max_length; ++s) {
    m.decoder->stage(Input::tokens(token.data(), B, 1), 2 * m.H());
    m.decoder->forward(0, 1, false, &m.h0, lstm ? &m.c0 : nullptr);
    for (size_t l = 0; l < L; ++l) {
      size_t n = static_cast<size_t>(B) * m.decoder->layer(l).hidden();
      std::memcpy(m.h_state[l].data(), m.decoder->layer(l).h(1), n * sizeof(float));
      if (lstm) std::memcpy(m.c_state[l].data(), m.decoder->layer(l).c(1), n * sizeof(float));
    }
    dense_forward(kernels::active(), m.decoder->top().outputs(), B, m.H(), O,
                  m.params.value(m.head_w), m.params.value(m.head_b), m.logits.data());
    bool all_done = true;
    for (int b = 0; b < B; ++b) {
      const float* z = m.logits.data() + static_cast<size_t>(b) * O;
      int32_t best = static_cast<int32_t>(std::max_element(z, z + O) - z);
      token[b] = best;
      if (!done[b]) out[static_cast<size_t>(b) * max_length + s] = best;
      if (best == stop_token) done[b] = true;
      all_done = all_done && done[b];
    }
    if (all_done) break;
  }
  return out;
}

}  // namespace rnnlab
