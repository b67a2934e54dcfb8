// ModelConfig: its checks (the schema's limits plus the rules between fields) and the names
// of its enums, which are the schema's choices.
#include <cstdint>
#include <string>

#include "core/require.h"
#include "model/parameter_count.h"
#include "rnnlab/config.h"
#include "rnnlab/schema.h"

namespace rnnlab {
namespace {

template <class E>
E parse_choice(const char* field, const std::string& name) {
  const schema::Field& f = schema::find(schema::model_config(), field)->field;
  return static_cast<E>(static_cast<int>(schema::parse(f, name, field).number));
}

template <class E>
const char* choice_of(const char* field, E value) {
  return schema::choice_c_str(schema::find(schema::model_config(), field)->field,
                              static_cast<int>(value));
}

}  // namespace

int ModelConfig::layer0_input_size() const {
  switch (input_encoding) {
    case InputEncoding::kFeatures: return input_size;
    case InputEncoding::kOneHot: return vocab_size;
    case InputEncoding::kEmbedding: return resolved_embedding_size(embedding_size, vocab_size);
  }
  return input_size;
}

int64_t ModelConfig::parameter_count() const {
  const double in = layer0_input_size();
  double n = param_count::stack(gates_per_cell(), in, hidden_sizes);
  if (input_encoding == InputEncoding::kEmbedding) n += static_cast<double>(vocab_size) * in;
  const double top = hidden_sizes.empty() ? in : hidden_sizes.back();
  n += static_cast<double>(output_size) * (top + 1);
  return param_count::saturate(n);
}

void ModelConfig::validate() const {
  schema::validate(schema::model_config(), *this);
  RNNLAB_REQUIRE(head != HeadType::kSoftmax || output_size >= 2, "output_size",
                 "a softmax head needs at least 2 classes");
  // Parameter count, before anything is allocated.
  const int64_t n = parameter_count();
  RNNLAB_REQUIRE(n <= kMaxParameters, "hidden_sizes",
                 "the model would have " + std::to_string(n) + " parameters, above the cap of " +
                     std::to_string(kMaxParameters) + " (" +
                     std::to_string(kMaxParameters * 16 / (1 << 20)) +
                     " MB with gradients and Adam moments); use fewer or smaller layers",
                 ErrorCode::kTooLarge);
}

void SampleOptions::validate() const { schema::validate(schema::sample_options(), *this); }
void TranslateOptions::validate() const { schema::validate(schema::translate_options(), *this); }

CellType parse_cell(const std::string& name) { return parse_choice<CellType>("cell", name); }
GruVariant parse_gru_variant(const std::string& name) {
  return parse_choice<GruVariant>("gru_variant", name);
}
InputEncoding parse_input_encoding(const std::string& name) {
  return parse_choice<InputEncoding>("input_encoding", name);
}
OutputMode parse_output_mode(const std::string& name) { return parse_choice<OutputMode>("output", name); }
HeadType parse_head(const std::string& name) { return parse_choice<HeadType>("head", name); }

const char* to_string(CellType v) { return choice_of("cell", v); }
const char* to_string(GruVariant v) { return choice_of("gru_variant", v); }
const char* to_string(InputEncoding v) { return choice_of("input_encoding", v); }
const char* to_string(OutputMode v) { return choice_of("output", v); }
const char* to_string(HeadType v) { return choice_of("head", v); }

}  // namespace rnnlab
