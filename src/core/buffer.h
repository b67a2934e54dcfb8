// A grow-only float buffer: ensure() keeps capacity, so steady-state calls never allocate.
#pragma once

#include <cstddef>
#include <vector>

namespace rnnlab {

class Buffer {
 public:
  float* data() { return v_.data(); }
  const float* data() const { return v_.data(); }
  void ensure(size_t n) {
    if (v_.size() < n) v_.resize(n);
  }
  // The first n floats set to 0 (growing first if needed).
  void zero(size_t n);
  size_t size() const { return v_.size(); }

 private:
  std::vector<float> v_;
};

}  // namespace rnnlab
