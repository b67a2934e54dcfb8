// RNNLAB_REQUIRE: the library's argument checks (internal; callers see rnnlab::Error).
#pragma once

#include <string>

#include "rnnlab/error.h"

namespace rnnlab {

[[noreturn]] inline void fail(const char* field, const std::string& message,
                              ErrorCode code = ErrorCode::kInvalidConfig) {
  throw Error(code, field, message);
}

}  // namespace rnnlab

// Throws rnnlab::Error(code = kInvalidConfig, field, message) unless cond holds. The message
// expression is only evaluated on failure, so checks cost nothing (and allocate nothing) on
// the hot path.
#define RNNLAB_REQUIRE(cond, field, ...)              \
  do {                                                \
    if (!(cond)) ::rnnlab::fail(field, __VA_ARGS__);  \
  } while (0)
