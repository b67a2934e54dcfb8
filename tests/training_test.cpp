// Training mechanics: truncated BPTT and stateful carry, divergence handling, inference APIs
// (step, forecast, generate) and introspection.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rnnlab/error.h"
#include "rnnlab/model.h"
#include "test_util.h"

namespace rnnlab {
namespace {

ModelConfig seq_config(CellType cell) {
  ModelConfig cfg;
  cfg.cell = cell;
  cfg.input_size = 2;
  cfg.hidden_sizes = {5, 4};
  cfg.output_size = 2;
  cfg.output = OutputMode::kSequence;
  cfg.seed = 11;
  return cfg;
}

class PerCell : public ::testing::TestWithParam<CellType> {};

// With k = T truncated BPTT is full BPTT: the same update, bit for bit.
TEST_P(PerCell, TruncatedBpttWithKEqualToTIsFullBptt) {
  Rng rng(1);
  const int B = 3, T = 6;
  auto x = test::random_vector(rng, B * T * 2);
  auto y = test::random_vector(rng, B * T * 2);
  Model full(seq_config(GetParam())), truncated(seq_config(GetParam()));
  TrainOptions opt;
  opt.optimizer.type = OptimizerType::kSgd;
  opt.optimizer.lr = 0.5f;
  full.train_batch(Input::features(x.data(), B, T), Target::values(y.data()), opt);
  opt.tbptt = T;
  TrainResult r = truncated.train_batch(Input::features(x.data(), B, T), Target::values(y.data()), opt);
  EXPECT_EQ(r.steps, 1);
  EXPECT_EQ(full.parameters(), truncated.parameters());
}

// One call with tbptt = k over 2k steps equals two stateful calls over the halves: the state
// is carried (not the gradient) and each chunk takes its own optimizer step.
TEST_P(PerCell, TruncatedChunksEqualStatefulCallsOverTheHalves) {
  Rng rng(2);
  const int B = 2, T = 8, k = 4, I = 2;
  auto x = test::random_vector(rng, B * T * I);
  auto y = test::random_vector(rng, B * T * 2);
  Model one(seq_config(GetParam())), two(seq_config(GetParam()));
  TrainOptions opt;
  opt.optimizer.lr = 0.01f;
  opt.tbptt = k;
  TrainResult r = one.train_batch(Input::features(x.data(), B, T), Target::values(y.data()), opt);
  EXPECT_EQ(r.steps, 2);

  // The same data as two batch-major halves along time.
  std::vector<float> xa, xb, ya, yb;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      auto& xs = t < k ? xa : xb;
      auto& ys = t < k ? ya : yb;
      xs.insert(xs.end(), x.begin() + (b * T + t) * I, x.begin() + (b * T + t + 1) * I);
      ys.insert(ys.end(), y.begin() + (b * T + t) * 2, y.begin() + (b * T + t + 1) * 2);
    }
  TrainOptions so;
  so.optimizer.lr = 0.01f;
  so.stateful = true;
  two.reset_state(B);
  float la = two.train_batch(Input::features(xa.data(), B, k), Target::values(ya.data()), so).loss;
  float lb = two.train_batch(Input::features(xb.data(), B, k), Target::values(yb.data()), so).loss;
  EXPECT_EQ(one.parameters(), two.parameters());
  EXPECT_FLOAT_EQ(r.loss, (la + lb) / 2);
}

TEST_P(PerCell, ForecastEqualsStepping) {
  ModelConfig cfg;
  cfg.cell = GetParam();
  cfg.hidden_sizes = {6};
  cfg.seed = 4;
  Model model(cfg);
  Rng rng(3);
  auto window = test::random_vector(rng, 10);
  std::vector<float> f = model.forecast(window.data(), 10, 5);
  ASSERT_EQ(f.size(), 5u);
  model.reset_state(1);
  std::vector<float> out;
  for (float v : window) out = model.step(&v);
  EXPECT_FLOAT_EQ(out[0], f[0]);
  for (int s = 1; s < 5; ++s) {
    out = model.step(&f[s - 1]);
    EXPECT_FLOAT_EQ(out[0], f[s]);
  }
  // predict over the window agrees with the first forecast step.
  EXPECT_FLOAT_EQ(model.predict(Input::features(window.data(), 1, 10))[0], f[0]);
}

INSTANTIATE_TEST_SUITE_P(Cells, PerCell,
                         ::testing::Values(CellType::kRnn, CellType::kLstm, CellType::kGru),
                         [](const auto& info) { return std::string(to_string(info.param)); });

ModelConfig char_config() {
  ModelConfig cfg;
  cfg.input_encoding = InputEncoding::kEmbedding;
  cfg.vocab_size = 7;
  cfg.output_size = 7;
  cfg.head = HeadType::kSoftmax;
  cfg.output = OutputMode::kSequence;
  cfg.hidden_sizes = {8};
  cfg.seed = 9;
  return cfg;
}

TEST(Generate, IsReproducibleAndHonoursTopKAndTopP) {
  Model model(char_config());
  SampleOptions o;
  o.seed = 5;
  auto a = model.generate({1, 2, 3}, 40, o);
  auto b = model.generate({1, 2, 3}, 40, o);
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 40u);
  for (int32_t id : a) EXPECT_TRUE(id >= 0 && id < 7);
  o.seed = 6;
  EXPECT_NE(model.generate({1, 2, 3}, 40, o), a);
  // top-k = 1 and a tiny top-p are both greedy: the argmax of the next-token distribution.
  o.top_k = 1;
  auto greedy = model.generate({1, 2, 3}, 1, o);
  auto p = model.next_token_probabilities({1, 2, 3}, 1.0f);
  EXPECT_EQ(greedy[0], std::max_element(p.begin(), p.end()) - p.begin());
  o.top_k = 0;
  o.top_p = 1e-6f;
  EXPECT_EQ(model.generate({1, 2, 3}, 1, o)[0], greedy[0]);
  double sum = 0;
  for (float v : p) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-5);
}

