// rnnlab::schema for the JS layer, read once at load (bindings/js/schema.js): the config and
// training option tables, the error codes and the layout of the Status block.
#include <emscripten/bind.h>

#include <cstddef>
#include <cstring>

#include "boundary.h"
#include "rnnlab/config.h"
#include "rnnlab/schema.h"

namespace rnnlab::bindings {
namespace {

using emscripten::val;

const char* type_name(schema::Type t) {
  switch (t) {
    case schema::Type::kEnum: return "enum";
    case schema::Type::kInt: return "int";
    case schema::Type::kIntList: return "intList";
    case schema::Type::kFloat: return "float";
    case schema::Type::kBool: return "bool";
    case schema::Type::kSeed: return "seed";
  }
  return "";
}

// "field=a|b" -> {field, values: [a, b]}
val condition(const char* c) {
  if (!c) return val::null();
  const std::string s = c;
  const size_t eq = s.find('=');
  val values = val::array();
  for (size_t p = eq + 1, i = 0; p <= s.size(); ++i) {
    size_t q = s.find('|', p);
    if (q == std::string::npos) q = s.size();
    values.set(i, s.substr(p, q - p));
    p = q + 1;
  }
  val out = val::object();
  out.set("field", s.substr(0, eq));
  out.set("values", values);
  return out;
}

val field_object(const schema::Field& f) {
  val o = val::object();
  o.set("name", std::string(f.name));
  o.set("type", std::string(type_name(f.type)));
  if (f.type == schema::Type::kEnum) {
    val choices = val::array();
    for (int i = 0; !schema::choice_name(f, i).empty(); ++i) choices.set(i, schema::choice_name(f, i));
    o.set("choices", choices);
    o.set("default", schema::choice_name(f, static_cast<int>(f.def)));
  } else if (f.type == schema::Type::kIntList) {
    const schema::Value v = schema::parse(f, f.def_list, f.name);
    val list = val::array();
    for (size_t i = 0; i < v.list.size(); ++i) list.set(i, v.list[i]);
    o.set("default", list);
  } else if (f.type == schema::Type::kBool) {
    o.set("default", f.def != 0);
  } else {
    o.set("default", f.def);
  }
  if (f.type != schema::Type::kEnum && f.type != schema::Type::kBool) {
    o.set("min", f.min);
    o.set("max", f.max);  // Infinity when unbounded
    o.set("minOpen", f.min_open);
    o.set("maxOpen", f.max_open);
    o.set("aboveMax", std::string(error_code_name(f.above_max)));
  }
  if (f.zero_means_auto) o.set("zeroMeansAuto", true);
  if (f.type == schema::Type::kIntList) o.set("maxCount", f.max_count);
  o.set("when", condition(f.when));
  if (f.alt_when) {
    val alt = condition(f.alt_when);
    alt.set("default", f.alt_def);
    o.set("altDefault", alt);
  } else {
    o.set("altDefault", val::null());
  }
  return o;
}

template <class S>
val table(const schema::Table<S>& t) {
  val out = val::array();
  for (size_t i = 0; i < t.size(); ++i) out.set(i, field_object(t[i].field));
  return out;
}

val status_field(const char* name, size_t offset, const char* type) {
  val f = val::object();
  f.set("name", std::string(name));
  f.set("offset", offset);
  f.set("type", std::string(type));
  return f;
}

// {modelConfig, seq2seqConfig, trainOptions, sampleOptions, translateOptions: [field], errorCodes: [{name, meaning}],
//  status: {bytes, fields: [{name, offset, type: 'i32' | 'f32'}]}, limits: {maxParameters, maxActivations}}
val schema_export() {
  val out = val::object();
  out.set("modelConfig", table(schema::model_config()));
  out.set("seq2seqConfig", table(schema::seq2seq_config()));
  out.set("trainOptions", table(schema::train_options()));
  out.set("sampleOptions", table(schema::sample_options()));
  out.set("translateOptions", table(schema::translate_options()));
  val codes = val::array();
  const auto& list = schema::error_codes();
  for (size_t i = 0; i < list.size(); ++i) {
    val c = val::object();
    c.set("name", std::string(list[i].name));
    c.set("meaning", std::string(list[i].meaning));
    codes.set(i, c);
  }
  out.set("errorCodes", codes);
  val fields = val::array();
  fields.set(0, status_field("error", offsetof(Status, error), "i32"));
  fields.set(1, status_field("loss", offsetof(Status, loss), "f32"));
  fields.set(2, status_field("grad_norm", offsetof(Status, grad_norm), "f32"));
  fields.set(3, status_field("lr", offsetof(Status, lr), "f32"));
  fields.set(4, status_field("steps", offsetof(Status, steps), "i32"));
  val status = val::object();
  status.set("bytes", sizeof(Status));
  status.set("fields", fields);
  out.set("status", status);
  // The core's size caps (rnnlab/config.h), for callers that check a request before making it.
  val limits = val::object();
  limits.set("maxParameters", static_cast<double>(kMaxParameters));
  limits.set("maxActivations", static_cast<double>(kMaxActivations));
  out.set("limits", limits);
  return out;
}

// The training options the core reads from packed slots, as config text (a test hook: the JS
// schema test packs options and checks each arrives under its own name).
std::string decode_train_options_text(uintptr_t slots) {
  return guarded<std::string>("", [&] {
    const TrainOptions o = decode_train_options(address<double>(slots));
    std::string text;
    for (const auto& [key, value] : schema::to_pairs(schema::train_options(), o))
      text += key + "=" + value + "\n";
    return text;
  });
}

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_schema) {
  emscripten::function("_schema", &rnnlab::bindings::schema_export);
  emscripten::function("_decodeTrainOptions", &rnnlab::bindings::decode_train_options_text);
}
