// The fuzz harness (harness.h): one function per entry point of outside bytes.
#include "harness.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include "io/boundary_formats.h"
#include "io/config_pairs.h"
#include "io/crc32.h"
#include "rnnlab/data.h"
#include "rnnlab/error.h"
#include "rnnlab/model.h"
#include "rnnlab/model_file.h"
#include "rnnlab/rng.h"
#include "rnnlab/seq2seq.h"

namespace rnnlab::fuzz {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw Broken(what);
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), 4 * a.size()) == 0);
}

bool same_weights(const std::vector<NamedTensor>& a, const std::vector<NamedTensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].tensor.shape != b[i].tensor.shape ||
        !same_bits(a[i].tensor.data, b[i].tensor.data))
      return false;
  return true;
}

// Runs f; an rnnlab::Error is a refusal (returns false), anything else propagates.
template <class F>
bool accepted(F&& f) {
  try {
    f();
    return true;
  } catch (const Error&) {
    return false;
  }
}

// ---- models: what a caller does with one it accepted --------------------------------------

constexpr int kB = 2, kT = 3;

// A batch of valid inputs for `c` (ids below the vocabulary, or features in [-1, 1]).
struct Batch {
  std::vector<int32_t> ids;
  std::vector<float> x;
  Input input(const ModelConfig& c) const {
    return c.token_input() ? Input::tokens(ids.data(), kB, kT) : Input::features(x.data(), kB, kT);
  }
};

Batch batch_for(const ModelConfig& c, Rng& rng) {
  Batch b;
  if (c.token_input()) {
    for (int i = 0; i < kB * kT; ++i)
      b.ids.push_back(static_cast<int32_t>(rng.below(static_cast<uint32_t>(c.vocab_size))));
  } else {
    for (size_t i = 0; i < static_cast<size_t>(kB) * kT * c.input_size; ++i)
      b.x.push_back(rng.uniform(-1.0f, 1.0f));
  }
  return b;
}

// Inference, one training step, stepping, forecasting and sampling, as the playground does
// with a loaded or created model. Inference must work on any model the library accepted;
// training may refuse with NON_FINITE_LOSS (weights from outside can be huge).
void exercise(Model& m) {
  const ModelConfig c = m.config();
  Rng rng(7);
  const Batch b = batch_for(c, rng);
  const std::vector<float> out = m.predict(b.input(c));
  require(out.size() == m.output_elements(kB, kT), "predict's output size");

  const int rows = c.output == OutputMode::kLast ? kB : kB * kT;
  std::vector<int32_t> classes;
  std::vector<float> y;
  for (int i = 0; i < rows; ++i)
    classes.push_back(static_cast<int32_t>(rng.below(static_cast<uint32_t>(c.output_size))));
  for (int i = 0; i < rows * c.output_size; ++i) y.push_back(rng.uniform(-1.0f, 1.0f));
  const Target target = c.head == HeadType::kSoftmax ? Target::labels(classes.data()) : Target::values(y.data());
  TrainOptions o;
  o.clip_norm = 1.0f;
  accepted([&] { m.train_batch(b.input(c), target, o); });

  m.reset_state(kB);
  const std::vector<float> s =
      c.token_input() ? m.step_tokens(b.ids.data()) : m.step(b.x.data());
  require(s.size() == static_cast<size_t>(kB) * c.output_size, "step's output size");
  if (!c.token_input() && c.head == HeadType::kLinear && c.output_size == c.input_size) {
    const std::vector<float> f = m.forecast(b.x.data(), kT, 4);
    require(f.size() == static_cast<size_t>(4) * c.output_size, "forecast's output size");
  }
  if (c.token_input() && c.head == HeadType::kSoftmax && c.output_size == c.vocab_size) {
    SampleOptions so;
    so.top_k = 3;
    so.top_p = 0.9f;
    const std::vector<int32_t> g = m.generate({b.ids[0]}, 5, so);
    require(g.size() == 5, "generate's length");
    for (int32_t id : g) require(id >= 0 && id < c.vocab_size, "generated id in range");
  }
}

void exercise(Seq2Seq& m) {
  const Seq2SeqConfig c = m.config();
  Rng rng(7);
  std::vector<int32_t> src, tgt;
  for (int i = 0; i < kB * kT; ++i) {
    src.push_back(static_cast<int32_t>(rng.below(static_cast<uint32_t>(c.input_vocab))));
    tgt.push_back(static_cast<int32_t>(rng.below(static_cast<uint32_t>(c.output_vocab))));
  }
  const std::vector<int32_t> out = m.translate(src.data(), kB, kT, 4, 0);
  require(out.size() == static_cast<size_t>(kB) * 4, "translate's output size");
  for (int32_t id : out) require(id >= -1 && id < c.output_vocab, "translated id in range");
  TrainOptions o;
  o.clip_norm = 1.0f;
  accepted([&] { m.train_batch(src.data(), kB, kT, tgt.data(), kT, nullptr, o); });
}

