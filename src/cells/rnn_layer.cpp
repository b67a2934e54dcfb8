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
    over_rows(true, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_;
      for (int t = 0; t < T_; ++t) {
        float* pre = step(gates_, H_, t) + o;
        fwd_op_[0].multiply(nb, h(t) + o, H_, 1.0f, pre, H_);
        k_->rnn_forward(nb * H_, pre, h_mut(t + 1) + o);
      }
    });
  }

  void backward_steps(const float* dh_out, float* grad_norms) override {
    bwd_op_[0].prepare(*k_, false, H_, H_, params_.value(w_hh_), params_.version());
    over_rows(!grad_norms, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_, n = static_cast<size_t>(nb) * H_;
      float* dh = dh_.data() + o;
      for (int t = T_ - 1; t >= 0; --t) {
        take_output_grad(t, dh_out, dh, o, n, grad_norms);
        float* dpre = step(dgates_, H_, t) + o;
        k_->rnn_backward(nb * H_, h(t + 1) + o, dh, dpre);
        bwd_op_[0].multiply(nb, dpre, H_, 0.0f, dh, H_);
      }
    });
    recurrent_side_grads(dgates_.data());
  }
};

}  // namespace

std::unique_ptr<RecurrentLayer> make_rnn_layer(int input_size, int hidden, Parameters& params,
                                               const std::string& prefix, int index) {
  return std::make_unique<RnnLayer>(input_size, hidden, params, prefix, index);
}

}  // namespace rnnlab
