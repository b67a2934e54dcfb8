// GRU in both variants users meet.
// PyTorch (torch.nn.GRU, Keras reset_after=True, ONNX linear_before_reset=1):
//   r = s(W_ir x + b_ir + W_hr h + b_hr)   z = s(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))   h' = (1 - z) * n + z * h
// Classic (Cho et al. 2014; Keras reset_after=False, TF.js): the reset gate scales h before
// the product, n = tanh(W_in x + b_in + W_hn (r * h) + b_hn), which costs a second
// recurrent product per step (it needs r first).
#include <cstring>
#include <utility>

#include "cells/cells.h"
#include "core/parallel_gemm.h"

namespace rnnlab {
namespace {

// Fills rows [B, width] (row stride ld) with a bias vector: the recurrent products then
// accumulate onto it (beta = 1).
void fill_rows(float* out, int B, int width, int ld, const float* bias) {
  for (int b = 0; b < B; ++b) std::memcpy(out + static_cast<size_t>(b) * ld, bias, width * sizeof(float));
}

class GruLayer final : public RecurrentLayer {
 public:
  GruLayer(int input_size, int hidden, Parameters& params, const std::string& prefix, int index)
      : RecurrentLayer(input_size, hidden, 3, params, prefix, index) {}

 private:
  Buffer hg_, dhg_;  // [T*B, 3H]: W_hh h + b_hh and its gradient

  void input_bias(float* bias) const override {
    std::memcpy(bias, params_.value(b_ih_), 3 * H_ * sizeof(float));
  }
  void reserve_cell(size_t rows) override { hg_.ensure(rows * 3 * H_); }

  void forward_steps() override {
    const int GH = 3 * H_;
    fwd_op_[0].prepare(*k_, true, H_, GH, params_.value(w_hh_), params_.version());
    over_rows(true, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_, og = static_cast<size_t>(b0) * GH;
      for (int t = 0; t < T_; ++t) {
        float* hg = step(hg_, GH, t) + og;
        fill_rows(hg, nb, GH, GH, params_.value(b_hh_));
        fwd_op_[0].multiply(nb, h(t) + o, H_, 1.0f, hg, GH);
        k_->gru_forward(nb, H_, step(gates_, GH, t) + og, hg, h(t) + o, h_mut(t + 1) + o);
      }
    });
  }

  void backward_steps(const float* dh_out, float* grad_norms) override {
    const int GH = 3 * H_;
    dhg_.ensure(static_cast<size_t>(T_) * B_ * GH);
    bwd_op_[0].prepare(*k_, false, GH, H_, params_.value(w_hh_), params_.version());
    over_rows(!grad_norms, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_, og = static_cast<size_t>(b0) * GH;
      const size_t n = static_cast<size_t>(nb) * H_;
      float *dh = dh_.data() + o, *next = dh_tmp_.data() + o;
      for (int t = T_ - 1; t >= 0; --t) {
        take_output_grad(t, dh_out, dh, o, n, grad_norms);
        float* dhg = step(dhg_, GH, t) + og;
        k_->gru_backward(nb, H_, step(gates_, GH, t) + og, step(hg_, GH, t) + og, h(t) + o, dh,
                         step(dgates_, GH, t) + og, dhg, next);
        bwd_op_[0].multiply(nb, dhg, GH, 1.0f, next, H_);
        std::swap(dh, next);
      }
    });
    if (T_ % 2) std::swap(dh_, dh_tmp_);  // dh0() reads dh_
    recurrent_side_grads(dhg_.data());
  }
};

class GruClassicLayer final : public RecurrentLayer {
 public:
  GruClassicLayer(int input_size, int hidden, Parameters& params, const std::string& prefix,
                  int index)
      : RecurrentLayer(input_size, hidden, 3, params, prefix, index) {}

 private:
  Buffer rh_;        // [T*B, H]: r * h_prev, the input of the second product
  Buffer hrz_, hn_;  // [B, 2H], [B, H]: per-step products
  Buffer d_rh_;      // [B, H]

  void input_bias(float* bias) const override {
    std::memcpy(bias, params_.value(b_ih_), 3 * H_ * sizeof(float));
  }
  void reserve_cell(size_t rows) override {
    rh_.ensure(rows * H_);
    hrz_.ensure(static_cast<size_t>(B_) * 2 * H_);
    hn_.ensure(static_cast<size_t>(B_) * H_);
  }
  const float* w_hn() const { return params_.value(w_hh_) + static_cast<size_t>(2) * H_ * H_; }

