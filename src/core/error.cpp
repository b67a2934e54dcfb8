#include "rnnlab/error.h"

namespace rnnlab {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidConfig: return "INVALID_CONFIG";
    case ErrorCode::kShapeMismatch: return "SHAPE_MISMATCH";
    case ErrorCode::kNonFiniteData: return "NON_FINITE_DATA";
    case ErrorCode::kTooLarge: return "TOO_LARGE";
    case ErrorCode::kNonFiniteLoss: return "NON_FINITE_LOSS";
    case ErrorCode::kBadModelFile: return "BAD_MODEL_FILE";
    case ErrorCode::kUnsupportedVersion: return "UNSUPPORTED_VERSION";
    case ErrorCode::kInvalidState: return "INVALID_STATE";
  }
  return "UNKNOWN";
}

std::string Error::message() const {
  std::string what = this->what();
  const std::string prefix = field_ + ": ";
  if (!field_.empty() && what.compare(0, prefix.size(), prefix) == 0) what.erase(0, prefix.size());
  return what;
}

}  // namespace rnnlab
