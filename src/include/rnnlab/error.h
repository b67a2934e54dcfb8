// Typed errors: every bad input becomes an rnnlab::Error naming the field at fault.
// Library code never calls abort() or exit(); the bindings turn these into JS RnnlabError.
#pragma once

#include <stdexcept>
#include <string>

namespace rnnlab {

enum class ErrorCode {
  kInvalidConfig,     // a size, name or option outside its domain
  kShapeMismatch,     // tensors whose shapes do not agree
  kNonFiniteData,     // NaN or Inf in inputs or targets
  kTooLarge,          // parameters or workspace above the memory cap
  kNonFiniteLoss,     // training diverged; weights are left at the last good step
  kBadModelFile,      // corrupt, truncated or foreign model bytes
  kUnsupportedVersion,
  kInvalidState,      // e.g. stepping before reset_state, forecasting a token model
};

// Stable upper-case name of a code ("INVALID_CONFIG", ...), shared with the JS API.
const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string field, const std::string& message)
      : std::runtime_error(field.empty() ? message : field + ": " + message),
        code_(code),
        field_(std::move(field)) {}
  ErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }
  // what() without its "field: " prefix (for re-raising under another field).
  std::string message() const;

 private:
  ErrorCode code_;
  std::string field_;
};

}  // namespace rnnlab
