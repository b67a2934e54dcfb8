// The one description of rnnlab's configurable surface: every field of ModelConfig,
// Seq2SeqConfig, TrainOptions, SampleOptions and TranslateOptions with its name, type, default and limits, and every error
// code the C++ side reports. The core validates and reads and writes model files from these
// tables; the bindings export them to JavaScript once at load, where the JS layer builds its
// option checks, packs training options and names fields from them (bindings/js/schema.js).
//
// Names are the core's own (snake_case, dotted for nested structs: "optimizer.lr"); they are
// also the model file's config keys. The JS API's names ("hiddenSize", "optimizer.name") are
// derived from them in bindings/js/schema.js.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rnnlab/config.h"
#include "rnnlab/error.h"
#include "rnnlab/train.h"

namespace rnnlab::schema {

enum class Type {
  kEnum,     // one of `choices` (stored as its index)
  kInt,      // int32
  kIntList,  // 1..max_count ints, each within the limits ("64,32" in text)
  kFloat,    // float32 (the JS layer checks doubles against the float range too)
  kBool,
  kSeed,     // uint64 natively; JS numbers carry it exactly up to `max` (2^53 - 1)
};

struct Field {
  const char* name;
  Type type;
  const char* choices = nullptr;  // kEnum: "rnn|lstm|gru", in enum order
  double def = 0;                 // default value (kEnum: index; kIntList: see def_list)
  const char* def_list = nullptr; // kIntList: the default list, "32"
  double min = 0, max = 0;        // limits (of each entry for kIntList)
  bool min_open = false, max_open = false;  // exclusive bounds
  bool zero_means_auto = false;   // 0 is also valid: the core picks the value
  int max_count = 0;              // kIntList: most entries
  ErrorCode above_max = ErrorCode::kInvalidConfig;  // kTooLarge for sizes
  // "field=a|b": this field applies only while another field of the table has one of those
  // values (else it is ignored, and the JS API refuses it). Null: always.
  const char* when = nullptr;
  // "field=a": a different default while another field has that value (AdamW's decay).
  const char* alt_when = nullptr;
  double alt_def = 0;
};

// A field's value, whatever its type.
struct Value {
  double number = 0;       // kEnum (index), kInt, kFloat, kBool (0/1)
  uint64_t seed = 0;       // kSeed
  std::vector<int> list;   // kIntList
};

// A field of struct S and how to read and write it.
template <class S>
struct Member {
  Field field;
  void (*get)(const S&, Value&);
  void (*set)(S&, const Value&);
};

template <class S>
using Table = std::vector<Member<S>>;

// The tables, in file (and JS packing) order.
const Table<ModelConfig>& model_config();
const Table<Seq2SeqConfig>& seq2seq_config();
const Table<TrainOptions>& train_options();
const Table<SampleOptions>& sample_options();
const Table<TranslateOptions>& translate_options();

struct ErrorCodeInfo {
  const char* name;
  const char* meaning;
};
// Every code an rnnlab::Error or the bindings report (error_code_name() of each ErrorCode,
// then OUT_OF_MEMORY and INTERNAL from the bindings).
const std::vector<ErrorCodeInfo>& error_codes();

// ---- one value ----

// Throws Error(kInvalidConfig, or field.above_max above the limit) naming `name`. Allocates
// nothing unless it throws (training calls validate their options every step).
void check(const Field& field, const Value& value, const char* name);
// The text form used by model files and the boundary: "lstm", "64,32", "0.1", "42".
std::string format(const Field& field, const Value& value);
// The inverse of format; strict (decimal digits, no spaces). Throws Error(kInvalidConfig,
// `name`) on a malformed value; limits are check()'s business.
Value parse(const Field& field, const std::string& text, const std::string& name);
// Index of `choice` in field.choices, or -1.
int choice_index(const Field& field, const std::string& choice);
std::string choice_name(const Field& field, int index);
const char* choice_c_str(const Field& field, int index);  // the same, stored for good
// For a condition "field=a|b": whether it is about `name`, and whether the choice `index` of
// that (kEnum) field is one of a, b. Neither allocates.
bool condition_on(const char* condition, const char* name);
bool condition_holds(const char* condition, const Field& field, int index);

// ---- a whole struct ----

template <class S>
const Member<S>* find(const Table<S>& table, const std::string& name) {
  for (const Member<S>& m : table)
    if (name == m.field.name) return &m;
  return nullptr;
}

// Whether `m`'s `when` condition holds in s.
template <class S>
bool applies(const Table<S>& table, const Member<S>& m, const S& s) {
  if (!m.field.when) return true;
  for (const Member<S>& other : table) {
    if (!condition_on(m.field.when, other.field.name)) continue;
    Value v;
    other.get(s, v);
    return condition_holds(m.field.when, other.field, static_cast<int>(v.number));
  }
  return true;
}

// Checks every field that applies (cross-field rules stay with each struct's validate()).
template <class S>
void validate(const Table<S>& table, const S& s) {
  for (const Member<S>& m : table) {
    if (!applies(table, m, s)) continue;
    Value v;
    m.get(s, v);
    if (m.field.zero_means_auto && m.field.type == Type::kInt && v.number == 0) continue;
    check(m.field, v, m.field.name);
  }
}

// key=value entries in table order, each key prefixed.
template <class S>
std::vector<std::pair<std::string, std::string>> to_pairs(const Table<S>& table, const S& s,
                                                          const std::string& prefix = "") {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Member<S>& m : table) {
    Value v;
    m.get(s, v);
    out.emplace_back(prefix + m.field.name, format(m.field, v));
  }
  return out;
}

// Reads the entries whose keys start with `prefix` (others, and unknown keys, are ignored:
// newer writers may add keys); missing keys keep S's defaults. No validation. A malformed
// value or a repeated key throws kInvalidConfig naming the key (prefix included).
template <class S>
S from_pairs(const Table<S>& table, const std::vector<std::pair<std::string, std::string>>& pairs,
             const std::string& prefix = "") {
  S s;
  std::vector<bool> seen(table.size(), false);
  for (const auto& entry : pairs) {
    const std::string& key = entry.first;
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string name = key.substr(prefix.size());
    for (size_t i = 0; i < table.size(); ++i) {
      if (name != table[i].field.name) continue;
      if (seen[i]) throw Error(ErrorCode::kInvalidConfig, key, "appears more than once");
      seen[i] = true;
      table[i].set(s, parse(table[i].field, entry.second, key));
    }
  }
  return s;
}

// Reads table.size() float64 slots (the boundary's packing, in table order). Integral types
// must hold integers in range (a guard against a JS-layer bug; limits are validate()'s).
Value from_slot(const Field& field, double slot);
template <class S>
S from_slots(const Table<S>& table, const double* slots) {
  S s;
  for (size_t i = 0; i < table.size(); ++i) table[i].set(s, from_slot(table[i].field, slots[i]));
  return s;
}

}  // namespace rnnlab::schema
