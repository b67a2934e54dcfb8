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

#include "rnnlab/error.h"
#include "rnnlab/tensor.h"
#include "rnnlab/train.h"

namespace rnnlab::bindings {

// Shared with the JS layer by address (bindings/js/runtime.js reads it with HEAP32/HEAPF32).
// Layout, 4 bytes a field: error flag, then the TrainResult of the latest training call.
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

// Runs f() and turns any exception into the stored last error plus `neutral`.
template <class R, class F>
R guarded(R neutral, F&& f) noexcept {
  status().error = 0;
  try {
    return f();
  } catch (const Error& e) {
    const std::string what = e.what(), prefix = e.field() + ": ";
    const bool prefixed = !e.field().empty() && what.compare(0, prefix.size(), prefix) == 0;
    set_error(error_code_name(e.code()), e.field(), prefixed ? what.substr(prefix.size()) : what);
  } catch (const std::bad_alloc&) {
    set_error("OUT_OF_MEMORY", "",
              "the WebAssembly heap could not grow; use smaller models or batches, or dispose "
              "models that are no longer needed");
  } catch (const std::exception& e) {
    set_error("INTERNAL", "", std::string("unexpected C++ exception: ") + e.what());
  } catch (...) {
    set_error("INTERNAL", "", "unexpected C++ exception of unknown type");
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

// Training options, packed by the JS layer (train_options.js) as float64 values in scratch,
// so a training call needs no string parsing and no second call. Index order:
enum TrainOptionSlot {
  kOptOptimizer,   // 0 sgd, 1 rmsprop, 2 adam, 3 adamw
  kOptLr,
  kOptMomentum,
  kOptNesterov,    // 0 / 1
  kOptBeta1,
  kOptBeta2,
  kOptEps,
  kOptAlpha,
  kOptWeightDecay,
  kOptSchedule,    // 0 constant, 1 step, 2 cosine
  kOptStepSize,
  kOptGamma,
  kOptTMax,
  kOptEtaMin,
  kOptLoss,        // 0 auto, 1 mse, 2 huber, 3 crossentropy
  kOptHuberDelta,
  kOptClipNorm,
  kOptTbptt,
  kOptStateful,    // 0 / 1
  kOptSlotCount
};
TrainOptions decode_train_options(const double* slots);
LossType decode_loss(double slot);

// Named tensors <-> what the JS layer sends: a manifest with one `name\tdim,dim,...` line per
// tensor and the values of all tensors back to back.
std::vector<NamedTensor> decode_named_tensors(const std::string& manifest, const float* data,
                                              size_t total);
// [{name, shape: [..], data: Float32Array view}, ...] over `tensors` (kept by the caller).
emscripten::val named_tensor_views(const std::vector<NamedTensor>& tensors);

// Copies a std::vector<int> into a JS array of numbers.
emscripten::val int_array(const std::vector<int>& v);

}  // namespace rnnlab::bindings
