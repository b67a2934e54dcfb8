// Seq2Seq models in the model file container (kind 1): its own config keys, the same
// tensors-and-metadata body as kind 0.
#include <map>
#include <string>

#include "io/file_errors.h"
#include "rnnlab/model_file.h"
#include "rnnlab/seq2seq.h"

namespace rnnlab {

std::vector<std::pair<std::string, std::string>> seq2seq_config_to_pairs(const Seq2SeqConfig& c) {
  return {{"cell", to_string(c.cell)},
          {"gru_variant", to_string(c.gru_variant)},
          {"input_vocab", std::to_string(c.input_vocab)},
          {"output_vocab", std::to_string(c.output_vocab)},
          {"embedding_size", std::to_string(c.embedding_size)},
          {"hidden_sizes", format_config_int_list(c.hidden_sizes)},
          {"dropout", format_config_float(c.dropout)},
          {"seed", std::to_string(c.seed)}};
}

Seq2SeqConfig seq2seq_config_from_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Seq2SeqConfig c;
  std::map<std::string, int> seen;
  for (const auto& entry : pairs) {
    // (Named references, not structured bindings: clang 14 cannot capture those.)
    const std::string &key = entry.first, &value = entry.second;
    if (++seen[key] > 1) io::bad_file("config." + key, "appears more than once");
    const std::string field = "config." + key;
    if (key == "cell") c.cell = as_bad_model_file(field, [&] { return parse_cell(value); });
    else if (key == "gru_variant")
      c.gru_variant = as_bad_model_file(field, [&] { return parse_gru_variant(value); });
    else if (key == "input_vocab") c.input_vocab = parse_config_int(value, key);
    else if (key == "output_vocab") c.output_vocab = parse_config_int(value, key);
    else if (key == "embedding_size") c.embedding_size = parse_config_int(value, key);
    else if (key == "hidden_sizes") c.hidden_sizes = parse_config_int_list(value, key);
    else if (key == "dropout") c.dropout = parse_config_float(value, key);
    else if (key == "seed") c.seed = parse_config_u64(value, key);
    // Unknown keys come from newer writers: ignored, as in kind 0.
  }
  as_bad_model_file("config", [&] { c.validate(); });
  return c;
}

std::vector<uint8_t> save_seq2seq(const Seq2Seq& model, const std::string& metadata) {
  ModelFile file;
  file.kind = kModelFileKindSeq2Seq;
  file.config = seq2seq_config_to_pairs(model.config());
  file.tensors = model.get_weights();
  file.metadata = metadata;
  return encode_model_file(file);
}

LoadedSeq2Seq load_seq2seq(const uint8_t* data, size_t size) {
  ModelFile file = decode_model_file(data, size);
  io::require_kind(file.kind, kModelFileKindSeq2Seq);
  Seq2SeqConfig config = seq2seq_config_from_pairs(file.config);
  return LoadedSeq2Seq{io::build_from_file<Seq2Seq>(config, file.tensors),
                       std::move(file.metadata)};
}

}  // namespace rnnlab
