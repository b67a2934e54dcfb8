// The binary model file: round trips, every corruption class, a deterministic mini-fuzz and
// a golden encoding that notices format drift.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "io/config_pairs.h"
#include "io/crc32.h"
#include "rnnlab/error.h"
#include "rnnlab/model.h"
#include "rnnlab/model_file.h"
#include "rnnlab/rng.h"
#include "test_util.h"

namespace rnnlab {
namespace {

using Bytes = std::vector<uint8_t>;

uint32_t read_u32(const Bytes& b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 |
         uint32_t(b[at + 3]) << 24;
}
void write_u32(Bytes& b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = static_cast<uint8_t>(v >> (8 * k));
}
void write_u64(Bytes& b, size_t at, uint64_t v) {
  for (int k = 0; k < 8; ++k) b[at + k] = static_cast<uint8_t>(v >> (8 * k));
}
// After editing a field: make the size field and the CRC agree again, so the edit reaches
// the structural checks instead of stopping at the checksum.
void reseal(Bytes& b) {
  write_u64(b, 16, b.size());
  write_u32(b, b.size() - 4, io::crc32(b.data(), b.size() - 4));
}

// Runs f and returns the rnnlab::Error code it threw (fails the test if it did not throw).
template <class F>
ErrorCode code_of(F&& f, std::string* message = nullptr, std::string* field = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    if (field) *field = e.field();
    return e.code();
  }
  ADD_FAILURE() << "expected an rnnlab::Error";
  return ErrorCode::kInvalidState;
}

ErrorCode load_code(const Bytes& b, std::string* message = nullptr, std::string* field = nullptr) {
  return code_of([&] { load_model(b.data(), b.size()); }, message, field);
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// Random weights, so a loaded model that ignored the tensors (and kept its seeded
// initialisation) would be caught.
void scramble(Model& m, uint64_t seed) {
  Rng rng(seed);
  for (float& v : m.parameters()) v = rng.uniform(-0.5f, 0.5f);
}

std::vector<float> predict_some(Model& m, uint64_t seed) {
  Rng rng(seed);
  const ModelConfig& c = m.config();
  const int B = 3, T = 5;
  if (c.token_input()) {
    std::vector<int32_t> ids = test::random_ids(rng, B * T, c.vocab_size);
    return m.predict(Input::tokens(ids.data(), B, T));
  }
  std::vector<float> x = test::random_vector(rng, static_cast<size_t>(B) * T * c.input_size);
  return m.predict(Input::features(x.data(), B, T));
}

ModelConfig small_config() {
  ModelConfig c;
  c.cell = CellType::kLstm;
  c.input_size = 3;
  c.hidden_sizes = {4, 3};
  c.output_size = 2;
  c.seed = 11;
  return c;
}

Bytes small_file(const std::string& metadata = "{\"mean\":[0.5]}") {
  Model m(small_config());
  scramble(m, 5);
  return save_model(m, metadata);
}

// ---- CRC-32 ---------------------------------------------------------------------------

TEST(Crc32, MatchesTheStandardCheckValue) {
  const char* s = "123456789";
  EXPECT_EQ(io::crc32(reinterpret_cast<const uint8_t*>(s), 9), 0xCBF43926u);
  EXPECT_EQ(io::crc32(nullptr, 0), 0u);
  const uint8_t zero = 0;
  EXPECT_EQ(io::crc32(&zero, 1), 0xD202EF8Du);
}

TEST(Crc32, ContinuesAcrossPieces) {
  Rng rng(3);
  Bytes b(1000);
  for (auto& v : b) v = static_cast<uint8_t>(rng.next_u32());
  const uint32_t whole = io::crc32(b.data(), b.size());
  for (size_t cut : {0u, 1u, 499u, 1000u})
    EXPECT_EQ(io::crc32(b.data() + cut, b.size() - cut, io::crc32(b.data(), cut)), whole);
}

// ---- Round trips ----------------------------------------------------------------------

struct RoundTripCase {
  std::string name;
  ModelConfig config;
};
std::ostream& operator<<(std::ostream& os, const RoundTripCase& c) { return os << c.name; }

std::vector<RoundTripCase> round_trip_cases() {
  std::vector<RoundTripCase> cases;
  auto add = [&](std::string name, CellType cell, std::function<void(ModelConfig&)> edit) {
    ModelConfig c;
    c.cell = cell;
    c.input_size = 3;
    c.hidden_sizes = {5};
    c.output_size = 2;
    c.seed = 1234;
    edit(c);
    cases.push_back({std::move(name), c});
  };
  add("rnn", CellType::kRnn, [](ModelConfig&) {});
  add("lstm", CellType::kLstm, [](ModelConfig& c) { c.output = OutputMode::kSequence; });
  add("gru_pytorch", CellType::kGru, [](ModelConfig& c) { c.gru_variant = GruVariant::kPyTorch; });
  add("gru_classic", CellType::kGru, [](ModelConfig& c) { c.gru_variant = GruVariant::kClassic; });
  add("embedding", CellType::kLstm, [](ModelConfig& c) {
    c.input_encoding = InputEncoding::kEmbedding;
    c.vocab_size = 11;  // embedding_size 0: resolved to 11 by the Model and saved as such
    c.head = HeadType::kSoftmax;
    c.output_size = 11;
    c.output = OutputMode::kSequence;
  });
  add("embedding_sized", CellType::kGru, [](ModelConfig& c) {
    c.input_encoding = InputEncoding::kEmbedding;
    c.vocab_size = 9;
    c.embedding_size = 4;
    c.head = HeadType::kSoftmax;
    c.output_size = 3;
  });
  add("onehot", CellType::kRnn, [](ModelConfig& c) {
    c.input_encoding = InputEncoding::kOneHot;
    c.vocab_size = 7;
    c.head = HeadType::kSoftmax;
    c.output_size = 7;
  });
  add("stacked", CellType::kLstm, [](ModelConfig& c) {
    c.hidden_sizes = {6, 4, 3};
    c.dropout = 0.1f;
    c.seed = 0xFFFFFFFFFFFFFFFFull;
  });
  add("stacked_gru_classic", CellType::kGru, [](ModelConfig& c) {
    c.gru_variant = GruVariant::kClassic;
    c.hidden_sizes = {3, 3};
    c.dropout = 0.3333333f;
    c.output = OutputMode::kSequence;
  });
  return cases;
}

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RoundTrip, IsBitExact) {
  Model original(GetParam().config);
  scramble(original, 77);
  const std::string metadata = "{\"vocab\":\"h\xC3\xA9llo \xE2\x9C\x93\",\"n\":[1,2]}\nline two";
  const Bytes bytes = save_model(original, metadata);

  LoadedModel loaded = load_model(bytes.data(), bytes.size());
  EXPECT_EQ(loaded.metadata, metadata);

  const ModelConfig &a = original.config(), &b = loaded.model.config();
  EXPECT_EQ(a.cell, b.cell);
  EXPECT_EQ(a.gru_variant, b.gru_variant);
  EXPECT_EQ(a.input_encoding, b.input_encoding);
  EXPECT_EQ(a.input_size, b.input_size);
  EXPECT_EQ(a.vocab_size, b.vocab_size);
  EXPECT_EQ(a.embedding_size, b.embedding_size);
  EXPECT_EQ(a.hidden_sizes, b.hidden_sizes);
  EXPECT_EQ(a.output_size, b.output_size);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.head, b.head);
  EXPECT_EQ(std::memcmp(&a.dropout, &b.dropout, sizeof(float)), 0);
  EXPECT_EQ(a.seed, b.seed);

