// rnnlab::data for the JS layer (bindings/js/data.js): windows, normalisers, the
// chronological split, the character vocabulary and the date,value CSV reader. These are
// stateless functions; their array results are views of one module-wide result holder,
// valid until the next data call.
#include <emscripten/bind.h>

#include "boundary.h"
#include "core/require.h"
#include "rnnlab/data.h"

namespace rnnlab::bindings {
namespace {

using emscripten::val;
namespace d = rnnlab::data;

// The latest results (the JS layer copies them out before any other call). Every result is
// computed and stored before the first view of it is made: a later allocation could grow
// the memory and detach the views made before it.
struct DataResults {
  d::Windows windows, validation;
  std::vector<int> targets;
  std::vector<double> offset, scale;
  std::vector<float> values;
  std::vector<int32_t> ids;
};
DataResults& results() {
  static DataResults r;
  return r;
}

d::WindowOptions window_options(int window, int horizon, int stride, uintptr_t targets,
                                int target_count) {
  d::WindowOptions o;
  o.window = window;
  o.horizon = horizon;
  o.stride = stride;
  const int32_t* t = address<int32_t>(targets);
  if (target_count > 0) o.targets.assign(t, t + target_count);
  return o;
}

// {count, window, features, horizon, targets, starts, x, y} over `w`.
val windows_view(const d::Windows& w) {
  val o = val::object();
  o.set("count", w.count);
  o.set("window", w.window);
  o.set("features", w.features);
  o.set("horizon", w.horizon);
  o.set("targets", int_array(w.targets));
  o.set("starts", view(w.starts));
  o.set("x", view(w.x));
  o.set("y", view(w.y));
  return o;
}

// Keeps the normaliser's parameters in the result holder (call before creating any view:
// allocating may grow the memory, which detaches views made earlier).
void keep_normalizer(const d::Normalizer& n) {
  results().offset = n.params().offset;
  results().scale = n.params().scale;
}

// {kind, offset, scale} over the kept parameters. The kind string is set before the views
// (passing a std::string to JS mallocs).
val normalizer_view(d::NormKind kind) {
  val o = val::object();
  o.set("kind", std::string(d::to_string(kind)));
  o.set("offset", view(results().offset));
  o.set("scale", view(results().scale));
  return o;
}

val windows(uintptr_t series, int rows, int features, int window, int horizon, int stride,
            uintptr_t targets, int target_count) {
  return guarded(val::null(), [&] {
    DataResults& r = results();
    r.windows = d::make_windows(address<float>(series), rows, features,
                                window_options(window, horizon, stride, targets, target_count));
    return windows_view(r.windows);
  });
}

val normalizer_fit(const std::string& kind, uintptr_t values, int rows, int features) {
  return guarded(val::null(), [&] {
    const d::Normalizer n =
        d::Normalizer::fit(d::parse_norm_kind(kind), address<float>(values), rows, features);
    keep_normalizer(n);
    return normalizer_view(n.kind());
  });
}

// transform (forward) or inverse of `count` values through the normaliser {kind, offset,
// scale} of `features` features; with columns, the data's C columns are those features.
val normalizer_apply(const std::string& kind, uintptr_t offset, uintptr_t scale, int features,
                     uintptr_t values, double count, uintptr_t columns, int column_count,
                     bool forward) {
  return guarded(val::null(), [&] {
    d::NormalizerParams p;
    p.kind = d::parse_norm_kind(kind);
    p.offset.assign(address<double>(offset), address<double>(offset) + features);
    p.scale.assign(address<double>(scale), address<double>(scale) + features);
    const d::Normalizer n(std::move(p));
    const float* v = address<float>(values);
    const std::vector<float> in(v, v + static_cast<size_t>(count));
    DataResults& r = results();
    if (column_count > 0) {
      const int32_t* c = address<int32_t>(columns);
      const std::vector<int> cols(c, c + column_count);
      r.values = forward ? n.transform(in, cols) : n.inverse(in, cols);
    } else {
      r.values = forward ? n.transform(in) : n.inverse(in);
    }
    return view(r.values);
  });
}

val split(uintptr_t series, double count, int features, double fraction, int window,
          int horizon, int stride, uintptr_t targets, int target_count,
          const std::string& normalization) {
  return guarded(val::null(), [&] {
    d::SplitOptions o;
    o.validation_fraction = fraction;
    o.windows = window_options(window, horizon, stride, targets, target_count);
    o.normalization = d::parse_norm_kind(normalization);
    const float* s = address<float>(series);
    d::Split sp = d::chronological_split(std::vector<float>(s, s + static_cast<size_t>(count)),
                                         features, o);
    DataResults& r = results();
    r.windows = std::move(sp.train);
    r.validation = std::move(sp.validation);
    keep_normalizer(sp.normalizer);
    val out = val::object();
    out.set("normalizer", normalizer_view(sp.normalizer.kind()));
    out.set("train", windows_view(r.windows));
    out.set("validation", windows_view(r.validation));
    out.set("splitRow", sp.split_row);
    return out;
  });
}

// {symbols: the ordered symbols as one string, fallbackId}
val char_vocab_build(const std::string& text, int max_size, int fallback, bool reserve_fallback) {
  return guarded(val::null(), [&] {
    d::VocabOptions o;
    o.max_size = max_size;
    RNNLAB_REQUIRE(fallback >= 0, "fallback", "must be a Unicode scalar value");
    o.fallback = static_cast<char32_t>(fallback);
    o.reserve_fallback = reserve_fallback;
    const d::CharVocab v = d::CharVocab::build(text, o);
    val out = val::object();
    out.set("symbols", v.symbols_utf8());
    out.set("fallbackId", v.fallback_id());
    return out;
  });
}

d::CharVocab vocab_of(const std::string& symbols, int fallback_id) {
  return d::CharVocab(d::decode_utf8(symbols, "symbols"), fallback_id);
}

val char_vocab_encode(const std::string& symbols, int fallback_id, const std::string& text) {
  return guarded(val::null(), [&] {
    results().ids = vocab_of(symbols, fallback_id).encode(text);
    return view(results().ids);
  });
}

// The decoded text, or null on error.
val char_vocab_decode(const std::string& symbols, int fallback_id, uintptr_t ids, double count) {
  return guarded(val::null(), [&] {
    const int32_t* p = address<int32_t>(ids);
    return val(vocab_of(symbols, fallback_id)
                   .decode(std::vector<int32_t>(p, p + static_cast<size_t>(count))));
  });
}

// {dates: string[], values: Float32Array view}
val parse_csv(const std::string& text) {
  return guarded(val::null(), [&] {
    d::DatedSeries s = d::parse_date_value_csv(text);
    DataResults& r = results();
    r.values = std::move(s.values);
    val dates = val::array();
    for (size_t i = 0; i < s.dates.size(); ++i) dates.set(i, s.dates[i]);
    val out = val::object();
    out.set("dates", dates);
    out.set("values", view(r.values));
    return out;
  });
}

// Frees the kept results (after the JS layer copied a large one out).
void release_results() { results() = DataResults{}; }

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_data) {
  using namespace emscripten;
  using namespace rnnlab::bindings;
  function("_windows", &windows);
  function("_normalizerFit", &normalizer_fit);
  function("_normalizerApply", &normalizer_apply);
  function("_split", &split);
  function("_charVocabBuild", &char_vocab_build);
  function("_charVocabEncode", &char_vocab_encode);
  function("_charVocabDecode", &char_vocab_decode);
  function("_parseCsv", &parse_csv);
  function("_dataReleaseResults", &release_results);
}
