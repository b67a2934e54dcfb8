// The error and memory boundary between the JS layer and the C++ core (used by every
// embind_*.cpp file; nothing here is registered itself).
//
// Errors: every bound function runs its body inside guarded(). A C++ exception never
// crosses into JS (where -fexceptions would show it as a bare number): it is caught here,
// stored as the "last error" {code, field, message} and the function returns a neutral
// value. The JS layer reads the status word (a plain int in wasm memory, so checking it
// costs no extra call), and if it is set calls _takeError() and throws an RnnlabError.
//
// Memory: bulk inputs travel through one grow-only scratch buffer that the JS layer fills
// and whose address it passes; results stay in C++-owned vectors and go back as
// typed_memory_views that the JS layer copies out before its next call.
#pragma once

#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "rnnlab/config.h"
#include "rnnlab/error.h"
#include "rnnlab/model.h"
#include "rnnlab/tensor.h"
#include "rnnlab/train.h"

namespace rnnlab::bindings {

// Shared with the JS layer by address; its layout goes to JS with the schema (schema_export.cpp)
// and bindings/js/runtime.js reads the fields at those offsets.
struct Status {
  int32_t error = 0;       // 0: the latest guarded call succeeded; 1: _takeError() has it
  float loss = 0.0f;       // TrainResult of the latest trainBatch
  float grad_norm = 0.0f;
  float lr = 0.0f;
  int32_t steps = 0;
};
Status& status();

// Records the error for _takeError() (and sets status().error).
void set_error(const char* code, const std::string& field, const std::string& message);
// {code, field, message} of the stored error, which is then cleared.
emscripten::val take_error();

// Stores the exception being handled as the last error (called only inside a catch block).
// Out of line, so each guarded() instantiation carries one catch-all, not four handlers.
void record_current_exception() noexcept;

// Runs f() and turns any exception into the stored last error plus `neutral`.
template <class R, class F>
R guarded(R neutral, F&& f) noexcept {
  status().error = 0;
  try {
    return f();
  } catch (...) {
    record_current_exception();
  }
  return neutral;
}

// For void bodies: returns nothing either way.
template <class F>
void guarded_void(F&& f) noexcept {
  guarded(0, [&] {
    f();
    return 0;
  });
}

// A JS-supplied address inside the wasm heap (the JS layer only passes scratch addresses).
template <class T>
const T* address(uintptr_t p) {
  return reinterpret_cast<const T*>(p);
}

// Zero-copy view of a C++ vector; valid until that vector changes or memory grows.
template <class T>
emscripten::val view(const std::vector<T>& v) {
  return emscripten::val(emscripten::typed_memory_view(v.size(), v.data()));
}

// Training options, packed by the JS layer (bindings/js/schema.js) as one float64 slot per
// field of rnnlab::schema::train_options(), in table order, so a training call needs no
// string parsing and no second call. Validated as TrainOptions::validate() does.
TrainOptions decode_train_options(const double* slots);
// The slot of the `loss` option alone (evaluate()).
LossType decode_loss(double slot);

// The TrainResult of the latest training call, for the JS layer to read from Status.
void record(const TrainResult& r);

// [{name, shape: [..], data: Float32Array view}, ...] over `tensors` (kept by the caller).
emscripten::val named_tensor_views(const std::vector<NamedTensor>& tensors);

// Copies a std::vector<int> into a JS array of numbers.
emscripten::val int_array(const std::vector<int>& v);

// [{hidden, h, c (null without a cell state), gates, gradNorm}, ...]: views of each layer's
// trace (Model::inspect, Seq2Seq::inspect), kept by the caller. Makes no allocation in the
// wasm heap, so no view detaches another.
emscripten::val layer_trace_views(const std::vector<LayerTrace>& layers);

}  // namespace rnnlab::bindings
