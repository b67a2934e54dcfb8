// Parity with PyTorch: forward outputs, final states, losses, every parameter gradient and
// dL/dx of RNN/LSTM/GRU (both GRU variants) models, and several steps of every optimizer,
// against fixtures written by tests/fixtures/make_pytorch_fixtures.py (torch is not needed
// here). Every comparison runs under every kernel set, so the scalar reference and the SIMD
// kernels are each held to PyTorch, not just to one another.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "fixture_reader.h"
#include "rnnlab/kernels.h"
#include "rnnlab/model.h"

namespace rnnlab {
namespace {

using test::Fixture;

// Error metric, per tensor: max_i |got_i - want_i| / max(max_i |want_i|, 1e-6). Scaling by
// the tensor's largest entry (not entry by entry) keeps entries that are near zero by
// cancellation from dominating, while a wrong term anywhere still shows at full size.
double tensor_error(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return INFINITY;
  double diff = 0.0, scale = 1e-6;
  for (size_t i = 0; i < got.size(); ++i) {
    diff = std::fmax(diff, std::fabs(double(got[i]) - want[i]));
    scale = std::fmax(scale, std::fabs(double(want[i])));
  }
  return diff / scale;
}

// The fixtures are float64 PyTorch results rounded to float32, so these bound rnnlab's own
// float32 error. PyTorch's own float32 run of the same fixtures meets them too (the generator
// asserts it; its worst is ~3e-7 forward, ~3e-6 gradients). Gradients get 10x more room:
// BPTT sums many rounded products, and cancellation can leave a small result.
constexpr double kForwardTol = 1e-5;
constexpr double kGradTol = 1e-4;
// Weights after each of several optimizer steps: the forward bound. The gradients' error
// (~1e-6 relative) enters the weights scaled by lr, so it stays well below it even though
// RMSprop/Adam divide by sqrt of the second moment.
constexpr double kOptimTol = 1e-5;

std::string fixture_path(const std::string& stem) {
  return std::string(RNNLAB_TEST_DATA_DIR) + "/" + stem + ".rnlf";
}

// Runs body(kernel set name) under every kernel set; restores the default set afterwards.
template <class F>
void for_each_kernel_set(F&& body) {
  struct Restore {
    ~Restore() { kernels::use(kernels::all().back()->name); }
  } restore;
  for (const kernels::KernelSet* k : kernels::all()) {
    ASSERT_TRUE(kernels::use(k->name));
    SCOPED_TRACE(std::string("kernel set ") + k->name);
    body();
  }
}

// Loads every parameter the model has from the fixture (same names and shapes).
void load_weights(Model& model, const Fixture& f) {
  std::vector<NamedTensor> weights;
  for (const NamedTensor& w : model.get_weights())
    weights.push_back({w.name, Tensor(f.shape(w.name), f.f32(w.name))});
  model.set_weights(weights);
}

// ---- forward and gradients ----

struct ParityCase {
  std::string name;  // fixture file stem
  CellType cell;
  GruVariant variant;
  InputEncoding encoding;
  OutputMode output;
  HeadType head;
  LossType loss;
};

std::ostream& operator<<(std::ostream& os, const ParityCase& c) { return os << c.name; }

// Sizes come from the fixture's tensors, the kind of model from the case.
ModelConfig config_for(const ParityCase& c, const Fixture& f) {
  ModelConfig cfg;
  cfg.cell = c.cell;
  cfg.gru_variant = c.variant;
  cfg.input_encoding = c.encoding;
  cfg.output = c.output;
  cfg.head = c.head;
  cfg.hidden_sizes.clear();
  for (int l = 0; f.has("weight_hh_l" + std::to_string(l)); ++l)
    cfg.hidden_sizes.push_back(f.shape("weight_hh_l" + std::to_string(l))[1]);
  if (c.encoding == InputEncoding::kFeatures) cfg.input_size = f.shape("x")[2];
  if (c.encoding == InputEncoding::kEmbedding) {
    cfg.vocab_size = f.shape("embedding.weight")[0];
    cfg.embedding_size = f.shape("embedding.weight")[1];
  }
  if (c.encoding == InputEncoding::kOneHot) cfg.vocab_size = f.shape("weight_ih_l0")[1];
  cfg.output_size = f.shape("head.weight")[0];
  return cfg;
}

// Worst errors of one case over all kernel sets, printed for the record.
struct Worst {
  double forward = 0, state = 0, loss = 0, grads = 0, dx = 0;
};

class PyTorchParity : public ::testing::TestWithParam<ParityCase> {};

TEST_P(PyTorchParity, MatchesPyTorch) {
  const ParityCase& c = GetParam();
  const Fixture f = Fixture::load(fixture_path(c.name));
  Model model(config_for(c, f));
  load_weights(model, f);

  const bool tokens = c.encoding != InputEncoding::kFeatures;
  const std::vector<int>& xs = f.shape(tokens ? "ids" : "x");
  const int B = xs[0], T = xs[1];
  const Input in = tokens ? Input::tokens(f.i32("ids").data(), B, T)
                          : Input::features(f.f32("x").data(), B, T);
  const float* mask = f.has("mask") ? f.f32("mask").data() : nullptr;
  const Target target = c.head == HeadType::kSoftmax ? Target::labels(f.i32("classes").data(), mask)
                                                     : Target::values(f.f32("y").data(), mask);
  const float delta = f.has("huber_delta") ? f.scalar("huber_delta") : 1.0f;
  Worst worst;

  for_each_kernel_set([&] {
    // predict(): probabilities for a softmax head, values for a linear one.
    double e = tensor_error(model.predict(in), f.f32(c.head == HeadType::kSoftmax ? "probs" : "output"));
    EXPECT_LE(e, kForwardTol) << "predict() outputs";
    worst.forward = std::fmax(worst.forward, e);

    // Final states: the last step of each layer's trace.
    Inspection ins = model.inspect(in);
    for (size_t l = 0; l < ins.layers.size(); ++l) {
      const LayerTrace& tr = ins.layers[l];
      const int H = tr.hidden;
      std::vector<float> h_n, c_n;
      for (int b = 0; b < B; ++b) {
        size_t last = (static_cast<size_t>(b) * T + T - 1) * H;
        h_n.insert(h_n.end(), tr.h.begin() + last, tr.h.begin() + last + H);
        if (!tr.c.empty()) c_n.insert(c_n.end(), tr.c.begin() + last, tr.c.begin() + last + H);
      }
      const std::string sl = std::to_string(l);
      e = tensor_error(h_n, f.f32("h_n.l" + sl));
      EXPECT_LE(e, kForwardTol) << "final h of layer " << l;
      worst.state = std::fmax(worst.state, e);
      EXPECT_EQ(c_n.empty(), !f.has("c_n.l" + sl)) << "layer " << l;
      if (!c_n.empty()) {
        e = tensor_error(c_n, f.f32("c_n.l" + sl));
        EXPECT_LE(e, kForwardTol) << "final c of layer " << l;
        worst.state = std::fmax(worst.state, e);
      }
    }

    // Loss, parameter gradients (flat, in get_weights() order) and dL/dx.
    std::vector<float> grads, dx;
    float loss = model.compute_gradients(in, target, c.loss, grads, delta, /*training=*/false,
                                         tokens ? nullptr : &dx);
    e = tensor_error({loss}, f.f32("loss"));
    EXPECT_LE(e, kForwardTol) << "loss " << loss << " vs " << f.scalar("loss");
    worst.loss = std::fmax(worst.loss, e);
    size_t offset = 0;
    for (const NamedTensor& w : model.get_weights()) {
      const size_t n = w.tensor.size();
      ASSERT_LE(offset + n, grads.size());
      std::vector<float> g(grads.begin() + offset, grads.begin() + offset + n);
      offset += n;
      e = tensor_error(g, f.f32("grad." + w.name));
      EXPECT_LE(e, kGradTol) << "gradient of " << w.name;
      worst.grads = std::fmax(worst.grads, e);
    }
    EXPECT_EQ(offset, grads.size());
    if (!tokens) {
      e = tensor_error(dx, f.f32("grad.x"));
      EXPECT_LE(e, kGradTol) << "dL/dx";
      worst.dx = std::fmax(worst.dx, e);
    }
  });
  std::printf("[ parity   ] %-30s forward %.1e  state %.1e  loss %.1e  grads %.1e  dx %.1e\n",
              c.name.c_str(), worst.forward, worst.state, worst.loss, worst.grads, worst.dx);
}

std::vector<ParityCase> parity_cases() {
  const OutputMode L = OutputMode::kLast, S = OutputMode::kSequence;
  const HeadType lin = HeadType::kLinear, sm = HeadType::kSoftmax;
  const InputEncoding feat = InputEncoding::kFeatures, emb = InputEncoding::kEmbedding;
  std::vector<ParityCase> v;
  struct CellName {
    CellType cell;
    GruVariant variant;
    const char* name;
  };
  for (CellName cn : {CellName{CellType::kRnn, GruVariant::kPyTorch, "rnn"},
                      CellName{CellType::kLstm, GruVariant::kPyTorch, "lstm"},
                      CellName{CellType::kGru, GruVariant::kPyTorch, "gru"},
                      CellName{CellType::kGru, GruVariant::kClassic, "gruclassic"}}) {
    const std::string n = cn.name;
    v.push_back({n + "_last_mse", cn.cell, cn.variant, feat, L, lin, LossType::kMse});
    v.push_back({n + "_stacked_seq_ce_mask", cn.cell, cn.variant, feat, S, sm, LossType::kCrossEntropy});
    v.push_back({n + "_tiny_b1_t1_h1", cn.cell, cn.variant, feat, L, lin, LossType::kMse});
    v.push_back({n + "_embedding_seq_ce", cn.cell, cn.variant, emb, S, sm, LossType::kCrossEntropy});
    v.push_back({n + "_seq_huber_mask", cn.cell, cn.variant, feat, S, lin, LossType::kHuber});
  }
  v.push_back({"lstm_onehot_last_ce", CellType::kLstm, GruVariant::kPyTorch, InputEncoding::kOneHot,
               L, sm, LossType::kCrossEntropy});
  return v;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PyTorchParity, ::testing::ValuesIn(parity_cases()),
                         [](const auto& p) { return p.param.name; });

// ---- optimizers ----

constexpr int kOptimSteps = 4;  // OPTIM_STEPS in the generator

struct OptimCase {
  std::string name;  // tensor prefix in optimizers.rnlf
  OptimizerConfig optimizer;
  float clip_norm = 0.0f;
};

std::ostream& operator<<(std::ostream& os, const OptimCase& c) { return os << c.name; }

// Mirrors OPTIM_CASES in make_pytorch_fixtures.py (torch.optim defaults elsewhere, which
// OptimizerConfig shares: betas 0.9/0.999, eps 1e-8, alpha 0.99).
std::vector<OptimCase> optim_cases() {
  auto make = [](OptimizerType type, float lr) {
    OptimizerConfig o;
    o.type = type;
    o.lr = lr;
    return o;
  };
  std::vector<OptimCase> v;
  OptimizerConfig sgd = make(OptimizerType::kSgd, 0.1f);
  sgd.momentum = 0.9f;
  v.push_back({"sgd_momentum", sgd});
  OptimizerConfig nesterov = sgd;
  nesterov.nesterov = true;
  nesterov.weight_decay = 0.05f;
  v.push_back({"sgd_nesterov_wd", nesterov});
  v.push_back({"sgd_momentum_clip", sgd, 0.05f});
  OptimizerConfig rms = make(OptimizerType::kRmsProp, 0.01f);
  rms.alpha = 0.99f;
  v.push_back({"rmsprop", rms});
  rms.momentum = 0.9f;
  v.push_back({"rmsprop_momentum", rms});
  OptimizerConfig adam = make(OptimizerType::kAdam, 0.01f);
  v.push_back({"adam", adam});
  OptimizerConfig adamw = make(OptimizerType::kAdamW, 0.01f);
  adamw.weight_decay = 0.01f;
  v.push_back({"adamw", adamw});
  OptimizerConfig steplr = sgd;
  steplr.schedule.type = ScheduleType::kStep;
  steplr.schedule.step_size = 2;
  steplr.schedule.gamma = 0.5f;
  v.push_back({"sgd_steplr", steplr});
  OptimizerConfig cosine = adam;
  cosine.schedule.type = ScheduleType::kCosine;
  cosine.schedule.t_max = kOptimSteps;
  cosine.schedule.eta_min = 0.001f;
  v.push_back({"adam_cosine", cosine});
  return v;
}

class OptimizerParity : public ::testing::TestWithParam<OptimCase> {};

TEST_P(OptimizerParity, WeightsMatchTorchOptimAfterEachStep) {
  const OptimCase& c = GetParam();
  const Fixture f = Fixture::load(fixture_path("optimizers"));
  ModelConfig cfg;  // the generator's tiny model: LSTM, many-to-one, linear head, MSE
  cfg.cell = CellType::kLstm;
  cfg.input_size = f.shape("x")[2];
  cfg.hidden_sizes = {f.shape("weight_hh_l0")[1]};
  cfg.output_size = f.shape("head.weight")[0];
  cfg.output = OutputMode::kLast;
  cfg.head = HeadType::kLinear;
  const int B = f.shape("x")[0], T = f.shape("x")[1];
  const Input in = Input::features(f.f32("x").data(), B, T);
  const Target target = Target::values(f.f32("y").data());
  TrainOptions options;
  options.optimizer = c.optimizer;
  options.loss = LossType::kMse;
  options.clip_norm = c.clip_norm;
  const std::vector<float>& losses = f.f32(c.name + ".loss");
  const std::vector<float>& norms = f.f32(c.name + ".grad_norm");
  const std::vector<float>& lrs = f.f32(c.name + ".lr");
  double worst_weights = 0.0, worst_scalars = 0.0;

  for_each_kernel_set([&] {
    Model model(cfg);
    load_weights(model, f);
    for (int s = 0; s < kOptimSteps; ++s) {
      SCOPED_TRACE("after optimizer step " + std::to_string(s + 1));
      TrainResult r = model.train_batch(in, target, options);
      double e_loss = tensor_error({r.loss}, {losses[s]});
      double e_norm = tensor_error({r.grad_norm}, {norms[s]});
      double e_lr = tensor_error({r.lr}, {lrs[s]});
      EXPECT_LE(e_loss, kForwardTol) << "loss";
      EXPECT_LE(e_norm, kGradTol) << "gradient norm before clipping";
      EXPECT_LE(e_lr, 1e-6) << "scheduled learning rate";
      worst_scalars = std::fmax(worst_scalars, std::fmax(e_loss, std::fmax(e_norm, e_lr)));
      for (const NamedTensor& w : model.get_weights()) {
        double e = tensor_error(w.tensor.data, f.f32(c.name + ".step" + std::to_string(s + 1) + "." + w.name));
        EXPECT_LE(e, kOptimTol) << w.name;
        worst_weights = std::fmax(worst_weights, e);
      }
    }
  });
  std::printf("[ parity   ] optimizer %-20s weights %.1e  loss/norm/lr %.1e\n", c.name.c_str(),
              worst_weights, worst_scalars);
}

INSTANTIATE_TEST_SUITE_P(TorchOptim, OptimizerParity, ::testing::ValuesIn(optim_cases()),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace rnnlab