TEST(Generate, LowTemperatureSharpensTheDistribution) {
  Model model(char_config());
  auto p1 = model.next_token_probabilities({4, 5}, 1.0f);
  auto p01 = model.next_token_probabilities({4, 5}, 0.1f);
  EXPECT_GT(*std::max_element(p01.begin(), p01.end()), *std::max_element(p1.begin(), p1.end()));
}

TEST(Inspect, ReportsGatesStatesAndVanishingGradients) {
  ModelConfig cfg;
  cfg.cell = CellType::kLstm;
  cfg.hidden_sizes = {4, 3};
  cfg.seed = 2;
  Model lstm(cfg);
  Rng rng(4);
  const int B = 2, T = 12;
  auto x = test::random_vector(rng, B * T);
  Inspection ins = lstm.inspect(Input::features(x.data(), B, T));
  ASSERT_EQ(ins.layers.size(), 2u);
  EXPECT_EQ(ins.layers[0].h.size(), static_cast<size_t>(B * T * 4));
  EXPECT_EQ(ins.layers[0].c.size(), static_cast<size_t>(B * T * 4));
  EXPECT_EQ(ins.layers[1].gates.size(), static_cast<size_t>(B * T * 4 * 3));
  EXPECT_EQ(ins.layers[1].grad_norm.size(), static_cast<size_t>(T));
  // Sigmoid gates (i, f, o) lie in (0, 1); g = tanh in (-1, 1).
  const auto& g = ins.layers[1].gates;
  for (size_t r = 0; r < g.size() / 12; ++r)
    for (int j = 0; j < 12; ++j) {
      float v = g[r * 12 + j];
      if (j / 3 == 2) EXPECT_TRUE(v > -1 && v < 1);
      else EXPECT_TRUE(v > 0 && v < 1);
    }
  // The last h of the trace is what predict's head reads.
  Inspection again = lstm.inspect(Input::features(x.data(), B, T));
  EXPECT_EQ(ins.layers[1].h, again.layers[1].h);

  // A plain tanh RNN with small recurrent weights: ||dL/dh_t|| shrinks geometrically
  // going back from the last step (the vanishing-gradient effect the playground shows).
  ModelConfig rc;
  rc.cell = CellType::kRnn;
  rc.hidden_sizes = {8};
  Model rnn(rc);
  for (auto& w : rnn.parameters()) w *= 0.5f;
  Inspection ri = rnn.inspect(Input::features(x.data(), B, T));
  const auto& n = ri.layers[0].grad_norm;
  EXPECT_GT(n[T - 1], 0.0f);
  EXPECT_LT(n[0], 0.01f * n[T - 1]);
  for (int t = 1; t < T; ++t) EXPECT_LT(n[t - 1], n[t]);
}

TEST(Divergence, NonFiniteLossStopsTrainingAndKeepsTheLastGoodWeights) {
  ModelConfig cfg;
  cfg.cell = CellType::kRnn;
  cfg.hidden_sizes = {4};
  Model model(cfg);
  Rng rng(6);
  const int B = 4, T = 5;
  auto x = test::random_vector(rng, B * T);
  std::vector<float> y(B, 1e30f);  // squares overflow float: the loss becomes Inf
  TrainOptions opt;
  std::vector<float> before = model.parameters();
  try {
    model.train_batch(Input::features(x.data(), B, T), Target::values(y.data()), opt);
    FAIL() << "expected kNonFiniteLoss";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNonFiniteLoss);
    EXPECT_EQ(e.field(), "loss");
  }
  EXPECT_EQ(model.parameters(), before);

  // A learning rate so large that the update itself overflows: weights are restored.
  std::vector<float> y_far(B, 1000.0f), y_ok(B, 0.5f);
  opt.optimizer.type = OptimizerType::kSgd;
  opt.optimizer.lr = 3e38f;
  try {
    model.train_batch(Input::features(x.data(), B, T), Target::values(y_far.data()), opt);
    FAIL() << "expected kNonFiniteLoss";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNonFiniteLoss);
  }
  EXPECT_EQ(model.parameters(), before);
  // And training goes on normally afterwards.
  opt.optimizer.lr = 0.01f;
  EXPECT_TRUE(std::isfinite(
      model.train_batch(Input::features(x.data(), B, T), Target::values(y_ok.data()), opt).loss));
}

