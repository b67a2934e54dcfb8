// The rnnlab model file: a small, versioned, checksummed binary container (what the JS API's
// model.save() returns and rnn.loadModel() reads).
//
// Byte layout, format version 1. Every integer is unsigned little-endian whatever the host;
// floats are IEEE-754 binary32 stored as their bit pattern, little-endian. No padding.
//
//   offset  size  field
//   0       8     magic: 'R' 'N' 'N' 'L' 'A' 'B' 0x00 0x1A
//                 (the NUL stops C-string handling early, 0x1A stops DOS `type`)
//   8       4     u32 format version = 1 (kModelFileVersion)
//   12      4     u32 kind: 0 = Model, 1 = Seq2Seq (reserved); says how to read the rest
//   16      8     u64 total file size in bytes, including the trailing CRC (tells a
//                 truncated download apart from a corrupt one, and catches trailing junk)
//   24      4     u32 C = byte length of the config block
//   28      C     config block: UTF-8 text, one `key=value\n` line per entry, in order.
//                 Keys are non-empty and contain no '=' or '\n'; values contain no '\n'
//                 (they may contain '='; a line splits at its first '='). Keys are unique.
//                 The keys are the field names of rnnlab/schema.h, in its order; kind 0:
//                 cell, gru_variant, input_encoding, input_size, vocab_size, embedding_size,
//                 hidden_sizes (comma list, e.g. "64,32"), output_size, output, head,
//                 dropout, seed.
//                 Readers ignore keys they do not know and give missing keys their
//                 defaults, so later writers may add keys without a version bump.
//   ..      4     u32 N = tensor count (<= kMaxFileTensors)
//   ..            N tensors, each:
//                   u32 L = name length (1..kMaxTensorNameBytes), L bytes UTF-8 name
//                       (PyTorch names for kind 0: weight_ih_l0, head.bias, ...; unique)
//                   u32 D = number of dims (0..kMaxTensorDims)
//                   D x u32 dims, each <= INT32_MAX (outermost first, row-major)
//                   prod(dims) x f32 values
//   ..      4     u32 M = metadata length, M bytes of UTF-8: free text for the application
//                 (e.g. a feature normaliser or a vocabulary as JSON); empty if unused
//   size-4  4     u32 CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value
//                 and final xor 0xFFFFFFFF) of every preceding byte
//
// Compatibility rules: bytes 0..11 (magic and version) keep their meaning in every future
// version, so an old reader can always say "version N is newer than I read". Anything
// that changes how existing bytes are read needs a new format version; adding config keys
// does not. Optimizer state (moments, step count) and the dropout stream are not saved: a
// loaded model predicts exactly like the saved one and trains on with a fresh optimizer.
//
// Decoding checks, in order: magic, version (before anything else, since a newer version may
// lay out the rest differently), declared size against the buffer (truncation, trailing
// bytes), CRC, then the structure in full. It never reads outside the given buffer and never
// allocates more than the buffer implies: every count and length is checked against the
// bytes that remain first. Malformed input throws rnnlab::Error with kBadModelFile and the
// field at fault ("magic", "size", "checksum", "config.dropout", "tensors[2].dims", ...); a
// newer format version throws kUnsupportedVersion, as does load_model() for an unknown kind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rnnlab/config.h"
#include "rnnlab/model.h"
#include "rnnlab/seq2seq.h"
#include "rnnlab/tensor.h"

namespace rnnlab {

// The version this build writes and the newest it reads.
constexpr uint32_t kModelFileVersion = 1;
constexpr uint32_t kModelFileKindModel = 0;
constexpr uint32_t kModelFileKindSeq2Seq = 1;  // reserved for the sequence-to-sequence model
// Decoder limits (the encoder refuses to write anything the decoder would refuse to read).
constexpr uint32_t kMaxFileTensors = 1u << 16;
constexpr uint32_t kMaxTensorNameBytes = 1024;
constexpr uint32_t kMaxTensorDims = 8;

// The generic container: any config, any named float tensors, any metadata. Both Model and
// Seq2Seq files are this; `kind` says which.
struct ModelFile {
  uint32_t kind = kModelFileKindModel;
  std::vector<std::pair<std::string, std::string>> config;  // in file order
  std::vector<NamedTensor> tensors;                         // in file order
  std::string metadata;
};

// Throws rnnlab::Error (kInvalidConfig for bad keys/names/UTF-8 or limits, kShapeMismatch
// when a tensor's data does not match its shape) instead of writing an unreadable file.
std::vector<uint8_t> encode_model_file(const ModelFile& file);
// Accepts any kind (the loaders check it); throws as described above.
ModelFile decode_model_file(const uint8_t* data, size_t size);

// A Model as kind 0: its config (with embedding_size resolved), every weight, the metadata.
std::vector<uint8_t> save_model(const Model& model, const std::string& metadata = "");

struct LoadedModel {
  Model model;
  std::string metadata;
};
// Builds the Model from the file's config and sets every weight (all tensors required, exact
// shapes, finite values), so it predicts bit-identically to the model that was saved.
// Everything the file gets wrong is kBadModelFile (a Seq2Seq file too, with a hint).
LoadedModel load_model(const uint8_t* data, size_t size);

// A Seq2Seq as kind 1 (config keys: those of rnnlab::schema::seq2seq_config()).
std::vector<uint8_t> save_seq2seq(const Seq2Seq& model, const std::string& metadata = "");
struct LoadedSeq2Seq {
  Seq2Seq model;
  std::string metadata;
};
LoadedSeq2Seq load_seq2seq(const uint8_t* data, size_t size);

}  // namespace rnnlab
