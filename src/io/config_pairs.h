// A model's configuration as the model file's config entries (key=value, keys are the schema's
// field names), for ModelConfig (kind 0) and Seq2SeqConfig (kind 1) alike. Internal to io/
// (and the tests).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rnnlab/config.h"

namespace rnnlab {

using ConfigPairs = std::vector<std::pair<std::string, std::string>>;

// Every field in schema order, each key prefixed with `prefix` (e.g. "encoder."), so one file
// can hold several configs.
ConfigPairs config_to_pairs(const ModelConfig& config, const std::string& prefix = "");
ConfigPairs config_to_pairs(const Seq2SeqConfig& config, const std::string& prefix = "");

// Reads the entries starting with `prefix` (others are ignored, as are unknown keys; missing
// keys keep the defaults), then validate()s. Anything wrong throws kBadModelFile with field
// "config.<key>": any config a model accepted loads again, nothing else does.
template <class Config>
Config read_config_pairs(const ConfigPairs& pairs, const std::string& prefix = "");
inline ModelConfig config_from_pairs(const ConfigPairs& pairs, const std::string& prefix = "") {
  return read_config_pairs<ModelConfig>(pairs, prefix);
}

// Float values as files write them: the shortest decimal that reads back bit-exactly.
std::string format_config_float(float v);
// Its inverse; a malformed value is kBadModelFile "config.<key>".
float parse_config_float(const std::string& value, const std::string& key);

}  // namespace rnnlab
