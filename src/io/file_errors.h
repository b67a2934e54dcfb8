// Error helpers shared by the model file sources.
#pragma once

#include <string>

#include "rnnlab/error.h"
#include "rnnlab/model_file.h"

namespace rnnlab::io {

[[noreturn]] inline void bad_file(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kBadModelFile, field, message);
}

// An Error's message without its "field: " prefix, for re-raising it under another field.
inline std::string message_of(const Error& e) { return detail::message_without_field(e); }

}  // namespace rnnlab::io
