#include "core/buffer.h"

#include <algorithm>

namespace rnnlab {

void Buffer::zero(size_t n) {
  ensure(n);
  std::fill(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(n), 0.0f);
}

}  // namespace rnnlab
