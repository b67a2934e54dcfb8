// Inference: batched predict, stateful stepping, forecasting, sampling and introspection.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/require.h"
#include "model/model_impl.h"
#include "rnnlab/error.h"

namespace rnnlab {

std::vector<float> Model::predict(const Input& x) {
  Impl& m = *impl_;
  m.stage_input(x);
  m.forward_chunk(0, m.T(), false, false);
  std::vector<float> out(output_elements(m.B(), m.T()));
  m.copy_outputs_batch_major(m.head_outputs(), out.data());
  return out;
}

void Model::reset_state(int batch) {
  RNNLAB_REQUIRE(batch >= 1, "batch", "must be >= 1, got " + std::to_string(batch));
  impl_->state.zero(*impl_->stack, batch);
}

int Model::state_batch() const { return impl_->state.batch(); }

namespace {

// Runs one step from the carried state and keeps the new state.
std::vector<float> step_once(Model::Impl& m, const Input& x) {
  m.stage_input(x);
  m.forward_chunk(0, 1, false, true);
  m.save_state();
  const float* rows = m.head_outputs();
  return std::vector<float>(rows, rows + static_cast<size_t>(m.B()) * m.cfg.output_size);
}

void require_state(const Model::Impl& m) {
  RNNLAB_REQUIRE(m.state.has(), "state", "call resetState(batch) before step()", ErrorCode::kInvalidState);
}

}  // namespace

std::vector<float> Model::step(const float* x) {
  require_state(*impl_);
  return step_once(*impl_, Input::features(x, impl_->state.batch(), 1));
}

std::vector<float> Model::step_tokens(const int32_t* ids) {
  require_state(*impl_);
  return step_once(*impl_, Input::tokens(ids, impl_->state.batch(), 1));
}

std::vector<float> Model::forecast(const float* window, int window_steps, int steps) {
  Impl& m = *impl_;
  const ModelConfig& c = m.cfg;
  RNNLAB_REQUIRE(!c.token_input(), "forecast", "needs a model with real-valued inputs",
          ErrorCode::kInvalidState);
  RNNLAB_REQUIRE(c.head == HeadType::kLinear, "forecast", "needs a linear head",
          ErrorCode::kInvalidState);
  RNNLAB_REQUIRE(c.output_size == c.input_size, "forecast",
          "feeds each prediction back as the next input, so outputSize (" +
              std::to_string(c.output_size) + ") must equal inputSize (" +
              std::to_string(c.input_size) + ")",
          ErrorCode::kInvalidState);
  RNNLAB_REQUIRE(steps >= 0, "steps", "must be >= 0, got " + std::to_string(steps));
  RNNLAB_REQUIRE(window_steps >= 1, "window", "needs at least one step", ErrorCode::kShapeMismatch);
  const int O = c.output_size;
  std::vector<float> out(static_cast<size_t>(steps) * O);
  if (steps == 0) return out;
  // Prime over the window from zero state; the prediction is the output at its last step.
  m.stage_input(Input::features(window, 1, window_steps));
  m.forward_chunk(0, window_steps, false, false);
  m.save_state();
  const size_t last_row = m.last_only() ? 0 : static_cast<size_t>(window_steps - 1);
  std::memcpy(out.data(), m.logits.data() + last_row * O, O * sizeof(float));
  for (int s = 1; s < steps; ++s) {
    m.stage_input(Input::features(out.data() + static_cast<size_t>(s - 1) * O, 1, 1));
    m.forward_chunk(0, 1, false, true);
    m.save_state();
    std::memcpy(out.data() + static_cast<size_t>(s) * O, m.logits.data(), O * sizeof(float));
  }
  return out;
}

namespace {

void require_token_model(const ModelConfig& c, const char* what) {
  RNNLAB_REQUIRE(c.token_input() && c.head == HeadType::kSoftmax, what,
          "needs token input (vocabSize) and a softmax head", ErrorCode::kInvalidState);
  RNNLAB_REQUIRE(c.output_size == c.vocab_size, what,
          "feeds each sampled token back as input, so outputSize (" +
              std::to_string(c.output_size) + ") must equal vocabSize (" +
              std::to_string(c.vocab_size) + ")",
          ErrorCode::kInvalidState);
}

// Samples from probs [V] restricted by top-k / top-p. order is scratch of size V.
int32_t sample(const float* probs, int V, const SampleOptions& o, Rng& rng,
               std::vector<int32_t>& order) {
  order.resize(V);
  std::iota(order.begin(), order.end(), 0);
  int keep = V;
  if (o.top_k > 0 || o.top_p < 1.0f) {
    // Most likely first, ties by index: stable_sort's order without its heap buffer.
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
      return probs[a] > probs[b] || (probs[a] == probs[b] && a < b);
    });
    if (o.top_k > 0) keep = std::min(keep, o.top_k);
    if (o.top_p < 1.0f) {
      double cum = 0.0;
      for (int i = 0; i < keep; ++i) {
        cum += probs[order[i]];
        if (cum >= o.top_p) {
          keep = i + 1;
          break;
        }
      }
    }
  }
  double total = 0.0;
  for (int i = 0; i < keep; ++i) total += probs[order[i]];
  double u = static_cast<double>(rng.uniform()) * total, cum = 0.0;
  for (int i = 0; i < keep; ++i) {
    cum += probs[order[i]];
    if (u < cum) return order[i];
  }
  return order[keep - 1];
}

