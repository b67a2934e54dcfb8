// The helpers behind boundary.h: the last error, packed training options and named tensors.
#include "boundary.h"
#include "core/require.h"

#include <cmath>

namespace rnnlab::bindings {
namespace {

// The JS layer validates everything first; these checks keep a bug there from becoming
// undefined behaviour (an out-of-range double -> int cast) here.
int slot_int(double v, const char* field, int lo, int hi) {
  RNNLAB_REQUIRE(std::isfinite(v) && v == std::floor(v) && v >= lo && v <= hi, field,
                 "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                     "], got " + std::to_string(v));
  return static_cast<int>(v);
}

}  // namespace

Status& status() {
  static Status s;
  return s;
}

struct LastError {
  std::string code, field, message;
};

static LastError& last_error() {
  static LastError e;
  return e;
}

void set_error(const char* code, const std::string& field, const std::string& message) {
  LastError& e = last_error();
  e.code = code;
  e.field = field;
  e.message = message;
  status().error = 1;
}

// Hands the stored error to JS once and clears it.
emscripten::val take_error() {
  LastError& e = last_error();
  emscripten::val out = emscripten::val::object();
  out.set("code", e.code.empty() ? std::string("INTERNAL") : e.code);
  out.set("field", e.field);
  out.set("message", e.message);
  e = LastError{};
  status().error = 0;
  return out;
}

LossType decode_loss(double slot) {
  static const LossType losses[] = {LossType::kAuto, LossType::kMse, LossType::kHuber,
                                    LossType::kCrossEntropy};
  return losses[slot_int(slot, "loss", 0, 3)];
}

TrainOptions decode_train_options(const double* s) {
  static const OptimizerType optimizers[] = {OptimizerType::kSgd, OptimizerType::kRmsProp,
                                             OptimizerType::kAdam, OptimizerType::kAdamW};
  static const ScheduleType schedules[] = {ScheduleType::kConstant, ScheduleType::kStep,
                                           ScheduleType::kCosine};
  TrainOptions o;
  OptimizerConfig& opt = o.optimizer;
  opt.type = optimizers[slot_int(s[kOptOptimizer], "optimizer.name", 0, 3)];
  opt.lr = static_cast<float>(s[kOptLr]);
  opt.momentum = static_cast<float>(s[kOptMomentum]);
  opt.nesterov = s[kOptNesterov] != 0.0;
  opt.beta1 = static_cast<float>(s[kOptBeta1]);
  opt.beta2 = static_cast<float>(s[kOptBeta2]);
  opt.eps = static_cast<float>(s[kOptEps]);
  opt.alpha = static_cast<float>(s[kOptAlpha]);
  opt.weight_decay = static_cast<float>(s[kOptWeightDecay]);
  opt.schedule.type = schedules[slot_int(s[kOptSchedule], "optimizer.schedule.name", 0, 2)];
  opt.schedule.step_size = slot_int(s[kOptStepSize], "optimizer.schedule.stepSize", 1, INT32_MAX);
  opt.schedule.gamma = static_cast<float>(s[kOptGamma]);
  opt.schedule.t_max = slot_int(s[kOptTMax], "optimizer.schedule.tMax", 1, INT32_MAX);
  opt.schedule.eta_min = static_cast<float>(s[kOptEtaMin]);
  o.loss = decode_loss(s[kOptLoss]);
  o.huber_delta = static_cast<float>(s[kOptHuberDelta]);
  o.clip_norm = static_cast<float>(s[kOptClipNorm]);
  o.tbptt = slot_int(s[kOptTbptt], "tbptt", 0, INT32_MAX);
  o.stateful = s[kOptStateful] != 0.0;
  o.validate();
  return o;
}

std::vector<NamedTensor> decode_named_tensors(const std::string& manifest, const float* data,
                                              size_t total) {
  std::vector<NamedTensor> out;
  size_t used = 0, start = 0;
  while (start < manifest.size()) {
    size_t end = manifest.find('\n', start);
    if (end == std::string::npos) end = manifest.size();
    const std::string line = manifest.substr(start, end - start);
    start = end + 1;
    const size_t tab = line.rfind('\t');
    RNNLAB_REQUIRE(tab != std::string::npos && tab > 0, "weights", "malformed tensor manifest",
                   ErrorCode::kShapeMismatch);
    NamedTensor t;
    t.name = line.substr(0, tab);
    size_t numel = 1;
    const std::string dims = line.substr(tab + 1);
    size_t p = 0;
    while (p < dims.size()) {
      size_t q = dims.find(',', p);
      if (q == std::string::npos) q = dims.size();
      long long d = 0;
      RNNLAB_REQUIRE(q > p && q - p <= 10, "weights", "malformed shape of '" + t.name + "'",
                     ErrorCode::kShapeMismatch);
      for (size_t i = p; i < q; ++i) {
        RNNLAB_REQUIRE(dims[i] >= '0' && dims[i] <= '9', "weights",
                       "malformed shape of '" + t.name + "'", ErrorCode::kShapeMismatch);
        d = d * 10 + (dims[i] - '0');
      }
      RNNLAB_REQUIRE(d <= INT32_MAX, "weights", "shape of '" + t.name + "' is too large",
                     ErrorCode::kTooLarge);
      t.tensor.shape.push_back(static_cast<int>(d));
      numel *= static_cast<size_t>(d);
      RNNLAB_REQUIRE(numel <= total, "weights", "shapes exceed the values given",
                     ErrorCode::kShapeMismatch);
      p = q + 1;
    }
    RNNLAB_REQUIRE(used + numel <= total, "weights", "shapes exceed the values given",
                   ErrorCode::kShapeMismatch);
    t.tensor.data.assign(data + used, data + used + numel);
    used += numel;
    out.push_back(std::move(t));
  }
  RNNLAB_REQUIRE(used == total, "weights", "more values were given than the shapes hold",
                 ErrorCode::kShapeMismatch);
  return out;
}

emscripten::val int_array(const std::vector<int>& v) {
  emscripten::val a = emscripten::val::array();
  for (size_t i = 0; i < v.size(); ++i) a.set(i, v[i]);
  return a;
}

emscripten::val named_tensor_views(const std::vector<NamedTensor>& tensors) {
  // Names first: passing a std::string to JS mallocs, which could grow the memory and detach
  // views already made. The views come last, when nothing allocates any more.
  emscripten::val out = emscripten::val::array();
  for (size_t i = 0; i < tensors.size(); ++i) {
    emscripten::val t = emscripten::val::object();
    t.set("name", tensors[i].name);
    t.set("shape", int_array(tensors[i].tensor.shape));
    out.set(i, t);
  }
  for (size_t i = 0; i < tensors.size(); ++i)
    out[i].set("data", view(tensors[i].tensor.data));
  return out;
}

}  // namespace rnnlab::bindings
