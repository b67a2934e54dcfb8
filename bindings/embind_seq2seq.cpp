// rnnlab::Seq2Seq for the JS layer (bindings/js/seq2seq.js); same conventions as
// embind_model.cpp. Files are the model file's kind 1 (save_seq2seq / load_seq2seq).
#include <emscripten/bind.h>

#include <cmath>

#include "boundary.h"
#include "core/require.h"
#include "rnnlab/model_file.h"
#include "rnnlab/seq2seq.h"

namespace rnnlab::bindings {
namespace {

using emscripten::val;

class Seq2SeqHandle {
 public:
  explicit Seq2SeqHandle(Seq2Seq m) : model_(std::move(m)) {}

  // hidden: a JS array of layer sizes (validated by the JS layer and by validate()).
  static Seq2SeqHandle* create(const std::string& cell, const std::string& gru_variant,
                               int input_vocab, int output_vocab, int embedding_size,
                               val hidden, double dropout, double seed) {
    return guarded<Seq2SeqHandle*>(nullptr, [&] {
      Seq2SeqConfig c;
      c.cell = parse_cell(cell);
      c.gru_variant = parse_gru_variant(gru_variant);
      c.input_vocab = input_vocab;
      c.output_vocab = output_vocab;
      c.embedding_size = embedding_size;
      c.hidden_sizes = emscripten::convertJSArrayToNumberVector<int>(hidden);
      c.dropout = static_cast<float>(dropout);
      RNNLAB_REQUIRE(std::isfinite(seed) && seed >= 0 && seed <= 9007199254740991.0, "seed",
                     "must be a non-negative integer");
      c.seed = static_cast<uint64_t>(seed);
      return new Seq2SeqHandle(Seq2Seq(c));
    });
  }

  static Seq2SeqHandle* load(uintptr_t bytes, double size) {
    return guarded<Seq2SeqHandle*>(nullptr, [&] {
      LoadedSeq2Seq loaded = load_seq2seq(address<uint8_t>(bytes), static_cast<size_t>(size));
      auto* h = new Seq2SeqHandle(std::move(loaded.model));
      h->metadata_ = std::move(loaded.metadata);
      return h;
    });
  }

  std::string metadata() const { return metadata_; }

  val save(const std::string& metadata) {
    return guarded(val::null(), [&] {
      bytes_ = save_seq2seq(model_, metadata);
      return view(bytes_);
    });
  }

  // {cell, gruVariant, inputVocab, outputVocab, embeddingSize, hiddenSize, dropout, seed}
  val config() const {
    const Seq2SeqConfig& c = model_.config();
    val o = val::object();
    o.set("cell", std::string(to_string(c.cell)));
    o.set("gruVariant", std::string(to_string(c.gru_variant)));
    o.set("inputVocab", c.input_vocab);
    o.set("outputVocab", c.output_vocab);
    o.set("embeddingSize", c.embedding_size);
    o.set("hiddenSize", int_array(c.hidden_sizes));
    o.set("dropout", c.dropout);
    o.set("seed", static_cast<double>(c.seed));
    return o;
  }
  double parameter_count() const { return static_cast<double>(model_.parameter_count()); }

  float train_batch(uintptr_t src, int batch, int src_steps, uintptr_t tgt, int tgt_steps,
                    uintptr_t mask, uintptr_t options) {
    return guarded(0.0f, [&] {
      const TrainOptions o = decode_train_options(address<double>(options));
      const TrainResult r =
          model_.train_batch(address<int32_t>(src), batch, src_steps, address<int32_t>(tgt),
                             tgt_steps, mask ? address<float>(mask) : nullptr, o);
      Status& s = status();
      s.loss = r.loss, s.grad_norm = r.grad_norm, s.lr = r.lr, s.steps = r.steps;
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

  val get_weights() {
    return guarded(val::null(), [&] {
      weights_ = model_.get_weights();
      return named_tensor_views(weights_);
    });
  }

  void set_weights(const std::string& manifest, uintptr_t data, double count) {
    guarded_void([&] {
      model_.set_weights(
          decode_named_tensors(manifest, address<float>(data), static_cast<size_t>(count)),
          /*require_all=*/true);
    });
  }

  void release_results() {
    std::vector<int32_t>().swap(out_i32_);
    std::vector<NamedTensor>().swap(weights_);
    std::vector<uint8_t>().swap(bytes_);
  }

 private:
  Seq2Seq model_;
  std::string metadata_;
  std::vector<uint8_t> bytes_;
  std::vector<int32_t> out_i32_;
  std::vector<NamedTensor> weights_;
};

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_seq2seq) {
  using namespace emscripten;
  using rnnlab::bindings::Seq2SeqHandle;
  class_<Seq2SeqHandle>("Seq2Seq")
      .class_function("_create", &Seq2SeqHandle::create, allow_raw_pointers())
      .class_function("_load", &Seq2SeqHandle::load, allow_raw_pointers())
      .function("_metadata", &Seq2SeqHandle::metadata)
      .function("_save", &Seq2SeqHandle::save)
      .function("_config", &Seq2SeqHandle::config)
      .function("_parameterCount", &Seq2SeqHandle::parameter_count)
      .function("_trainBatch", &Seq2SeqHandle::train_batch)
      .function("_evaluate", &Seq2SeqHandle::evaluate)
      .function("_translate", &Seq2SeqHandle::translate)
      .function("_getWeights", &Seq2SeqHandle::get_weights)
      .function("_setWeights", &Seq2SeqHandle::set_weights)
      .function("_releaseResults", &Seq2SeqHandle::release_results);
}
