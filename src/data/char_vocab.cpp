// Character vocabulary over Unicode code points, ids in code-point order.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/require.h"
#include "data/checks.h"
#include "rnnlab/data.h"

namespace rnnlab::data {
namespace {

bool is_scalar_value(char32_t c) { return c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF); }

void check_options(const VocabOptions& o) {
  RNNLAB_REQUIRE(o.max_size == 0 || o.max_size >= 2, "maxSize",
                 "must be 0 (no limit) or at least 2 (one symbol plus the fallback), got " +
                     std::to_string(o.max_size));
  RNNLAB_REQUIRE(is_scalar_value(o.fallback), "fallback",
                 detail::code_point_name(o.fallback) + " is not a Unicode scalar value");
}

// The `keep` most frequent symbols other than the fallback; ties go to the lower code point
// so the same text always gives the same vocabulary.
std::u32string most_frequent(const std::map<char32_t, int64_t>& counts, char32_t fallback, size_t keep) {
  std::vector<std::pair<int64_t, char32_t>> ranked;
  for (const auto& [c, n] : counts)
    if (c != fallback) ranked.emplace_back(-n, c);
  keep = std::min(keep, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end());
  std::u32string out;
  for (size_t i = 0; i < keep; ++i) out += ranked[i].second;
  return out;
}

}  // namespace

CharVocab::CharVocab(std::u32string symbols, int32_t fallback_id)
    : symbols_(std::move(symbols)), fallback_id_(fallback_id) {
  RNNLAB_REQUIRE(!symbols_.empty(), "symbols", "is empty; a vocabulary needs at least one symbol");
  for (size_t i = 0; i < symbols_.size(); ++i) {
    RNNLAB_REQUIRE(is_scalar_value(symbols_[i]), "symbols",
                   "entry " + std::to_string(i) + " (" + detail::code_point_name(symbols_[i]) +
                       ") is not a Unicode scalar value");
    RNNLAB_REQUIRE(i == 0 || symbols_[i - 1] < symbols_[i], "symbols",
                   "entry " + std::to_string(i) + " (" + detail::code_point_name(symbols_[i]) +
                       ") is not above the one before; symbols must be unique and sorted by code point");
  }
  RNNLAB_REQUIRE(fallback_id_ >= -1 && fallback_id_ < size(), "fallback",
                 "id " + std::to_string(fallback_id_) + " is outside [-1, " + std::to_string(size()) + ")");
}

CharVocab CharVocab::build(const std::string& text, const VocabOptions& options) {
  check_options(options);
  const std::u32string cps = decode_utf8(text, "text");
  RNNLAB_REQUIRE(!cps.empty(), "text", "is empty; there is nothing to build a vocabulary from");
  std::map<char32_t, int64_t> counts;
  for (char32_t c : cps) ++counts[c];
  const size_t limit = static_cast<size_t>(options.max_size);
  const bool with_fallback = options.reserve_fallback || (limit > 0 && counts.size() > limit);
  std::u32string symbols;
  if (!with_fallback) {
    for (const auto& entry : counts) symbols += entry.first;  // std::map: already sorted
    return CharVocab(std::move(symbols));
  }
  symbols = most_frequent(counts, options.fallback, limit > 0 ? limit - 1 : counts.size());
  symbols += options.fallback;
  std::sort(symbols.begin(), symbols.end());
  // The id is taken before symbols is moved from (argument order is unspecified).
  const auto id = static_cast<int32_t>(
      std::lower_bound(symbols.begin(), symbols.end(), options.fallback) - symbols.begin());
  return CharVocab(std::move(symbols), id);
}

std::string CharVocab::symbols_utf8() const { return encode_utf8(symbols_); }

int32_t CharVocab::id_of(char32_t symbol) const {
  const auto at = std::lower_bound(symbols_.begin(), symbols_.end(), symbol);
  return at != symbols_.end() && *at == symbol ? static_cast<int32_t>(at - symbols_.begin()) : -1;
}

std::vector<int32_t> CharVocab::encode(const std::string& text) const {
  RNNLAB_REQUIRE(!symbols_.empty(), "vocab", "is empty; build or load it first", ErrorCode::kInvalidState);
  const std::u32string cps = decode_utf8(text, "text");
  std::vector<int32_t> ids(cps.size());
  for (size_t i = 0; i < cps.size(); ++i) {
    ids[i] = id_of(cps[i]);
    if (ids[i] < 0) ids[i] = fallback_id_;
    RNNLAB_REQUIRE(ids[i] >= 0, "text",
                   "character " + std::to_string(i) + " (" + detail::code_point_name(cps[i]) +
                       ") is not in the vocabulary, which has no fallback symbol");
  }
  return ids;
}

std::string CharVocab::decode(const std::vector<int32_t>& ids) const {
  std::u32string cps(ids.size(), U'\0');
  for (size_t i = 0; i < ids.size(); ++i) {
    RNNLAB_REQUIRE(ids[i] >= 0 && ids[i] < size(), "ids",
                   "entry " + std::to_string(i) + " is " + std::to_string(ids[i]) +
                       ", outside the vocabulary's [0, " + std::to_string(size()) + ")");
    cps[i] = symbols_[static_cast<size_t>(ids[i])];
  }
  return encode_utf8(cps);
}

}  // namespace rnnlab::data
