// LSTM, PyTorch's equations (torch.nn.LSTM):
//   i = s(W_ii x + b_ii + W_hi h + b_hi)    f = s(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = s(W_io x + b_io + W_ho h + b_ho)
//   c' = f * c + i * g                      h' = o * tanh(c')
#include <algorithm>
#include <cstring>

#include "cells/cells.h"

namespace rnnlab {
namespace {

class LstmLayer final : public RecurrentLayer {
 public:
  LstmLayer(int input_size, int hidden, Parameters& params, const std::string& prefix, int index)
      : RecurrentLayer(input_size, hidden, 4, params, prefix, index) {}

 private:
  Buffer tanh_c_;  // [T*B, H]

  // Batch-1 steps split by hidden units (sampling, forecasting, step()): task t of `tasks`
  // owns units [u0, u0 + nu) and the 4 * nu rows of W_hh that make their gates, gathered
  // (i, f, g, o blocks of nu rows) and packed once per weight version into its own operand,
  // which then stays in its core's cache. Each task computes its units' gates, cell and
  // output; a step needs every unit of the one before, so it is one hand-off per step.
  struct UnitBlock {
    int u0 = 0, nu = 0;
    Buffer rows;  // [4 * nu, H] gathered rows of W_hh
    Buffer gates;  // [4 * nu] this step's gates of the block
    RecurrentOperand op;
  };
  // Hidden units per thread below which one thread is as fast (bench/README.md, "Sampling
  // (GEN) and threads": rnnlab_bench --gen-hidden; two threads break even at 64 units each
  // and gain 1.2x at 96, 1.5x at 128).
  static constexpr int kMinUnitsPerThread = 96;
  UnitBlock units_[ThreadPool::kMaxThreads];
  int unit_tasks_ = 0;
  uint64_t unit_version_ = 0;
  const kernels::KernelSet* unit_k_ = nullptr;

  void input_bias(float* bias) const override {
    const float *bi = params_.value(b_ih_), *bh = params_.value(b_hh_);
    for (int g = 0; g < 4 * H_; ++g) bias[g] = bi[g] + bh[g];
  }
  void reserve_cell(size_t rows) override { tanh_c_.ensure(rows * H_); }

  void forward_steps() override {
    const int GH = 4 * H_;
    if (B_ == 1 && forward_units_split()) return;
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

  // The batch-1 steps over the pool split by hidden units; false (nothing done) when the
  // pool has one thread or the layer is too small to gain.
  bool forward_units_split() {
    const int tasks = std::min(thread_pool().size(), H_ / kMinUnitsPerThread);
    if (tasks < 2 || !k_->simd) return false;
    const uint64_t version = params_.version();
    bool prepared = unit_tasks_ == tasks && unit_version_ == version && unit_k_ == k_;
    int t = 0;
    auto run = [&](int task) {
      UnitBlock& u = units_[task];
      if (!prepared) {
        // Blocks of whole 16-unit groups (no result depends on where a block starts).
        const int groups = (H_ + 15) / 16;
        u.u0 = std::min(H_, groups * task / tasks * 16);
        u.nu = std::min(H_, groups * (task + 1) / tasks * 16) - u.u0;
        u.rows.ensure(static_cast<size_t>(4) * u.nu * H_);
        u.gates.ensure(static_cast<size_t>(4) * u.nu);
        const float* w = params_.value(w_hh_);
        for (int q = 0; q < 4; ++q)
          std::memcpy(u.rows.data() + static_cast<size_t>(q) * u.nu * H_,
                      w + (static_cast<size_t>(q) * H_ + u.u0) * H_,
                      static_cast<size_t>(u.nu) * H_ * sizeof(float));
        u.op.prepare(*k_, true, H_, 4 * u.nu, u.rows.data(), version);
      }
      float* gx = step(gates_, 4 * H_, t);
      float* g = u.gates.data();
      const size_t bytes = static_cast<size_t>(u.nu) * sizeof(float);
      for (int q = 0; q < 4; ++q) std::memcpy(g + q * u.nu, gx + q * H_ + u.u0, bytes);
      u.op.multiply(1, h(t), H_, 1.0f, g, 4 * u.nu);
      k_->lstm_forward(1, u.nu, g, c(t) + u.u0, c_mut(t + 1) + u.u0,
                       step(tanh_c_, H_, t) + u.u0, h_mut(t + 1) + u.u0);
      // The activations back in gates_, where the unsplit path leaves them.
      for (int q = 0; q < 4; ++q) std::memcpy(gx + q * H_ + u.u0, g + q * u.nu, bytes);
    };
    // Tasks that find the pool busy (another caller) run inline: the same blocks, same bits.
    for (t = 0; t < T_; ++t, prepared = true) thread_pool().run(tasks, run);
    unit_tasks_ = tasks, unit_version_ = version, unit_k_ = k_;
    return true;
  }

  void backward_steps(const float* dh_out, float* grad_norms) override {
    const int GH = 4 * H_;
    bwd_op_[0].prepare(*k_, false, GH, H_, params_.value(w_hh_), params_.version());
    // Gradient norms sum over all rows per step: then one block.
    over_rows(!grad_norms, [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H_, n = static_cast<size_t>(nb) * H_;
      float* dh = dh_.data() + o;
      for (int t = T_ - 1; t >= 0; --t) {
        take_output_grad(t, dh_out, dh, o, n, grad_norms);
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
