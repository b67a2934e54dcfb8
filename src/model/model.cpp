// Model construction, staging of batches, the chunked forward/backward and training.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/require.h"
#include "model/model_impl.h"
#include "rnnlab/error.h"

namespace rnnlab {
namespace {

size_t first_non_finite(const float* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i])) return i;
  return n;
}

}  // namespace

Model::Impl::Impl(const ModelConfig& config, const std::vector<NamedTensor>* weights) : cfg(config) {
  cfg.validate();
  if (cfg.input_encoding == InputEncoding::kEmbedding && cfg.embedding_size == 0)
    cfg.embedding_size = cfg.layer0_input_size();
  stack = std::make_unique<RecurrentStack>(StackConfig::from(cfg), params, "");
  declare_head(cfg.output_size, top_hidden());
  if (weights) params.check_named(*weights, /*require_all=*/true);
  params.allocate();

  if (weights) {
    params.copy_checked(*weights);  // checked above, before allocate()
  } else {
    // One RNG stream in declaration order: same seed, same weights on every platform.
    Rng rng(cfg.seed);
    stack->init_weights(rng);
    init_head(rng);
  }
  stack->seed_dropout(cfg.seed);

  const size_t L = cfg.hidden_sizes.size();
  state.resize(L);
  dh_last_ptrs.assign(L, nullptr);
}

LossType Model::Impl::resolve_loss(LossType requested) const {
  bool softmax = cfg.head == HeadType::kSoftmax;
  if (requested == LossType::kAuto) return softmax ? LossType::kCrossEntropy : LossType::kMse;
  if (softmax)
    RNNLAB_REQUIRE(requested == LossType::kCrossEntropy, "loss",
            std::string("'") + to_string(requested) +
                "' needs a linear head; a softmax head trains with 'crossentropy'");
  else
    RNNLAB_REQUIRE(requested != LossType::kCrossEntropy, "loss",
            "'crossentropy' needs head: 'softmax'; a linear head trains with 'mse' or 'huber'");
  return requested;
}

void Model::Impl::stage_target(const Target& y) {
  const int O = cfg.output_size, B = this->B(), T = this->T();
  const int steps = last_only() ? 1 : T;
  const size_t rows = static_cast<size_t>(B) * steps;
  auto row_of = [&](int b, int t) { return static_cast<size_t>(t) * B + b; };
  has_mask = y.mask != nullptr;
  if (y.mask) {
    size_t bad = first_non_finite(y.mask, rows);
    RNNLAB_REQUIRE(bad == rows, "mask", "contains NaN or Infinity", ErrorCode::kNonFiniteData);
    w_tm.ensure(rows);
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < steps; ++t) {
        float w = y.mask[static_cast<size_t>(b) * steps + t];
        RNNLAB_REQUIRE(w >= 0.0f, "mask", "weights must be >= 0 (use 0 for padded steps, 1 otherwise)");
        w_tm.data()[row_of(b, t)] = w;
      }
  }
  if (cfg.head == HeadType::kSoftmax) {
    RNNLAB_REQUIRE(y.classes != nullptr, "y",
            "a softmax head needs integer class ids ([batch] or [batch, steps])",
            ErrorCode::kShapeMismatch);
    cls_tm.resize(rows);
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < steps; ++t) {
        size_t src = static_cast<size_t>(b) * steps + t;
        int32_t c = y.classes[src];
        bool masked_out = y.mask && y.mask[src] == 0.0f;
        if (masked_out) c = 0;  // padded steps may hold any id
        else if (c < 0 || c >= O)
          throw Error(ErrorCode::kInvalidConfig, "y",
                      "class id " + std::to_string(c) + " at flat index " + std::to_string(src) +
                          " is outside [0, " + std::to_string(O) + ")");
        cls_tm[row_of(b, t)] = c;
      }
    return;
  }
  RNNLAB_REQUIRE(y.y != nullptr, "y", "a linear head needs real-valued targets shaped like the output",
          ErrorCode::kShapeMismatch);
  size_t bad = first_non_finite(y.y, rows * O);
  if (bad < rows * O)
    throw Error(ErrorCode::kNonFiniteData, "y",
                "contains " + std::string(std::isnan(y.y[bad]) ? "NaN" : "Infinity") +
                    " at flat index " + std::to_string(bad));
  y_tm.ensure(rows * O);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < steps; ++t)
      std::memcpy(y_tm.data() + row_of(b, t) * O, y.y + (static_cast<size_t>(b) * steps + t) * O,
                  O * sizeof(float));
}

