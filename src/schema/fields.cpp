// The tables of rnnlab/schema.h: the one place a configuration field or training option is
// named, typed, defaulted and limited. Table order is the model file's key order and the
// boundary's slot order: append new fields at the end of a table.
#include <limits>

#include "rnnlab/schema.h"

namespace rnnlab::schema {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kInt32Max = 2147483647.0;
constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: exact in a JS number
// Any one dimension above 2^16 is a typo, not a model (and would overflow int shapes).
constexpr double kMaxDim = 1 << 16;
constexpr double kMaxVocab = 1 << 20;
constexpr double kMaxHidden = 8192;
constexpr int kMaxLayers = 16;

Field enum_field(const char* name, const char* choices, int def) {
  Field f{name, Type::kEnum};
  f.choices = choices;
  f.def = def;
  return f;
}
// A size: at least min; above max is kTooLarge.
Field size_field(const char* name, double def, double min, double max) {
  Field f{name, Type::kInt};
  f.def = def, f.min = min, f.max = max, f.above_max = ErrorCode::kTooLarge;
  return f;
}
Field int_field(const char* name, double def, double min, double max) {
  Field f{name, Type::kInt};
  f.def = def, f.min = min, f.max = max;
  return f;
}
Field layers_field(const char* name, const char* def) {
  Field f{name, Type::kIntList};
  f.def_list = def, f.min = 1, f.max = kMaxHidden, f.max_count = kMaxLayers;
  f.above_max = ErrorCode::kTooLarge;
  return f;
}
// A float in [min, max] (max_open: [min, max)); min_open: (min, ...).
Field float_field(const char* name, double def, double min, double max, bool min_open = false,
                  bool max_open = false) {
  Field f{name, Type::kFloat};
  f.def = def, f.min = min, f.max = max, f.min_open = min_open, f.max_open = max_open;
  return f;
}
Field unit_field(const char* name, double def) { return float_field(name, def, 0, 1, false, true); }
Field bool_field(const char* name, bool def) {
  Field f{name, Type::kBool};
  f.def = def;
  return f;
}
Field seed_field(const char* name, double def) {
  Field f{name, Type::kSeed};
  f.def = def, f.min = 0, f.max = kMaxSafeInteger;
  return f;
}
Field when(Field f, const char* condition) {
  f.when = condition;
  return f;
}
Field zero_means_auto(Field f) {
  f.zero_means_auto = true;
  return f;
}
Field alt_default(Field f, const char* condition, double def) {
  f.alt_when = condition, f.alt_def = def;
  return f;
}

// Accessors: S::member read into / written from a Value.
#define RNNLAB_NUMBER(S, member)                                                     \
  [](const S& s, Value& v) { v.number = static_cast<double>(s.member); },            \
      [](S& s, const Value& v) { s.member = static_cast<decltype(s.member)>(v.number); }
#define RNNLAB_ENUM(S, member)                                                           \
  [](const S& s, Value& v) { v.number = static_cast<double>(static_cast<int>(s.member)); }, \
      [](S& s, const Value& v) {                                                         \
        s.member = static_cast<decltype(s.member)>(static_cast<int>(v.number));          \
      }
#define RNNLAB_SEED(S, member) \
  [](const S& s, Value& v) { v.seed = s.member; }, [](S& s, const Value& v) { s.member = v.seed; }
#define RNNLAB_LIST(S, member) \
  [](const S& s, Value& v) { v.list = s.member; }, [](S& s, const Value& v) { s.member = v.list; }

}  // namespace

const Table<ModelConfig>& model_config() {
  using S = ModelConfig;
  static const Table<S> t = {
      {enum_field("cell", "rnn|lstm|gru", 1), RNNLAB_ENUM(S, cell)},
      {when(enum_field("gru_variant", "pytorch|classic", 0), "cell=gru"), RNNLAB_ENUM(S, gru_variant)},
      {enum_field("input_encoding", "features|embedding|onehot", 0), RNNLAB_ENUM(S, input_encoding)},
      {when(size_field("input_size", 1, 1, kMaxDim), "input_encoding=features"),
       RNNLAB_NUMBER(S, input_size)},
      {when(size_field("vocab_size", 0, 1, kMaxVocab), "input_encoding=embedding|onehot"),
       RNNLAB_NUMBER(S, vocab_size)},
      {when(zero_means_auto(size_field("embedding_size", 0, 1, kMaxDim)), "input_encoding=embedding"),
       RNNLAB_NUMBER(S, embedding_size)},
      {layers_field("hidden_sizes", "32"), RNNLAB_LIST(S, hidden_sizes)},
      {size_field("output_size", 1, 1, kMaxVocab), RNNLAB_NUMBER(S, output_size)},
      {enum_field("output", "last|sequence", 0), RNNLAB_ENUM(S, output)},
      {enum_field("head", "linear|softmax", 0), RNNLAB_ENUM(S, head)},
      {unit_field("dropout", 0), RNNLAB_NUMBER(S, dropout)},
      {seed_field("seed", 42), RNNLAB_SEED(S, seed)},
  };
  return t;
}

const Table<Seq2SeqConfig>& seq2seq_config() {
  using S = Seq2SeqConfig;
  static const Table<S> t = {
      {enum_field("cell", "rnn|lstm|gru", 2), RNNLAB_ENUM(S, cell)},
      {when(enum_field("gru_variant", "pytorch|classic", 0), "cell=gru"), RNNLAB_ENUM(S, gru_variant)},
      // Default 0 is below the minimum: a value must be given.
      {size_field("input_vocab", 0, 1, kMaxVocab), RNNLAB_NUMBER(S, input_vocab)},
      {size_field("output_vocab", 0, 2, kMaxVocab), RNNLAB_NUMBER(S, output_vocab)},
      {zero_means_auto(size_field("embedding_size", 0, 1, kMaxDim)), RNNLAB_NUMBER(S, embedding_size)},
      {layers_field("hidden_sizes", "64"), RNNLAB_LIST(S, hidden_sizes)},
      {unit_field("dropout", 0), RNNLAB_NUMBER(S, dropout)},
      {seed_field("seed", 42), RNNLAB_SEED(S, seed)},
  };
  return t;
}

