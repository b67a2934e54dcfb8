// The two text forms in which the JS layer hands the core outside data (bindings/handle.h):
// a configuration as `key=value` lines and named tensors as a manifest plus packed values.
// They live here, not in bindings/, so the native tests and fuzzers (tests/fuzz/) reach them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rnnlab/config.h"
#include "rnnlab/tensor.h"

namespace rnnlab {

// A configuration as `key=value` lines in core names (the model file's config block; empty
// lines are skipped, a line splits at its first '='). Unknown keys are ignored and missing
// keys keep their defaults; no validation (the model's constructor does it). A malformed
// line throws kInvalidConfig (field "config"), a malformed value or a repeated key
// kInvalidConfig naming the key.
template <class Config>
Config config_from_text(const std::string& text);
template <class Config>
std::string config_to_text(const Config& config);

// Named tensors as the JS layer sends them: `manifest` holds one `name\tdim,dim,...` line per
// tensor (the name is everything before the last tab; no dims is a scalar), `data` the
// values of all tensors back to back, `total` of them. The shapes must account for exactly
// `total` values. Throws kShapeMismatch (kTooLarge for a dim above INT32_MAX), field
// "weights". Never reads past data[total - 1]; checks sizes before allocating.
std::vector<NamedTensor> decode_named_tensors(const std::string& manifest, const float* data,
                                              size_t total);

}  // namespace rnnlab