// ---- model files ---------------------------------------------------------------------------

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = static_cast<uint8_t>(v >> (8 * k));
}

// The same bytes with the size field and the CRC made to agree, so mutations reach the
// structural checks behind them (a fuzzer cannot guess a CRC).
std::vector<uint8_t> resealed(const uint8_t* data, size_t size) {
  std::vector<uint8_t> b(data, data + size);
  if (size < 28) return b;
  for (int k = 0; k < 8; ++k) b[16 + k] = static_cast<uint8_t>(static_cast<uint64_t>(size) >> (8 * k));
  put_u32(b, size - 4, io::crc32(b.data(), size - 4));
  return b;
}

// A decoded file is canonical: encoding what was decoded gives back the very same bytes.
void decode_is_canonical(const uint8_t* data, size_t size) {
  ModelFile file;
  if (!accepted([&] { file = decode_model_file(data, size); })) return;
  std::vector<uint8_t> again;
  require(accepted([&] { again = encode_model_file(file); }), "a decoded file encodes again");
  require(again.size() == size && std::memcmp(again.data(), data, size) == 0,
          "encode(decode(bytes)) == bytes");
}

template <class Loaded, class Load, class Save>
void load_file(const uint8_t* data, size_t size, Load load, Save save) {
  decode_is_canonical(data, size);
  std::unique_ptr<Loaded> loaded;
  if (!accepted([&] { loaded = std::make_unique<Loaded>(load(data, size)); })) return;
  // Saved again, it loads to the same config, weights and metadata; saving is deterministic.
  const std::vector<uint8_t> bytes = save(loaded->model, loaded->metadata);
  Loaded again = load(bytes.data(), bytes.size());
  require(same_weights(again.model.get_weights(), loaded->model.get_weights()), "weights survive save/load");
  require(again.metadata == loaded->metadata, "metadata survives save/load");
  require(save(again.model, again.metadata) == bytes, "save(load(save(m))) == save(m)");
  exercise(loaded->model);
}

void model_or_seq2seq(const uint8_t* data, size_t size, bool seq2seq) {
  auto run = [&](const uint8_t* p, size_t n) {
    if (seq2seq)
      load_file<LoadedSeq2Seq>(p, n, load_seq2seq,
                               [](const Seq2Seq& m, const std::string& meta) { return save_seq2seq(m, meta); });
    else
      load_file<LoadedModel>(p, n, load_model,
                             [](const Model& m, const std::string& meta) { return save_model(m, meta); });
  };
  run(data, size);
  const std::vector<uint8_t> b = resealed(data, size);
  if (size >= 28) run(b.data(), b.size());
}

// ---- configuration text ----------------------------------------------------------------------

// Models up to this many parameters are built and run; larger valid configs are only
// validated and counted (building one is correct but takes seconds: the orthogonal
// initialisation is cubic in the hidden size), which keeps the fuzzer fast.
constexpr int64_t kBuildLimit = 1 << 16;

template <class Config, class M>
void one_config(const std::string& text) {
  Config c;
  if (!accepted([&] { c = config_from_text<Config>(text); })) return;
  if (!accepted([&] { c.validate(); })) return;
  const int64_t n = c.parameter_count();
  require(n >= 1 && n <= kMaxParameters, "a valid config's parameter count is within the cap");
  // Text -> config -> text is a fixed point, and the model file's reader agrees.
  const std::string canonical = config_to_text(c);
  require(config_to_text(config_from_text<Config>(canonical)) == canonical, "config text round trip");
  require(config_to_text(read_config_pairs<Config>(config_to_pairs(c))) == canonical,
          "config as file entries round trip");
  if (n > kBuildLimit) return;
  M m(c);
  require(static_cast<int64_t>(m.parameter_count()) == n, "parameter_count() agrees with the model");
  exercise(m);
}

// ---- named tensors ---------------------------------------------------------------------------

