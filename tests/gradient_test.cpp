// Finite-difference checks of every parameter and input gradient, for each cell, head and
// loss, over shapes that include batch 1, T = 1, hidden 1 and stacked layers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "rnnlab/kernels.h"
#include "rnnlab/model.h"
#include "test_util.h"

namespace rnnlab {
namespace {

struct GradCase {
  std::string name;
  CellType cell;
  GruVariant variant;
  std::vector<int> hidden;
  int batch, steps, input;
  OutputMode output;
  HeadType head;
  LossType loss;
  InputEncoding encoding = InputEncoding::kFeatures;
  int vocab = 0;
  bool mask = false;
  float dropout = 0.0f;
};

std::ostream& operator<<(std::ostream& os, const GradCase& c) { return os << c.name; }

class GradientCheck : public ::testing::TestWithParam<GradCase> {};

// Five-point central differences (Richardson): truncation error O(h^4), so a step of 1e-2
// keeps it far below float32 rounding noise in the loss (~1e-5 of a typical gradient).
constexpr float kStep = 1e-2f;
// Each gradient must satisfy |fd - analytic| <= kRelTol |fd| + kAbsTol. kAbsTol covers the
// float32 rounding of the forward pass (~1e-7 of the loss, divided by the step); kRelTol
// fails a wrong factor of 1% anywhere in BPTT.
constexpr double kRelTol = 2e-3;
constexpr double kAbsTol = 5e-5;

double excess(double fd, double analytic) {
  return std::fabs(fd - analytic) / (kRelTol * std::fabs(fd) + kAbsTol);
}

template <class F>
double five_point(float& v, F&& loss) {
  const float saved = v;
  double f[4];
  const float offsets[4] = {-2 * kStep, -kStep, kStep, 2 * kStep};
  for (int i = 0; i < 4; ++i) {
    v = saved + offsets[i];
    f[i] = loss();
  }
  v = saved;
  return (8.0 * (f[2] - f[1]) - (f[3] - f[0])) / (12.0 * kStep);
}

TEST_P(GradientCheck, MatchesFiniteDifferences) {
  const GradCase& c = GetParam();
  ModelConfig cfg;
  cfg.cell = c.cell;
  cfg.gru_variant = c.variant;
  cfg.hidden_sizes = c.hidden;
  cfg.input_encoding = c.encoding;
  cfg.input_size = c.input;
  cfg.vocab_size = c.vocab;
  cfg.output = c.output;
  cfg.head = c.head;
  cfg.output_size = c.head == HeadType::kSoftmax ? 3 : 2;
  cfg.dropout = c.dropout;
  cfg.seed = 1234;
  Model model(cfg);
  // The reference kernels in double-checked float: the SIMD sets are compared to them
  // separately (kernels_test), so this isolates the maths of BPTT.
  ASSERT_TRUE(kernels::use("reference"));

  Rng rng(99);
  const int B = c.batch, T = c.steps, O = cfg.output_size;
  const int out_steps = c.output == OutputMode::kLast ? 1 : T;
  std::vector<float> x = test::random_vector(rng, static_cast<size_t>(B) * T * c.input);
  std::vector<int32_t> ids;
  if (cfg.token_input()) ids = test::random_ids(rng, static_cast<size_t>(B) * T, c.vocab);
  std::vector<float> y = test::random_vector(rng, static_cast<size_t>(B) * out_steps * O, -2, 2);
  std::vector<int32_t> cls = test::random_ids(rng, static_cast<size_t>(B) * out_steps, O);
  std::vector<float> mask;
  if (c.mask) {
    mask.assign(static_cast<size_t>(B) * out_steps, 1.0f);
    for (size_t i = 0; i < mask.size(); i += 3) mask[i] = 0.0f;
    mask.back() = 1.0f;
  }
  Input in = cfg.token_input() ? Input::tokens(ids.data(), B, T) : Input::features(x.data(), B, T);
  const float* mp = c.mask ? mask.data() : nullptr;
  Target tg = c.head == HeadType::kSoftmax ? Target::labels(cls.data(), mp) : Target::values(y.data(), mp);
  // Huber with a small delta exercises both of its branches.
  const float delta = 0.5f;
  const bool training = c.dropout > 0.0f;

  std::vector<float> grads, dx, scratch;
  model.seed_dropout(5);
  model.compute_gradients(in, tg, c.loss, grads, delta, training,
                          cfg.token_input() ? nullptr : &dx);
  auto loss_at = [&]() {
    model.parameters_changed();  // p[i] was changed through the reference below
    model.seed_dropout(5);       // same dropout masks at every evaluation
    return static_cast<double>(model.compute_gradients(in, tg, c.loss, scratch, delta, training));
  };

  std::vector<float>& p = model.parameters();
  ASSERT_EQ(grads.size(), p.size());
  double worst = 0.0, worst_fd = 0.0;
  size_t worst_i = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    double fd = five_point(p[i], loss_at);
    double err = excess(fd, grads[i]);
    if (err > worst) worst = err, worst_i = i, worst_fd = fd;
  }
  EXPECT_LE(worst, 1.0) << "parameter " << worst_i << ": analytic " << grads[worst_i]
                        << ", finite difference " << worst_fd;

