// Numbers as text in the C syntax, whatever the locale, without iostreams or libc's strtod and
// printf: the wasm module then links none of libc++'s locale and stream machinery, nor
// printf's formatter or the software long double both use (c_numbers.cpp: exact big-integer
// arithmetic; tests/schema_test.cpp checks it against strtod, printf and <charconv>).
#pragma once

#include <string>

namespace rnnlab::detail {

// The whole of `text` as a number in strtod's C syntax (decimal, exponent, hex, inf/nan):
// false if it is empty or anything is left over. Correctly rounded; +-HUGE_VAL on overflow.
bool parse_c_double(const std::string& text, double& value);

// printf's "%.*g" in the C locale ("0.1", "1e-05", "inf").
std::string format_c_g(double value, int precision = 6);

// The shortest "%.*g" text (1 to 9 significant digits) that reads back to the same float
// bits: "0.1" stays "0.1", and every finite float round-trips exactly.
std::string format_float_shortest(float value);

}  // namespace rnnlab::detail