ModelConfig weights_model(int which) {
  ModelConfig c;
  switch (which) {
    case 0:  // LSTM, features, stacked
      c.input_size = 2, c.hidden_sizes = {3, 2};
      break;
    case 1:  // GRU, embedding, softmax at every step
      c.cell = CellType::kGru, c.input_encoding = InputEncoding::kEmbedding, c.vocab_size = 5;
      c.embedding_size = 3, c.hidden_sizes = {4}, c.output_size = 5;
      c.output = OutputMode::kSequence, c.head = HeadType::kSoftmax;
      break;
    case 2:  // classic GRU, one-hot
      c.cell = CellType::kGru, c.gru_variant = GruVariant::kClassic;
      c.input_encoding = InputEncoding::kOneHot, c.vocab_size = 4, c.hidden_sizes = {3};
      c.output_size = 2, c.head = HeadType::kSoftmax;
      break;
    default:  // RNN, features
      c.cell = CellType::kRnn, c.hidden_sizes = {2};
      break;
  }
  return c;
}

Seq2SeqConfig weights_seq2seq(int which) {
  Seq2SeqConfig c;
  c.cell = which == 4 ? CellType::kGru : CellType::kLstm;
  c.input_vocab = 5, c.output_vocab = 4, c.embedding_size = 3, c.hidden_sizes = {3};
  return c;
}

template <class M, class Config>
void set_weights_into(const Config& config, const std::vector<NamedTensor>& tensors) {
  M m(config);
  const std::vector<NamedTensor> before = m.get_weights();
  if (!accepted([&] { m.set_weights(tensors, /*require_all=*/true); })) {
    require(same_weights(m.get_weights(), before), "a refused set_weights changes nothing");
    require(!accepted([&] { M(config, tensors); }), "the loader refuses what set_weights refuses");
    return;
  }
  // Accepted: every tensor was taken bit for bit, and building with them agrees.
  const std::vector<NamedTensor> after = m.get_weights();
  for (const NamedTensor& t : tensors) {
    bool found = false;
    for (const NamedTensor& a : after)
      if (a.name == t.name) found = a.tensor.shape == t.tensor.shape && same_bits(a.tensor.data, t.tensor.data);
    require(found, "set_weights copies '" + t.name + "' exactly");
  }
  M built(config, tensors);
  require(same_weights(built.get_weights(), after), "Model(config, weights) == set_weights");
  exercise(m);
}

}  // namespace

void model_file(const uint8_t* data, size_t size) { model_or_seq2seq(data, size, false); }
void seq2seq_file(const uint8_t* data, size_t size) { model_or_seq2seq(data, size, true); }

void config_text(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  one_config<ModelConfig, Model>(text);
  one_config<Seq2SeqConfig, Seq2Seq>(text);
}

// Input: one byte choosing the model, the manifest up to the first NUL byte, then the values
// (4 bytes each, little-endian float bits; a trailing partial value is ignored).
void weights(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const int which = data[0] % 6;
  const char* text = reinterpret_cast<const char*>(data + 1);
  const size_t rest = size - 1;
  const void* nul = std::memchr(text, '\0', rest);
  const size_t manifest_len = nul ? static_cast<size_t>(static_cast<const char*>(nul) - text) : rest;
  const std::string manifest(text, manifest_len);
  const size_t value_bytes = nul ? rest - manifest_len - 1 : 0;
  std::vector<float> values(value_bytes / 4);
  if (!values.empty()) std::memcpy(values.data(), text + manifest_len + 1, 4 * values.size());
  std::vector<NamedTensor> tensors;
  if (!accepted([&] { tensors = decode_named_tensors(manifest, values.data(), values.size()); })) return;
  size_t total = 0;
  for (const NamedTensor& t : tensors) {
    require(t.tensor.data.size() == Tensor::numel(t.tensor.shape), "a decoded tensor fills its shape");
    total += t.tensor.data.size();
  }
  require(total == values.size(), "the decoded tensors use every value");
  if (which < 4)
    set_weights_into<Model>(weights_model(which), tensors);
  else
    set_weights_into<Seq2Seq>(weights_seq2seq(which), tensors);
}

void csv(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  data::DatedSeries s;
  if (!accepted([&] { s = data::parse_date_value_csv(text); })) return;
  require(!s.values.empty() && s.values.size() == s.dates.size(), "one date per value, at least one");
  std::string again = "date,value\n";
  for (size_t i = 0; i < s.values.size(); ++i) {
    const std::string& d = s.dates[i];
    require(std::isfinite(s.values[i]), "values are finite");
    require(!d.empty() && d.find_first_of(",\n") == std::string::npos, "a date is one non-empty field");
    require(d.front() != ' ' && d.front() != '\t' && d.back() != ' ' && d.back() != '\t', "dates are trimmed");
    char number[32];
    std::snprintf(number, sizeof number, "%.9g", static_cast<double>(s.values[i]));
    again += d + "," + number + "\n";
  }
  // Written back as date,value lines, the series reads the same, bit for bit.
  const data::DatedSeries t = data::parse_date_value_csv(again);
  require(t.dates == s.dates && same_bits(t.values, s.values), "csv round trip");
}

