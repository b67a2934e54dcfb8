// rnnlab::Seq2Seq for the JS layer (bindings/js/seq2seq.js): the members handle.h shares with
// Model, plus teacher-forced training, greedy translation and introspection. Files are the
// model file's kind 1; configurations cross as Model's do (config text, core field names).
#include <emscripten/bind.h>

#include "boundary.h"
#include "handle.h"
#include "rnnlab/seq2seq.h"

namespace rnnlab::bindings {
namespace {

using emscripten::val;

class Seq2SeqHandle : public Handle<Seq2Seq> {
 public:
  using Handle::Handle;

  float train_batch(uintptr_t src, int batch, int src_steps, uintptr_t tgt, int tgt_steps,
                    uintptr_t mask, uintptr_t options) {
    return guarded(0.0f, [&] {
      const TrainOptions o = decode_train_options(address<double>(options));
      const TrainResult r =
          model_.train_batch(address<int32_t>(src), batch, src_steps, address<int32_t>(tgt),
                             tgt_steps, mask ? address<float>(mask) : nullptr, o);
      record(r);
      return r.loss;
    });
  }

  float evaluate(uintptr_t src, int batch, int src_steps, uintptr_t tgt, int tgt_steps,
                 uintptr_t mask) {
    return guarded(0.0f, [&] {
      return model_.evaluate(address<int32_t>(src), batch, src_steps, address<int32_t>(tgt),
                             tgt_steps, mask ? address<float>(mask) : nullptr);
    });
  }

  val translate(uintptr_t src, int batch, int src_steps, int max_length, int stop_token) {
    return guarded(val::null(), [&] {
      out_i32_ = model_.translate(address<int32_t>(src), batch, src_steps, max_length, stop_token);
      return view(out_i32_);
    });
  }

  // {loss, batch, sourceSteps, targetSteps, output, target, encoder: [...], decoder: [...]},
  // views into the kept Seq2SeqInspection (batch-major; layers as Model's _inspect). Without
  // a target (has_tgt false) the greedy translation under max_length/stop_token is scored.
  val inspect(uintptr_t src, int batch, int src_steps, bool has_tgt, uintptr_t tgt, int tgt_steps,
              uintptr_t mask, int max_length, int stop_token) {
    return guarded(val::null(), [&] {
      TranslateOptions greedy;
      greedy.max_length = max_length, greedy.stop_token = stop_token;
      inspection_ = model_.inspect(address<int32_t>(src), batch, src_steps,
                                   has_tgt ? address<int32_t>(tgt) : nullptr, tgt_steps,
                                   mask ? address<float>(mask) : nullptr, greedy);
      val out = val::object();
      out.set("loss", inspection_.loss);
      out.set("batch", inspection_.batch);
      out.set("sourceSteps", inspection_.source_steps);
      out.set("targetSteps", inspection_.target_steps);
      out.set("output", view(inspection_.output));
      out.set("target", view(inspection_.target));
      out.set("encoder", layer_trace_views(inspection_.encoder));
      out.set("decoder", layer_trace_views(inspection_.decoder));
      return out;
    });
  }

 private:
  void release_more() override { inspection_ = Seq2SeqInspection{}; }

  Seq2SeqInspection inspection_;
};

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_seq2seq) {
  using namespace emscripten;
  using rnnlab::bindings::Seq2SeqHandle;
  class_<Seq2SeqHandle> c("Seq2Seq");
  rnnlab::bindings::register_handle(c);
  c.function("_trainBatch", &Seq2SeqHandle::train_batch)
      .function("_evaluate", &Seq2SeqHandle::evaluate)
      .function("_translate", &Seq2SeqHandle::translate)
      .function("_inspect", &Seq2SeqHandle::inspect);
}
