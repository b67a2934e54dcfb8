// Vanilla (Elman) RNN, torch.nn.RNN with tanh: h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
#include "cells/cells.h"

namespace rnnlab {
namespace {

class RnnLayer final : public RecurrentLayer {
 public:
  RnnLayer(int input_size, int hidden, Parameters& params, const std::string& prefix, int index)
      : RecurrentLayer(input_size, hidden, 1, params, prefix, index) {}

 private:
  void input_bias(float* bias) const override {
    const float *bi = params_.value(b_ih_), *bh = params_.value(b_hh_);
    for (int g = 0; g < H_; ++g) bias[g] = bi[g] + bh[g];
  }

  void forward_steps() override {
    fwd_op_[0].prepare(*k_, true, H_, H_, params_.value(w_hh_), params_.version());
    for (int t = 0; t < T_; ++t) {
      float* pre = step(gates_, H_, t);
      fwd_op_[0].multiply(B_, h(t), H_, 1.0f, pre, H_);
      k_->rnn_forward(B_ * H_, pre, h_mut(t + 1));
    }
  }

  void backward_steps(const float* dh_out, float* grad_norms) override {
    const size_t state = static_cast<size_t>(B_) * H_;
    bwd_op_[0].prepare(*k_, false, H_, H_, params_.value(w_hh_), params_.version());
    float* dh = dh_.data();
    for (int t = T_ - 1; t >= 0; --t) {
      if (dh_out)
        for (size_t i = 0; i < state; ++i) dh[i] += dh_out[t * state + i];
      if (grad_norms) grad_norms[t] = row_norm(dh);
      float* dpre = step(dgates_, H_, t);
      k_->rnn_backward(B_ * H_, h(t + 1), dh, dpre);
      bwd_op_[0].multiply(B_, dpre, H_, 0.0f, dh, H_);
    }
    recurrent_side_grads(dgates_.data());
  }
};

}  // namespace

std::unique_ptr<RecurrentLayer> make_rnn_layer(int input_size, int hidden, Parameters& params,
                                               const std::string& prefix, int index) {
  return std::make_unique<RnnLayer>(input_size, hidden, params, prefix, index);
}

}  // namespace rnnlab
