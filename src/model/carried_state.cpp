#include "model/carried_state.h"

#include <cstring>

namespace rnnlab {

void CarriedState::resize(size_t layers) {
  h_.resize(layers), c_.resize(layers);
  h0_.assign(layers, nullptr), c0_.assign(layers, nullptr);
}

void CarriedState::zero(const RecurrentStack& stack, int batch) {
  for (size_t l = 0; l < stack.depth(); ++l) {
    const size_t n = static_cast<size_t>(batch) * stack.layer(l).hidden();
    h_[l].zero(n), c_[l].zero(n);
    h0_[l] = h_[l].data(), c0_[l] = c_[l].data();
  }
  batch_ = batch;
  has_ = true;
}

void CarriedState::capture(const RecurrentStack& stack, int t) {
  for (size_t l = 0; l < stack.depth(); ++l) {
    const RecurrentLayer& layer = stack.layer(l);
    const size_t n = static_cast<size_t>(stack.batch()) * layer.hidden();
    h_[l].ensure(n);
    std::memcpy(h_[l].data(), layer.h(t), n * sizeof(float));
    if (layer.has_cell_state()) {
      c_[l].ensure(n);
      std::memcpy(c_[l].data(), layer.c(t), n * sizeof(float));
    }
    h0_[l] = h_[l].data(), c0_[l] = c_[l].data();
  }
  batch_ = stack.batch();
  has_ = true;
}

}  // namespace rnnlab
