// One recurrent layer (RNN, LSTM or GRU) over a whole sequence: forward saves what backward
// needs; backward accumulates (+=) into the parameter gradients. Shapes are time-major:
// row r = t * B + b. T = steps, B = batch, I = input width, H = hidden, G = gates (1, 3, 4).
//
// Design for speed: the input projection of all T steps is one [T*B, I] x [I, G*H] product;
// each step then needs one recurrent product (against W_hh packed once per sequence) and one
// fused gate kernel; the weight gradients of all steps are again one product each. All
// buffers live in the layer and only grow, so the per-step loop never allocates.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/parallel_gemm.h"
#include "core/parameters.h"
#include "rnnlab/config.h"
#include "rnnlab/kernels.h"
#include "rnnlab/rng.h"

namespace rnnlab {

// The recurrent weight operand of the per-step products, op(W) [K, N] with W a row block of
// W_hh, rearranged (prepared) for the kernel set's packed product once per weight version:
// once per training step for all T steps, and once for a whole sampling or forecasting run,
// whose one-row steps would otherwise each cost a repack. Every product, whatever the batch,
// goes through the same packed kernel, so results do not depend on the batch size.
class RecurrentOperand {
 public:
  // W is row-major: [N, K] if transposed, else [K, N]. version: Parameters::version().
  void prepare(const kernels::KernelSet& k, bool transposed, int K, int N, const float* w,
               uint64_t version);
  // C [M, N] = A [M, K] op(W) + beta C, on the calling thread (the step loops split the
  // batch rows over the pool themselves: RecurrentLayer::over_rows).
  void multiply(int M, const float* A, int lda, float beta, float* C, int ldc) const;

 private:
  const kernels::KernelSet* k_ = nullptr;
  bool transposed_ = false;
  int K_ = 0, N_ = 0;
  const float* w_ = nullptr;
  uint64_t version_ = 0;  // 0: nothing prepared yet (Parameters versions start at 1)
  Buffer buffer_;
};

// The input of a layer: either dense rows [T*B, I] or token ids [T*B] (one-hot layer 0).
struct LayerInput {
  const float* x = nullptr;
  const int32_t* ids = nullptr;
};

class RecurrentLayer {
 public:
  static std::unique_ptr<RecurrentLayer> create(CellType cell, GruVariant variant, int input_size,
                                                int hidden, Parameters& params,
                                                const std::string& prefix, int index);
  virtual ~RecurrentLayer() = default;

  int input_size() const { return input_size_; }
  int hidden() const { return H_; }
  int gates() const { return G_; }
  bool has_cell_state() const { return G_ == 4; }

  // Glorot-uniform W_ih (per gate block), orthogonal W_hh blocks, zero biases
  // (LSTM: forget-gate b_ih = 1).
  void init_weights(Rng& rng);

  // h0, c0: [B, H] or null for zeros. Fills the caches read by backward and by h()/c().
  void forward(const LayerInput& in, int B, int T, const float* h0, const float* c0);

  // dh_out: dL/dh_t from above for every step [T*B, H], or null. dh_last, dc_last: extra
  // gradient on the final state (from a later chunk or a decoder), or null. dx: if not
  // null, receives dL/dx [T*B, I]. grad_norms: if not null, receives T entries
  // sqrt(mean_b ||dL/dh_t[b]||^2), the quantity that vanishes or explodes over time.
  void backward(const float* dh_out, const float* dh_last, const float* dc_last, float* dx,
                float* grad_norms);

  // After forward: states for t = 0..T (row block 0 is the initial state).
  const float* h(int t) const { return h_.data() + static_cast<size_t>(t) * B_ * H_; }
  const float* c(int t) const { return c_.data() + static_cast<size_t>(t) * B_ * H_; }
  const float* outputs() const { return h(1); }  // [T*B, H]
  // Gate activations after forward, [T*B, G*H] (LSTM i,f,g,o; GRU r,z,n; RNN h).
  const float* gate_activations() const { return gates_.data(); }
  // After backward: gradient w.r.t. the initial state.
  const float* dh0() const { return dh_.data(); }
  const float* dc0() const { return dc_.data(); }

