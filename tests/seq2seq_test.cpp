// Encoder-decoder: gradients through the state hand-off, learning a real mapping, errors.
#include <gtest/gtest.h>

#include <cmath>

#include "rnnlab/error.h"
#include "rnnlab/kernels.h"
#include "rnnlab/model_file.h"
#include "rnnlab/seq2seq.h"
#include "test_util.h"

namespace rnnlab {
namespace {

struct CellCase {
  const char* name;
  CellType cell;
  GruVariant variant;
};

class Seq2SeqGradient : public ::testing::TestWithParam<CellCase> {};

TEST_P(Seq2SeqGradient, MatchesFiniteDifferences) {
  Seq2SeqConfig cfg;
  cfg.cell = GetParam().cell;
  cfg.gru_variant = GetParam().variant;
  cfg.input_vocab = 5;
  cfg.output_vocab = 4;
  cfg.embedding_size = 3;
  cfg.hidden_sizes = {4, 3};
  cfg.seed = 3;
  Seq2Seq model(cfg);
  ASSERT_TRUE(kernels::use("reference"));
  Rng rng(8);
  const int B = 2, Ts = 4, Tt = 3;
  auto src = test::random_ids(rng, B * Ts, 5);
  auto tgt = test::random_ids(rng, B * Tt, 4);
  std::vector<float> mask = {1, 1, 1, 1, 1, 0};  // the second row is one step shorter
  std::vector<float> grads, scratch;
  model.compute_gradients(src.data(), B, Ts, tgt.data(), Tt, mask.data(), grads);
  std::vector<float>& p = model.parameters();
  const float h = 1e-2f;
  double worst = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const float saved = p[i];
    double f[4];
    const float off[4] = {-2 * h, -h, h, 2 * h};
    for (int k = 0; k < 4; ++k) {
      p[i] = saved + off[k];
      model.parameters_changed();
      f[k] = model.compute_gradients(src.data(), B, Ts, tgt.data(), Tt, mask.data(), scratch);
    }
    p[i] = saved;
    double fd = (8.0 * (f[2] - f[1]) - (f[3] - f[0])) / (12.0 * h);
    // Same bound as gradient_test: 0.2% relative plus float32 forward noise.
    worst = std::fmax(worst, std::fabs(fd - grads[i]) / (2e-3 * std::fabs(fd) + 5e-5));
  }
  EXPECT_LE(worst, 1.0);
  kernels::use(kernels::all().back()->name);
}

INSTANTIATE_TEST_SUITE_P(Cells, Seq2SeqGradient,
                         ::testing::Values(CellCase{"rnn", CellType::kRnn, GruVariant::kPyTorch},
                                           CellCase{"lstm", CellType::kLstm, GruVariant::kPyTorch},
                                           CellCase{"gru", CellType::kGru, GruVariant::kPyTorch},
                                           CellCase{"gruclassic", CellType::kGru, GruVariant::kClassic}),
                         [](const auto& info) { return std::string(info.param.name); });

// Reversing a digit string: the output has to be read out of the encoder's final state.
TEST(Seq2SeqLearning, ReversesDigitStrings) {
  Seq2SeqConfig cfg;
  cfg.cell = CellType::kGru;
  cfg.input_vocab = 10;
  cfg.output_vocab = 11;  // digits + end token 10
  cfg.hidden_sizes = {64};
  cfg.seed = 1;
  Seq2Seq model(cfg);
  TrainOptions opt;
  opt.optimizer.lr = 1e-2f;
  opt.clip_norm = 1.0f;
  Rng rng(2);
  const int B = 32, L = 4;
  std::vector<int32_t> src(B * L), tgt(B * (L + 1));
  auto make_batch = [&]() {
    for (int b = 0; b < B; ++b) {
      for (int t = 0; t < L; ++t) src[b * L + t] = static_cast<int32_t>(rng.below(10));
      for (int t = 0; t < L; ++t) tgt[b * (L + 1) + t] = src[b * L + L - 1 - t];
      tgt[b * (L + 1) + L] = 10;
    }
  };
  for (int step = 0; step < 600; ++step) {
    make_batch();
    model.train_batch(src.data(), B, L, tgt.data(), L + 1, nullptr, opt);
  }
  make_batch();
  auto out = model.translate(src.data(), B, L, L + 3, 10);
  int correct = 0;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t <= L; ++t) correct += out[b * (L + 3) + t] == tgt[b * (L + 1) + t];
  // Stated target: >= 90% of tokens (including the end token) right after 600 steps.
  EXPECT_GE(correct, 0.9 * B * (L + 1));
  // After the end token every position is -1.
  for (int b = 0; b < B; ++b)
    if (out[b * (L + 3) + L] == 10) EXPECT_EQ(out[b * (L + 3) + L + 1], -1);
}

TEST(Seq2SeqFile, RoundTripsBitExactly) {
  Seq2SeqConfig cfg;
  cfg.cell = CellType::kLstm;
  cfg.input_vocab = 6;
  cfg.output_vocab = 5;
  cfg.hidden_sizes = {7, 5};
  cfg.dropout = 0.1f;
  cfg.seed = 77;
  Seq2Seq model(cfg);
  std::vector<uint8_t> bytes = save_seq2seq(model, "{\"note\":1}");
  LoadedSeq2Seq loaded = load_seq2seq(bytes.data(), bytes.size());
  EXPECT_EQ(loaded.metadata, "{\"note\":1}");
  EXPECT_EQ(loaded.model.parameters(), model.parameters());
  EXPECT_EQ(loaded.model.config().hidden_sizes, cfg.hidden_sizes);
  std::vector<int32_t> src = {1, 2, 3, 4, 5, 0};
  EXPECT_EQ(loaded.model.translate(src.data(), 2, 3, 6), model.translate(src.data(), 2, 3, 6));
  // Each loader refuses the other kind, naming it.
  try {
    load_model(bytes.data(), bytes.size());
    FAIL() << "a Seq2Seq file must not load as a Model";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModelFile);
    EXPECT_EQ(e.field(), "kind");
  }
  ModelConfig mc;
  Model plain(mc);
  std::vector<uint8_t> plain_bytes = save_model(plain);
  EXPECT_THROW(load_seq2seq(plain_bytes.data(), plain_bytes.size()), Error);
  bytes[bytes.size() / 2] ^= 0x40;
  EXPECT_THROW(load_seq2seq(bytes.data(), bytes.size()), Error);
}

TEST(Seq2SeqErrors, RejectsBadInput) {
  Seq2SeqConfig cfg;
  cfg.input_vocab = 0;
  cfg.output_vocab = 5;
  try {
    Seq2Seq bad(cfg);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "input_vocab");
  }
  cfg.input_vocab = 4;
  Seq2Seq model(cfg);
  std::vector<int32_t> src = {1, 2, 3}, tgt = {1, 7};
  TrainOptions opt;
  try {
    model.train_batch(src.data(), 1, 3, tgt.data(), 2, nullptr, opt);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "y");
  }
  src[1] = 9;
  tgt[1] = 1;
  try {
    model.train_batch(src.data(), 1, 3, tgt.data(), 2, nullptr, opt);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "x");
  }
  EXPECT_THROW(model.translate(src.data(), 1, 3, 0), Error);
}

}  // namespace
}  // namespace rnnlab
