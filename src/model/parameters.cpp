#include "model/parameters.h"

#include <algorithm>

#include "rnnlab/config.h"

namespace rnnlab {

std::string shape_string(const std::vector<int>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

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
    throw Error(ErrorCode::kTooLarge, "hiddenSize",
                "the model would have " + std::to_string(total_) + " parameters, above the cap of " +
                    std::to_string(kMaxParameters) + " (" +
                    std::to_string(kMaxParameters * 16 / (1024 * 1024)) +
                    " MB with gradients and optimizer state); use fewer or smaller layers");
  values_.assign(total_, 0.0f);
  grads_.assign(total_, 0.0f);
}

int Parameters::find(const std::string& name) const {
  for (size_t i = 0; i < info_.size(); ++i)
    if (info_[i].name == name) return static_cast<int>(i);
  return -1;
}

void Parameters::zero_grads() { std::fill(grads_.begin(), grads_.end(), 0.0f); }

}  // namespace rnnlab
