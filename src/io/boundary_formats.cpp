#include "io/boundary_formats.h"

#include <cstdint>
#include <utility>

#include "core/require.h"
#include "rnnlab/schema.h"

namespace rnnlab {
namespace {

const schema::Table<ModelConfig>& table_of(const ModelConfig*) { return schema::model_config(); }
const schema::Table<Seq2SeqConfig>& table_of(const Seq2SeqConfig*) { return schema::seq2seq_config(); }

[[noreturn]] void bad_manifest(const std::string& message, ErrorCode code = ErrorCode::kShapeMismatch) {
  throw Error(code, "weights", message);
}

}  // namespace

template <class Config>
Config config_from_text(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    // Keys and values never hold '\n'; a line splits at its first '=' as in the model file.
    const size_t eq = line.find('=');
    RNNLAB_REQUIRE(eq != std::string::npos && eq > 0, "config", "line '" + line + "' is not key=value");
    pairs.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return schema::from_pairs(table_of(static_cast<const Config*>(nullptr)), pairs);
}

template <class Config>
std::string config_to_text(const Config& config) {
  std::string text;
  for (const auto& [key, value] : schema::to_pairs(table_of(&config), config))
    text += key + "=" + value + "\n";
  return text;
}

template ModelConfig config_from_text<ModelConfig>(const std::string&);
template Seq2SeqConfig config_from_text<Seq2SeqConfig>(const std::string&);
template std::string config_to_text<ModelConfig>(const ModelConfig&);
template std::string config_to_text<Seq2SeqConfig>(const Seq2SeqConfig&);

std::vector<NamedTensor> decode_named_tensors(const std::string& manifest, const float* data,
                                              size_t total) {
  std::vector<NamedTensor> out;
  size_t used = 0, start = 0;
  while (start < manifest.size()) {
    size_t end = manifest.find('\n', start);
    if (end == std::string::npos) end = manifest.size();
    const std::string line = manifest.substr(start, end - start);
    start = end + 1;
    const size_t tab = line.rfind('\t');
    if (tab == std::string::npos || tab == 0) bad_manifest("malformed tensor manifest");
    NamedTensor t;
    t.name = line.substr(0, tab);
    // Element count without overflow (size_t is 32 bits in wasm): numel * d stays within
    // the values that remain, checked by division before multiplying.
    const size_t left = total - used;
    size_t numel = 1;
    const std::string dims = line.substr(tab + 1);
    size_t p = 0;
    while (p < dims.size()) {
      size_t q = dims.find(',', p);
      if (q == std::string::npos) q = dims.size();
      if (q == p || q - p > 10) bad_manifest("malformed shape of '" + t.name + "'");
      int64_t d = 0;
      for (size_t i = p; i < q; ++i) {
        if (dims[i] < '0' || dims[i] > '9') bad_manifest("malformed shape of '" + t.name + "'");
        d = d * 10 + (dims[i] - '0');
      }
      if (d > INT32_MAX) bad_manifest("shape of '" + t.name + "' is too large", ErrorCode::kTooLarge);
      t.tensor.shape.push_back(static_cast<int>(d));
      if (d != 0 && numel > left / static_cast<size_t>(d))
        bad_manifest("shapes exceed the values given");
      numel *= static_cast<size_t>(d);
      p = q + 1;
    }
    if (numel > left) bad_manifest("shapes exceed the values given");
    t.tensor.data.assign(data + used, data + used + numel);
    used += numel;
    out.push_back(std::move(t));
  }
  if (used != total) bad_manifest("more values were given than the shapes hold");
  return out;
}

}  // namespace rnnlab
