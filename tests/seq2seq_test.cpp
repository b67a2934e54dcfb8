// Encoder-decoder: gradients through the state hand-off, learning a real mapping, errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

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

// ---- inspect() ----

class Seq2SeqInspect : public ::testing::TestWithParam<CellCase> {};

// Two layers with dropout: inspect must run as evaluate() does (no dropout), so its loss is
// evaluate()'s bit for bit; shapes, gate ranges, probabilities, and the encoder's gradient.
TEST_P(Seq2SeqInspect, LossShapesGatesAndProbabilities) {
  Seq2SeqConfig cfg;
  cfg.cell = GetParam().cell;
  cfg.gru_variant = GetParam().variant;
  cfg.input_vocab = 7;
  cfg.output_vocab = 6;
  cfg.embedding_size = 4;
  cfg.hidden_sizes = {5, 3};
  cfg.dropout = 0.3f;
  cfg.seed = 11;
  Seq2Seq model(cfg);
  Rng rng(5);
  const int B = 3, Ts = 5, Tt = 4, V = 6;
  auto src = test::random_ids(rng, B * Ts, 7);
  auto tgt = test::random_ids(rng, B * Tt, 6);
  std::vector<float> mask(B * Tt, 1.0f);
  mask[Tt - 1] = 0.0f;  // row 0 is one step shorter
  tgt[Tt - 1] = 99;     // and its padded step may hold any id
  TrainOptions opt;
  opt.optimizer.lr = 0.05f;
  model.train_batch(src.data(), B, Ts, tgt.data(), Tt, mask.data(), opt);  // not the init

  const std::vector<float> before = model.parameters();
  Seq2SeqInspection ins = model.inspect(src.data(), B, Ts, tgt.data(), Tt, mask.data());
  EXPECT_EQ(ins.loss, model.evaluate(src.data(), B, Ts, tgt.data(), Tt, mask.data()));
  EXPECT_EQ(model.parameters(), before) << "inspect changes no weight";
  EXPECT_EQ(ins.batch, B);
  EXPECT_EQ(ins.source_steps, Ts);
  EXPECT_EQ(ins.target_steps, Tt);
  EXPECT_EQ(ins.target, tgt) << "the target as given";

  const int G = cfg.cell == CellType::kLstm ? 4 : cfg.cell == CellType::kGru ? 3 : 1;
  ASSERT_EQ(ins.encoder.size(), 2u);
  ASSERT_EQ(ins.decoder.size(), 2u);
  for (int side = 0; side < 2; ++side) {
    const auto& layers = side == 0 ? ins.encoder : ins.decoder;
    const size_t T = side == 0 ? Ts : Tt;
    for (size_t l = 0; l < 2; ++l) {
      const LayerTrace& tr = layers[l];
      const size_t H = cfg.hidden_sizes[l];
      SCOPED_TRACE((side == 0 ? "encoder layer " : "decoder layer ") + std::to_string(l));
      EXPECT_EQ(tr.hidden, static_cast<int>(H));
      EXPECT_EQ(tr.h.size(), B * T * H);
      EXPECT_EQ(tr.c.size(), cfg.cell == CellType::kLstm ? B * T * H : 0u);
      ASSERT_EQ(tr.gates.size(), B * T * G * H);
      ASSERT_EQ(tr.grad_norm.size(), T);
      for (float n : tr.grad_norm) EXPECT_TRUE(std::isfinite(n) && n >= 0.0f);
      // Sigmoid gates (LSTM i f o, GRU r z) in [0, 1]; tanh ones (LSTM g, GRU n, RNN h) in
      // [-1, 1], and not all of those non-negative (they are not sigmoids by mistake).
      bool negative_tanh = false;
      for (size_t r = 0; r < B * T; ++r)
        for (size_t j = 0; j < G * H; ++j) {
          const float v = tr.gates[r * G * H + j];
          const size_t gate = j / H;
          const bool tanh_gate = G == 1 || (G == 4 && gate == 2) || (G == 3 && gate == 2);
          if (tanh_gate) {
            EXPECT_TRUE(v >= -1.0f && v <= 1.0f) << v;
            negative_tanh = negative_tanh || v < 0.0f;
          } else {
            EXPECT_TRUE(v >= 0.0f && v <= 1.0f) << "gate " << gate << ": " << v;
          }
        }
      EXPECT_TRUE(negative_tanh);
    }
  }
  // The loss reaches the encoder only through the final state -> initial state bridge: its
  // last step's gradient is what the decoder hands back, and it is not zero.
  EXPECT_GT(ins.encoder[1].grad_norm[Ts - 1], 0.0f);
  EXPECT_GT(ins.encoder[0].grad_norm[Ts - 1], 0.0f);
  EXPECT_GT(ins.encoder[0].grad_norm[0], 0.0f) << "the error reaches the first source step";

  // output: softmax(head(h_top)) of each decoder step, batch-major [B, Tt, V].
  ASSERT_EQ(ins.output.size(), static_cast<size_t>(B * Tt * V));
  std::vector<float> w, bias;
  for (const NamedTensor& t : model.get_weights()) {
    if (t.name == "head.weight") w = t.tensor.data;
    if (t.name == "head.bias") bias = t.tensor.data;
  }
  const LayerTrace& top = ins.decoder[1];
  const int H = top.hidden;
  double worst = 0.0;
  for (int r = 0; r < B * Tt; ++r) {
    double z[6], m = -1e30, sum = 0.0;
    for (int o = 0; o < V; ++o) {
      z[o] = bias[o];
      for (int j = 0; j < H; ++j) z[o] += double(w[o * H + j]) * top.h[r * H + j];
      m = std::fmax(m, z[o]);
    }
    for (int o = 0; o < V; ++o) sum += std::exp(z[o] - m);
    for (int o = 0; o < V; ++o)
      worst = std::fmax(worst, std::fabs(std::exp(z[o] - m) / sum - ins.output[r * V + o]));
  }
  EXPECT_LT(worst, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Cells, Seq2SeqInspect,
                         ::testing::Values(CellCase{"rnn", CellType::kRnn, GruVariant::kPyTorch},
                                           CellCase{"lstm", CellType::kLstm, GruVariant::kPyTorch},
                                           CellCase{"gru", CellType::kGru, GruVariant::kPyTorch},
                                           CellCase{"gruclassic", CellType::kGru, GruVariant::kClassic}),
                         [](const auto& info) { return std::string(info.param.name); });

// ||dL/dh_t|| against finite differences. No hook perturbs a hidden state, but with a tanh
// RNN whose input weights are the identity (embedding width = hidden width), an embedding
// row that only one (row b, step t) reads perturbs exactly the pre-activation a_t[b]: so
// dL/dh_t[b][j] = (dL/de[j]) / (1 - h_t[b][j]^2), with dL/de by five-point differences and h
// from the trace. Every decoder step after the first (whose start token all rows share) and
// every encoder step is checked, the encoder's through the decoder (the bridge).
TEST(Seq2SeqInspectGradient, NormsMatchFiniteDifferences) {
  Seq2SeqConfig cfg;
  cfg.cell = CellType::kRnn;
  cfg.input_vocab = 8;
  cfg.output_vocab = 9;
  const int H = 5;
  cfg.embedding_size = H;
  cfg.hidden_sizes = {H};
  cfg.seed = 21;
  Seq2Seq model(cfg);
  {
    std::vector<NamedTensor> weights = model.get_weights();
    for (NamedTensor& t : weights)
      if (t.name == "encoder.weight_ih_l0" || t.name == "decoder.weight_ih_l0")
        for (int i = 0; i < H; ++i)
          for (int j = 0; j < H; ++j) t.tensor.data[i * H + j] = i == j ? 1.0f : 0.0f;
    model.set_weights(weights);
  }
  const int B = 2, Ts = 3, Tt = 4;
  // Every source id and every decoder input after the start token is used exactly once.
  const std::vector<int32_t> src = {0, 1, 2, 3, 4, 5};
  const std::vector<int32_t> tgt = {1, 2, 3, 0, 4, 5, 6, 0};
  Seq2SeqInspection ins = model.inspect(src.data(), B, Ts, tgt.data(), Tt);

  std::vector<float>& p = model.parameters();
  auto offset_of = [&](const std::string& name) {
    size_t at = 0;
    for (const NamedTensor& t : model.get_weights()) {
      if (t.name == name) return at;
      at += t.tensor.data.size();
    }
    ADD_FAILURE() << name;
    return at;
  };
  const size_t enc_emb = offset_of("encoder.embedding.weight");
  const size_t dec_emb = offset_of("decoder.embedding.weight");
  auto loss_at = [&] {
    model.parameters_changed();
    return static_cast<double>(model.evaluate(src.data(), B, Ts, tgt.data(), Tt, nullptr));
  };
  // ||dL/dh_t|| (RMS over the batch) from differences on the embedding rows read at step t.
  auto fd_norm = [&](size_t table, const LayerTrace& tr, int T, int t,
                     const std::vector<int32_t>& ids_at) {
    double sum = 0.0;
    for (int b = 0; b < B; ++b)
      for (int j = 0; j < H; ++j) {
        float& v = p[table + static_cast<size_t>(ids_at[b]) * H + j];
        const float saved = v, e = 1e-2f;
        double f[4];
        const float off[4] = {-2 * e, -e, e, 2 * e};
        for (int k = 0; k < 4; ++k) v = saved + off[k], f[k] = loss_at();
        v = saved;
        const double da = (8.0 * (f[2] - f[1]) - (f[3] - f[0])) / (12.0 * e);
        const double h = tr.h[(static_cast<size_t>(b) * T + t) * H + j];
        const double dh = da / (1.0 - h * h);
        sum += dh * dh;
      }
    loss_at();
    return std::sqrt(sum / B);
  };
  for (int t = 1; t < Tt; ++t) {
    const std::vector<int32_t> ids = {tgt[t - 1], tgt[Tt + t - 1]};
    const double fd = fd_norm(dec_emb, ins.decoder[0], Tt, t, ids);
    EXPECT_NEAR(ins.decoder[0].grad_norm[t], fd, 2e-3 * fd + 1e-5) << "decoder step " << t;
  }
  for (int t = 0; t < Ts; ++t) {
    const std::vector<int32_t> ids = {src[t], src[Ts + t]};
    const double fd = fd_norm(enc_emb, ins.encoder[0], Ts, t, ids);
    EXPECT_GT(fd, 1e-4) << "the loss depends on encoder step " << t;
    EXPECT_NEAR(ins.encoder[0].grad_norm[t], fd, 2e-3 * fd + 1e-5) << "encoder step " << t;
  }
}

// Without a target, inspect scores the greedy translation: its ids (cut to the steps decoded,
// -1 after a row's stop token), evaluate()'s loss on them with those steps masked out.
TEST(Seq2SeqInspectGreedy, ScoresTheGreedyTranslation) {
  Seq2SeqConfig cfg;
  cfg.cell = CellType::kLstm;
  cfg.input_vocab = 6;
  cfg.output_vocab = 5;
  cfg.hidden_sizes = {6};
  cfg.seed = 4;
  Seq2Seq model(cfg);
  const int B = 4, Ts = 3;
  const std::vector<int32_t> src = {0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0};
  // The stop token: what row 0 emits first, so that at least that row stops at once.
  const int stop = model.translate(src.data(), B, Ts, 1)[0];
  TranslateOptions greedy;
  greedy.max_length = 7;
  greedy.stop_token = stop;
  const std::vector<int32_t> translated = model.translate(src.data(), B, Ts, 7, stop);
  Seq2SeqInspection ins = model.inspect(src.data(), B, Ts, nullptr, 0, nullptr, greedy);
  const int Tt = ins.target_steps;
  ASSERT_GE(Tt, 1);
  ASSERT_LE(Tt, 7);
  ASSERT_EQ(ins.target.size(), static_cast<size_t>(B * Tt));
  std::vector<float> mask(B * Tt);
  bool any_stopped = false;
  for (int b = 0; b < B; ++b) {
    for (int t = 0; t < 7; ++t) {
      const int32_t want = translated[b * 7 + t];
      if (t < Tt) EXPECT_EQ(ins.target[b * Tt + t], want) << b << ", " << t;
      else EXPECT_EQ(want, -1) << "Tt = the steps decoded";
    }
    for (int t = 0; t < Tt; ++t) {
      mask[b * Tt + t] = ins.target[b * Tt + t] < 0 ? 0.0f : 1.0f;
      any_stopped = any_stopped || ins.target[b * Tt + t] < 0;
    }
  }
  EXPECT_TRUE(any_stopped || Tt == 1);
  EXPECT_EQ(ins.loss, model.evaluate(src.data(), B, Ts, ins.target.data(), Tt, mask.data()));
  // The greedy tokens are the most likely ones of the output it reports.
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < Tt; ++t) {
      if (ins.target[b * Tt + t] < 0) continue;
      const float* row = ins.output.data() + (static_cast<size_t>(b) * Tt + t) * 5;
      EXPECT_EQ(std::max_element(row, row + 5) - row, ins.target[b * Tt + t]);
    }
  EXPECT_GT(ins.encoder[0].grad_norm[Ts - 1], 0.0f);

  // Errors: a mask needs a target; the greedy options are translate()'s.
  std::vector<float> one(B, 1.0f);
  auto field_of = [&](auto&& call) {
    try {
      call();
    } catch (const Error& e) {
      return e.field();
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(field_of([&] { model.inspect(src.data(), B, Ts, nullptr, 0, one.data()); }), "mask");
  TranslateOptions bad = greedy;
  bad.stop_token = 5;
  EXPECT_EQ(field_of([&] { model.inspect(src.data(), B, Ts, nullptr, 0, nullptr, bad); }), "stop_token");
  bad = greedy;
  bad.max_length = 0;
  EXPECT_EQ(field_of([&] { model.inspect(src.data(), B, Ts, nullptr, 0, nullptr, bad); }), "max_length");
  std::vector<int32_t> tgt(B * 2, 9);
  EXPECT_EQ(field_of([&] { model.inspect(src.data(), B, Ts, tgt.data(), 2); }), "y");
  EXPECT_EQ(field_of([&] { model.inspect(src.data(), 0, Ts, tgt.data(), 2); }), "x");
}

// inspect() leaves no trace in training: a model inspected between steps trains bit for bit
// as one that was not.
TEST(Seq2SeqInspectGreedy, TrainingIsUnchanged) {
  Seq2SeqConfig cfg;
  cfg.cell = CellType::kGru;
  cfg.input_vocab = 6;
  cfg.output_vocab = 5;
  cfg.hidden_sizes = {6, 4};
  cfg.dropout = 0.2f;
  cfg.seed = 8;
  Seq2Seq a(cfg), b(cfg);
  Rng rng(3);
  const int B = 3, Ts = 4, Tt = 3;
  auto src = test::random_ids(rng, B * Ts, 6);
  auto tgt = test::random_ids(rng, B * Tt, 5);
  TrainOptions opt;
  opt.optimizer.type = OptimizerType::kAdam;
  opt.optimizer.lr = 1e-2f;
  for (int step = 0; step < 3; ++step) {
    a.inspect(src.data(), B, Ts, tgt.data(), Tt);
    a.inspect(src.data(), B, Ts);
    TrainResult ra = a.train_batch(src.data(), B, Ts, tgt.data(), Tt, nullptr, opt);
    TrainResult rb = b.train_batch(src.data(), B, Ts, tgt.data(), Tt, nullptr, opt);
    EXPECT_EQ(ra.loss, rb.loss);
    EXPECT_EQ(ra.grad_norm, rb.grad_norm);
  }
  EXPECT_EQ(a.parameters(), b.parameters());
}

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
