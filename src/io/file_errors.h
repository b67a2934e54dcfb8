// The error of every malformed model file: kBadModelFile naming the field at fault.
#pragma once

#include <string>

#include "rnnlab/error.h"

namespace rnnlab::io {

[[noreturn]] inline void bad_file(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kBadModelFile, field, message);
}

}  // namespace rnnlab::io
