// rnnlab::Model for the JS layer (bindings/js/model.js). Every member is guarded (boundary.h)
// and takes bulk data by scratch address; array results are views of vectors this handle
// owns, valid until its next call.
#include <emscripten/bind.h>

#include <memory>
#include <sstream>

#include "boundary.h"
#include "core/require.h"
#include "rnnlab/model.h"
#include "rnnlab/model_file.h"

namespace rnnlab::bindings {
namespace {

using emscripten::val;

// "key=value\n" lines (config_to_pairs' entries) <-> pairs. Keys and values never hold '\n';
// a line splits at its first '=' as in the model file.
std::vector<std::pair<std::string, std::string>> split_pairs(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    RNNLAB_REQUIRE(eq != std::string::npos && eq > 0, "config",
                   "line '" + line + "' is not key=value");
    pairs.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return pairs;
}

std::string join_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string text;
  for (const auto& [k, v] : pairs) text += k + "=" + v + "\n";
  return text;
}

// parse_config_pairs reports a malformed value as a model-file error under "config.<key>";
// for a config the user typed (createModel) it is an option error under the JS option's
// name. (The JS layer formats every value, so this is a guard, not a path users meet.)
[[noreturn]] void rethrow_as_option_error(const Error& e) {
  static const char* const names[][2] = {
      {"cell", "cell"},           {"gru_variant", "gruVariant"}, {"input_encoding", "inputEncoding"},
      {"input_size", "inputSize"}, {"vocab_size", "vocabSize"},   {"embedding_size", "embeddingSize"},
      {"hidden_sizes", "hiddenSize"}, {"output_size", "outputSize"}, {"output", "output"},
      {"head", "head"},           {"dropout", "dropout"},        {"seed", "seed"}};
  std::string field = e.field();
  if (field.compare(0, 7, "config.") == 0) field.erase(0, 7);
  for (const auto& n : names)
    if (field == n[0]) field = n[1];
  throw Error(ErrorCode::kInvalidConfig, field, detail::message_without_field(e));
}

Input make_input(uintptr_t x, bool tokens, int batch, int steps) {
  return tokens ? Input::tokens(address<int32_t>(x), batch, steps)
                : Input::features(address<float>(x), batch, steps);
}

Target make_target(uintptr_t y, bool classes, uintptr_t mask) {
  const float* m = mask ? address<float>(mask) : nullptr;
  return classes ? Target::labels(address<int32_t>(y), m) : Target::values(address<float>(y), m);
}

class ModelHandle {
 public:
  explicit ModelHandle(Model m) : model_(std::move(m)) {}

  static ModelHandle* create(const std::string& config_text) {
    return guarded<ModelHandle*>(nullptr, [&] {
      ModelConfig cfg;
      try {
        cfg = parse_config_pairs(split_pairs(config_text));
      } catch (const Error& e) {
        rethrow_as_option_error(e);
      }
      return new ModelHandle(Model(cfg));  // validate() errors keep their code and field
    });
  }

  static ModelHandle* load(uintptr_t bytes, double size) {
    return guarded<ModelHandle*>(nullptr, [&] {
      LoadedModel loaded = load_model(address<uint8_t>(bytes), static_cast<size_t>(size));
      auto* h = new ModelHandle(std::move(loaded.model));
      h->metadata_ = std::move(loaded.metadata);
      return h;
    });
  }

  std::string config() const {
    return guarded<std::string>("", [&] { return join_pairs(config_to_pairs(model_.config())); });
  }
  double parameter_count() const { return static_cast<double>(model_.parameter_count()); }
  std::string metadata() const { return metadata_; }
  double optimizer_steps() const { return static_cast<double>(model_.optimizer_steps()); }
  void reset_optimizer() { model_.reset_optimizer(); }

  // One optimizer step (one per chunk with tbptt); TrainResult goes to the status block.
  float train_batch(uintptr_t x, bool tokens, int batch, int steps, uintptr_t y, bool classes,
                    uintptr_t mask, uintptr_t options) {
    return guarded(0.0f, [&] {
      const TrainOptions o = decode_train_options(address<double>(options));
      const TrainResult r =
          model_.train_batch(make_input(x, tokens, batch, steps), make_target(y, classes, mask), o);
      Status& s = status();
      s.loss = r.loss, s.grad_norm = r.grad_norm, s.lr = r.lr, s.steps = r.steps;
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
      val layers = val::array();
      for (size_t l = 0; l < inspection_.layers.size(); ++l) {
        const LayerTrace& tr = inspection_.layers[l];
        val layer = val::object();
        layer.set("hidden", tr.hidden);
        layer.set("h", view(tr.h));
        layer.set("c", tr.c.empty() ? val::null() : view(tr.c));
        layer.set("gates", view(tr.gates));
        layer.set("gradNorm", view(tr.grad_norm));
        layers.set(l, layer);
      }
      out.set("layers", layers);
      return out;
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

  val save(const std::string& metadata) {
    return guarded(val::null(), [&] {
      bytes_ = save_model(model_, metadata);
      return view(bytes_);
    });
  }

  // Frees the kept results (the JS layer calls it after copying large ones out).
  void release_results() {
    std::vector<float>().swap(out_f32_);
    std::vector<int32_t>().swap(out_i32_);
    std::vector<NamedTensor>().swap(weights_);
    std::vector<uint8_t>().swap(bytes_);
    inspection_ = Inspection{};
  }

 private:
  Model model_;
  std::string metadata_;
  std::vector<float> out_f32_;
  std::vector<int32_t> out_i32_;
  std::vector<NamedTensor> weights_;
  std::vector<uint8_t> bytes_;
  Inspection inspection_;
};

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_model) {
  using namespace emscripten;
  using rnnlab::bindings::ModelHandle;
  class_<ModelHandle>("Model")
      .class_function("_create", &ModelHandle::create, allow_raw_pointers())
      .class_function("_load", &ModelHandle::load, allow_raw_pointers())
      .function("_config", &ModelHandle::config)
      .function("_parameterCount", &ModelHandle::parameter_count)
      .function("_metadata", &ModelHandle::metadata)
      .function("_optimizerSteps", &ModelHandle::optimizer_steps)
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
      .function("_inspect", &ModelHandle::inspect)
      .function("_getWeights", &ModelHandle::get_weights)
      .function("_setWeights", &ModelHandle::set_weights)
      .function("_save", &ModelHandle::save)
      .function("_releaseResults", &ModelHandle::release_results);
}
