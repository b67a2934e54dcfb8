// The helpers behind boundary.h: the last error, packed training options and named tensors.
#include "boundary.h"

#include <cmath>

#include "core/require.h"
#include "rnnlab/schema.h"

namespace rnnlab::bindings {

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
  const schema::Field& f = schema::find(schema::train_options(), "loss")->field;
  return static_cast<LossType>(static_cast<int>(schema::from_slot(f, slot).number));
}

TrainOptions decode_train_options(const double* slots) {
  // The JS layer validates everything first; these checks keep a bug there from becoming
  // undefined behaviour (an out-of-range double -> int cast) here.
  TrainOptions o = schema::from_slots(schema::train_options(), slots);
  o.validate();
  return o;
}

void record(const TrainResult& r) {
  Status& s = status();
  s.loss = r.loss, s.grad_norm = r.grad_norm, s.lr = r.lr, s.steps = r.steps;
}

namespace {

const schema::Table<ModelConfig>& table_of(const ModelConfig*) { return schema::model_config(); }
const schema::Table<Seq2SeqConfig>& table_of(const Seq2SeqConfig*) { return schema::seq2seq_config(); }

}  // namespace

template <class Config>
Config config_from_text(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    // Keys and values never hold '\n'; a line splits at its first '=' as in the model file.
    const size_t eq = line.find('=');
    RNNLAB_REQUIRE(eq != std::string::npos && eq > 0, "config", "line '" + line + "' is not key=value");
    pairs.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return schema::from_pairs(table_of(static_cast<const Config*>(nullptr)), pairs);
}

template <class Config>
std::string config_to_text(const Config& config) {
  std::string text;
  for (const auto& [key, value] : schema::to_pairs(table_of(&config), config))
    text += key + "=" + value + "\n";
  return text;
}

template ModelConfig config_from_text<ModelConfig>(const std::string&);
template Seq2SeqConfig config_from_text<Seq2SeqConfig>(const std::string&);
template std::string config_to_text<ModelConfig>(const ModelConfig&);
template std::string config_to_text<Seq2SeqConfig>(const Seq2SeqConfig&);

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

emscripten::val layer_trace_views(const std::vector<LayerTrace>& layers) {
  emscripten::val out = emscripten::val::array();
  for (size_t l = 0; l < layers.size(); ++l) {
    const LayerTrace& tr = layers[l];
    emscripten::val layer = emscripten::val::object();
    layer.set("hidden", tr.hidden);
    layer.set("h", view(tr.h));
    layer.set("c", tr.c.empty() ? emscripten::val::null() : view(tr.c));
    layer.set("gates", view(tr.gates));
    layer.set("gradNorm", view(tr.grad_norm));
    out.set(l, layer);
  }
  return out;
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
