// Error helpers shared by the model file sources.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rnnlab/error.h"
#include "rnnlab/tensor.h"

namespace rnnlab::io {

[[noreturn]] inline void bad_file(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kBadModelFile, field, message);
}

// Throws unless a decoded file holds the expected kind (a known other kind is a bad file with
// a hint; an unknown one needs a newer rnnlab).
void require_kind(uint32_t kind, uint32_t expected);

// Builds a model from its config and sets every tensor: a missing, extra, misshapen or
// non-finite tensor means the file disagrees with its own config.
template <class M, class Config>
M build_from_file(const Config& config, const std::vector<NamedTensor>& tensors) {
  try {
    M model(config);
    model.set_weights(tensors, /*require_all=*/true);
    return model;
  } catch (const Error& e) {
    bad_file(e.field() == "weights" ? "tensors" : "config", e.message());
  }
}

}  // namespace rnnlab::io
