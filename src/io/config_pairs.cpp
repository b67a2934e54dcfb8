#include "io/config_pairs.h"

#include "io/file_errors.h"
#include "rnnlab/schema.h"

namespace rnnlab {
namespace {

const schema::Table<ModelConfig>& table_of(const ModelConfig*) { return schema::model_config(); }
const schema::Table<Seq2SeqConfig>& table_of(const Seq2SeqConfig*) { return schema::seq2seq_config(); }

schema::Field float_field() {
  schema::Field f{"value", schema::Type::kFloat};
  return f;
}

}  // namespace

ConfigPairs config_to_pairs(const ModelConfig& c, const std::string& prefix) {
  return schema::to_pairs(schema::model_config(), c, prefix);
}

ConfigPairs config_to_pairs(const Seq2SeqConfig& c, const std::string& prefix) {
  return schema::to_pairs(schema::seq2seq_config(), c, prefix);
}

template <class Config>
Config read_config_pairs(const ConfigPairs& pairs, const std::string& prefix) {
  Config c;
  try {
    c = schema::from_pairs(table_of(&c), pairs, prefix);  // errors name the key
  } catch (const Error& e) {
    io::bad_file("config." + e.field(), e.message());
  }
  // No checks beyond validate(): any config a model accepted must load again.
  try {
    c.validate();
  } catch (const Error& e) {
    io::bad_file("config." + prefix + e.field(), e.message());
  }
  return c;
}

template ModelConfig read_config_pairs<ModelConfig>(const ConfigPairs&, const std::string&);
template Seq2SeqConfig read_config_pairs<Seq2SeqConfig>(const ConfigPairs&, const std::string&);

std::string format_config_float(float v) {
  schema::Value value;
  value.number = v;
  return schema::format(float_field(), value);
}

float parse_config_float(const std::string& value, const std::string& key) {
  try {
    return static_cast<float>(schema::parse(float_field(), value, key).number);
  } catch (const Error& e) {
    io::bad_file("config." + key, e.message());
  }
}

}  // namespace rnnlab