// Input: byte 0: max_size (0..31, so also the invalid 1); byte 1: flags (bit 0 reserve the
// fallback, bit 1 a fallback from bytes 2-4, bit 2 take the symbols of a saved vocabulary
// from the text); then the text, a NUL, a second text to encode, a NUL, and ids (4 bytes each).
void utf8_vocab(const uint8_t* data, size_t size) {
  if (size < 5) return;
  data::VocabOptions o;
  o.max_size = data[0] % 32;
  o.reserve_fallback = data[1] & 1;
  if (data[1] & 2) o.fallback = static_cast<char32_t>(data[2] | data[3] << 8 | (data[4] % 0x12) << 16);
  const bool saved = data[1] & 4;
  std::vector<std::string> parts(1);
  size_t i = 5;
  for (; i < size && parts.size() < 3; ++i) {
    if (data[i] == 0) parts.emplace_back();
    else parts.back() += static_cast<char>(data[i]);
  }
  parts.resize(3);
  const std::string& text = parts[0];
  const std::string& other = parts[1];
  std::vector<int32_t> ids((size - i) / 4);
  if (!ids.empty()) std::memcpy(ids.data(), data + i, 4 * ids.size());

  // Strict decoding: it accepts exactly what the model file's own UTF-8 check accepts, and
  // what it accepts encodes back to the same bytes.
  std::u32string cps;
  const bool valid = accepted([&] { cps = data::decode_utf8(text); });
  ModelFile probe;
  probe.metadata = text;
  require(valid == accepted([&] { encode_model_file(probe); }), "both UTF-8 validators agree");
  if (valid) {
    require(data::encode_utf8(cps) == text, "encode(decode(text)) == text");
    for (char32_t c : cps) require(c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF), "scalar values only");
  }

  if (saved) {
    // A vocabulary restored from a saved symbol list (rnn.data.charVocab(json)).
    const int32_t fallback = static_cast<int32_t>(data[2]) - 1;
    data::CharVocab v;
    if (!accepted([&] { v = data::CharVocab(data::decode_utf8(text, "symbols"), fallback); })) return;
    std::vector<int32_t> encoded;
    if (accepted([&] { encoded = v.encode(other); }))
      for (int32_t id : encoded) require(id >= 0 && id < v.size(), "encoded ids in range");
    accepted([&] { v.decode(ids); });
    return;
  }

  data::CharVocab v;
  if (!accepted([&] { v = data::CharVocab::build(text, o); })) return;
  const std::u32string& sym = v.symbols();
  for (size_t k = 1; k < sym.size(); ++k) require(sym[k - 1] < sym[k], "symbols strictly ascending");
  require(o.max_size == 0 || v.size() <= o.max_size, "max_size holds");
  require(v.fallback_id() >= -1 && v.fallback_id() < v.size(), "fallback id in range");
  const std::vector<int32_t> encoded = v.encode(text);
  require(encoded.size() == cps.size(), "one id per code point");
  for (int32_t id : encoded) require(id >= 0 && id < v.size(), "encoded ids in range");
  if (v.fallback_id() < 0)  // every symbol of the text is in the vocabulary
    require(v.decode(encoded) == text, "decode(encode(text)) == text");
  // Saved as its symbol list and restored, it is the same vocabulary.
  const data::CharVocab restored(data::decode_utf8(v.symbols_utf8(), "symbols"), v.fallback_id());
  require(restored.symbols() == sym, "a vocabulary survives its symbol list");
  std::vector<int32_t> other_ids;
  if (accepted([&] { other_ids = v.encode(other); })) v.decode(other_ids);
  accepted([&] { v.decode(ids); });
}

const std::vector<FuzzTarget>& targets() {
  static const std::vector<FuzzTarget> all = {
      {"model_file", model_file, "model file loader (rnn.loadModel, loadWorkerModel)"},
      {"seq2seq_file", seq2seq_file, "Seq2Seq file loader (rnn.loadSeq2Seq)"},
      {"config_text", config_text, "configuration text (createModel, createSeq2Seq)"},
      {"weights", weights, "weights import (setWeights: manifest + values)"},
      {"csv", csv, "date,value CSV reader (rnn.data.parseCsv)"},
      {"utf8_vocab", utf8_vocab, "UTF-8 decoding and the character vocabulary (rnn.data.charVocab)"},
  };
  return all;
}

const FuzzTarget* find_target(const std::string& name) {
  for (const FuzzTarget& t : targets())
    if (name == t.name) return &t;
  return nullptr;
}

}  // namespace rnnlab::fuzz
