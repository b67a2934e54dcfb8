// All trainable parameters of a model in one allocation, carved into named views
// (llm.c style): the optimizer, clipping, saving and counting each see one flat array.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rnnlab/error.h"
#include "rnnlab/tensor.h"

namespace rnnlab {

struct ParamInfo {
  std::string name;        // PyTorch name, e.g. "weight_ih_l0"
  std::vector<int> shape;  // PyTorch shape, e.g. [4H, I]
  size_t offset = 0;
  size_t size = 0;
};

class Parameters {
 public:
  // Declare before allocate(); returns the tensor's index.
  int declare(const std::string& name, std::vector<int> shape);
  // Sizes the value and gradient arrays (zeroed). Throws kTooLarge above kMaxParameters.
  void allocate();

  float* value(int index) { return values_.data() + info_[index].offset; }
  const float* value(int index) const { return values_.data() + info_[index].offset; }
  float* grad(int index) { return grads_.data() + info_[index].offset; }
  const ParamInfo& info(int index) const { return info_[index]; }
  int find(const std::string& name) const;  // -1 if absent

  std::vector<float>& values() { return values_; }
  const std::vector<float>& values() const { return values_; }
  std::vector<float>& grads() { return grads_; }
  const std::vector<ParamInfo>& infos() const { return info_; }
  size_t count() const { return total_; }
  void zero_grads();

  // Bumped whenever values may have changed (allocation, import, an optimizer step, write
  // access from outside): layouts derived from the weights (packed W_hh) are cached per version.
  uint64_t version() const { return version_; }
  void touch() { ++version_; }

  // Named copies of every tensor, in declaration order.
  std::vector<NamedTensor> export_named() const;
  // Checks every name, shape and value first (so a bad entry changes nothing), then copies
  // bit-exactly. require_all: every declared tensor must be present.
  void import_named(const std::vector<NamedTensor>& weights, bool require_all);
  // import_named's checks alone. They need only the declarations, so they can run before
  // allocate(): weights from outside are refused before any memory is sized by them.
  void check_named(const std::vector<NamedTensor>& weights, bool require_all) const;
  // import_named's copy alone, for weights check_named has passed (after allocate()).
  void copy_checked(const std::vector<NamedTensor>& weights);

 private:
  std::vector<ParamInfo> info_;
  std::vector<float> values_, grads_;
  size_t total_ = 0;
  uint64_t version_ = 0;
};

}  // namespace rnnlab
