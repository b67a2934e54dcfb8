// Data helpers: sliding windows over [T, F] series, per-feature normalisation, a
// chronological train/validation split that fits the normaliser on training rows only,
// a UTF-8 character vocabulary and a parser for `date,value` CSV files.
//
// Series are row-major [T, F] float arrays: T time steps (oldest first), F features; a
// univariate series has F = 1. Every bad input throws rnnlab::Error naming the field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rnnlab::data {

// ---------------------------------------------------------------------------------------
// Sliding windows (windows.cpp)

struct WindowOptions {
  int window = 0;            // W: input steps per window (>= 1)
  int horizon = 1;           // Hz: future steps to predict (>= 1)
  int stride = 1;            // rows between the starts of consecutive windows (>= 1)
  std::vector<int> targets;  // feature indices predicted, in this order; empty = all
};

// N windows. Window i reads input rows [starts[i], starts[i] + W) and targets rows
// [starts[i] + W, starts[i] + W + Hz) of the source series.
struct Windows {
  int count = 0;                // N
  int window = 0;               // W
  int features = 0;             // F
  int horizon = 0;              // Hz
  std::vector<int> targets;     // the TF target feature indices (resolved: never empty)
  std::vector<int> starts;      // [N] first input row of each window in the source series
  std::vector<float> x;         // [N, W, F]
  std::vector<float> y;         // [N, Hz * TF], each row a flattened [Hz, TF]

  int target_features() const { return static_cast<int>(targets.size()); }
};

// Windows over `series` ([T, F], series.size() == T * features). Window i starts at row
// i * stride; N = (T - W - Hz) / stride + 1. Throws (fields 'features', 'window', 'horizon',
// 'stride', 'targets', 'series') on sizes <= 0, a series shorter than W + Hz, target indices
// out of range or repeated, and NaN/Inf anywhere in the series (ErrorCode::kNonFiniteData).
Windows make_windows(const std::vector<float>& series, int features, const WindowOptions& options);
// The same over a raw [rows, features] array (for callers that already hold a buffer).
Windows make_windows(const float* series, int rows, int features, const WindowOptions& options);

// ---------------------------------------------------------------------------------------
// Normalisation (normalizer.cpp)

enum class NormKind {
  kNone,    // identity (offset 0, scale 1)
  kZScore,  // (x - mean) / std, population std (divides by T, as sklearn's StandardScaler)
  kMinMax,  // (x - min) / (max - min): training data maps onto [0, 1]
};

// "none", "zscore", "minmax" (the names used by the JS API and model files).
NormKind parse_norm_kind(const std::string& name);
const char* to_string(NormKind kind);

// What a saved model carries: z = (x - offset[f]) / scale[f] for feature f.
struct NormalizerParams {
  NormKind kind = NormKind::kNone;
  std::vector<double> offset;  // [F]
  std::vector<double> scale;   // [F], every entry finite and > 0
};

// Per-feature affine normaliser, computed in double.
//
// A constant feature (std 0, or max == min) gets scale 1 rather than dividing by zero, so
// it maps to 0 and back unchanged.
//
// Round trip: transform returns the float nearest the true (x - offset) / scale, and
// inverse the float nearest z * scale + offset. inverse(transform(x)) is bit-exact whenever
// |x - offset| <= |x| / 2 (e.g. positive data away from zero: neighbouring z then map at
// most ulp(x) / 2 apart), and in every case
//   |inverse(transform(x)) - x| <= ulp(x) + 2^-24 |x - offset|,
// i.e. within 1-2 ulp of max(|x|, |x - offset|). No float z can do better: when |x| is far
// below |x - offset|, many x share one float z.
class Normalizer {
 public:
  Normalizer() = default;  // kNone over 0 features: fit or load before use
  // Throws (field 'normalizer') unless offset and scale have the same length >= 1 and every
  // offset is finite and every scale finite and > 0.
  explicit Normalizer(NormalizerParams params);

  // Statistics of each feature of `values` ([T, F], T >= 1, all finite).
  static Normalizer fit(NormKind kind, const std::vector<float>& values, int features);
  static Normalizer fit(NormKind kind, const float* values, int rows, int features);

  NormKind kind() const { return params_.kind; }
  int features() const { return static_cast<int>(params_.offset.size()); }
  const NormalizerParams& params() const { return params_; }

