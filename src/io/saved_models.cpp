// Model (kind 0) and Seq2Seq (kind 1) as model files: the same container, config entries from
// the schema, every weight, the metadata; loading rebuilds the model and sets every weight.
#include "io/config_pairs.h"
#include "io/file_errors.h"
#include "rnnlab/model_file.h"

namespace rnnlab {
namespace {

// Throws unless a decoded file holds the expected kind (a known other kind is a bad file with
// a hint; an unknown one needs a newer rnnlab).
void require_kind(uint32_t kind, uint32_t expected) {
  if (kind == expected) return;
  if (kind == kModelFileKindSeq2Seq)
    io::bad_file("kind", "this file holds a sequence-to-sequence model; load it as a Seq2Seq");
  if (kind == kModelFileKindModel)
    io::bad_file("kind", "this file holds a single-sequence model; load it as a Model");
  throw Error(ErrorCode::kUnsupportedVersion, "kind",
              "model kind " + std::to_string(kind) +
                  " is unknown to this build of rnnlab (0 = Model, 1 = Seq2Seq). Upgrade rnnlab "
                  "to load it");
}

// Builds a model from its config and the file's tensors: a missing, extra, misshapen or
// non-finite tensor means the file disagrees with its own config. The tensors are checked
// against the model's declared ones before its parameters are allocated, and taken as they
// are (no initial weights drawn first), so the memory and time a file can ask for stay
// proportional to its size: a 67-byte file naming a 4000-unit layer once made the loader
// allocate 128 MB and spend 45 s on an orthogonal initialisation before finding no tensors.
template <class M, class Config>
M build_from_file(const Config& config, const std::vector<NamedTensor>& tensors) {
  try {
    return M(config, tensors);
  } catch (const Error& e) {
    io::bad_file(e.field() == "weights" ? "tensors" : "config", e.message());
  }
}

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
  require_kind(file.kind, kind);
  const Config config = read_config_pairs<Config>(file.config);  // throws kBadModelFile itself
  return Loaded{build_from_file<decltype(Loaded::model)>(config, file.tensors),
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
