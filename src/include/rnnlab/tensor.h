// Small owning tensor used at the API boundary (weights, introspection results).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rnnlab {

struct Tensor {
  std::vector<int> shape;
  std::vector<float> data;

  Tensor() = default;
  Tensor(std::vector<int> s, std::vector<float> d) : shape(std::move(s)), data(std::move(d)) {}
  explicit Tensor(std::vector<int> s) : shape(std::move(s)), data(numel(shape), 0.0f) {}

  static size_t numel(const std::vector<int>& shape) {
    size_t n = 1;
    for (int d : shape) n *= static_cast<size_t>(d);
    return n;
  }
  size_t size() const { return data.size(); }
};

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

// "[32, 4]" for error messages.
std::string shape_string(const std::vector<int>& shape);

}  // namespace rnnlab