const Table<TrainOptions>& train_options() {
  using S = TrainOptions;
  static const Table<S> t = {
      {enum_field("optimizer.type", "sgd|rmsprop|adam|adamw", 2), RNNLAB_ENUM(S, optimizer.type)},
      {float_field("optimizer.lr", 1e-3, 0, kInf), RNNLAB_NUMBER(S, optimizer.lr)},
      {when(unit_field("optimizer.momentum", 0), "optimizer.type=sgd|rmsprop"),
       RNNLAB_NUMBER(S, optimizer.momentum)},
      {when(bool_field("optimizer.nesterov", false), "optimizer.type=sgd"),
       RNNLAB_NUMBER(S, optimizer.nesterov)},
      {when(unit_field("optimizer.beta1", 0.9), "optimizer.type=adam|adamw"),
       RNNLAB_NUMBER(S, optimizer.beta1)},
      {when(unit_field("optimizer.beta2", 0.999), "optimizer.type=adam|adamw"),
       RNNLAB_NUMBER(S, optimizer.beta2)},
      {when(float_field("optimizer.eps", 1e-8, 0, kInf, true), "optimizer.type=adam|adamw|rmsprop"),
       RNNLAB_NUMBER(S, optimizer.eps)},
      {when(unit_field("optimizer.alpha", 0.99), "optimizer.type=rmsprop"),
       RNNLAB_NUMBER(S, optimizer.alpha)},
      // torch.optim's defaults: AdamW decays by 0.01, the others not at all.
      {alt_default(float_field("optimizer.weight_decay", 0, 0, kInf), "optimizer.type=adamw", 0.01),
       RNNLAB_NUMBER(S, optimizer.weight_decay)},
      {enum_field("optimizer.schedule.type", "constant|step|cosine", 0),
       RNNLAB_ENUM(S, optimizer.schedule.type)},
      {when(int_field("optimizer.schedule.step_size", 100, 1, kInt32Max), "optimizer.schedule.type=step"),
       RNNLAB_NUMBER(S, optimizer.schedule.step_size)},
      {when(float_field("optimizer.schedule.gamma", 0.5, 0, kInf, true), "optimizer.schedule.type=step"),
       RNNLAB_NUMBER(S, optimizer.schedule.gamma)},
      {when(int_field("optimizer.schedule.t_max", 1000, 1, kInt32Max), "optimizer.schedule.type=cosine"),
       RNNLAB_NUMBER(S, optimizer.schedule.t_max)},
      {when(float_field("optimizer.schedule.eta_min", 0, 0, kInf), "optimizer.schedule.type=cosine"),
       RNNLAB_NUMBER(S, optimizer.schedule.eta_min)},
      {enum_field("loss", "auto|mse|huber|crossentropy", 0), RNNLAB_ENUM(S, loss)},
      {when(float_field("huber_delta", 1, 0, kInf, true), "loss=huber"), RNNLAB_NUMBER(S, huber_delta)},
      {float_field("clip_norm", 0, 0, kInf), RNNLAB_NUMBER(S, clip_norm)},
      {int_field("tbptt", 0, 0, kInt32Max), RNNLAB_NUMBER(S, tbptt)},
      {bool_field("stateful", false), RNNLAB_NUMBER(S, stateful)},
  };
  return t;
}

const Table<SampleOptions>& sample_options() {
  using S = SampleOptions;
  static const Table<S> t = {
      {float_field("temperature", 1, 0, kInf, true), RNNLAB_NUMBER(S, temperature)},
      {int_field("top_k", 0, 0, kInt32Max), RNNLAB_NUMBER(S, top_k)},
      {float_field("top_p", 1, 0, 1, true), RNNLAB_NUMBER(S, top_p)},
      {seed_field("seed", 1), RNNLAB_SEED(S, seed)},
  };
  return t;
}

const Table<TranslateOptions>& translate_options() {
  using S = TranslateOptions;
  static const Table<S> t = {
      {int_field("max_length", 32, 1, kMaxDim), RNNLAB_NUMBER(S, max_length)},
      {int_field("stop_token", -1, -1, kInt32Max), RNNLAB_NUMBER(S, stop_token)},
  };
  return t;
}

const std::vector<ErrorCodeInfo>& error_codes() {
  static const std::vector<ErrorCodeInfo> codes = {
      {error_code_name(ErrorCode::kInvalidConfig), "a size, name or option outside its domain"},
      {error_code_name(ErrorCode::kShapeMismatch), "tensors whose shapes do not agree"},
      {error_code_name(ErrorCode::kNonFiniteData), "NaN or Infinity in inputs, targets or weights"},
      {error_code_name(ErrorCode::kTooLarge), "above a size or memory cap"},
      {error_code_name(ErrorCode::kNonFiniteLoss), "training diverged; weights kept at the last finite step"},
      {error_code_name(ErrorCode::kBadModelFile), "corrupt, truncated or foreign model bytes"},
      {error_code_name(ErrorCode::kUnsupportedVersion), "a model file newer than this build reads"},
      {error_code_name(ErrorCode::kInvalidState), "a call the model's state does not allow"},
      {"OUT_OF_MEMORY", "the WebAssembly heap could not grow (bindings)"},
      {"INTERNAL", "an unexpected C++ exception (bindings)"},
  };
  return codes;
}

}  // namespace rnnlab::schema
