// Regression tests of the robustness work (issue 10): each finding of the fuzz targets
// (tests/fuzz/), the sanitizer build or review, with the input that showed it and what the
// library must do instead. The minimized inputs also sit in tests/fuzz/regressions/<target>/,
// which fuzz_replay_test runs through the fuzz harness in every build.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "io/boundary_formats.h"
#include "rnnlab/data.h"
#include "rnnlab/error.h"
#include "rnnlab/model.h"
#include "rnnlab/model_file.h"
#include "rnnlab/seq2seq.h"

namespace rnnlab {
namespace {

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an rnnlab::Error";
  return Error(ErrorCode::kInvalidState, "", "nothing thrown");
}

double seconds_of(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Finding (review, then timed): a model file's config was turned into a model, parameters
// allocated and initialised, before its tensors were compared with it. A 67-byte file naming
// one 4000-unit RNN layer and holding no tensor made load_model allocate 128 MB and spend 45 s
// (natively; longer in wasm, freezing a page) on an orthogonal initialisation it then threw
// away. Now the tensors are checked against the declared ones before anything is allocated,
// and loading never draws initial weights.
TEST(ModelFileRegression, ATinyFileNamingAHugeLayerIsRefusedAtOnce) {
  for (const char* cell : {"rnn", "lstm"}) {
    ModelFile f;
    f.config = {{"cell", cell}, {"hidden_sizes", std::string(cell) == "rnn" ? "4000" : "2000"}};
    const std::vector<uint8_t> bytes = encode_model_file(f);
    EXPECT_LT(bytes.size(), 80u);
    Error e(ErrorCode::kInvalidState, "", "");
    const double s = seconds_of([&] { e = error_of([&] { load_model(bytes.data(), bytes.size()); }); });
    EXPECT_EQ(e.code(), ErrorCode::kBadModelFile) << e.what();
    EXPECT_EQ(e.field(), "tensors");
    EXPECT_NE(std::string(e.what()).find("missing tensor 'weight_ih_l0'"), std::string::npos) << e.what();
    EXPECT_LT(s, 1.0) << "refusing a " << bytes.size() << "-byte file took " << s << " s";
  }
  // The same for Seq2Seq files: 2 x 2000 GRU units, no tensors.
  ModelFile f;
  f.kind = kModelFileKindSeq2Seq;
  f.config = {{"cell", "gru"}, {"input_vocab", "4"}, {"output_vocab", "4"}, {"hidden_sizes", "1180"}};
  const std::vector<uint8_t> bytes = encode_model_file(f);
  const double s = seconds_of([&] {
    const Error e = error_of([&] { load_seq2seq(bytes.data(), bytes.size()); });
    EXPECT_EQ(e.code(), ErrorCode::kBadModelFile) << e.what();
    EXPECT_EQ(e.field(), "tensors");
  });
  EXPECT_LT(s, 1.0);
}

// The loader's new path: building with given weights equals building, then setting them, bit
// for bit, and refuses exactly what set_weights refuses, before allocating.
TEST(ModelFileRegression, BuildingWithWeightsEqualsSetWeights) {
  ModelConfig c;
  c.cell = CellType::kGru, c.input_size = 3, c.hidden_sizes = {5, 4}, c.output_size = 2, c.seed = 11;
  Model source(c);
  for (float& v : source.parameters()) v = std::sin(v * 7.0f + 1.0f);
  source.parameters_changed();
  const std::vector<NamedTensor> w = source.get_weights();
  ModelConfig other = c;
  other.seed = 99;  // different initial weights: all must be replaced
  Model set(other);
  set.set_weights(w);
  const Model built(other, w);
  EXPECT_EQ(built.parameter_count(), set.parameter_count());
  const std::vector<NamedTensor> a = built.get_weights(), b = set.get_weights();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    ASSERT_EQ(a[i].tensor.data.size(), b[i].tensor.data.size());
    EXPECT_EQ(std::memcmp(a[i].tensor.data.data(), b[i].tensor.data.data(), 4 * a[i].tensor.data.size()), 0);
  }
  std::vector<NamedTensor> missing = w;
  missing.pop_back();
  EXPECT_EQ(error_of([&] { Model(c, missing); }).code(), ErrorCode::kShapeMismatch);
  std::vector<NamedTensor> nan = w;
  nan[0].tensor.data[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(error_of([&] { Model(c, nan); }).code(), ErrorCode::kNonFiniteData);
  // Seq2Seq too.
  Seq2SeqConfig sc;
  sc.input_vocab = 5, sc.output_vocab = 4, sc.hidden_sizes = {3};
  const Seq2Seq s(sc);
  const Seq2Seq s2(sc, s.get_weights());
  EXPECT_EQ(s2.parameter_count(), s.parameter_count());
}

// ModelConfig::parameter_count() (added so configs can be sized without building) counts what
// the model allocates.
TEST(ModelFileRegression, ConfigParameterCountMatchesTheModel) {
  for (CellType cell : {CellType::kRnn, CellType::kLstm, CellType::kGru}) {
    for (InputEncoding enc : {InputEncoding::kFeatures, InputEncoding::kEmbedding, InputEncoding::kOneHot}) {
      ModelConfig c;
      c.cell = cell, c.input_encoding = enc, c.input_size = 3, c.vocab_size = 7;
      c.hidden_sizes = {4, 5}, c.output_size = 6;
      EXPECT_EQ(c.parameter_count(), static_cast<int64_t>(Model(c).parameter_count()));
      Seq2SeqConfig s;
      s.cell = cell, s.input_vocab = 9, s.output_vocab = 7, s.hidden_sizes = {3, 2};
      EXPECT_EQ(s.parameter_count(), static_cast<int64_t>(Seq2Seq(s).parameter_count()));
    }
  }
  // Never overflows, whatever the fields hold (it is public: callers may ask before validate()).
  ModelConfig huge;
  huge.input_size = std::numeric_limits<int>::max();
  huge.hidden_sizes.assign(16, std::numeric_limits<int>::max());
  huge.output_size = std::numeric_limits<int>::max();
  EXPECT_EQ(huge.parameter_count(), std::numeric_limits<int64_t>::max());
}

// Finding (fuzz harness, CSV round trip on the seed corpus): a value a little above FLT_MAX
// that rounds to FLT_MAX as a float was refused as "not a finite float" (the check compared the
// double with FLT_MAX instead of asking whether it rounds to infinity). "3.40282347e+38", how C
// and JavaScript print FLT_MAX with 9 significant digits, is such a value: a series written
// out and read back failed. Input: tests/fuzz/regressions/csv/float-max-printed.
TEST(CsvRegression, FloatMaxAsPrintedIsAFiniteFloat) {
  const data::DatedSeries s = data::parse_date_value_csv(
      "date,value\n1,3.40282347e+38\n2,-3.40282347e+38\n3,340282356779733623858607532500980858880\n");
  ASSERT_EQ(s.values.size(), 3u);
  EXPECT_EQ(s.values[0], std::numeric_limits<float>::max());
  EXPECT_EQ(s.values[1], -std::numeric_limits<float>::max());
  EXPECT_EQ(s.values[2], std::numeric_limits<float>::max()) << "just below the rounding midpoint";
  // At the midpoint (2^128 - 2^103) and above, the float is infinite: refused.
  for (const char* v : {"340282356779733661637539395458142568448", "3.4028236e38", "1e39"}) {
    const Error e = error_of([&] { data::parse_date_value_csv(std::string("date,value\n1,") + v + "\n"); });
    EXPECT_EQ(e.code(), ErrorCode::kNonFiniteData) << v;
  }
}

// Finding (review, for wasm32): the weights manifest's element count was a size_t product
// checked only after multiplying, so in wasm (32-bit size_t) "16,268435456" wrapped to 0 and
// decoded as a [16, 268435456] tensor holding no values (the model then refused its shape, but
// the decoded tensor broke its own invariant). Now each dimension is checked by division
// first. (This suite also runs compiled to wasm.) Input:
// tests/fuzz/regressions/weights/shape-product-wraps-in-wasm32.
TEST(WeightsRegression, ManifestShapesCannotWrapTheElementCount) {
  const std::vector<float> small(32, 0.5f);
  const Error wrapped = error_of([&] { decode_named_tensors("w\t16,268435456\nb\t16", small.data(), small.size()); });
  EXPECT_EQ(wrapped.code(), ErrorCode::kShapeMismatch);
  const std::vector<float> values(65536, 0.5f);
  for (const char* manifest : {"w\t65536,65536,1", "w\t65536,65537", "w\t2147483647,2147483647,2147483647,4"}) {
    const Error e = error_of([&] { decode_named_tensors(manifest, values.data(), values.size()); });
    EXPECT_EQ(e.code(), ErrorCode::kShapeMismatch) << manifest;
    EXPECT_EQ(e.field(), "weights");
  }
  // What does fit still decodes: zero-sized dims, and a scalar (no dims).
  const std::vector<float> more(65537, 0.25f);
  const std::vector<NamedTensor> t = decode_named_tensors("a\t256,256\nb\t0,65536\nc\t", more.data(), more.size());
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].tensor.data.size(), 65536u);
  EXPECT_EQ(t[1].tensor.data.size(), 0u);
  EXPECT_EQ(t[2].tensor.data.size(), 1u);
}

}  // namespace
}  // namespace rnnlab
