// The helpers behind boundary.h: the last error, packed training options and tensor views
// (the config text and the tensor manifest are parsed in src/io/boundary_formats.cpp).
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

void record_current_exception() noexcept {
  try {
    throw;
  } catch (const Error& e) {
    // The core's field names; the JS layer maps them to the API's (bindings/js/schema.js).
    set_error(error_code_name(e.code()), e.field(), e.message());
  } catch (const std::bad_alloc&) {
    set_error("OUT_OF_MEMORY", "",
              "the WebAssembly heap could not grow; use smaller models or batches, or dispose "
              "models that are no longer needed");
  } catch (const std::exception& e) {
    set_error("INTERNAL", "", std::string("unexpected C++ exception: ") + e.what());
  } catch (...) {
    set_error("INTERNAL", "", "unexpected C++ exception of unknown type");
  }
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
