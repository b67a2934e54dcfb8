// Numbers as text in the C locale (core/c_numbers.h).
#include "core/c_numbers.h"

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <locale.h>

namespace rnnlab::detail {
namespace {

// Runs the body under the "C" locale on this thread only (other threads and the host's own
// setlocale are untouched).
class CLocaleScope {
 public:
  CLocaleScope() : previous_(c_locale() ? uselocale(c_locale()) : nullptr) {}
  ~CLocaleScope() {
    if (previous_) uselocale(previous_);
  }
  CLocaleScope(const CLocaleScope&) = delete;
  CLocaleScope& operator=(const CLocaleScope&) = delete;

 private:
  static locale_t c_locale() {
    static const locale_t c = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    return c;
  }
  locale_t previous_;
};

}  // namespace

bool parse_c_double(const std::string& text, double& value) {
  if (text.empty() || std::strlen(text.c_str()) != text.size()) return false;  // no NUL inside
  CLocaleScope c;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  value = v;
  return true;
}

std::string format_c_g(double value, int precision) {
  char buffer[64];
  CLocaleScope c;
  const int n = std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
  return std::string(buffer, n > 0 ? static_cast<size_t>(n) : 0);
}

std::string format_float_shortest(float value) {
  std::string s;
  for (int precision = 1; precision <= 9; ++precision) {
    s = format_c_g(static_cast<double>(value), precision);
    double back = 0.0;
    float f = 0.0f;
    if (parse_c_double(s, back)) f = static_cast<float>(back);
    if (std::memcmp(&f, &value, sizeof f) == 0) break;
  }
  return s;
}

}  // namespace rnnlab::detail
