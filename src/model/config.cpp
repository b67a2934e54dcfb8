#include "rnnlab/config.h"

#include <cmath>

#include "rnnlab/error.h"
#include "rnnlab/train.h"

namespace rnnlab {
namespace {


template <class E>
E parse_named(const std::string& name, const char* field, const char* const* names,
              const E* values, int n) {
  std::string expected;
  for (int i = 0; i < n; ++i) {
    if (name == names[i]) return values[i];
    expected += (i ? (i + 1 == n ? " or '" : ", '") : "'") + std::string(names[i]) + "'";
  }
  throw Error(ErrorCode::kInvalidConfig, field,
              "unknown value '" + name + "'; expected " + expected);
}

}  // namespace

void check_size(int value, const char* field, int max) {
  RNNLAB_REQUIRE(value >= 1, field, "must be a positive integer, got " + std::to_string(value));
  RNNLAB_REQUIRE(value <= max, field,
                 "is " + std::to_string(value) + ", above the limit of " + std::to_string(max),
                 ErrorCode::kTooLarge);
}

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidConfig: return "INVALID_CONFIG";
    case ErrorCode::kShapeMismatch: return "SHAPE_MISMATCH";
    case ErrorCode::kNonFiniteData: return "NON_FINITE_DATA";
    case ErrorCode::kTooLarge: return "TOO_LARGE";
    case ErrorCode::kNonFiniteLoss: return "NON_FINITE_LOSS";
    case ErrorCode::kBadModelFile: return "BAD_MODEL_FILE";
    case ErrorCode::kUnsupportedVersion: return "UNSUPPORTED_VERSION";
    case ErrorCode::kInvalidState: return "INVALID_STATE";
  }
  return "UNKNOWN";
}

int ModelConfig::layer0_input_size() const {
  switch (input_encoding) {
    case InputEncoding::kFeatures: return input_size;
    case InputEncoding::kOneHot: return vocab_size;
    case InputEncoding::kEmbedding: return embedding_size > 0 ? embedding_size : (vocab_size < 64 ? vocab_size : 64);
  }
  return input_size;
}

void ModelConfig::validate() const {
  if (input_encoding == InputEncoding::kFeatures) {
    check_size(input_size, "inputSize");
  } else {
    check_size(vocab_size, "vocabSize", 1 << 20);
    if (input_encoding == InputEncoding::kEmbedding && embedding_size != 0)
      check_size(embedding_size, "embeddingSize");
  }
  RNNLAB_REQUIRE(!hidden_sizes.empty(), "hiddenSize", "needs at least one layer");
  RNNLAB_REQUIRE(hidden_sizes.size() <= 16, "hiddenSize",
          "has " + std::to_string(hidden_sizes.size()) + " layers; at most 16 are supported");
  for (int h : hidden_sizes) check_size(h, "hiddenSize", 8192);
  check_size(output_size, "outputSize", 1 << 20);
  RNNLAB_REQUIRE(head != HeadType::kSoftmax || output_size >= 2, "outputSize",
          "a softmax head needs at least 2 classes");
  RNNLAB_REQUIRE(std::isfinite(dropout) && dropout >= 0.0f && dropout < 1.0f, "dropout",
          "must be in [0, 1), got " + std::to_string(dropout));
  // Parameter count, in 64-bit before anything is allocated.
  int64_t g = gates_per_cell(), n = 0, in = layer0_input_size();
  if (input_encoding == InputEncoding::kEmbedding) n += static_cast<int64_t>(vocab_size) * in;
  for (int h : hidden_sizes) {
    n += g * h * (in + h + 2);
    in = h;
  }
  n += static_cast<int64_t>(output_size) * (in + 1);
  RNNLAB_REQUIRE(n <= kMaxParameters, "hiddenSize",
          "the model would have " + std::to_string(n) + " parameters, above the cap of " +
              std::to_string(kMaxParameters) + " (" + std::to_string(kMaxParameters * 16 / (1 << 20)) +
              " MB with gradients and Adam moments); use fewer or smaller layers",
          ErrorCode::kTooLarge);
}