  const auto wa = original.get_weights(), wb = loaded.model.get_weights();
  ASSERT_EQ(wa.size(), wb.size());
  for (size_t i = 0; i < wa.size(); ++i) {
    EXPECT_EQ(wa[i].name, wb[i].name);
    EXPECT_EQ(wa[i].tensor.shape, wb[i].tensor.shape);
    EXPECT_TRUE(same_bits(wa[i].tensor.data, wb[i].tensor.data)) << wa[i].name;
  }
  EXPECT_TRUE(same_bits(predict_some(original, 9), predict_some(loaded.model, 9)));
  // Saving the loaded model reproduces the file byte for byte.
  EXPECT_EQ(save_model(loaded.model, metadata), bytes);
}

INSTANTIATE_TEST_SUITE_P(ModelFile, RoundTrip, ::testing::ValuesIn(round_trip_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(ModelFile, EmptyMetadataRoundTrips) {
  Bytes b = small_file("");
  EXPECT_EQ(load_model(b.data(), b.size()).metadata, "");
}

TEST(ModelFile, AnyConfigAModelAcceptsLoadsAgain) {
  // Fields the Model ignores (vocab_size for feature input) are saved as given and must not
  // make the file unloadable.
  ModelConfig c = small_config();
  c.vocab_size = -3;
  c.embedding_size = -1;
  Model m(c);
  Bytes b = save_model(m);
  EXPECT_EQ(load_model(b.data(), b.size()).model.config().vocab_size, -3);
}

TEST(ModelFile, GenericContainerRoundTrips) {
  ModelFile f;
  f.kind = kModelFileKindSeq2Seq;
  f.config = {{"encoder.cell", "gru"}, {"note", "a=b=c"}, {"empty", ""}};
  f.tensors.push_back({"scalar", Tensor({}, {2.5f})});
  f.tensors.push_back({"empty", Tensor({3, 0}, {})});
  f.tensors.push_back({"nan_and_friends", Tensor({2, 2}, {0.0f, -0.0f, 1e-45f, 0.0f})});
  uint32_t nan_bits = 0x7FC01234u;  // a payload the round trip must keep
  std::memcpy(&f.tensors[2].tensor.data[3], &nan_bits, 4);
  f.metadata = std::string("bin\0ary", 7);  // NUL is valid UTF-8
  Bytes b = encode_model_file(f);
  ModelFile g = decode_model_file(b.data(), b.size());
  EXPECT_EQ(g.kind, f.kind);
  EXPECT_EQ(g.config, f.config);
  EXPECT_EQ(g.metadata, f.metadata);
  ASSERT_EQ(g.tensors.size(), f.tensors.size());
  for (size_t i = 0; i < f.tensors.size(); ++i) {
    EXPECT_EQ(g.tensors[i].name, f.tensors[i].name);
    EXPECT_EQ(g.tensors[i].tensor.shape, f.tensors[i].tensor.shape);
    EXPECT_TRUE(same_bits(g.tensors[i].tensor.data, f.tensors[i].tensor.data));
  }
  EXPECT_EQ(encode_model_file(g), b);

  ModelFile empty;
  Bytes e = encode_model_file(empty);
  EXPECT_EQ(e.size(), 40u);  // the smallest possible file
  EXPECT_TRUE(decode_model_file(e.data(), e.size()).tensors.empty());
}

// ---- Config entries -------------------------------------------------------------------

TEST(ConfigPairs, RoundTripWithPrefixAndIgnoreOthers) {
  ModelConfig c = small_config();
  c.dropout = 0.1f;
  auto pairs = config_to_pairs(c, "encoder.");
  ASSERT_EQ(pairs.size(), 12u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"encoder.cell", "lstm"}));
  EXPECT_EQ(pairs[6].second, "4,3");
  EXPECT_EQ(pairs[10].second, "0.1");  // shortest exact form, not 0.100000001
  // Another config's entries and unknown keys are ignored.
  pairs.push_back({"decoder.cell", "banana"});
  pairs.push_back({"encoder.future_key", "whatever"});
  ModelConfig d = config_from_pairs(pairs, "encoder.");
  EXPECT_EQ(d.hidden_sizes, c.hidden_sizes);
  EXPECT_EQ(d.dropout, c.dropout);
  EXPECT_EQ(d.cell, c.cell);
}