const float* Model::Impl::head_input() const {
  const RecurrentLayer& top = stack->layer(stack->depth() - 1);
  return last_only() ? top.h(chunk_T) : top.outputs();
}

void Model::Impl::forward_chunk(int t0, int Tc, bool training, bool from_state) {
  chunk_t0 = t0;
  chunk_T = Tc;
  const bool use_state = from_state && state.batch() == B();
  stack->forward(t0, Tc, training, use_state ? state.h0() : nullptr, use_state ? state.c0() : nullptr);
  const int n = head_rows(Tc);
  logits.ensure(static_cast<size_t>(n) * cfg.output_size);
  head_forward(head_input(), n, logits.data());
}

LossValue Model::Impl::chunk_loss(LossType loss, float huber_delta, bool want_grad) {
  const int O = cfg.output_size, n = head_rows(chunk_T);
  const size_t off = last_only() ? 0 : static_cast<size_t>(chunk_t0) * B();
  const float* w = has_mask ? w_tm.data() + off : nullptr;
  float* grad = nullptr;
  if (want_grad) {
    dlogits.ensure(static_cast<size_t>(n) * O);
    grad = dlogits.data();
  }
  switch (resolve_loss(loss)) {
    case LossType::kHuber:
      return huber_loss(logits.data(), y_tm.data() + off * O, w, n, O, huber_delta, grad);
    case LossType::kCrossEntropy:
      return cross_entropy_loss(logits.data(), cls_tm.data() + off, w, n, O, grad);
    default:
      return mse_loss(logits.data(), y_tm.data() + off * O, w, n, O, grad);
  }
}

void Model::Impl::backward_chunk(std::vector<float>* grad_norms, bool want_input_grad) {
  const int n = head_rows(chunk_T);
  dhead.ensure(static_cast<size_t>(n) * top_hidden());
  head_backward(head_input(), dlogits.data(), n, dhead.data());
  float* dx = nullptr;
  if (want_input_grad && !cfg.token_input()) {
    dx_in.ensure(static_cast<size_t>(chunk_T) * B() * cfg.input_size);
    dx = dx_in.data();
  }
  // Many-to-one: the head reads only the final state of the top layer.
  dh_last_ptrs.back() = last_only() ? dhead.data() : nullptr;
  stack->backward(last_only() ? nullptr : dhead.data(), &dh_last_ptrs, nullptr, grad_norms, dx);
}

const float* Model::Impl::head_outputs(float temperature) {
  if (cfg.head == HeadType::kLinear) return logits.data();
  const int n = head_rows(chunk_T), O = cfg.output_size;
  probs.ensure(static_cast<size_t>(n) * O);
  softmax_rows(logits.data(), n, O, probs.data(), temperature);
  return probs.data();
}

void Model::Impl::copy_outputs_batch_major(const float* rows, float* out) const {
  const int O = cfg.output_size;
  const int B = this->B();
  if (last_only()) {
    std::memcpy(out, rows, static_cast<size_t>(B) * O * sizeof(float));
    return;
  }
  for (int t = 0; t < chunk_T; ++t)
    for (int b = 0; b < B; ++b)
      std::memcpy(out + (static_cast<size_t>(b) * chunk_T + t) * O,
                  rows + (static_cast<size_t>(t) * B + b) * O, O * sizeof(float));
}

// ---- Model ----

