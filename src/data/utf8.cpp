// Strict UTF-8 (RFC 3629, Unicode table 3-7). Strictness matters: a lenient decoder would
// give one character several encodings and so several vocabulary ids.
#include <cstdint>
#include <string>

#include "core/require.h"
#include "data/checks.h"
#include "rnnlab/data.h"
#include "rnnlab/error.h"

namespace rnnlab::data {
namespace {

std::string hex(unsigned value, int digits) {
  static const char* const kDigits = "0123456789ABCDEF";
  std::string s(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, value >>= 4) s[static_cast<size_t>(i)] = kDigits[value & 15];
  return s;
}

// Sequence length and the allowed range of the second byte for a lead byte (0: invalid).
// The narrowed ranges after E0, ED, F0 and F4 exclude overlongs, surrogates and > U+10FFFF.
int sequence_length(unsigned char lead, unsigned char& lo, unsigned char& hi) {
  lo = 0x80;
  hi = 0xBF;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
    return 4;
  }
  return 0;
}

[[noreturn]] void bad_byte(const char* field, size_t offset, unsigned char byte, const char* why) {
  throw Error(ErrorCode::kInvalidConfig, field,
              "invalid UTF-8 at byte " + std::to_string(offset) + " (0x" + hex(byte, 2) + "): " + why);
}

// Decodes the sequence at text[i] and advances i past it.
char32_t decode_one(const std::string& text, size_t& i, const char* field) {
  const auto lead = static_cast<unsigned char>(text[i]);
  unsigned char lo, hi;
  const int len = sequence_length(lead, lo, hi);
  if (len == 0) bad_byte(field, i, lead, "not a valid lead byte");
  if (len == 1) return text[i++] & 0x7F;
  char32_t cp = lead & (0x7F >> len);  // the lead keeps 7 - len payload bits
  for (int k = 1; k < len; ++k) {
    if (i + k >= text.size()) bad_byte(field, i, lead, "sequence truncated by the end of the text");
    const auto b = static_cast<unsigned char>(text[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
      bad_byte(field, i + k, b, "not a valid continuation byte");
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<size_t>(len);
  return cp;
}

}  // namespace

std::string detail::code_point_name(char32_t c) {
  int digits = 4;
  while (digits < 8 && (static_cast<uint32_t>(c) >> (4 * digits)) != 0) ++digits;
  return "U+" + hex(static_cast<unsigned>(c), digits);
}

std::u32string decode_utf8(const std::string& text, const char* field) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) out.push_back(decode_one(text, i, field));
  return out;
}

std::string encode_utf8(const std::u32string& code_points, const char* field) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t c : code_points) {
    RNNLAB_REQUIRE(c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF), field,
                   detail::code_point_name(c) + " is not a Unicode scalar value");
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

}  // namespace rnnlab::data
