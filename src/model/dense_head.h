// The dense output layer y = x W^T + b over rows, as torch.nn.Linear (W is [O, H]).
#pragma once

#include "rnnlab/kernels.h"

namespace rnnlab {

// x [n, H] -> y [n, O].
void dense_forward(const kernels::KernelSet& k, const float* x, int n, int H, int O,
                   const float* w, const float* b, float* y);
// Accumulates dW [O, H] += dy^T x and db [O] += column sums of dy; writes dx [n, H] = dy W.
void dense_backward(const kernels::KernelSet& k, const float* x, const float* dy, int n, int H,
                    int O, const float* w, float* dw, float* db, float* dx);

}  // namespace rnnlab
