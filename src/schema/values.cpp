// One field's value: limits, text form and boundary slot (rnnlab/schema.h).
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>

#include "core/c_numbers.h"
#include "rnnlab/schema.h"

namespace rnnlab::schema {
namespace {

[[noreturn]] void bad(const std::string& name, const std::string& message,
                      ErrorCode code = ErrorCode::kInvalidConfig) {
  throw Error(code, name, message);
}

// "%g" in the C locale, for messages.
std::string number_text(double v) { return detail::format_c_g(v); }

// Strict decimal: optional '-' (if allowed), then digits only. Values are written by rnnlab
// (model files, the JS layer), so spaces, '+' or hex mean corruption rather than typing.
// Returns false on overflow of [-(neg_limit), pos_limit].
bool parse_decimal(const std::string& s, bool allow_minus, uint64_t neg_limit, uint64_t pos_limit,
                   uint64_t& magnitude, bool& negative) {
  size_t i = 0;
  negative = allow_minus && !s.empty() && s[0] == '-';
  if (negative) i = 1;
  if (i == s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (v > (negative ? neg_limit : pos_limit)) return false;
  magnitude = v;
  return true;
}

int parse_int(const std::string& text, const std::string& name) {
  uint64_t m = 0;
  bool neg = false;
  if (!parse_decimal(text, true, 2147483648u, 2147483647u, m, neg))
    bad(name, "'" + text + "' is not a 32-bit decimal integer");
  return neg ? static_cast<int>(-static_cast<int64_t>(m)) : static_cast<int>(m);
}

// "[0, 1)", ">= 0", "> 0" for messages.
std::string range_text(const Field& f) {
  const bool has_max = std::isfinite(f.max);
  if (!has_max) return std::string(f.min_open ? "> " : ">= ") + number_text(f.min);
  return std::string(f.min_open ? "(" : "[") + number_text(f.min) + ", " + number_text(f.max) +
         (f.max_open ? ")" : "]");
}

void check_int(const Field& f, double v, const char* name) {
  if (v < f.min) {
    if (f.min == 1) bad(name, "must be a positive integer, got " + number_text(v));
    bad(name, "must be an integer >= " + number_text(f.min) + ", got " + number_text(v));
  }
  if (v > f.max)
    bad(name, "is " + number_text(v) + ", above the limit of " + number_text(f.max), f.above_max);
}

}  // namespace

int choice_index(const Field& f, const std::string& choice) {
  const char* p = f.choices;
  for (int i = 0; p && *p; ++i) {
    const char* end = std::strchr(p, '|');
    const size_t n = end ? static_cast<size_t>(end - p) : std::strlen(p);
    if (choice.size() == n && choice.compare(0, n, p, n) == 0) return i;
    if (!end) break;
    p = end + 1;
  }
  return -1;
}

std::string choice_name(const Field& f, int index) {
  const char* p = f.choices;
  for (int i = 0; p && *p; ++i) {
    const char* end = std::strchr(p, '|');
    if (i == index) return end ? std::string(p, end) : std::string(p);
    if (!end) break;
    p = end + 1;
  }
  return "";
}

const char* choice_c_str(const Field& f, int index) {
  // One copy of each field's names, made on first use (the tables are never freed).
  static std::map<const char*, std::vector<std::string>> names;
#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
  // (A single-thread wasm module needs no lock, and without one it links no std::system_error,
  // whose messages bring printf in.)
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
#endif
  std::vector<std::string>& list = names[f.choices];
  if (list.empty())
    for (int i = 0; !choice_name(f, i).empty(); ++i) list.push_back(choice_name(f, i));
  return index >= 0 && index < static_cast<int>(list.size()) ? list[index].c_str() : "";
}

bool condition_on(const char* condition, const char* name) {
  const size_t n = std::strlen(name);
  return std::strncmp(condition, name, n) == 0 && condition[n] == '=';
}

bool condition_holds(const char* condition, const Field& field, int index) {
  // The choice's name within field.choices, as [p, p + n).
  const char* p = field.choices;
  for (int i = 0; p && i < index; ++i) {
    p = std::strchr(p, '|');
    if (p) ++p;
  }
  if (!p || index < 0) return false;
  const char* bar = std::strchr(p, '|');
  const size_t n = bar ? static_cast<size_t>(bar - p) : std::strlen(p);
  // Each alternative after '=' in the condition.
  for (const char* q = std::strchr(condition, '='); q; q = std::strchr(q, '|')) {
    ++q;
    const char* end = std::strchr(q, '|');
    const size_t m = end ? static_cast<size_t>(end - q) : std::strlen(q);
    if (m == n && std::strncmp(p, q, n) == 0) return true;
  }
  return false;
}

void check(const Field& f, const Value& v, const char* name) {
  switch (f.type) {
    case Type::kEnum:
      if (choice_name(f, static_cast<int>(v.number)).empty() || v.number != std::floor(v.number))
        bad(name, "is not one of " + std::string(f.choices));
      return;
    case Type::kInt:
      check_int(f, v.number, name);
      return;
    case Type::kIntList:
      if (v.list.empty()) bad(name, "needs at least one entry (one per layer)");
      if (static_cast<int>(v.list.size()) > f.max_count)
        bad(name, "has " + std::to_string(v.list.size()) + " entries; at most " +
                      std::to_string(f.max_count) + " are supported");
      for (int x : v.list) check_int(f, x, name);
      return;
    case Type::kFloat: {
      const bool ok = std::isfinite(v.number) && (f.min_open ? v.number > f.min : v.number >= f.min) &&
                      (f.max_open ? v.number < f.max : v.number <= f.max);
      if (!ok) bad(name, "must be a finite number " + std::string(std::isfinite(f.max) ? "in " : "") +
                             range_text(f) + ", got " + number_text(v.number));
      return;
    }
    case Type::kBool:
    case Type::kSeed:  // any uint64 natively
      return;
  }
}

std::string format(const Field& f, const Value& v) {
  switch (f.type) {
    case Type::kEnum: return choice_name(f, static_cast<int>(v.number));
    case Type::kInt: return std::to_string(static_cast<int>(v.number));
    case Type::kFloat: return detail::format_float_shortest(static_cast<float>(v.number));
    case Type::kBool: return v.number != 0 ? "true" : "false";
    case Type::kSeed: return std::to_string(v.seed);
    case Type::kIntList: {
      std::string s;
      for (size_t i = 0; i < v.list.size(); ++i) s += (i ? "," : "") + std::to_string(v.list[i]);
      return s;
    }
  }
  return "";
}

Value parse(const Field& f, const std::string& text, const std::string& name) {
  Value v;
  switch (f.type) {
    case Type::kEnum: {
      const int i = choice_index(f, text);
      if (i < 0) {
        std::string expected;
        for (int k = 0; !choice_name(f, k).empty(); ++k) {
          const bool last = choice_name(f, k + 1).empty();
          expected += (k ? (last ? " or '" : ", '") : "'") + choice_name(f, k) + "'";
        }
        bad(name, "unknown value '" + text + "'; expected " + expected);
      }
      v.number = i;
      return v;
    }
    case Type::kInt:
      v.number = parse_int(text, name);
      return v;
    case Type::kFloat: {
      bool ok = !text.empty();
      for (char c : text) ok = ok && c != '\0' && std::strchr("0123456789.eE+-", c) != nullptr;
      double d = 0.0;
      if (!ok || !detail::parse_c_double(text, d)) bad(name, "'" + text + "' is not a decimal number");
      // Beyond float range this becomes +-Inf, which check() then refuses.
      v.number = static_cast<float>(d);
      return v;
    }
    case Type::kBool:
      if (text != "true" && text != "false") bad(name, "'" + text + "' is not true or false");
      v.number = text == "true";
      return v;
    case Type::kSeed: {
      uint64_t m = 0;
      bool neg = false;
      if (!parse_decimal(text, false, 0, UINT64_MAX, m, neg))
        bad(name, "'" + text + "' is not an unsigned 64-bit decimal integer");
      v.seed = m;
      return v;
    }
    case Type::kIntList: {
      if (text.empty()) return v;  // check() decides whether an empty list is allowed
      size_t start = 0;
      while (true) {
        const size_t comma = text.find(',', start);
        const size_t stop = comma == std::string::npos ? text.size() : comma;
        if (stop == start) bad(name, "'" + text + "' has an empty entry; expected e.g. '64,32'");
        v.list.push_back(parse_int(text.substr(start, stop - start), name));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return v;
    }
  }
  return v;
}

Value from_slot(const Field& f, double slot) {
  Value v;
  auto integral = [&](double lo, double hi) {
    if (!(std::isfinite(slot) && slot == std::floor(slot) && slot >= lo && slot <= hi))
      bad(f.name, "must be an integer in [" + number_text(lo) + ", " + number_text(hi) +
                      "], got " + number_text(slot));
  };
  switch (f.type) {
    case Type::kEnum: {
      int n = 0;
      while (!choice_name(f, n).empty()) ++n;
      integral(0, n - 1);
      break;
    }
    case Type::kInt: integral(INT32_MIN, INT32_MAX); break;
    case Type::kBool: integral(0, 1); break;
    case Type::kSeed:
      integral(0, 9007199254740991.0);
      v.seed = static_cast<uint64_t>(slot);
      return v;
    case Type::kFloat: break;  // check() refuses what is not finite
    case Type::kIntList: bad(f.name, "a list cannot travel in a slot");
  }
  v.number = slot;
  return v;
}

}  // namespace rnnlab::schema
