#include "model/network.h"

#include <cstring>

#include "core/cold.h"
#include "core/init.h"
#include "model/dense_head.h"

namespace rnnlab {

RNNLAB_COLD void Network::declare_head(int o, int h) {
  outputs = o, hidden = h;
  head_w = params.declare("head.weight", {o, h});
  head_b = params.declare("head.bias", {o});
}

void Network::init_head(Rng& rng) {
  glorot_uniform(rng, outputs, hidden, params.value(head_w), hidden);
}

void Network::head_forward(const float* x, int n, float* y) {
  if (n == 1) {
    const float* w = params.value(head_w);
    std::memcpy(y, params.value(head_b), outputs * sizeof(float));
    head_op.prepare(kernels::active(), true, hidden, outputs, w, params.version());
    head_op.multiply(1, x, hidden, 1.0f, y, outputs);
    return;
  }
  dense_forward(kernels::active(), x, n, hidden, outputs, params.value(head_w),
                params.value(head_b), y);
}

void Network::head_backward(const float* x, const float* dy, int n, float* dx) {
  dense_backward(kernels::active(), x, dy, n, hidden, outputs, params.value(head_w),
                 params.grad(head_w), params.grad(head_b), dx);
}

}  // namespace rnnlab
