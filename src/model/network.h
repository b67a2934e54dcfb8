// What Model and Seq2Seq share: every parameter in one allocation, the dense head on top of
// the recurrent stack(s), the optimizer, and the end of a training step.
#pragma once

#include <cstdint>
#include <vector>

#include "cells/recurrent_layer.h"
#include "core/parameters.h"
#include "rnnlab/rng.h"
#include "rnnlab/tensor.h"
#include "rnnlab/train.h"
#include "train/optimizer.h"
#include "train/update.h"

namespace rnnlab {

struct Network {
  Parameters params;
  int head_w = -1, head_b = -1;  // head.weight [O, H], head.bias [O]
  int outputs = 0, hidden = 0;   // O, H
  Optimizer opt;
  std::vector<float> backup;     // weights before the latest update, restored on overflow
  RecurrentOperand head_op;      // W^T [H, O] packed for one-row head products

  // Declares head.weight and head.bias (after the stacks: parameter order is file order).
  void declare_head(int outputs, int hidden);
  // Glorot-uniform head weights (zero bias), continuing the stacks' RNG stream.
  void init_head(Rng& rng);

  // y [n, O] = x [n, H] W^T + b with the active kernels. One row (batch-1 steps) multiplies
  // W^T prepared once per weight version (head_op), with the same bits as the product.
  void head_forward(const float* x, int n, float* y);
  // Accumulates the head's gradients from dy [n, O]; writes dx [n, H].
  void head_backward(const float* x, const float* dy, int n, float* dx);

  // One optimizer step after a forward whose loss is `loss`: refuses a non-finite loss
  // (nothing changed), zeroes the gradients, runs backward() to fill them, then clips and
  // updates (see train/update.h).
  template <class Backward>
  UpdateResult train_step(double loss, const TrainOptions& options, Backward&& backward) {
    check_finite_loss(loss, opt.steps());
    params.zero_grads();
    backward();
    return apply_update(params, opt, options, backup);
  }

  // Named copies of the weights / bit-exact import (all names required when require_all).
  std::vector<NamedTensor> get_weights() const { return params.export_named(); }
  void set_weights(const std::vector<NamedTensor>& w, bool require_all) {
    params.import_named(w, require_all);
  }
  // Write access for tools: the weights may change behind the version counter's back.
  std::vector<float>& values_for_writing() {
    params.touch();
    return params.values();
  }
};

}  // namespace rnnlab
