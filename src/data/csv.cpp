// `date,value` CSV: the format of the bundled time series (data/timeseries/*.csv).
#include <cmath>
#include <string>

#include "core/c_numbers.h"
#include "core/require.h"
#include "rnnlab/data.h"
#include "rnnlab/error.h"

namespace rnnlab::data {
namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Quoted, and cut short, so a binary file does not flood the message.
std::string quoted(const std::string& s) {
  return "'" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "'";
}

[[noreturn]] void bad_line(size_t line, const std::string& why,
                           ErrorCode code = ErrorCode::kInvalidConfig) {
  throw Error(code, "csv", "line " + std::to_string(line) + ": " + why);
}

// Doubles at or beyond this round to infinity as floats: the midpoint between FLT_MAX and
// 2^128 (a tie goes to the even neighbour, 2^128). Anything below rounds to a finite float,
// FLT_MAX included for values a little above it: "3.40282347e+38", how C and JS print FLT_MAX
// with 9 digits, is such a value (refused before: the fuzz harness's CSV round trip found it).
constexpr double kFloatOverflow = 0x1.ffffffp+127;

// C's syntax, as strtod reads it (decimal, exponent, hex; core/c_numbers); the whole field must
// be consumed and the number must be finite as a float, or the model would train on Inf.
float parse_value(const std::string& field, size_t line) {
  if (field.empty()) bad_line(line, "the value is empty");
  double v = 0.0;
  if (!detail::parse_c_double(field, v)) bad_line(line, "value " + quoted(field) + " is not a number");
  if (!std::isfinite(v) || std::fabs(v) >= kFloatOverflow)
    bad_line(line, "value " + quoted(field) + " is not a finite float", ErrorCode::kNonFiniteData);
  return static_cast<float>(v);
}

void parse_row(const std::string& row, size_t line, DatedSeries& out) {
  const size_t comma = row.find(',');
  if (row.empty()) bad_line(line, "empty line");
  if (comma == std::string::npos || row.find(',', comma + 1) != std::string::npos)
    bad_line(line, "expected two fields 'date,value', got " + quoted(row));
  const std::string date = trim(row.substr(0, comma));
  if (date.empty()) bad_line(line, "the date is empty");
  out.values.push_back(parse_value(trim(row.substr(comma + 1)), line));
  out.dates.push_back(date);
}

}  // namespace

DatedSeries parse_date_value_csv(const std::string& text) {
  DatedSeries out;
  size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 BOM is not data
  for (size_t line = 1; pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string row = text.substr(pos, end - pos);
    if (!row.empty() && row.back() == '\r') row.pop_back();
    pos = end + 1;
    if (line > 1) {
      parse_row(row, line, out);
    } else if (trim(row) != "date,value") {
      bad_line(line, "expected the header 'date,value', got " + quoted(row));
    }
  }
  RNNLAB_REQUIRE(!out.values.empty(), "csv", "has no data rows after the 'date,value' header");
  return out;
}

}  // namespace rnnlab::data
