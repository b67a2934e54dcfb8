// rnnlab::Model for the JS layer (bindings/js/model.js): the members handle.h shares with
// Seq2Seq, plus training, inference and introspection. Every member is guarded (boundary.h)
// and takes bulk data by scratch address; array results are views of vectors this handle
// owns, valid until its next call.
#include <emscripten/bind.h>

#include "boundary.h"
#include "core/require.h"
#include "handle.h"
#include "rnnlab/model.h"

namespace rnnlab::bindings {
namespace {

using emscripten::val;

Input make_input(uintptr_t x, bool tokens, int batch, int steps) {
  return tokens ? Input::tokens(address<int32_t>(x), batch, steps)
                : Input::features(address<float>(x), batch, steps);
}

Target make_target(uintptr_t y, bool classes, uintptr_t mask) {
  const float* m = mask ? address<float>(mask) : nullptr;
  return classes ? Target::labels(address<int32_t>(y), m) : Target::values(address<float>(y), m);
}

class ModelHandle : public Handle<Model> {
 public:
  using Handle::Handle;

  double optimizer_steps() const { return static_cast<double>(model_.optimizer_steps()); }
  void reset_optimizer() { model_.reset_optimizer(); }

  // One optimizer step (one per chunk with tbptt); TrainResult goes to the status block.
  float train_batch(uintptr_t x, bool tokens, int batch, int steps, uintptr_t y, bool classes,
                    uintptr_t mask, uintptr_t options) {
    return guarded(0.0f, [&] {
      const TrainOptions o = decode_train_options(address<double>(options));
      const TrainResult r =
          model_.train_batch(make_input(x, tokens, batch, steps), make_target(y, classes, mask), o);
      record(r);
      return r.loss;
    });
  }

  float evaluate(uintptr_t x, bool tokens, int batch, int steps, uintptr_t y, bool classes,
                 uintptr_t mask, double loss, double huber_delta) {
    return guarded(0.0f, [&] {
      return model_.evaluate(make_input(x, tokens, batch, steps), make_target(y, classes, mask),
                             decode_loss(loss), static_cast<float>(huber_delta));
    });
  }

  val predict(uintptr_t x, bool tokens, int batch, int steps) {
    return guarded(val::null(), [&] {
      out_f32_ = model_.predict(make_input(x, tokens, batch, steps));
      return view(out_f32_);
    });
  }

  void reset_state(int batch) {
    guarded_void([&] { model_.reset_state(batch); });
  }

  // Rows of the carried state step() continues from (0: none; see Model::state_batch).
  int state_batch() const { return model_.state_batch(); }

  // One step from the carried state: [B, I] floats or [B] ids, as resetState's batch.
  val step(uintptr_t x, bool tokens) {
    return guarded(val::null(), [&] {
      out_f32_ = tokens ? model_.step_tokens(address<int32_t>(x)) : model_.step(address<float>(x));
      return view(out_f32_);
    });
  }

  val forecast(uintptr_t window, int window_steps, int steps) {
    return guarded(val::null(), [&] {
      out_f32_ = model_.forecast(address<float>(window), window_steps, steps);
      return view(out_f32_);
    });
  }

  val generate(uintptr_t prime, int prime_length, int length, double temperature, int top_k,
               double top_p, double seed) {
    return guarded(val::null(), [&] {
      const int32_t* p = address<int32_t>(prime);
      SampleOptions o;
      o.temperature = static_cast<float>(temperature);
      o.top_k = top_k;
      o.top_p = static_cast<float>(top_p);
      RNNLAB_REQUIRE(seed >= 0 && seed <= 9007199254740991.0, "seed", "must be a non-negative integer");
      o.seed = static_cast<uint64_t>(seed);
      out_i32_ = model_.generate(std::vector<int32_t>(p, p + prime_length), length, o);
      return view(out_i32_);
    });
  }

  val next_token_probabilities(uintptr_t prime, int prime_length, double temperature) {
    return guarded(val::null(), [&] {
      const int32_t* p = address<int32_t>(prime);
      out_f32_ = model_.next_token_probabilities(std::vector<int32_t>(p, p + prime_length),
                                                 static_cast<float>(temperature));
      return view(out_f32_);
    });
  }

  // {loss, batch, steps, output, layers: [{hidden, h, c, gates, gradNorm}]}, views into the
  // kept Inspection (all batch-major; see rnnlab::Inspection).
  val inspect(uintptr_t x, bool tokens, int batch, int steps, bool has_y, uintptr_t y,
              bool classes, uintptr_t mask) {
    return guarded(val::null(), [&] {
      const Target t = make_target(y, classes, mask);
      inspection_ = model_.inspect(make_input(x, tokens, batch, steps), has_y ? &t : nullptr);
      val out = val::object();
      out.set("loss", inspection_.loss);
      out.set("batch", inspection_.batch);
      out.set("steps", inspection_.steps);
      out.set("output", view(inspection_.output));
      out.set("layers", layer_trace_views(inspection_.layers));
      return out;
    });
  }

 private:
  void release_more() override { inspection_ = Inspection{}; }

  Inspection inspection_;
};

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_model) {
  using namespace emscripten;
  using rnnlab::bindings::ModelHandle;
  class_<ModelHandle> c("Model");
  rnnlab::bindings::register_handle(c);
  c.function("_optimizerSteps", &ModelHandle::optimizer_steps)
      .function("_resetOptimizer", &ModelHandle::reset_optimizer)
      .function("_trainBatch", &ModelHandle::train_batch)
      .function("_evaluate", &ModelHandle::evaluate)
      .function("_predict", &ModelHandle::predict)
      .function("_resetState", &ModelHandle::reset_state)
      .function("_stateBatch", &ModelHandle::state_batch)
      .function("_step", &ModelHandle::step)
      .function("_forecast", &ModelHandle::forecast)
      .function("_generate", &ModelHandle::generate)
      .function("_nextTokenProbabilities", &ModelHandle::next_token_probabilities)
      .function("_inspect", &ModelHandle::inspect);
}
