#include "kernels/scratch.h"

#include <vector>

namespace rnnlab::kernels {

float* scratch(Scratch which, size_t n) {
  thread_local std::vector<float> buffers[static_cast<int>(Scratch::kCount)];
  std::vector<float>& b = buffers[static_cast<int>(which)];
  if (b.size() < n) b.resize(n);
  return b.data();
}

}  // namespace rnnlab::kernels