Model::Model(const ModelConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Model::Model(const ModelConfig& config, const std::vector<NamedTensor>& weights)
    : impl_(std::make_unique<Impl>(config, &weights)) {}
Model::~Model() = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;

const ModelConfig& Model::config() const { return impl_->cfg; }
size_t Model::parameter_count() const { return impl_->params.count(); }
std::vector<float>& Model::parameters() { return impl_->values_for_writing(); }
void Model::parameters_changed() { impl_->params.touch(); }
int64_t Model::optimizer_steps() const { return impl_->opt.steps(); }
void Model::reset_optimizer() { impl_->opt.reset(); }
void Model::seed_dropout(uint64_t seed) { impl_->stack->seed_dropout(seed); }

size_t Model::output_elements(int batch, int steps) const {
  return static_cast<size_t>(batch) * (impl_->last_only() ? 1 : steps) * impl_->cfg.output_size;
}

TrainResult Model::train_batch(const Input& x, const Target& y, const TrainOptions& options) {
  Impl& m = *impl_;
  options.validate();
  LossType loss = m.resolve_loss(options.loss);
  m.stage_input(x);
  m.stage_target(y);
  Parameters& p = m.params;
  m.opt.configure(options.optimizer, p.count());
  const int B = m.B(), T = m.T();
  const bool carry = options.stateful && m.state.batch() == B;
  const int k = options.tbptt > 0 ? std::min(options.tbptt, T) : T;
  TrainResult result;
  double loss_sum = 0.0, weight_sum = 0.0;
  for (int t0 = 0; t0 < T; t0 += k) {
    const int Tc = std::min(k, T - t0);
    m.forward_chunk(t0, Tc, /*training=*/true, /*from_state=*/t0 > 0 || carry);
    m.save_state();
    if (m.last_only() && t0 + Tc < T) continue;  // many-to-one: the loss is at the end
    LossValue lv = m.chunk_loss(loss, options.huber_delta, /*want_grad=*/true);
    UpdateResult u = m.train_step(lv.mean, options, [&] { m.backward_chunk(nullptr); });
    result.grad_norm = u.grad_norm;
    result.lr = u.lr;
    result.steps++;
    loss_sum += lv.mean * lv.weight;
    weight_sum += lv.weight;
  }
  if (!options.stateful) m.state.clear();
  result.loss = weight_sum > 0 ? static_cast<float>(loss_sum / weight_sum) : 0.0f;
  return result;
}

float Model::evaluate(const Input& x, const Target& y, LossType loss, float huber_delta) {
  Impl& m = *impl_;
  LossType resolved = m.resolve_loss(loss);
  m.stage_input(x);
  m.stage_target(y);
  m.forward_chunk(0, m.T(), false, false);
  return static_cast<float>(m.chunk_loss(resolved, huber_delta, false).mean);
}

float Model::compute_gradients(const Input& x, const Target& y, LossType loss,
                               std::vector<float>& grads, float huber_delta, bool training,
                               std::vector<float>* input_grad) {
  Impl& m = *impl_;
  LossType resolved = m.resolve_loss(loss);
  m.stage_input(x);
  m.stage_target(y);
  const int B = m.B(), T = m.T();
  m.forward_chunk(0, T, training, false);
  LossValue lv = m.chunk_loss(resolved, huber_delta, true);
  m.params.zero_grads();
  m.backward_chunk(nullptr, input_grad != nullptr);
  grads = m.params.grads();
  if (input_grad && !m.cfg.token_input()) {
    const int I = m.cfg.input_size;
    input_grad->resize(static_cast<size_t>(B) * T * I);
    for (int t = 0; t < T; ++t)
      for (int b = 0; b < B; ++b)
        std::memcpy(input_grad->data() + (static_cast<size_t>(b) * T + t) * I,
                    m.dx_in.data() + (static_cast<size_t>(t) * B + b) * I, I * sizeof(float));
  }
  return static_cast<float>(lv.mean);
}

std::vector<NamedTensor> Model::get_weights() const { return impl_->get_weights(); }

void Model::set_weights(const std::vector<NamedTensor>& weights, bool require_all) {
  impl_->set_weights(weights, require_all);
}

}  // namespace rnnlab