  if (!cfg.token_input()) {
    worst = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
      double fd = five_point(x[i], loss_at);
      worst = std::fmax(worst, excess(fd, dx[i]));
    }
    EXPECT_LE(worst, 1.0) << "input gradient";
  }
  kernels::use(kernels::all().back()->name);
}

std::vector<GradCase> cases() {
  using C = CellType;
  using G = GruVariant;
  const OutputMode L = OutputMode::kLast, S = OutputMode::kSequence;
  const HeadType lin = HeadType::kLinear, sm = HeadType::kSoftmax;
  const LossType mse = LossType::kMse, hub = LossType::kHuber, ce = LossType::kCrossEntropy;
  std::vector<GradCase> v;
  struct CellName { C cell; G variant; const char* name; };
  for (CellName cn : {CellName{C::kRnn, G::kPyTorch, "rnn"}, CellName{C::kLstm, G::kPyTorch, "lstm"},
                      CellName{C::kGru, G::kPyTorch, "gru"}, CellName{C::kGru, G::kClassic, "gruclassic"}}) {
    std::string n = cn.name;
    v.push_back({n + "_tiny_b1_t1_h1", cn.cell, cn.variant, {1}, 1, 1, 1, L, lin, mse});
    v.push_back({n + "_last_mse", cn.cell, cn.variant, {4}, 3, 5, 2, L, lin, mse});
    v.push_back({n + "_seq_huber", cn.cell, cn.variant, {3}, 2, 4, 3, S, lin, hub});
    v.push_back({n + "_stacked_seq_ce_mask", cn.cell, cn.variant, {4, 3}, 2, 4, 2, S, sm, ce,
                 InputEncoding::kFeatures, 0, true});
    v.push_back({n + "_stacked3_last_ce", cn.cell, cn.variant, {2, 3, 2}, 3, 3, 1, L, sm, ce});
    v.push_back({n + "_embedding_seq_ce", cn.cell, cn.variant, {4}, 2, 3, 0, S, sm, ce,
                 InputEncoding::kEmbedding, 5});
    v.push_back({n + "_onehot_last_mse", cn.cell, cn.variant, {3}, 2, 4, 0, L, lin, mse,
                 InputEncoding::kOneHot, 4});
    // Batch >= 4 takes the prepacked recurrent operand; smaller batches read W_hh directly.
    v.push_back({n + "_batch5_packed", cn.cell, cn.variant, {4, 3}, 5, 3, 2, S, lin, mse});
    // Few rows of a large one-hot vocabulary: the strided gather/scatter path.
    v.push_back({n + "_onehot_strided", cn.cell, cn.variant, {3}, 1, 2, 0, S, sm, ce,
                 InputEncoding::kOneHot, 12});
    v.push_back({n + "_dropout_stacked", cn.cell, cn.variant, {4, 4}, 2, 3, 2, S, lin, mse,
                 InputEncoding::kFeatures, 0, false, 0.3f});
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(AllCells, GradientCheck, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace rnnlab