TEST(Clipping, BoundsTheUpdate) {
  ModelConfig cfg;
  cfg.hidden_sizes = {4};
  Model model(cfg);
  Rng rng(7);
  auto x = test::random_vector(rng, 20);
  std::vector<float> y(4, 50.0f);
  TrainOptions opt;
  opt.optimizer.type = OptimizerType::kSgd;
  opt.optimizer.lr = 1.0f;
  opt.clip_norm = 0.1f;
  std::vector<float> before = model.parameters();
  TrainResult r = model.train_batch(Input::features(x.data(), 4, 5), Target::values(y.data()), opt);
  EXPECT_GT(r.grad_norm, 0.1f);
  double moved = 0;
  for (size_t i = 0; i < before.size(); ++i)
    moved += double(model.parameters()[i] - before[i]) * (model.parameters()[i] - before[i]);
  EXPECT_NEAR(std::sqrt(moved), 0.1, 1e-4);  // SGD with lr 1 moves by exactly the clipped norm
}

TEST(Schedules, FollowTheirFormulas) {
  ModelConfig cfg;
  cfg.hidden_sizes = {2};
  Model model(cfg);
  std::vector<float> x(3, 0.1f), y(1, 0.2f);
  TrainOptions opt;
  opt.optimizer.type = OptimizerType::kSgd;
  opt.optimizer.lr = 0.1f;
  opt.optimizer.schedule.type = ScheduleType::kStep;
  opt.optimizer.schedule.step_size = 2;
  opt.optimizer.schedule.gamma = 0.5f;
  const float expected_step[] = {0.1f, 0.1f, 0.05f, 0.05f, 0.025f};
  for (float e : expected_step)
    EXPECT_FLOAT_EQ(model.train_batch(Input::features(x.data(), 1, 3), Target::values(y.data()), opt).lr, e);
  model.reset_optimizer();
  opt.optimizer.schedule.type = ScheduleType::kCosine;
  opt.optimizer.schedule.t_max = 4;
  opt.optimizer.schedule.eta_min = 0.0f;
  // lr_s = 0.1 (1 + cos(pi s / 4)) / 2, held at eta_min after t_max.
  const float expected_cos[] = {0.1f, 0.0853553f, 0.05f, 0.0146447f, 0.0f, 0.0f};
  for (float e : expected_cos)
    EXPECT_NEAR(model.train_batch(Input::features(x.data(), 1, 3), Target::values(y.data()), opt).lr, e, 1e-6);
}

TEST(Determinism, SameSeedSameWeightsAndLossCurve) {
  ModelConfig cfg;
  cfg.hidden_sizes = {16, 8};
  cfg.dropout = 0.2f;
  cfg.seed = 123;
  Model a(cfg), b(cfg);
  EXPECT_EQ(a.parameters(), b.parameters());
  cfg.seed = 124;
  EXPECT_NE(Model(cfg).parameters(), a.parameters());
  Rng rng(1);
  auto x = test::random_vector(rng, 8 * 10);
  auto y = test::random_vector(rng, 8);
  TrainOptions opt;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(a.train_batch(Input::features(x.data(), 8, 10), Target::values(y.data()), opt).loss,
              b.train_batch(Input::features(x.data(), 8, 10), Target::values(y.data()), opt).loss);
}

TEST(Initialisation, RecurrentBlocksAreOrthogonalAndForgetBiasIsOne) {
  ModelConfig cfg;
  cfg.hidden_sizes = {6};
  Model m(cfg);
  for (const auto& w : m.get_weights()) {
    if (w.name == "weight_hh_l0") {
      for (int g = 0; g < 4; ++g) {
        const float* q = w.tensor.data.data() + g * 36;
        for (int i = 0; i < 6; ++i)
          for (int j = 0; j < 6; ++j) {
            double dot = 0;
            for (int k = 0; k < 6; ++k) dot += double(q[i * 6 + k]) * q[j * 6 + k];
            EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-6);
          }
      }
    }
    if (w.name == "bias_ih_l0")
      for (int j = 0; j < 24; ++j) EXPECT_EQ(w.tensor.data[j], j >= 6 && j < 12 ? 1.0f : 0.0f);
  }
}

}  // namespace
}  // namespace rnnlab