TEST(ConfigPairs, MissingKeysTakeDefaults) {
  ModelConfig d = config_from_pairs({{"cell", "gru"}});
  ModelConfig defaults;
  EXPECT_EQ(d.cell, CellType::kGru);
  EXPECT_EQ(d.hidden_sizes, defaults.hidden_sizes);
  EXPECT_EQ(d.seed, defaults.seed);
}

TEST(ConfigPairs, FloatFormatRoundTripsExactly) {
  Rng rng(8);
  for (int i = 0; i < 2000; ++i) {
    uint32_t bits = rng.next_u32();
    float v;
    std::memcpy(&v, &bits, 4);
    if (!std::isfinite(v)) continue;
    float back = parse_config_float(format_config_float(v), "x");
    EXPECT_EQ(std::memcmp(&v, &back, 4), 0) << format_config_float(v);
  }
  EXPECT_EQ(format_config_float(0.0f), "0");
  EXPECT_EQ(format_config_float(0.25f), "0.25");
}

TEST(ConfigPairs, BadValuesNameTheKey) {
  struct Bad {
    const char* key;
    const char* value;
  } bad[] = {{"cell", "banana"},       {"gru_variant", "keras"},  {"input_encoding", "utf8"},
             {"input_size", "abc"},    {"input_size", " 3"},      {"input_size", "+3"},
             {"input_size", "0"},      {"input_size", "99999999999"},
             {"hidden_sizes", ""},     {"hidden_sizes", "4,,3"},  {"hidden_sizes", "4,0"},
             {"hidden_sizes", "4,"},   {"output_size", "-1"},     {"output", "first"},
             {"head", "sigmoid"},      {"dropout", "1.5"},        {"dropout", "nan"},
             {"dropout", "1e999"},     {"dropout", "0,5"},        {"seed", "-1"},
             {"seed", "18446744073709551616"}};
  for (const Bad& b : bad) {
    std::string field;
    auto pairs = config_to_pairs(small_config());
    for (auto& p : pairs)
      if (p.first == b.key) p.second = b.value;
    EXPECT_EQ(code_of([&] { config_from_pairs(pairs); }, nullptr, &field), ErrorCode::kBadModelFile)
        << b.key << "=" << b.value;
    EXPECT_EQ(field, std::string("config.") + b.key) << b.value;
  }
  // A duplicate key (only possible through the API: the decoder refuses them earlier).
  auto pairs = config_to_pairs(small_config());
  pairs.push_back({"cell", "gru"});
  EXPECT_EQ(code_of([&] { config_from_pairs(pairs); }), ErrorCode::kBadModelFile);
}