// The softmax at a temperature and the draw, fused: with neither top-k nor top-p the
// probabilities are drawn from in index order as they are normalised (no index list, no
// sort). The arithmetic is softmax_rows' and then sample()'s, so a seed draws the same ids.
int32_t sample_logits(const float* z, int V, const SampleOptions& o, Rng& rng, float* p,
                      std::vector<int32_t>& order) {
  if (o.top_k > 0 || o.top_p < 1.0f) {
    softmax_rows(z, 1, V, p, o.temperature);
    return sample(p, V, o, rng, order);
  }
  const float m = *std::max_element(z, z + V);
  double s = 0.0;
  for (int i = 0; i < V; ++i) {
    p[i] = std::exp((z[i] - m) / o.temperature);
    s += p[i];
  }
  const float inv = static_cast<float>(1.0 / s);
  double total = 0.0;
  for (int i = 0; i < V; ++i) total += (p[i] *= inv);
  const double u = static_cast<double>(rng.uniform()) * total;
  double cum = 0.0;
  for (int i = 0; i < V; ++i) {
    cum += p[i];
    if (u < cum) return i;
  }
  return V - 1;
}

void validate_prime(const std::vector<int32_t>& prime, int V) {
  RNNLAB_REQUIRE(!prime.empty(), "prime", "needs at least one token to start from");
  for (size_t i = 0; i < prime.size(); ++i)
    RNNLAB_REQUIRE(prime[i] >= 0 && prime[i] < V, "prime",
            "token id " + std::to_string(prime[i]) + " at index " + std::to_string(i) +
                " is outside [0, " + std::to_string(V) + ")");
}

}  // namespace

std::vector<float> Model::next_token_probabilities(const std::vector<int32_t>& prime,
                                                   float temperature) {
  Impl& m = *impl_;
  require_token_model(m.cfg, "nextTokenProbabilities");
  validate_prime(prime, m.cfg.vocab_size);
  SampleOptions with_temperature;
  with_temperature.temperature = temperature;
  with_temperature.validate();
  m.stage_input(Input::tokens(prime.data(), 1, static_cast<int>(prime.size())));
  m.forward_chunk(0, m.T(), false, false);
  const int V = m.cfg.output_size;
  const size_t last_row = m.last_only() ? 0 : static_cast<size_t>(m.T() - 1);
  std::vector<float> p(V);
  softmax_rows(m.logits.data() + last_row * V, 1, V, p.data(), temperature);
  return p;
}

std::vector<int32_t> Model::generate(const std::vector<int32_t>& prime, int length,
                                     const SampleOptions& o) {
  Impl& m = *impl_;
  require_token_model(m.cfg, "generate");
  validate_prime(prime, m.cfg.vocab_size);
  RNNLAB_REQUIRE(length >= 0, "length", "must be >= 0, got " + std::to_string(length));
  o.validate();
  const int V = m.cfg.output_size;
  Rng rng(o.seed, 11);
  std::vector<int32_t> out, order;
  out.reserve(length);
  std::vector<float> p(V);
  m.stage_input(Input::tokens(prime.data(), 1, static_cast<int>(prime.size())));
  m.forward_chunk(0, m.T(), false, false);
  m.save_state();
  size_t last_row = m.last_only() ? 0 : static_cast<size_t>(m.T() - 1);
  for (int s = 0; s < length; ++s) {
    const int32_t id = sample_logits(m.logits.data() + last_row * V, V, o, rng, p.data(), order);
    out.push_back(id);
    if (s + 1 == length) break;
    m.stage_input(Input::tokens(&id, 1, 1));
    m.forward_chunk(0, 1, false, true);
    m.save_state();
    last_row = 0;
  }
  return out;
}

Inspection Model::inspect(const Input& x, const Target* y) {
  Impl& m = *impl_;
  m.stage_input(x);
  if (y) m.stage_target(*y);
  const int B = m.B(), T = m.T();
  m.forward_chunk(0, T, false, false);
  Inspection ins;
  ins.batch = B;
  ins.steps = T;
  ins.output.resize(output_elements(B, T));
  m.copy_outputs_batch_major(m.head_outputs(), ins.output.data());

  const int O = m.cfg.output_size, rows = m.head_rows(T);
  m.dlogits.ensure(static_cast<size_t>(rows) * O);
  if (y) {
    ins.loss = static_cast<float>(m.chunk_loss(LossType::kAuto, 1.0f, true).mean);
  } else {
    // No targets: differentiate a stand-in for "the prediction at the last step": the sum of
    // the outputs (linear head) or the log-probability of the most likely class (softmax).
    std::fill_n(m.dlogits.data(), static_cast<size_t>(rows) * O, 0.0f);
    const size_t first = m.last_only() ? 0 : static_cast<size_t>(T - 1) * B;
    std::vector<float> p(O);
    double total = 0.0;
    for (size_t r = first; r < static_cast<size_t>(rows); ++r) {
      float* g = m.dlogits.data() + r * O;
      const float* z = m.logits.data() + r * O;
      if (m.cfg.head == HeadType::kLinear) {
        for (int o = 0; o < O; ++o) g[o] = 1.0f, total += z[o];
      } else {
        softmax_rows(z, 1, O, p.data());
        int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
        for (int o = 0; o < O; ++o) g[o] = p[o] - (o == best ? 1.0f : 0.0f);
        total -= std::log(std::max(p[best], 1e-30f));
      }
    }
    ins.loss = static_cast<float>(total);
  }
  std::vector<float> norms;
  m.params.zero_grads();
  m.backward_chunk(&norms);
  m.params.zero_grads();

  ins.layers = m.stack->trace(norms);
  return ins;
}

}  // namespace rnnlab
