// Numbers as text in the C locale (core/c_numbers.h), computed exactly with a small big-integer
// type instead of libc's strtod / snprintf: those work in long double, which wasm emulates in
// software (__multf3, __divtf3...), and printf brings its whole formatter (about 7.5 KB of the
// wasm module gzipped; README.md, "Where the bytes go"). Same code natively and in wasm.
#include "core/c_numbers.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace rnnlab::detail {
namespace {

// A non-negative integer in base 2^32, least significant limb first. The largest this file
// builds is below 2^5000 (800 digits times 2^1127, or 2^1024 times 10^1131).
class Big {
 public:
  explicit Big(uint64_t v = 0) {
    if (v) limbs_[n_++] = static_cast<uint32_t>(v);
    if (v >> 32) limbs_[n_++] = static_cast<uint32_t>(v >> 32);
  }
  bool zero() const { return n_ == 0; }
  void mul_add(uint32_t m, uint32_t add = 0) {
    uint64_t carry = add;
    for (size_t i = 0; i < n_; ++i) {
      const uint64_t t = static_cast<uint64_t>(limbs_[i]) * m + carry;
      limbs_[i] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    if (carry && n_ < kLimbs) limbs_[n_++] = static_cast<uint32_t>(carry);
  }
  void mul_pow(uint32_t base, int n) {  // *= base^n, base 2, 5 or 10
    const uint32_t chunk = base == 2 ? (1u << 31) : base == 5 ? 1220703125u : 1000000000u;
    const int per = base == 2 ? 31 : base == 5 ? 13 : 9;
    for (; n >= per; n -= per) mul_add(chunk);
    uint32_t rest = 1;
    while (n-- > 0) rest *= base;
    if (rest != 1) mul_add(rest);
  }
  uint32_t divmod(uint32_t d) {  // /= d, returns the remainder
    uint64_t rem = 0;
    for (size_t i = n_; i-- > 0;) {
      const uint64_t cur = (rem << 32) | limbs_[i];
      limbs_[i] = static_cast<uint32_t>(cur / d);
      rem = cur % d;
    }
    while (n_ > 0 && limbs_[n_ - 1] == 0) --n_;
    return static_cast<uint32_t>(rem);
  }
  friend int compare(const Big& a, const Big& b) {
    if (a.n_ != b.n_) return a.n_ < b.n_ ? -1 : 1;
    for (size_t i = a.n_; i-- > 0;)
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    return 0;
  }
  // The decimal digits, most significant first ("" for zero).
  std::string decimal() const {
    Big t = *this;
    std::string s;  // least significant first
    while (!t.zero()) {
      uint32_t r = t.divmod(1000000000u);
      for (int i = 0; i < 9; ++i, r /= 10) s += static_cast<char>('0' + r % 10);
    }
    while (!s.empty() && s.back() == '0') s.pop_back();  // the last chunk's leading zeros
    return std::string(s.rbegin(), s.rend());
  }

 private:
  static constexpr size_t kLimbs = 160;
  uint32_t limbs_[kLimbs];
  size_t n_ = 0;
};

// A finite double >= 0 as m * 2^e with an integer m (< 2^53); 2^1024 for +inf, the neighbour
// above DBL_MAX when rounding.
void split(double v, uint64_t& m, int& e) {
  if (std::isinf(v)) {
    m = 1, e = 1024;
    return;
  }
  int ex = 0;
  const double f = std::frexp(v, &ex);
  m = static_cast<uint64_t>(std::ldexp(f, 53));
  e = ex - 53;
}

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
int lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const int l = lower(c);
  return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}
// Whether s starts with the lower-case word w, in any case.
bool starts_with_word(const char* s, const char* w) {
  for (; *w; ++s, ++w)
    if (lower(*s) != *w) return false;
  return true;
}

// An optional signed decimal exponent after 'e' / 'p' at s (advanced past it only if valid).
bool read_exponent(const char*& s, long& exponent) {
  const char* p = s + 1;
  const bool negative = *p == '-';
  if (*p == '+' || *p == '-') ++p;
  if (*p < '0' || *p > '9') return false;
  long x = 0;
  for (; *p >= '0' && *p <= '9'; ++p) x = x < 100000000 ? x * 10 + (*p - '0') : x;
  exponent = negative ? -x : x;
  s = p;
  return true;
}

// Hex digits (and a '.') at s, then an optional binary exponent: correctly rounded.
double read_hex(const char*& s, bool& any) {
  uint64_t mant = 0;
  long exponent = 0;
  bool sticky = false, point = false;
  for (;; ++s) {
    if (*s == '.' && !point) {
      point = true;
      continue;
    }
    const int d = hex_value(*s);
    if (d < 0) break;
    any = true;
    if (mant >> 60 == 0) {
      mant = mant << 4 | static_cast<unsigned>(d);
      if (point) exponent -= 4;
    } else {
      sticky = sticky || d != 0;
      if (!point) exponent += 4;
    }
  }
  if (!any) return 0.0;
  long e = 0;
  if ((*s == 'p' || *s == 'P') && read_exponent(s, e)) exponent += e;
  if (mant == 0) return 0.0;
  if (exponent > 5000) return std::numeric_limits<double>::infinity();
  if (exponent < -5000) return 0.0;
  while (!(mant >> 63)) mant <<= 1, --exponent;  // the value is mant * 2^exponent, mant >= 2^63
  const long top = exponent + 63;                // its binary exponent
  if (top > 1023) return std::numeric_limits<double>::infinity();
  const long keep = top >= -1022 ? 53 : 53 - (-1022 - top);  // bits a (subnormal) double holds
  if (keep <= 0) {  // below the smallest subnormal 2^-1074: at or under half of it?
    const bool above_half = top == -1075 && (sticky || mant != (uint64_t{1} << 63));
    return above_half ? std::ldexp(1.0, -1074) : 0.0;
  }
  const int shift = static_cast<int>(64 - keep);
  uint64_t kept = mant >> shift;
  const uint64_t rem = mant & ((uint64_t{1} << shift) - 1), half = uint64_t{1} << (shift - 1);
  if (rem > half || (rem == half && (sticky || (kept & 1)))) ++kept;
  return std::ldexp(static_cast<double>(kept), static_cast<int>(exponent + shift));
}

// digits (no leading zeros, at least one) * 10^exponent compared with m * 2^e.
int compare_exact(const std::string& digits, long exponent, uint64_t m, long e) {
  Big lhs, rhs(m);
  for (char c : digits) lhs.mul_add(10, static_cast<uint32_t>(c - '0'));
  if (exponent >= 0) lhs.mul_pow(10, static_cast<int>(exponent));
  else rhs.mul_pow(10, static_cast<int>(-exponent));
  if (e >= 0) rhs.mul_pow(2, static_cast<int>(e));
  else lhs.mul_pow(2, static_cast<int>(-e));
  return compare(lhs, rhs);
}

// digits * 10^exponent compared with the midpoint of a < b (neighbouring doubles >= 0).
int compare_midpoint(const std::string& digits, long exponent, double a, double b) {
  uint64_t ma = 0, mb = 0;
  int ea = 0, eb = 0;
  split(a, ma, ea);
  split(b, mb, eb);
  if (a == 0) ea = eb;
  const int e = ea < eb ? ea : eb;
  return compare_exact(digits, exponent, (ma << (ea - e)) + (mb << (eb - e)), e - 1);
}

bool even(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return !(bits & 1);
}

// Decimal digits (and a '.') at s, then an optional exponent: correctly rounded.
double read_decimal(const char*& s, bool& any) {
  std::string digits;  // significant digits, at most kMaxDigits, then a sticky '1'
  constexpr size_t kMaxDigits = 800;  // more than any halfway point between doubles needs
  long exponent = 0;
  bool point = false, dropped = false;
  for (;; ++s) {
    if (*s == '.' && !point) {
      point = true;
      continue;
    }
    if (*s < '0' || *s > '9') break;
    any = true;
    if (digits.empty() && *s == '0') {
      if (point) --exponent;
      continue;
    }
    if (digits.size() < kMaxDigits) {
      digits += *s;
      if (point) --exponent;
    } else {
      dropped = dropped || *s != '0';
      if (!point) ++exponent;
    }
  }
  if (!any) return 0.0;
  long e = 0;
  if ((*s == 'e' || *s == 'E') && read_exponent(s, e)) exponent += e;
  if (digits.empty()) return 0.0;
  if (dropped) digits += '1', --exponent;
  const long magnitude = exponent + static_cast<long>(digits.size());  // value < 10^magnitude
  if (magnitude > 310) return std::numeric_limits<double>::infinity();
  if (magnitude < -330) return 0.0;
  // Exact operands, one rounding: correctly rounded (Clinger's fast path).
  static const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  uint64_t head = 0;
  const size_t used = digits.size() < 19 ? digits.size() : 19;
  for (size_t i = 0; i < used; ++i) head = head * 10 + static_cast<uint64_t>(digits[i] - '0');
  if (digits.size() <= 15 && exponent >= -22 && exponent <= 22)
    return exponent >= 0 ? static_cast<double>(head) * kPow10[exponent]
                         : static_cast<double>(head) / kPow10[-exponent];
  // Otherwise an estimate within a few units in the last place, then exact comparisons with
  // the midpoints to its neighbours move it to the correctly rounded double.
  long k = exponent + static_cast<long>(digits.size() - used);
  double c = static_cast<double>(head);
  for (; k > 22; k -= 22) c *= 1e22;
  for (; k < -22; k += 22) c /= 1e22;
  c = k >= 0 ? c * kPow10[k] : c / kPow10[-k];
  const double inf = std::numeric_limits<double>::infinity();
  if (c == inf) c = std::numeric_limits<double>::max();
  for (;;) {
    const double up = std::nextafter(c, inf);
    const int above = compare_midpoint(digits, exponent, c, up);
    if (above > 0 || (above == 0 && !even(c))) {
      if (up == inf) return inf;
      c = up;
      continue;
    }
    if (c == 0) return c;
    const double down = std::nextafter(c, 0.0);
    const int below = compare_midpoint(digits, exponent, down, c);
    if (below < 0 || (below == 0 && !even(c))) {
      c = down;
      continue;
    }
    return c;
  }
}

// strtod's syntax in the C locale; end is where the number stops (s if there is none).
double c_strtod(const char* s, const char** end) {
  const char* start = s;
  while (is_space(*s)) ++s;
  const bool negative = *s == '-';
  if (*s == '+' || *s == '-') ++s;
  double v = 0.0;
  bool any = false;
  if (starts_with_word(s, "inf")) {
    s += starts_with_word(s, "infinity") ? 8 : 3;
    v = std::numeric_limits<double>::infinity(), any = true;
  } else if (starts_with_word(s, "nan")) {
    s += 3;
    if (*s == '(') {
      const char* p = s + 1;
      while ((*p >= '0' && *p <= '9') || (lower(*p) >= 'a' && lower(*p) <= 'z') || *p == '_') ++p;
      if (*p == ')') s = p + 1;
    }
    v = std::numeric_limits<double>::quiet_NaN(), any = true;
  } else if (s[0] == '0' && lower(s[1]) == 'x' && (hex_value(s[2]) >= 0 || (s[2] == '.' && hex_value(s[3]) >= 0))) {
    s += 2;
    v = read_hex(s, any);
  } else {
    v = read_decimal(s, any);
  }
  *end = any ? s : start;
  return negative ? -v : v;
}

// The exact decimal digits of a finite double > 0 and the exponent x of the first one:
// v = d1.d2d3... * 10^x.
std::string exact_digits(double v, long& x) {
  uint64_t m = 0;
  int e = 0;
  split(v, m, e);
  Big n(m);
  if (e >= 0) n.mul_pow(2, e);
  else n.mul_pow(5, -e);  // m * 2^e = m * 5^-e / 10^-e
  const std::string d = n.decimal();
  x = static_cast<long>(d.size()) - 1 + (e < 0 ? e : 0);
  return d;
}

}  // namespace

