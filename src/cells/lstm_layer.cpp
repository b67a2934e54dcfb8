// LSTM, PyTorch's equations (torch.nn.LSTM):
//   i = s(W_ii x + b_ii + W_hi h + b_hi)    f = s(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = s(W_io x + b_io + W_ho h + b_ho)
//   c' = f * c + i * g                      h' = o * tanh(c')
#include <algorithm>

#include "cells/cells.h"

namespace rnnlab {
namespace {

class LstmLayer final : public RecurrentLayer {
 public:
  LstmLayer(int input_size, int hidden, Parameters& params, const std::string& prefix, int index)
      : RecurrentLayer(input_size, hidden, 4, params, prefix, index) {}

 private:
  Buffer tanh_c_;  // [T*B, H]

  void input_bias(float* bias) const override {
    const float *bi = params_.value(b_ih_), *bh = params_.value(b_hh_);
    for (int g = 0; g < 4 * H_; ++g) bias[g] = bi[g] + bh[g];
  }
  void reserve_cell(size_t rows) override { tanh_c_.ensure(rows * H_); }

  void forward_steps() override {
    const int GH = 4 * H_;
    // W_hh^T [H, 4H] prepared once for all T steps.
    fwd_op_[0].prepare(*k_, true, H_, GH, params_.value(w_hh_), params_.version());
    over_rows(true, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_;
      for (int t = 0; t < T_; ++t) {
        float* g = step(gates_, GH, t) + static_cast<size_t>(b0) * GH;
        fwd_op_[0].multiply(nb, h(t) + o, H_, 1.0f, g, GH);
        k_->lstm_forward(nb, H_, g, c(t) + o, c_mut(t + 1) + o, step(tanh_c_, H_, t) + o,
                         h_mut(t + 1) + o);
      }
    });
  }

  void backward_steps(const float* dh_out, float* grad_norms) override {
    const int GH = 4 * H_;
    const size_t state = static_cast<size_t>(B_) * H_;
    bwd_op_[0].prepare(*k_, false, GH, H_, params_.value(w_hh_), params_.version());
    // Gradient norms sum over all rows per step: then one block.
    over_rows(!grad_norms, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_, n = static_cast<size_t>(nb) * H_;
      float* dh = dh_.data() + o;
      for (int t = T_ - 1; t >= 0; --t) {
        if (dh_out)
          for (size_t i = 0; i < n; ++i) dh[i] += dh_out[t * state + o + i];
        if (grad_norms) grad_norms[t] = row_norm(dh);
        float* dg = step(dgates_, GH, t) + static_cast<size_t>(b0) * GH;
        k_->lstm_backward(nb, H_, step(gates_, GH, t) + static_cast<size_t>(b0) * GH, c(t) + o,
                          step(tanh_c_, H_, t) + o, dh, dc_.data() + o, dg);
        // dL/dh_{t-1} through the recurrent product.
        bwd_op_[0].multiply(nb, dg, GH, 0.0f, dh, H_);
      }
    });
    recurrent_side_grads(dgates_.data());
  }
};

}  // namespace

std::unique_ptr<RecurrentLayer> make_lstm_layer(int input_size, int hidden, Parameters& params,
                                                const std::string& prefix, int index) {
  return std::make_unique<LstmLayer>(input_size, hidden, params, prefix, index);
}

}  // namespace rnnlab
