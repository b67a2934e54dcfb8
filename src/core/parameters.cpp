#include "core/parameters.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/require.h"
#include "rnnlab/config.h"

namespace rnnlab {

int Parameters::declare(const std::string& name, std::vector<int> shape) {
  ParamInfo p;
  p.name = name;
  p.size = Tensor::numel(shape);
  p.shape = std::move(shape);
  p.offset = total_;
  total_ += p.size;
  info_.push_back(std::move(p));
  return static_cast<int>(info_.size()) - 1;
}

void Parameters::allocate() {
  if (total_ > static_cast<size_t>(kMaxParameters))
    throw Error(ErrorCode::kTooLarge, "hidden_sizes",
                "the model would have " + std::to_string(total_) + " parameters, above the cap of " +
                    std::to_string(kMaxParameters) + " (" +
                    std::to_string(kMaxParameters * 16 / (1024 * 1024)) +
                    " MB with gradients and optimizer state); use fewer or smaller layers");
  values_.assign(total_, 0.0f);
  grads_.assign(total_, 0.0f);
  touch();
}

int Parameters::find(const std::string& name) const {
  for (size_t i = 0; i < info_.size(); ++i)
    if (info_[i].name == name) return static_cast<int>(i);
  return -1;
}

void Parameters::zero_grads() { std::fill(grads_.begin(), grads_.end(), 0.0f); }

std::vector<NamedTensor> Parameters::export_named() const {
  std::vector<NamedTensor> out;
  out.reserve(info_.size());
  for (const ParamInfo& info : info_) {
    const float* v = values_.data() + info.offset;
    out.push_back({info.name, Tensor(info.shape, std::vector<float>(v, v + info.size))});
  }
  return out;
}

void Parameters::import_named(const std::vector<NamedTensor>& weights, bool require_all) {
  check_named(weights, require_all);
  copy_checked(weights);
}

void Parameters::copy_checked(const std::vector<NamedTensor>& weights) {
  for (const NamedTensor& w : weights)
    std::memcpy(value(find(w.name)), w.tensor.data.data(), w.tensor.data.size() * sizeof(float));
  touch();
}

void Parameters::check_named(const std::vector<NamedTensor>& weights, bool require_all) const {
  std::vector<bool> seen(info_.size(), false);
  for (const NamedTensor& w : weights) {
    int idx = find(w.name);
    RNNLAB_REQUIRE(idx >= 0, "weights", "unknown tensor '" + w.name + "'", ErrorCode::kShapeMismatch);
    const ParamInfo& info = info_[idx];
    RNNLAB_REQUIRE(!seen[idx], "weights", "tensor '" + w.name + "' is given twice",
                   ErrorCode::kShapeMismatch);
    RNNLAB_REQUIRE(w.tensor.shape == info.shape, "weights",
                   "'" + w.name + "' has shape " + shape_string(w.tensor.shape) + ", expected " +
                       shape_string(info.shape),
                   ErrorCode::kShapeMismatch);
    RNNLAB_REQUIRE(w.tensor.data.size() == info.size, "weights",
                   "'" + w.name + "' has " + std::to_string(w.tensor.data.size()) +
                       " values, expected " + std::to_string(info.size),
                   ErrorCode::kShapeMismatch);
    for (float v : w.tensor.data)
      RNNLAB_REQUIRE(std::isfinite(v), "weights", "'" + w.name + "' contains NaN or Infinity",
                     ErrorCode::kNonFiniteData);
    seen[idx] = true;
  }
  if (require_all)
    for (size_t i = 0; i < seen.size(); ++i)
      RNNLAB_REQUIRE(seen[i], "weights", "missing tensor '" + info_[i].name + "'",
                     ErrorCode::kShapeMismatch);
}

}  // namespace rnnlab