bool parse_c_double(const std::string& text, double& value) {
  if (text.empty() || std::strlen(text.c_str()) != text.size()) return false;  // no NUL inside
  const char* end = nullptr;
  const double v = c_strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  value = v;
  return true;
}

std::string format_c_g(double value, int precision) {
  const bool negative = std::signbit(value);
  if (std::isnan(value)) return negative ? "-nan" : "nan";
  if (std::isinf(value)) return negative ? "-inf" : "inf";
  if (value == 0) return negative ? "-0" : "0";
  const size_t p = precision < 1 ? 1 : static_cast<size_t>(precision);
  long x = 0;
  std::string d = exact_digits(std::fabs(value), x);
  // Round to p significant digits, ties to even (the digits are exact).
  if (d.size() > p) {
    const char next = d[p];
    const bool rest = d.find_first_not_of('0', p + 1) != std::string::npos;
    const bool up = next > '5' || (next == '5' && (rest || (d[p - 1] - '0') % 2 == 1));
    d.resize(p);
    if (up) {
      size_t i = p;
      while (i > 0 && d[i - 1] == '9') d[--i] = '0';
      if (i == 0) d.insert(d.begin(), '1'), d.pop_back(), ++x;
      else ++d[i - 1];
    }
  }
  while (d.size() > 1 && d.back() == '0') d.pop_back();
  std::string s = negative ? "-" : "";
  if (x < -4 || x >= static_cast<long>(p)) {  // d.ddde+XX
    s += d[0];
    if (d.size() > 1) s += '.' + d.substr(1);
    s += x < 0 ? "e-" : "e+";
    const long ax = x < 0 ? -x : x;
    if (ax < 10) s += '0';
    s += std::to_string(ax);
  } else if (x < 0) {  // 0.000ddd
    s += "0." + std::string(static_cast<size_t>(-x - 1), '0') + d;
  } else {  // ddd.ddd
    const size_t whole = static_cast<size_t>(x) + 1;
    if (d.size() <= whole) s += d + std::string(whole - d.size(), '0');
    else s += d.substr(0, whole) + '.' + d.substr(whole);
  }
  return s;
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
