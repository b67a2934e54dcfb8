// Model (kind 0) and Seq2Seq (kind 1) as model files: the same container, config entries from
// the schema, every weight, the metadata; loading rebuilds the model and sets every weight.
#include "io/config_pairs.h"
#include "io/file_errors.h"
#include "rnnlab/model_file.h"

namespace rnnlab {
namespace {

template <class M>
std::vector<uint8_t> save_as(uint32_t kind, const M& model, const std::string& metadata) {
  ModelFile file;
  file.kind = kind;
  file.config = config_to_pairs(model.config());
  file.tensors = model.get_weights();
  file.metadata = metadata;
  return encode_model_file(file);
}

// {model, metadata} of a file of this kind.
template <class Loaded, class Config>
Loaded load_as(uint32_t kind, const uint8_t* data, size_t size) {
  ModelFile file = decode_model_file(data, size);
  io::require_kind(file.kind, kind);
  const Config config = read_config_pairs<Config>(file.config);  // throws kBadModelFile itself
  return Loaded{io::build_from_file<decltype(Loaded::model)>(config, file.tensors),
                std::move(file.metadata)};
}

}  // namespace

std::vector<uint8_t> save_model(const Model& model, const std::string& metadata) {
  return save_as(kModelFileKindModel, model, metadata);
}

LoadedModel load_model(const uint8_t* data, size_t size) {
  return load_as<LoadedModel, ModelConfig>(kModelFileKindModel, data, size);
}

std::vector<uint8_t> save_seq2seq(const Seq2Seq& model, const std::string& metadata) {
  return save_as(kModelFileKindSeq2Seq, model, metadata);
}

LoadedSeq2Seq load_seq2seq(const uint8_t* data, size_t size) {
  return load_as<LoadedSeq2Seq, Seq2SeqConfig>(kModelFileKindSeq2Seq, data, size);
}

}  // namespace rnnlab