// ---- Corruption: each class gives the right code --------------------------------------

TEST(Corruption, EmptyAndForeignBytes) {
  EXPECT_EQ(code_of([] { load_model(nullptr, 0); }), ErrorCode::kBadModelFile);
  EXPECT_EQ(code_of([] { load_model(nullptr, 10); }), ErrorCode::kBadModelFile);
  const std::string png = "\x89PNG\r\n\x1a\n....................................";
  std::string msg;
  EXPECT_EQ(load_code(Bytes(png.begin(), png.end()), &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("not an rnnlab model file"), std::string::npos) << msg;
  Bytes b = small_file();
  b[3] ^= 0x20;
  EXPECT_EQ(load_code(b, &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("magic"), std::string::npos) << msg;
}

TEST(Corruption, EveryTruncationIsRefused) {
  const Bytes full = small_file();
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes b(full.begin(), full.begin() + n);
    ASSERT_EQ(load_code(b), ErrorCode::kBadModelFile) << n;
  }
  std::string msg;
  Bytes b(full.begin(), full.end() - 100);
  load_code(b, &msg);
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
}

TEST(Corruption, TrailingBytesAreRefused) {
  Bytes b = small_file();
  b.push_back(0);
  std::string msg;
  EXPECT_EQ(load_code(b, &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("after the end"), std::string::npos) << msg;
}

TEST(Corruption, ChecksumMismatch) {
  Bytes b = small_file();
  b[b.size() / 2] ^= 0x01;  // one bit in a weight
  std::string msg, field;
  EXPECT_EQ(load_code(b, &msg, &field), ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "checksum") << msg;
  Bytes c = small_file();
  c.back() ^= 0x80;  // the CRC itself
  EXPECT_EQ(load_code(c, nullptr, &field), ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "checksum");
}

TEST(Corruption, NewerVersionIsUnsupported) {
  for (uint32_t version : {2u, 3u, 0xFFFFFFFFu}) {
    Bytes b = small_file();
    write_u32(b, 8, version);
    // Without resealing: the version is judged before the checksum, because a newer format
    // may put (or compute) its checksum differently.
    std::string msg;
    EXPECT_EQ(load_code(b, &msg), ErrorCode::kUnsupportedVersion) << version;
    EXPECT_NE(msg.find("reads versions up to 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::to_string(version)), std::string::npos) << msg;
  }
  // A newer file whose remainder looks nothing like version 1 still says "newer version".
  Bytes b = small_file();
  write_u32(b, 8, 2);
  b.resize(20);
  EXPECT_EQ(load_code(b), ErrorCode::kUnsupportedVersion);
  write_u32(b, 8, 0);
  EXPECT_EQ(load_code(b), ErrorCode::kBadModelFile);
}

TEST(Corruption, KindMismatch) {
  Bytes b = small_file();
  write_u32(b, 12, kModelFileKindSeq2Seq);
  reseal(b);
  std::string msg;
  EXPECT_EQ(load_code(b, &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("Seq2Seq"), std::string::npos) << msg;
  // The generic decoder itself accepts any kind.
  EXPECT_EQ(decode_model_file(b.data(), b.size()).kind, kModelFileKindSeq2Seq);
  write_u32(b, 12, 9);
  reseal(b);
  EXPECT_EQ(load_code(b), ErrorCode::kUnsupportedVersion);
}

// Offsets in small_file(): config length at 24, config text from 28, then the tensor count,
// then the first tensor's name length.
struct Layout {
  size_t config_len_at = 24, count_at, first_name_len_at, first_ndim_at, first_dims_at, meta_len_at;
};
Layout layout_of(const Bytes& b) {
  Layout l;
  l.count_at = 28 + read_u32(b, 24);
  l.first_name_len_at = l.count_at + 4;
  l.first_ndim_at = l.first_name_len_at + 4 + read_u32(b, l.first_name_len_at);
  l.first_dims_at = l.first_ndim_at + 4;
  const std::string meta = "{\"mean\":[0.5]}";
  l.meta_len_at = b.size() - 4 - meta.size() - 4;
  return l;
}

TEST(Corruption, LengthsBeyondTheBuffer) {
  const Bytes full = small_file();
  const Layout l = layout_of(full);
  EXPECT_EQ(read_u32(full, l.meta_len_at), 14u);  // the layout helper is right
  struct Edit {
    const char* what;
    size_t at;
    uint32_t value;
    const char* field_prefix;
  } edits[] = {
      {"config length", l.config_len_at, 0xFFFFFFFFu, "config"},
      {"config length + 1", l.config_len_at, read_u32(full, 24) + 1, "config"},
      {"tensor count", l.count_at, 0xFFFFFFFFu, "tensors"},
      {"tensor count 65537", l.count_at, 65537u, "tensors"},
      {"tensor count + 1", l.count_at, read_u32(full, l.count_at) + 1, "tensors"},
      {"tensor count - 1", l.count_at, read_u32(full, l.count_at) - 1, "size"},
      {"name length", l.first_name_len_at, 0xFFFFFFF0u, "tensors[0].name"},
      {"name length 0", l.first_name_len_at, 0u, "tensors[0].name"},
      {"ndim", l.first_ndim_at, 9u, "tensors[0].ndim"},
      {"ndim huge", l.first_ndim_at, 0xFFFFFFFFu, "tensors[0].ndim"},
      {"ndim + 1", l.first_ndim_at, 3u, "tensors[0].data"},
      {"dim beyond int", l.first_dims_at, 0x80000000u, "tensors[0].dims"},
      {"dim huge", l.first_dims_at, 0x7FFFFFFFu, "tensors[0].data"},
      {"dim 0", l.first_dims_at, 0u, "tensors[1]"},  // no values: tensors[1] reads them
      {"metadata length", l.meta_len_at, 0xFFFFFFFFu, "metadata"},
      {"metadata length + 1", l.meta_len_at, 15u, "metadata"},
      {"metadata length - 1", l.meta_len_at, 13u, "size"},
  };
  for (const Edit& e : edits) {
    Bytes b = full;
    write_u32(b, e.at, e.value);
    reseal(b);
    std::string msg, field;
    EXPECT_EQ(load_code(b, &msg, &field), ErrorCode::kBadModelFile) << e.what;
    EXPECT_EQ(field.rfind(e.field_prefix, 0), 0u) << e.what << ": " << msg;
  }
}

TEST(Corruption, DimensionProductOverflowIsCaughtBeforeAllocating) {
  // 8 dims of 2^31 - 1: the product overflows 64 bits many times over.
  ModelFile f;
  f.tensors.push_back({"t", Tensor({1, 1}, {1.0f})});
  Bytes b = encode_model_file(f);
  const size_t ndim_at = 28 + 0 + 4 + 4 + 1;
  ASSERT_EQ(read_u32(b, ndim_at), 2u);
  Bytes big(b.begin(), b.begin() + ndim_at);
  Bytes tail(b.begin() + ndim_at + 12, b.end());  // after ndim and the 2 dims
  big.resize(big.size() + 4 + 8 * 4);
  write_u32(big, ndim_at, 8);
  for (int k = 0; k < 8; ++k) write_u32(big, ndim_at + 4 + 4 * k, 0x7FFFFFFFu);
  big.insert(big.end(), tail.begin(), tail.end());
  reseal(big);
  std::string msg;
  EXPECT_EQ(code_of([&] { decode_model_file(big.data(), big.size()); }, &msg),
            ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("tensors[0].data: 't' of shape [2147483647, "), std::string::npos) << msg;
}

// Re-encodes the decoded container after `edit`, so the damage is structural but well-sealed.
Bytes edited(const std::function<void(ModelFile&)>& edit) {
  Bytes b = small_file();
  ModelFile f = decode_model_file(b.data(), b.size());
  edit(f);
  return encode_model_file(f);
}

void set_config(ModelFile& f, const std::string& key, const std::string& value) {
  for (auto& p : f.config)
    if (p.first == key) p.second = value;
}

TEST(Corruption, BadConfigValuesNameTheField) {
  std::string field, msg;
  EXPECT_EQ(load_code(edited([](ModelFile& f) { set_config(f, "cell", "banana"); }), &msg, &field),
            ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "config.cell");
  EXPECT_NE(msg.find("banana"), std::string::npos) << msg;
  EXPECT_EQ(load_code(edited([](ModelFile& f) { set_config(f, "hidden_sizes", "4,99999"); }),
                      &msg, &field),
            ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "config.hidden_sizes") << msg;
  EXPECT_EQ(load_code(edited([](ModelFile& f) { set_config(f, "input_size", "x"); }), &msg, &field),
            ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "config.input_size");
  EXPECT_EQ(load_code(edited([](ModelFile& f) { set_config(f, "dropout", "1"); }), &msg, &field),
            ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "config.dropout");
  // A config whose size disagrees with the tensors: the tensors are at fault.
  EXPECT_EQ(load_code(edited([](ModelFile& f) { set_config(f, "input_size", "4"); }), &msg, &field),
            ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "tensors") << msg;
  // Unknown keys are ignored; a missing key takes its default (the default cell, lstm, is
  // the one saved, so the file still loads).
  Bytes ok = edited([](ModelFile& f) {
    f.config.push_back({"added_in_v1_5", "1"});
    f.config.erase(f.config.begin());  // drop "cell"
  });
  EXPECT_NO_THROW(load_model(ok.data(), ok.size()));
}

TEST(Corruption, MalformedConfigText) {
  const Bytes full = small_file();
  const uint32_t len = read_u32(full, 24);
  auto with_text_edit = [&](size_t offset, uint8_t value) {
    Bytes b = full;
    b[28 + offset] = value;
    reseal(b);
    return b;
  };
  std::string msg;
  // The last '\n' replaced: the block no longer ends with a newline.
  EXPECT_EQ(load_code(with_text_edit(len - 1, 'x'), &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("newline"), std::string::npos) << msg;
  // "cell=lstm": '=' replaced, so the line has no '='.
  EXPECT_EQ(load_code(with_text_edit(4, 'x'), &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("key=value"), std::string::npos) << msg;
  // Empty key: the first line starts with '='.
  Bytes c = full;
  c.insert(c.begin() + 28, {'=', '1', '\n'});
  write_u32(c, 24, len + 3);
  reseal(c);
  EXPECT_EQ(load_code(c, &msg), ErrorCode::kBadModelFile);
  // Invalid UTF-8 (a lone continuation byte, then an overlong '/').
  EXPECT_EQ(load_code(with_text_edit(0, 0x80), &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("UTF-8"), std::string::npos) << msg;
  Bytes d = full;
  d[28] = 0xC0;
  d[29] = 0xAF;
  reseal(d);
  EXPECT_EQ(load_code(d), ErrorCode::kBadModelFile);
  // A duplicate key, spliced in as raw text (the encoder refuses to write one).
  const std::string dup = "cell=gru\n";
  Bytes e = full;
  e.insert(e.begin() + 28 + len, dup.begin(), dup.end());
  write_u32(e, 24, len + static_cast<uint32_t>(dup.size()));
  reseal(e);
  EXPECT_EQ(load_code(e, &msg), ErrorCode::kBadModelFile);
  EXPECT_NE(msg.find("more than once"), std::string::npos) << msg;
}

TEST(Corruption, TensorsMustMatchTheConfig) {
  std::string msg, field;
  auto expect_bad = [&](const std::function<void(ModelFile&)>& edit, const char* needle) {
    EXPECT_EQ(load_code(edited(edit), &msg, &field), ErrorCode::kBadModelFile) << needle;
    EXPECT_EQ(field, "tensors") << msg;
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  };
  expect_bad([](ModelFile& f) { f.tensors.pop_back(); }, "missing tensor 'head.bias'");
  expect_bad([](ModelFile& f) { f.tensors.push_back({"extra", Tensor({1}, {0.0f})}); }, "extra");
  expect_bad(
      [](ModelFile& f) {
        std::vector<int>& shape = f.tensors[0].tensor.shape;  // [16, 3] -> [3, 16]
        shape = {shape[1], shape[0]};
      },
      "shape");
  expect_bad([](ModelFile& f) { f.tensors[1].tensor.data[0] = std::nanf(""); }, "NaN");
  // A duplicate name, spliced in raw (the encoder refuses to write one): tensors[1]
  // (weight_hh_l0) renamed in place to tensors[0]'s name (weight_ih_l0, same length).
  Bytes b = small_file();
  const ModelFile g = decode_model_file(b.data(), b.size());
  const NamedTensor &t0 = g.tensors[0], &t1 = g.tensors[1];
  ASSERT_EQ(t0.name.size(), t1.name.size());
  size_t at = layout_of(b).first_name_len_at + 4 + t0.name.size();  // past tensors[0]'s name
  at += 4 + 4 * t0.tensor.shape.size() + 4 * t0.tensor.data.size();  // ndim, dims, values
  ASSERT_EQ(read_u32(b, at), t1.name.size());
  std::memcpy(&b[at + 4], t0.name.data(), t0.name.size());
  reseal(b);
  EXPECT_EQ(load_code(b, &msg, &field), ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "tensors[1].name");
  EXPECT_NE(msg.find("more than once"), std::string::npos) << msg;
}

TEST(Corruption, InvalidUtf8InNamesAndMetadata) {
  Bytes b = small_file();
  const Layout l = layout_of(b);
  Bytes c = b;
  c[l.first_name_len_at + 4] = 0xFF;
  reseal(c);
  std::string field;
  EXPECT_EQ(load_code(c, nullptr, &field), ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "tensors[0].name");
  Bytes d = b;
  d[l.meta_len_at + 4] = 0xED;  // with the next bytes: not a valid sequence
  reseal(d);
  EXPECT_EQ(load_code(d, nullptr, &field), ErrorCode::kBadModelFile);
  EXPECT_EQ(field, "metadata");
}

// ---- The encoder refuses what the decoder would refuse --------------------------------

TEST(Encode, RefusesUnreadableContainers) {
  constexpr ErrorCode kInvalid = ErrorCode::kInvalidConfig, kShape = ErrorCode::kShapeMismatch;
  auto base = [] {
    ModelFile f;
    f.config = {{"a", "1"}};
    f.tensors.push_back({"t", Tensor({2}, {1.0f, 2.0f})});
    return f;
  };
  auto code = [&](const std::function<void(ModelFile&)>& edit) {
    ModelFile f = base();
    edit(f);
    return code_of([&] { encode_model_file(f); });
  };
  EXPECT_NO_THROW(encode_model_file(base()));
  EXPECT_EQ(code([](ModelFile& f) { f.config.push_back({"", "x"}); }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.config.push_back({"a=b", "x"}); }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.config.push_back({"b", "x\ny"}); }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.config.push_back({"a", "2"}); }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.metadata = "\xC3"; }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.tensors[0].name = ""; }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.tensors[0].name = std::string(1025, 'n'); }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.tensors.push_back(f.tensors[0]); }), kInvalid);
  EXPECT_EQ(code([](ModelFile& f) { f.tensors[0].tensor.data.push_back(3.0f); }), kShape);
  EXPECT_EQ(code([](ModelFile& f) { f.tensors[0].tensor.shape = {-2}; }), kShape);
  EXPECT_EQ(code([](ModelFile& f) {
              f.tensors[0].tensor.shape = {65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536};
            }),
            kShape);
  EXPECT_EQ(code([](ModelFile& f) { f.tensors[0].tensor.shape = std::vector<int>(9, 1); }),
            kInvalid);
}

TEST(Encode, Utf8IsCheckedStrictly) {
  auto accepted = [](const std::string& metadata) {
    ModelFile f;
    f.metadata = metadata;
    try {
      Bytes b = encode_model_file(f);
      return decode_model_file(b.data(), b.size()).metadata == metadata;
    } catch (const Error&) {
      return false;
    }
  };
  for (const char* ok : {"", "plain", "\xC2\x80", "\xE2\x82\xAC", "\xED\x9F\xBF", "\xEF\xBF\xBF",
                         "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"})
    EXPECT_TRUE(accepted(ok)) << ok;
  for (const char* bad : {"\x80", "\xC0\xAF", "\xC1\xBF", "\xC2", "\xE0\x80\x80", "\xE0\x9F\xBF",
                          "\xED\xA0\x80", "\xED\xBF\xBF", "\xF0\x80\x80\x80", "\xF4\x90\x80\x80",
                          "\xF5\x80\x80\x80", "\xFF", "a\xE2\x82"})
    EXPECT_FALSE(accepted(bad)) << bad;
}

// ---- Mini-fuzz ------------------------------------------------------------------------

// Thousands of seeded mutations of a valid file. Each must either load or throw
// rnnlab::Error with a file code; anything else (a crash, another exception type, a huge
// allocation) fails. Half the mutations reseal the size and CRC so they get past the
// checksum and exercise the structural checks.
TEST(Fuzz, MutationsLoadOrThrowFileErrors) {
  ModelConfig c;
  c.cell = CellType::kGru;
  c.input_encoding = InputEncoding::kEmbedding;
  c.vocab_size = 6;
  c.embedding_size = 3;
  c.hidden_sizes = {4, 2};
  c.output_size = 6;
  c.head = HeadType::kSoftmax;
  Model m(c);
  scramble(m, 21);
  const Bytes valid = save_model(m, "{\"vocab\":\"abcdef\"}");
  const uint32_t interesting[] = {0u, 1u, 2u, 8u, 9u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu,
                                  static_cast<uint32_t>(valid.size()),
                                  static_cast<uint32_t>(valid.size() / 4)};
  Rng rng(20240601);
  int loaded = 0, refused = 0, crc_refused = 0;
  for (int iter = 0; iter < 6000; ++iter) {
    Bytes b = valid;
    const uint32_t kind = rng.below(6);
    bool seal = rng.below(2) == 1;
    switch (kind) {
      case 0:  // flip 1..4 random bits
      case 1: {
        const uint32_t flips = 1 + rng.below(4);
        for (uint32_t k = 0; k < flips; ++k) b[rng.below(b.size())] ^= uint8_t(1u << rng.below(8));
        break;
      }
      case 2:  // truncate
        b.resize(rng.below(b.size()));
        seal = seal && b.size() >= 40;
        break;
      case 3: {  // an interesting u32 anywhere (length fields are the juicy targets)
        const size_t at = rng.below(b.size() - 3);
        write_u32(b, at, interesting[rng.below(sizeof(interesting) / sizeof(interesting[0]))]);
        break;
      }
      case 4: {  // insert or delete a few bytes
        const size_t at = 24 + rng.below(b.size() - 28);
        const uint32_t n = 1 + rng.below(4);
        if (rng.below(2)) b.insert(b.begin() + at, n, static_cast<uint8_t>(rng.next_u32()));
        else b.erase(b.begin() + at, b.begin() + std::min(b.size() - 4, at + n));
        break;
      }
      case 5:  // random garbage after a valid header
        for (size_t i = 24 + rng.below(b.size() - 24); i < b.size(); ++i)
          b[i] = static_cast<uint8_t>(rng.next_u32());
        break;
    }
    if (seal && b.size() >= 24) reseal(b);
    try {
      LoadedModel lm = load_model(b.data(), b.size());
      predict_some(lm.model, 1);  // whatever loaded must also run
      ++loaded;
    } catch (const Error& e) {
      ASSERT_TRUE(e.code() == ErrorCode::kBadModelFile ||
                  e.code() == ErrorCode::kUnsupportedVersion)
          << "iteration " << iter << ": " << error_code_name(e.code()) << " " << e.what();
      ++refused;
      if (e.field() == "checksum") ++crc_refused;
    }
  }
  // Both outcomes occur, and many refusals come from past the checksum.
  EXPECT_GT(loaded, 100);
  EXPECT_GT(refused, 1000);
  EXPECT_GT(refused - crc_refused, 500);
}

// ---- Golden encoding ------------------------------------------------------------------

// A fixed tiny model with hand-set weights (independent of the initialiser) must encode to
// exactly these bytes. If this test fails, the byte layout has changed: files written by
// older builds may no longer load. Do not just update the numbers: bump kModelFileVersion,
// keep reading version 1 (or refuse it with kUnsupportedVersion on purpose), and document
// the new layout in model_file.h. Adding a config key changes the bytes too; that is allowed
// without a version bump (old readers ignore unknown keys) but update the numbers knowingly.
TEST(Golden, TinyModelEncodingIsStable) {
  ModelConfig c;
  c.cell = CellType::kRnn;
  c.input_size = 2;
  c.hidden_sizes = {2};
  c.output_size = 1;
  c.seed = 7;
  Model m(c);
  std::vector<float>& p = m.parameters();
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<float>(i) * 0.125f - 1.0f;
  const Bytes b = save_model(m, "golden");

  const std::string config_text =
      "cell=rnn\ngru_variant=pytorch\ninput_encoding=features\ninput_size=2\nvocab_size=0\n"
      "embedding_size=0\nhidden_sizes=2\noutput_size=1\noutput=last\nhead=linear\ndropout=0\n"
      "seed=7\n";
  const uint8_t header[] = {'R', 'N', 'N', 'L', 'A', 'B', 0x00, 0x1A,  // magic
                            1, 0, 0, 0,                                // version
                            0, 0, 0, 0};                               // kind = Model
  ASSERT_GE(b.size(), 28 + config_text.size());
  EXPECT_EQ(std::memcmp(b.data(), header, sizeof(header)), 0);
  EXPECT_EQ(read_u32(b, 16), b.size());
  EXPECT_EQ(read_u32(b, 24), config_text.size());
  EXPECT_EQ(std::string(b.begin() + 28, b.begin() + 28 + config_text.size()), config_text);
  // The first tensor: "weight_ih_l0", 2 dims [2, 2], first value -1.0f = 0xBF800000.
  const size_t t0 = 28 + config_text.size();
  EXPECT_EQ(read_u32(b, t0), 6u);  // tensor count
  EXPECT_EQ(read_u32(b, t0 + 4), 12u);
  EXPECT_EQ(std::string(b.begin() + t0 + 8, b.begin() + t0 + 20), "weight_ih_l0");
  EXPECT_EQ(read_u32(b, t0 + 20), 2u);
  EXPECT_EQ(read_u32(b, t0 + 24), 2u);
  EXPECT_EQ(read_u32(b, t0 + 28), 2u);
  EXPECT_EQ(read_u32(b, t0 + 32), 0xBF800000u);

  // Cross-checked with an independent encoder written from the layout in model_file.h
  // (Python struct + zlib.crc32), when this test was written.
  EXPECT_EQ(b.size(), 420u);
  EXPECT_EQ(read_u32(b, b.size() - 4), 0x7CC3D981u);
}

}  // namespace
}  // namespace rnnlab