  // [T, F] -> [T, F]. Throws kNonFiniteData (field 'values') on NaN/Inf input or a result
  // that overflows float.
  std::vector<float> transform(const std::vector<float>& values) const;
  std::vector<float> inverse(const std::vector<float>& values) const;
  // The same on data whose C columns are the features listed in `columns` (e.g. windows'
  // y, [N, Hz * TF], with columns = Windows::targets).
  std::vector<float> transform(const std::vector<float>& values, const std::vector<int>& columns) const;
  std::vector<float> inverse(const std::vector<float>& values, const std::vector<int>& columns) const;

 private:
  std::vector<float> apply(const std::vector<float>& values, const std::vector<int>& columns,
                           bool forward) const;
  NormalizerParams params_;
};

// ---------------------------------------------------------------------------------------
// Chronological split (split.cpp)

struct SplitOptions {
  double validation_fraction = 0.2;  // share of rows whose targets are validation, in (0, 1)
  WindowOptions windows;
  NormKind normalization = NormKind::kZScore;
};

// split_row = T - round(validation_fraction * T). The normaliser is fitted on rows
// [0, split_row) only. Training windows lie entirely before split_row. Validation windows
// start at split_row - W (their inputs may use training rows as context) so every
// validation target row is >= split_row. Both sets hold normalised x and y (y through the
// target features' parameters); normalizer.inverse(y, targets) returns original units.
struct Split {
  Windows train;
  Windows validation;  // starts[] index the full series, like train's
  Normalizer normalizer;
  int split_row = 0;
};

// Throws (field 'validationFraction') when the fraction is outside (0, 1), and (field
// 'series') when either side would have no window; plus every make_windows error.
Split chronological_split(const std::vector<float>& series, int features, const SplitOptions& options);

// ---------------------------------------------------------------------------------------
// UTF-8 (utf8.cpp)

// Strict RFC 3629 decoding: rejects stray continuation bytes, truncated sequences, overlong
// forms, surrogates and anything above U+10FFFF, naming the byte offset (field `field`).
std::u32string decode_utf8(const std::string& text, const char* field = "text");
// Throws (field `field`) on a surrogate or a value above U+10FFFF.
std::string encode_utf8(const std::u32string& code_points, const char* field = "symbols");

// ---------------------------------------------------------------------------------------
// Character vocabulary (char_vocab.cpp)

struct VocabOptions {
  int max_size = 0;              // 0 = every symbol; else >= 2, fallback included
  char32_t fallback = 0xFFFD;    // stands for dropped (and, if reserved, unseen) symbols
  bool reserve_fallback = false; // include the fallback even when nothing is dropped
};

// Symbols are Unicode code points sorted ascending; id = position in that order.
class CharVocab {
 public:
  CharVocab() = default;
  // From a saved list: strictly ascending valid code points (field 'symbols'); fallback_id
  // is -1 (unknown symbols are errors) or an index into symbols (field 'fallback').
  explicit CharVocab(std::u32string symbols, int32_t fallback_id = -1);

  // Every code point of `text` (field 'text': non-empty, valid UTF-8). With max_size, keeps
  // the max_size - 1 most frequent symbols (ties: lower code point) plus the fallback.
  static CharVocab build(const std::string& text, const VocabOptions& options = {});

  int size() const { return static_cast<int>(symbols_.size()); }
  const std::u32string& symbols() const { return symbols_; }
  std::string symbols_utf8() const;  // the ordered list as one UTF-8 string, for saving
  int32_t fallback_id() const { return fallback_id_; }
  int32_t id_of(char32_t symbol) const;  // -1 if absent

  // Unknown symbols map to the fallback, or throw (field 'text') if there is none.
  std::vector<int32_t> encode(const std::string& text) const;
  // Throws (field 'ids') on an id outside [0, size()).
  std::string decode(const std::vector<int32_t>& ids) const;

 private:
  std::u32string symbols_;
  int32_t fallback_id_ = -1;
};

// ---------------------------------------------------------------------------------------
// `date,value` CSV (csv.cpp)

struct DatedSeries {
  std::vector<std::string> dates;  // as written ("1949-01", "1960-Q1", "1871")
  std::vector<float> values;       // [T], a univariate series
};

// Header line `date,value`, then one `date,value` row a line, oldest first; CRLF and a
// final newline are accepted. Throws (field 'csv') naming the 1-based line of a bad header,
// a row without exactly two fields, an empty date, or a value that is not a finite float
// (kNonFiniteData for NaN/Inf/overflow). Numbers are read in the C locale.
DatedSeries parse_date_value_csv(const std::string& text);

}  // namespace rnnlab::data