  void forward_steps() override {
    const int GH = 3 * H_;
    const float* b_hh = params_.value(b_hh_);
    fwd_op_[0].prepare(*k_, true, H_, 2 * H_, params_.value(w_hh_), params_.version());
    fwd_op_[1].prepare(*k_, true, H_, H_, w_hn(), params_.version());
    over_rows(true, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_;
      float *hrz = hrz_.data() + 2 * o, *hn = hn_.data() + o;
      for (int t = 0; t < T_; ++t) {
        float* g = step(gates_, GH, t) + static_cast<size_t>(b0) * GH;
        float* rh = step(rh_, H_, t) + o;
        fill_rows(hrz, nb, 2 * H_, 2 * H_, b_hh);
        fwd_op_[0].multiply(nb, h(t) + o, H_, 1.0f, hrz, 2 * H_);
        k_->gru_classic_rz(nb, H_, g, hrz, h(t) + o, rh);
        fill_rows(hn, nb, H_, H_, b_hh + 2 * H_);
        fwd_op_[1].multiply(nb, rh, H_, 1.0f, hn, H_);
        k_->gru_classic_n(nb, H_, g, hn, h(t) + o, h_mut(t + 1) + o);
      }
    });
  }

  void backward_steps(const float* dh_out, float* grad_norms) override {
    const int GH = 3 * H_;
    const size_t state = static_cast<size_t>(B_) * H_;
    d_rh_.ensure(state);
    bwd_op_[0].prepare(*k_, false, 2 * H_, H_, params_.value(w_hh_), params_.version());
    bwd_op_[1].prepare(*k_, false, H_, H_, w_hn(), params_.version());
    over_rows(!grad_norms, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_, og = static_cast<size_t>(b0) * GH;
      const size_t n = static_cast<size_t>(nb) * H_;
      float *dh = dh_.data() + o, *next = dh_tmp_.data() + o, *d_rh = d_rh_.data() + o;
      for (int t = T_ - 1; t >= 0; --t) {
        take_output_grad(t, dh_out, dh, o, n, grad_norms);
        const float* g = step(gates_, GH, t) + og;
        float* dg = step(dgates_, GH, t) + og;
        k_->gru_classic_n_backward(nb, H_, g, h(t) + o, dh, dg, next);
        // dL/d(r*h) = dn_pre W_hn, then the r half, then the [r z] product back to h.
        bwd_op_[1].multiply(nb, dg + 2 * H_, GH, 0.0f, d_rh, H_);
        k_->gru_classic_r_backward(nb, H_, g, h(t) + o, d_rh, dg, next);
        bwd_op_[0].multiply(nb, dg, GH, 1.0f, next, H_);
        std::swap(dh, next);
      }
    });
    if (T_ % 2) std::swap(dh_, dh_tmp_);  // dh0() reads dh_
    const int rows = T_ * B_;
    const float* dgates = dgates_.data();
    float* db = params_.grad(b_hh_);
    for (int r = 0; r < rows; ++r)
      for (int j = 0; j < GH; ++j) db[j] += dgates[static_cast<size_t>(r) * GH + j];
    float* dw = params_.grad(w_hh_);
    parallel_gemm(*k_, true, false, 2 * H_, H_, rows, 1.0f, dgates, GH, h(0), H_, 1.0f, dw, H_);
    parallel_gemm(*k_, true, false, H_, H_, rows, 1.0f, dgates + 2 * H_, GH, rh_.data(), H_, 1.0f,
             dw + static_cast<size_t>(2) * H_ * H_, H_);
  }
};

}  // namespace

std::unique_ptr<RecurrentLayer> make_gru_layer(int input_size, int hidden, Parameters& params,
                                               const std::string& prefix, int index) {
  return std::make_unique<GruLayer>(input_size, hidden, params, prefix, index);
}

std::unique_ptr<RecurrentLayer> make_gru_classic_layer(int input_size, int hidden,
                                                       Parameters& params,
                                                       const std::string& prefix, int index) {
  return std::make_unique<GruClassicLayer>(input_size, hidden, params, prefix, index);
}

}  // namespace rnnlab
