// Numbers as text in the C locale, without iostreams: the wasm module then links none of
// libc++'s locale and stream machinery (about a third of its code). strtod and snprintf are
// correctly rounded in glibc and musl (Emscripten); they follow the thread's locale natively,
// so both run under the "C" locale (uselocale), whatever the host program set.
#pragma once

#include <string>

namespace rnnlab::detail {

// The whole of `text` as a number in C syntax (strtod: decimal, exponent, hex, inf/nan):
// false if it is empty or anything is left over. Correctly rounded; +-HUGE_VAL on overflow.
bool parse_c_double(const std::string& text, double& value);

// printf's "%.*g" in the C locale ("0.1", "1e-05", "inf").
std::string format_c_g(double value, int precision = 6);

// The shortest "%.*g" text (1 to 9 significant digits) that reads back to the same float
// bits: "0.1" stays "0.1", and every finite float round-trips exactly.
std::string format_float_shortest(float value);

}  // namespace rnnlab::detail
