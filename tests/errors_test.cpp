// Every bad input becomes an rnnlab::Error with a code and the name of the bad field, and
// leaves the model as it was.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "rnnlab/error.h"
#include "rnnlab/model.h"

namespace rnnlab {
namespace {

void expect_error(const std::function<void()>& f, ErrorCode code, const std::string& field) {
  try {
    f();
    ADD_FAILURE() << "expected an error on field '" << field << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << "message names the field";
  }
}

ModelConfig base() {
  ModelConfig c;
  c.input_size = 2;
  c.hidden_sizes = {4};
  return c;
}

TEST(ConfigErrors, ZeroOrNegativeSizes) {
  auto with = [](auto edit) {
    return [edit]() {
      ModelConfig c = base();
      edit(c);
      Model m(c);
    };
  };
  const auto bad = ErrorCode::kInvalidConfig;
  expect_error(with([](ModelConfig& c) { c.input_size = 0; }), bad, "input_size");
  expect_error(with([](ModelConfig& c) { c.input_size = -3; }), bad, "input_size");
  expect_error(with([](ModelConfig& c) { c.hidden_sizes = {}; }), bad, "hidden_sizes");
  expect_error(with([](ModelConfig& c) { c.hidden_sizes = {8, 0}; }), bad, "hidden_sizes");
  expect_error(with([](ModelConfig& c) { c.output_size = 0; }), bad, "output_size");
  expect_error(with([](ModelConfig& c) {
                 c.input_encoding = InputEncoding::kEmbedding;
                 c.vocab_size = -1;
               }),
               bad, "vocab_size");
  expect_error(with([](ModelConfig& c) {
                 c.input_encoding = InputEncoding::kEmbedding;
                 c.vocab_size = 10;
                 c.embedding_size = -2;
               }),
               bad, "embedding_size");
  expect_error(with([](ModelConfig& c) {
                 c.head = HeadType::kSoftmax;
                 c.output_size = 1;
               }),
               bad, "output_size");
  expect_error(with([](ModelConfig& c) { c.dropout = 1.0f; }), bad, "dropout");
  expect_error(with([](ModelConfig& c) { c.dropout = std::nanf(""); }), bad, "dropout");
}

TEST(ConfigErrors, UnknownNames) {
  expect_error([] { parse_cell("transformer"); }, ErrorCode::kInvalidConfig, "cell");
  expect_error([] { parse_gru_variant("keras"); }, ErrorCode::kInvalidConfig, "gru_variant");
  expect_error([] { parse_optimizer("adagrad"); }, ErrorCode::kInvalidConfig, "optimizer.type");
  expect_error([] { parse_loss("l1"); }, ErrorCode::kInvalidConfig, "loss");
  expect_error([] { parse_schedule("linear"); }, ErrorCode::kInvalidConfig, "optimizer.schedule.type");
  expect_error([] { parse_head("sigmoid"); }, ErrorCode::kInvalidConfig, "head");
  expect_error([] { parse_output_mode("all"); }, ErrorCode::kInvalidConfig, "output");
  expect_error([] { parse_input_encoding("bytes"); }, ErrorCode::kInvalidConfig, "input_encoding");
  // The message lists what is accepted.
  try {
    parse_cell("transformer");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'lstm'"), std::string::npos);
  }
}

TEST(ConfigErrors, ParameterCountAboveTheCap) {
  ModelConfig c = base();
  c.hidden_sizes = {4096, 4096};  // 2 x 4 x 4096 x 8k ~ 268 M parameters
  expect_error([&] { Model m(c); }, ErrorCode::kTooLarge, "hidden_sizes");
  c.hidden_sizes = {100000};
  expect_error([&] { Model m(c); }, ErrorCode::kTooLarge, "hidden_sizes");
}

TEST(DataErrors, ShapeMismatches) {
  Model m(base());
  std::vector<float> x(2 * 3 * 2, 0.1f), y(2, 0.0f);
  std::vector<int32_t> ids(6, 1);
  TrainOptions o;
  const auto shape = ErrorCode::kShapeMismatch;
  expect_error([&] { m.train_batch(Input::tokens(ids.data(), 2, 3), Target::values(y.data()), o); },
               shape, "x");
  expect_error([&] { m.train_batch(Input::features(x.data(), 0, 3), Target::values(y.data()), o); },
               shape, "x");
  expect_error([&] { m.train_batch(Input::features(x.data(), 2, 0), Target::values(y.data()), o); },
               shape, "x");
  std::vector<int32_t> cls(2, 0);
  expect_error([&] { m.train_batch(Input::features(x.data(), 2, 3), Target::labels(cls.data()), o); },
               shape, "y");
  // Weights: wrong shape, unknown name, missing tensors.
  auto w = m.get_weights();
  w[0].tensor.shape = {1, 2};
  expect_error([&] { m.set_weights(w); }, shape, "weights");
  w = m.get_weights();
  w[1].name = "weight_hh_l7";
  expect_error([&] { m.set_weights(w); }, shape, "weights");
  w = m.get_weights();
  w.pop_back();
  expect_error([&] { m.set_weights(w); }, shape, "weights");
}

TEST(DataErrors, NonFiniteValues) {
  Model m(base());
  std::vector<float> before = m.parameters();
  std::vector<float> x(2 * 3 * 2, 0.1f), y(2, 0.0f), mask(2, 1.0f);
  TrainOptions o;
  const auto nf = ErrorCode::kNonFiniteData;
  x[5] = std::numeric_limits<float>::quiet_NaN();
  expect_error([&] { m.train_batch(Input::features(x.data(), 2, 3), Target::values(y.data()), o); }, nf, "x");
  x[5] = std::numeric_limits<float>::infinity();
  expect_error([&] { m.predict(Input::features(x.data(), 2, 3)); }, nf, "x");
  x[5] = 0.0f;
  y[1] = -std::numeric_limits<float>::infinity();
  expect_error([&] { m.train_batch(Input::features(x.data(), 2, 3), Target::values(y.data()), o); }, nf, "y");
  y[1] = 0.0f;
  mask[0] = std::nanf("");
  expect_error([&] { m.train_batch(Input::features(x.data(), 2, 3), Target::values(y.data(), mask.data()), o); },
               nf, "mask");
  auto w = m.get_weights();
  w[2].tensor.data[0] = std::nanf("");
  expect_error([&] { m.set_weights(w); }, nf, "weights");
  EXPECT_EQ(m.parameters(), before) << "failed calls change nothing";
}

TEST(DataErrors, OutOfRangeIdsAndClasses) {
  ModelConfig c = base();
  c.input_encoding = InputEncoding::kEmbedding;
  c.vocab_size = 5;
  c.head = HeadType::kSoftmax;
  c.output_size = 3;
  Model m(c);
  std::vector<int32_t> ids = {0, 1, 5}, cls = {1};
  TrainOptions o;
  expect_error([&] { m.train_batch(Input::tokens(ids.data(), 1, 3), Target::labels(cls.data()), o); },
               ErrorCode::kInvalidConfig, "x");
  ids[2] = 4;
  cls[0] = 3;
  expect_error([&] { m.train_batch(Input::tokens(ids.data(), 1, 3), Target::labels(cls.data()), o); },
               ErrorCode::kInvalidConfig, "y");
  // A masked-out step may hold any id (padding).
  std::vector<float> mask = {0.0f};
  EXPECT_NO_THROW(m.evaluate(Input::tokens(ids.data(), 1, 3), Target::labels(cls.data(), mask.data())));
}

TEST(OptionErrors, OutOfRangeTrainingOptions) {
  Model m(base());
  std::vector<float> x(6, 0.1f), y(1, 0.0f);
  auto train = [&](TrainOptions o) { m.train_batch(Input::features(x.data(), 1, 3), Target::values(y.data()), o); };
  const auto bad = ErrorCode::kInvalidConfig;
  TrainOptions o;
  o.optimizer.lr = -1;
  expect_error([&] { train(o); }, bad, "optimizer.lr");
  o = {};
  o.optimizer.lr = std::numeric_limits<float>::infinity();
  expect_error([&] { train(o); }, bad, "optimizer.lr");
  o = {};
  o.optimizer.beta2 = 1.0f;
  expect_error([&] { train(o); }, bad, "optimizer.beta2");
  o = {};
  o.optimizer.nesterov = true;
  o.optimizer.type = OptimizerType::kSgd;
  expect_error([&] { train(o); }, bad, "optimizer.nesterov");
  o = {};
  o.clip_norm = -1;
  expect_error([&] { train(o); }, bad, "clip_norm");
  o = {};
  o.tbptt = -2;
  expect_error([&] { train(o); }, bad, "tbptt");
  o = {};
  o.loss = LossType::kCrossEntropy;
  expect_error([&] { train(o); }, bad, "loss");
  o = {};
  o.optimizer.schedule.type = ScheduleType::kStep;
  o.optimizer.schedule.step_size = 0;
  expect_error([&] { train(o); }, bad, "optimizer.schedule.step_size");
}

TEST(StateErrors, InferenceMisuse) {
  Model m(base());
  std::vector<float> x(2, 0.0f);
  expect_error([&] { m.step(x.data()); }, ErrorCode::kInvalidState, "state");
  expect_error([&] { m.forecast(x.data(), 1, 3); }, ErrorCode::kInvalidState, "forecast");
  expect_error([&] { m.generate({1}, 3, SampleOptions{}); }, ErrorCode::kInvalidState, "generate");
  expect_error([&] { m.reset_state(0); }, ErrorCode::kInvalidConfig, "batch");
  ModelConfig c = base();
  c.input_encoding = InputEncoding::kOneHot;
  c.vocab_size = 4;
  c.output_size = 4;
  c.head = HeadType::kSoftmax;
  Model g(c);
  SampleOptions s;
  s.temperature = 0;
  expect_error([&] { g.generate({1}, 3, s); }, ErrorCode::kInvalidConfig, "temperature");
  s = {};
  s.top_p = 1.5f;
  expect_error([&] { g.generate({1}, 3, s); }, ErrorCode::kInvalidConfig, "top_p");
  s = {};
  expect_error([&] { g.generate({}, 3, s); }, ErrorCode::kInvalidConfig, "prime");
  expect_error([&] { g.generate({9}, 3, s); }, ErrorCode::kInvalidConfig, "prime");
  expect_error([&] { g.generate({1}, -1, s); }, ErrorCode::kInvalidConfig, "length");
}

TEST(ErrorCodes, HaveStableNames) {
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidConfig), "INVALID_CONFIG");
  EXPECT_STREQ(error_code_name(ErrorCode::kNonFiniteLoss), "NON_FINITE_LOSS");
  EXPECT_STREQ(error_code_name(ErrorCode::kTooLarge), "TOO_LARGE");
}

}  // namespace
}  // namespace rnnlab