CellType parse_cell(const std::string& name) {
  static const char* const names[] = {"rnn", "lstm", "gru"};
  static const CellType values[] = {CellType::kRnn, CellType::kLstm, CellType::kGru};
  return parse_named(name, "cell", names, values, 3);
}
GruVariant parse_gru_variant(const std::string& name) {
  static const char* const names[] = {"pytorch", "classic"};
  static const GruVariant values[] = {GruVariant::kPyTorch, GruVariant::kClassic};
  return parse_named(name, "gruVariant", names, values, 2);
}
InputEncoding parse_input_encoding(const std::string& name) {
  static const char* const names[] = {"features", "embedding", "onehot"};
  static const InputEncoding values[] = {InputEncoding::kFeatures, InputEncoding::kEmbedding,
                                         InputEncoding::kOneHot};
  return parse_named(name, "inputEncoding", names, values, 3);
}
OutputMode parse_output_mode(const std::string& name) {
  static const char* const names[] = {"last", "sequence"};
  static const OutputMode values[] = {OutputMode::kLast, OutputMode::kSequence};
  return parse_named(name, "output", names, values, 2);
}
HeadType parse_head(const std::string& name) {
  static const char* const names[] = {"linear", "softmax"};
  static const HeadType values[] = {HeadType::kLinear, HeadType::kSoftmax};
  return parse_named(name, "head", names, values, 2);
}
OptimizerType parse_optimizer(const std::string& name) {
  static const char* const names[] = {"sgd", "rmsprop", "adam", "adamw"};
  static const OptimizerType values[] = {OptimizerType::kSgd, OptimizerType::kRmsProp,
                                         OptimizerType::kAdam, OptimizerType::kAdamW};
  return parse_named(name, "optimizer.name", names, values, 4);
}
LossType parse_loss(const std::string& name) {
  static const char* const names[] = {"auto", "mse", "huber", "crossentropy"};
  static const LossType values[] = {LossType::kAuto, LossType::kMse, LossType::kHuber,
                                    LossType::kCrossEntropy};
  return parse_named(name, "loss", names, values, 4);
}
ScheduleType parse_schedule(const std::string& name) {
  static const char* const names[] = {"constant", "step", "cosine"};
  static const ScheduleType values[] = {ScheduleType::kConstant, ScheduleType::kStep,
                                        ScheduleType::kCosine};
  return parse_named(name, "optimizer.schedule.name", names, values, 3);
}

const char* to_string(CellType v) {
  return v == CellType::kRnn ? "rnn" : v == CellType::kLstm ? "lstm" : "gru";
}
const char* to_string(GruVariant v) { return v == GruVariant::kPyTorch ? "pytorch" : "classic"; }
const char* to_string(InputEncoding v) {
  return v == InputEncoding::kFeatures ? "features"
         : v == InputEncoding::kEmbedding ? "embedding" : "onehot";
}
const char* to_string(OutputMode v) { return v == OutputMode::kLast ? "last" : "sequence"; }
const char* to_string(HeadType v) { return v == HeadType::kLinear ? "linear" : "softmax"; }
const char* to_string(OptimizerType v) {
  switch (v) {
    case OptimizerType::kSgd: return "sgd";
    case OptimizerType::kRmsProp: return "rmsprop";
    case OptimizerType::kAdam: return "adam";
    case OptimizerType::kAdamW: return "adamw";
  }
  return "adam";
}
const char* to_string(LossType v) {
  switch (v) {
    case LossType::kAuto: return "auto";
    case LossType::kMse: return "mse";
    case LossType::kHuber: return "huber";
    case LossType::kCrossEntropy: return "crossentropy";
  }
  return "auto";
}

void OptimizerConfig::validate() const {
  auto finite_pos = [](float v) { return std::isfinite(v) && v > 0.0f; };
  RNNLAB_REQUIRE(std::isfinite(lr) && lr >= 0.0f, "optimizer.lr",
          "must be a finite number >= 0, got " + std::to_string(lr));
  RNNLAB_REQUIRE(std::isfinite(momentum) && momentum >= 0.0f && momentum < 1.0f, "optimizer.momentum",
          "must be in [0, 1)");
  RNNLAB_REQUIRE(!nesterov || momentum > 0.0f, "optimizer.nesterov", "needs momentum > 0");
  RNNLAB_REQUIRE(std::isfinite(beta1) && beta1 >= 0.0f && beta1 < 1.0f, "optimizer.beta1", "must be in [0, 1)");
  RNNLAB_REQUIRE(std::isfinite(beta2) && beta2 >= 0.0f && beta2 < 1.0f, "optimizer.beta2", "must be in [0, 1)");
  RNNLAB_REQUIRE(finite_pos(eps), "optimizer.eps", "must be > 0");
  RNNLAB_REQUIRE(std::isfinite(alpha) && alpha >= 0.0f && alpha < 1.0f, "optimizer.alpha", "must be in [0, 1)");
  RNNLAB_REQUIRE(std::isfinite(weight_decay) && weight_decay >= 0.0f, "optimizer.weightDecay", "must be >= 0");
  RNNLAB_REQUIRE(schedule.step_size >= 1, "optimizer.schedule.stepSize", "must be a positive integer");
  RNNLAB_REQUIRE(finite_pos(schedule.gamma), "optimizer.schedule.gamma", "must be > 0");
  RNNLAB_REQUIRE(schedule.t_max >= 1, "optimizer.schedule.tMax", "must be a positive integer");
  RNNLAB_REQUIRE(std::isfinite(schedule.eta_min) && schedule.eta_min >= 0.0f, "optimizer.schedule.etaMin",
          "must be >= 0");
}

void TrainOptions::validate() const {
  optimizer.validate();
  RNNLAB_REQUIRE(std::isfinite(huber_delta) && huber_delta > 0.0f, "huberDelta", "must be > 0");
  RNNLAB_REQUIRE(std::isfinite(clip_norm) && clip_norm >= 0.0f, "clipNorm",
          "must be >= 0 (0 turns clipping off)");
  RNNLAB_REQUIRE(tbptt >= 0, "tbptt", "must be >= 0 (0 means full BPTT)");
}

}  // namespace rnnlab