 protected:
  RecurrentLayer(int input_size, int hidden, int gates, Parameters& params,
                 const std::string& prefix, int index);

  // Cell-specific parts: run the step loops over the caches prepared by the base class.
  virtual void forward_steps() = 0;
  virtual void backward_steps(const float* dh_out, float* grad_norms) = 0;
  // Bias rows added to the input projection (LSTM/RNN: b_ih + b_hh; GRU: b_ih).
  virtual void input_bias(float* bias) const = 0;
  virtual void reserve_cell(size_t /*rows*/) {}

  void input_projection(const LayerInput& in);
  // dW_ih, db_ih (and dx) from dL/d(input projection) [T*B, G*H].
  void input_side_grads(const float* dgx, float* dx);
  // dW_hh, db_hh from dL/d(recurrent projection) [T*B, G*H] (LSTM, RNN, PyTorch GRU).
  void recurrent_side_grads(const float* dgh);
  float row_norm(const float* dh) const;
  // Step t of a backward block (rows from offset o, n values): dL/dh gains the gradient from
  // the layer's output; with grad_norms (one block, all rows) the step's norm is recorded.
  void take_output_grad(int t, const float* dh_out, float* dh, size_t o, size_t n,
                        float* grad_norms) const {
    if (dh_out) {
      const float* g = dh_out + static_cast<size_t>(t) * B_ * H_ + o;
      for (size_t i = 0; i < n; ++i) dh[i] += g[i];
    }
    if (grad_norms) grad_norms[t] = row_norm(dh);
  }
  // Runs fn(b0, nb) on blocks of the batch rows [b0, b0 + nb), one per thread of the pool, or
  // fn(0, B) when split is false or the loop is too small. A row's recurrence reads only that
  // row (its state, its gates, its product row), so each block runs all T steps on its own
  // thread: one hand-off per layer and direction instead of one per step, and every row is
  // computed by the same operations whichever block holds it (the kernels promise the same
  // bits for any row count). Blocks: row_block_align (core/parallel_gemm.h).
  template <class F>
  void over_rows(bool split, F&& fn) {
    if (!split) {
      fn(0, B_);
      return;
    }
    const double flops = 2.0 * T_ * B_ * G_ * H_ * static_cast<double>(H_);
    parallel_blocks(*k_, B_, row_block_align(B_), flops, [&](int first, int last) { fn(first, last - first); });
  }
  // One-hot input: transpose W_ih when enough rows share it (strided access costs a few
  // times a contiguous one), or reuse the transpose while the weights are unchanged.
  bool transpose_one_hot(size_t rows) const { return rows * 4 >= static_cast<size_t>(input_size_); }
  float* h_mut(int t) { return h_.data() + static_cast<size_t>(t) * B_ * H_; }
  float* c_mut(int t) { return c_.data() + static_cast<size_t>(t) * B_ * H_; }
  float* step(Buffer& b, int width, int t) { return b.data() + static_cast<size_t>(t) * B_ * width; }

  const kernels::KernelSet* k_ = nullptr;  // kernel set of the current call
  Parameters& params_;
  int w_ih_, w_hh_, b_ih_, b_hh_;  // parameter indices
  int input_size_, H_, G_;
  int B_ = 0, T_ = 0;
  LayerInput in_;
  Buffer gates_;     // [T*B, G*H] pre-activations, then activations
  Buffer h_, c_;     // [(T+1)*B, H]
  Buffer dgates_;    // [T*B, G*H] dL/d(pre-activation)
  Buffer dh_, dc_, dh_tmp_;  // [B, H] running gradients
  // W_hh (or its [r z] and n blocks) prepared for the forward and for the backward products.
  RecurrentOperand fwd_op_[2], bwd_op_[2];
  Buffer bias_;      // [G*H]
  uint64_t bias_version_ = ~uint64_t{0};  // the weights bias_ was summed from
  // One-hot input: W_ih^T [I, G*H] (cached per weight version) and dW_ih^T scratch.
  Buffer onehot_, donehot_;
  uint64_t onehot_version_ = 0;
  // Rows gathered from W_ih since the weights last changed (decides when to transpose).
  uint64_t gathered_version_ = 0;
  size_t gathered_rows_ = 0;
};

}  // namespace rnnlab
