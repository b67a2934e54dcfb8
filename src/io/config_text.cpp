// ModelConfig <-> the model file's key=value config entries, and the value codecs that the
// Seq2Seq file code shares.
#include <cstring>
#include <locale>
#include <sstream>

#include "io/file_errors.h"
#include "rnnlab/model_file.h"

namespace rnnlab {
namespace {

// Keys in the order they are written. A key's index is its bit in the duplicate check.
const char* const kKeys[] = {"cell",       "gru_variant",    "input_encoding", "input_size",
                             "vocab_size", "embedding_size", "hidden_sizes",   "output_size",
                             "output",     "head",           "dropout",        "seed"};
constexpr int kKeyCount = sizeof(kKeys) / sizeof(kKeys[0]);

// ModelConfig::validate() names fields as the JS API does; report them under the file's key.
std::string key_for_field(const std::string& field) {
  static const char* const map[][2] = {{"gruVariant", "gru_variant"},
                                       {"inputEncoding", "input_encoding"},
                                       {"inputSize", "input_size"},
                                       {"vocabSize", "vocab_size"},
                                       {"embeddingSize", "embedding_size"},
                                       {"hiddenSize", "hidden_sizes"},
                                       {"outputSize", "output_size"}};
  for (const auto& m : map)
    if (field == m[0]) return m[1];
  return field;
}

// Strict decimal: optional '-' (if allowed), then digits only. Files are written by us, so
// spaces, '+' or hex mean corruption rather than a human's typing. Returns false on overflow
// of [-(neg_limit), pos_limit].
bool parse_decimal(const std::string& s, bool allow_minus, uint64_t neg_limit, uint64_t pos_limit,
                   uint64_t& magnitude, bool& negative) {
  size_t i = 0;
  negative = allow_minus && !s.empty() && s[0] == '-';
  if (negative) i = 1;
  if (i == s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (v > (negative ? neg_limit : pos_limit)) return false;
  magnitude = v;
  return true;
}

// Classic-locale streams: printf/strtod follow the process locale and could write or expect
// a decimal comma.
bool read_double(const std::string& s, double& v) {
  std::istringstream in(s);
  in.imbue(std::locale::classic());
  in >> v;
  return !in.fail() && in.peek() == std::char_traits<char>::eof();
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; }

}  // namespace

int parse_config_int(const std::string& value, const std::string& key) {
  uint64_t m = 0;
  bool neg = false;
  if (!parse_decimal(value, true, 2147483648u, 2147483647u, m, neg))
    io::bad_file("config." + key, "'" + value + "' is not a 32-bit decimal integer");
  return neg ? static_cast<int>(-static_cast<int64_t>(m)) : static_cast<int>(m);
}

uint64_t parse_config_u64(const std::string& value, const std::string& key) {
  uint64_t m = 0;
  bool neg = false;
  if (!parse_decimal(value, false, 0, UINT64_MAX, m, neg))
    io::bad_file("config." + key, "'" + value + "' is not an unsigned 64-bit decimal integer");
  return m;
}

float parse_config_float(const std::string& value, const std::string& key) {
  bool ok = !value.empty();
  for (char c : value) ok = ok && c != '\0' && std::strchr("0123456789.eE+-", c) != nullptr;
  double v = 0.0;
  if (!ok || !read_double(value, v))
    io::bad_file("config." + key, "'" + value + "' is not a decimal number");
  // Beyond float range this becomes +-Inf, which the config's validate() then refuses.
  return static_cast<float>(v);
}

std::vector<int> parse_config_int_list(const std::string& value, const std::string& key) {
  std::vector<int> out;
  if (value.empty()) return out;  // validate() decides whether an empty list is allowed
  size_t start = 0;
  while (true) {
    const size_t comma = value.find(',', start);
    const size_t stop = comma == std::string::npos ? value.size() : comma;
    if (stop == start)
      io::bad_file("config." + key, "'" + value + "' has an empty entry; expected e.g. '64,32'");
    out.push_back(parse_config_int(value.substr(start, stop - start), key));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string format_config_float(float v) {
  // The shortest of 1..9 significant digits that reads back to the same bits (9 always do
  // for a finite float), so "0.1" stays "0.1" and the round trip is exact.
  std::string s;
  for (int precision = 1; precision <= 9; ++precision) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out.precision(precision);
    out << static_cast<double>(v);
    s = out.str();
    double back = 0.0;
    if (read_double(s, back) && same_bits(static_cast<float>(back), v)) break;
  }
  return s;
}

std::string format_config_int_list(const std::vector<int>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + std::to_string(values[i]);
  return s;
}

std::vector<std::pair<std::string, std::string>> config_to_pairs(const ModelConfig& c,
                                                                 const std::string& prefix) {
  const std::string values[kKeyCount] = {to_string(c.cell),
                                         to_string(c.gru_variant),
                                         to_string(c.input_encoding),
                                         std::to_string(c.input_size),
                                         std::to_string(c.vocab_size),
                                         std::to_string(c.embedding_size),
                                         format_config_int_list(c.hidden_sizes),
                                         std::to_string(c.output_size),
                                         to_string(c.output),
                                         to_string(c.head),
                                         format_config_float(c.dropout),
                                         std::to_string(c.seed)};
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < kKeyCount; ++i) out.emplace_back(prefix + kKeys[i], values[i]);
  return out;
}

ModelConfig parse_config_pairs(const std::vector<std::pair<std::string, std::string>>& pairs,
                               const std::string& prefix) {
  ModelConfig c;
  uint32_t seen = 0;
  for (const auto& entry : pairs) {
    const std::string &key = entry.first, &value = entry.second;  // (lambdas below capture them)
    if (key.compare(0, prefix.size(), prefix) != 0) continue;  // another config's entry
    const std::string name = key.substr(prefix.size());
    int k = 0;
    while (k < kKeyCount && name != kKeys[k]) ++k;
    if (k == kKeyCount) continue;  // written by a newer version: ignore
    if (seen & (1u << k)) io::bad_file("config." + key, "appears more than once");
    seen |= 1u << k;
    auto named = [&](auto parse) {  // parse_cell etc.: their errors become kBadModelFile
      return as_bad_model_file("config." + key, [&] { return parse(value); });
    };
    switch (k) {
      case 0: c.cell = named(parse_cell); break;
      case 1: c.gru_variant = named(parse_gru_variant); break;
      case 2: c.input_encoding = named(parse_input_encoding); break;
      case 3: c.input_size = parse_config_int(value, key); break;
      case 4: c.vocab_size = parse_config_int(value, key); break;
      case 5: c.embedding_size = parse_config_int(value, key); break;
      case 6: c.hidden_sizes = parse_config_int_list(value, key); break;
      case 7: c.output_size = parse_config_int(value, key); break;
      case 8: c.output = named(parse_output_mode); break;
      case 9: c.head = named(parse_head); break;
      case 10: c.dropout = parse_config_float(value, key); break;
      case 11: c.seed = parse_config_u64(value, key); break;
    }
  }
  return c;
}

ModelConfig config_from_pairs(const std::vector<std::pair<std::string, std::string>>& pairs,
                              const std::string& prefix) {
  ModelConfig c = parse_config_pairs(pairs, prefix);
  // No checks beyond validate(): any config a Model accepted must load again.
  try {
    c.validate();
  } catch (const Error& e) {
    io::bad_file("config." + prefix + key_for_field(e.field()), io::message_of(e));
  }
  return c;
}

}  // namespace rnnlab
