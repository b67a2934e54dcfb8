// What the Model and Seq2Seq handles share (embind_model.cpp, embind_seq2seq.cpp): creation
// from config text, loading and saving model files, config, parameter count, metadata and
// weights, and the result buffers the JS layer copies out. Every member is guarded.
#pragma once

#include <emscripten/bind.h>

#include <string>
#include <utility>
#include <vector>

#include "boundary.h"
#include "io/boundary_formats.h"
#include "rnnlab/model_file.h"
#include "rnnlab/schema.h"

namespace rnnlab::bindings {

// The schema table of each configuration type.
inline const schema::Table<ModelConfig>& config_table(const ModelConfig*) { return schema::model_config(); }
inline const schema::Table<Seq2SeqConfig>& config_table(const Seq2SeqConfig*) { return schema::seq2seq_config(); }

// How a handle type loads and saves its model (the model file's kinds 0 and 1).
inline LoadedModel load_file(const Model*, const uint8_t* p, size_t n) { return load_model(p, n); }
inline LoadedSeq2Seq load_file(const Seq2Seq*, const uint8_t* p, size_t n) { return load_seq2seq(p, n); }
inline std::vector<uint8_t> save_file(const Model& m, const std::string& meta) { return save_model(m, meta); }
inline std::vector<uint8_t> save_file(const Seq2Seq& m, const std::string& meta) {
  return save_seq2seq(m, meta);
}

template <class M>
class Handle {
 public:
  using Config = std::decay_t<decltype(std::declval<M>().config())>;
  explicit Handle(M m, std::string metadata = "") : model_(std::move(m)), metadata_(std::move(metadata)) {}

  // Config text (core names, key=value lines); null with the error stored.
  template <class H>
  static H* create(const std::string& config_text) {
    return guarded<H*>(nullptr, [&] { return new H(M(config_from_text<Config>(config_text))); });
  }

  // The parameters a configuration (config text) describes, counted by the core without
  // building anything (rnn.parameterCount). The schema's field limits are checked, the cap
  // kMaxParameters is not: a caller learns how far above it a request is. -1 with the error
  // stored.
  static double count_parameters(const std::string& config_text) {
    return guarded<double>(-1, [&] {
      const Config c = config_from_text<Config>(config_text);
      schema::validate(config_table(static_cast<const Config*>(nullptr)), c);
      return static_cast<double>(c.parameter_count());
    });
  }

  template <class H>
  static H* load(uintptr_t bytes, double size) {
    return guarded<H*>(nullptr, [&] {
      auto loaded = load_file(static_cast<const M*>(nullptr), address<uint8_t>(bytes),
                              static_cast<size_t>(size));
      return new H(std::move(loaded.model), std::move(loaded.metadata));
    });
  }

  std::string config() const {
    return guarded<std::string>("", [&] { return config_to_text(model_.config()); });
  }
  double parameter_count() const { return static_cast<double>(model_.parameter_count()); }
  std::string metadata() const { return metadata_; }

  emscripten::val save(const std::string& metadata) {
    return guarded(emscripten::val::null(), [&] {
      bytes_ = save_file(model_, metadata);
      return view(bytes_);
    });
  }

  emscripten::val get_weights() {
    return guarded(emscripten::val::null(), [&] {
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

  // Frees the kept results (the JS layer calls it after copying large ones out).
  void release_results() {
    std::vector<float>().swap(out_f32_);
    std::vector<int32_t>().swap(out_i32_);
    std::vector<NamedTensor>().swap(weights_);
    std::vector<uint8_t>().swap(bytes_);
    release_more();
  }

 protected:
  virtual void release_more() {}
  virtual ~Handle() = default;

  M model_;
  std::string metadata_;
  std::vector<float> out_f32_;
  std::vector<int32_t> out_i32_;
  std::vector<NamedTensor> weights_;
  std::vector<uint8_t> bytes_;
};

// Registers the shared members on a handle class (through lambdas: embind drops members
// bound as &Derived::base_member of an unbound base).
template <class H>
void register_handle(emscripten::class_<H>& c) {
  using emscripten::optional_override;
  c.class_function("_create", &H::template create<H>, emscripten::allow_raw_pointers())
      .class_function("_load", &H::template load<H>, emscripten::allow_raw_pointers())
      .class_function("_countParameters", &H::count_parameters)
      .function("_config", optional_override([](const H& h) { return h.config(); }))
      .function("_parameterCount", optional_override([](const H& h) { return h.parameter_count(); }))
      .function("_metadata", optional_override([](const H& h) { return h.metadata(); }))
      .function("_save", optional_override([](H& h, const std::string& m) { return h.save(m); }))
      .function("_getWeights", optional_override([](H& h) { return h.get_weights(); }))
      .function("_setWeights", optional_override([](H& h, const std::string& manifest, uintptr_t data,
                                                     double count) { h.set_weights(manifest, data, count); }))
      .function("_releaseResults", optional_override([](H& h) { h.release_results(); }));
}

}  // namespace rnnlab::bindings
