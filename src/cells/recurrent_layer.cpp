#include "cells/recurrent_layer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "cells/cells.h"
#include "core/cold.h"
#include "core/init.h"
#include "core/parallel_gemm.h"

namespace rnnlab {
namespace {

// db [width] += the column sums of rows [rows, width], on one thread: split by columns (each
// column must add its rows in order) every thread reads half of each row, which in wasm ran
// 1.3-2.3x slower than one thread reading whole rows at every size measured (batch 4 to 32 x
// 64 steps x 512 gates; bench/README.md, "Small batches on two threads").
void add_column_sums(int rows, int width, const float* src, float* db) {
  for (int r = 0; r < rows; ++r) {
    const float* row = src + static_cast<size_t>(r) * width;
    for (int g = 0; g < width; ++g) db[g] += row[g];
  }
}

}  // namespace

void RecurrentOperand::prepare(const kernels::KernelSet& k, bool transposed, int K, int N,
                               const float* w, uint64_t version) {
  if (k_ == &k && transposed_ == transposed && K_ == K && N_ == N && w_ == w &&
      version_ == version)
    return;  // the same weights, already prepared
  k_ = &k;
  transposed_ = transposed;
  K_ = K, N_ = N;
  w_ = w;
  version_ = version;
  buffer_.ensure(k.packed_b_size(K, N));
  k.pack_b(transposed, K, N, w, transposed ? K : N, buffer_.data());
}

void RecurrentOperand::multiply(int M, const float* A, int lda, float beta, float* C,
                                int ldc) const {
  if (M == 1) k_->matvec_packed(N_, K_, 1.0f, A, buffer_.data(), beta, C);
  else k_->gemm_packed(false, M, N_, K_, 1.0f, A, lda, buffer_.data(), beta, C, ldc);
}

RNNLAB_COLD RecurrentLayer::RecurrentLayer(int input_size, int hidden, int gates,
                                           Parameters& params, const std::string& prefix,
                                           int index)
    : params_(params), input_size_(input_size), H_(hidden), G_(gates) {
  // PyTorch's names and layouts: weight_ih_l{k} [G*H, I], weight_hh_l{k} [G*H, H].
  std::string l = "_l" + std::to_string(index);
  w_ih_ = params.declare(prefix + "weight_ih" + l, {G_ * H_, input_size_});
  w_hh_ = params.declare(prefix + "weight_hh" + l, {G_ * H_, H_});
  b_ih_ = params.declare(prefix + "bias_ih" + l, {G_ * H_});
  b_hh_ = params.declare(prefix + "bias_hh" + l, {G_ * H_});
}

std::unique_ptr<RecurrentLayer> RecurrentLayer::create(CellType cell, GruVariant variant,
                                                       int input_size, int hidden,
                                                       Parameters& params,
                                                       const std::string& prefix, int index) {
  switch (cell) {
    case CellType::kLstm:
      return make_lstm_layer(input_size, hidden, params, prefix, index);
    case CellType::kGru:
      return variant == GruVariant::kPyTorch
                 ? make_gru_layer(input_size, hidden, params, prefix, index)
                 : make_gru_classic_layer(input_size, hidden, params, prefix, index);
    case CellType::kRnn:
      return make_rnn_layer(input_size, hidden, params, prefix, index);
  }
  throw Error(ErrorCode::kInvalidConfig, "cell", "unknown cell type");
}

void RecurrentLayer::init_weights(Rng& rng) {
  float* w_ih = params_.value(w_ih_);
  float* w_hh = params_.value(w_hh_);
  for (int g = 0; g < G_; ++g) {
    glorot_uniform(rng, H_, input_size_, w_ih + static_cast<size_t>(g) * H_ * input_size_,
                   input_size_);
    orthogonal(rng, H_, w_hh + static_cast<size_t>(g) * H_ * H_, H_);
  }
  std::fill_n(params_.value(b_ih_), G_ * H_, 0.0f);
  std::fill_n(params_.value(b_hh_), G_ * H_, 0.0f);
  // Forget-gate bias 1 (Jozefowicz et al. 2015): start by remembering.
  if (G_ == 4) std::fill_n(params_.value(b_ih_) + H_, H_, 1.0f);
}

void RecurrentLayer::forward(const LayerInput& in, int B, int T, const float* h0,
                             const float* c0) {
  k_ = &kernels::active();
  B_ = B;
  T_ = T;
  in_ = in;
  const size_t rows = static_cast<size_t>(T) * B;
  gates_.ensure(rows * G_ * H_);
  h_.ensure((rows + B) * H_);
  if (has_cell_state()) c_.ensure((rows + B) * H_);
  reserve_cell(rows);
  input_projection(in);
  size_t state = static_cast<size_t>(B) * H_;
  if (h0) std::memcpy(h_.data(), h0, state * sizeof(float));
  else std::fill_n(h_.data(), state, 0.0f);
  if (has_cell_state()) {
    if (c0) std::memcpy(c_.data(), c0, state * sizeof(float));
    else std::fill_n(c_.data(), state, 0.0f);
  }
  forward_steps();
}

void RecurrentLayer::input_projection(const LayerInput& in) {
  const int GH = G_ * H_, I = input_size_;
  const size_t rows = static_cast<size_t>(T_) * B_;
  if (bias_version_ != params_.version()) {  // once per weight version (a sampling run's steps)
    bias_.ensure(GH);
    input_bias(bias_.data());
    bias_version_ = params_.version();
  }
  float* gates = gates_.data();
  const float* w_ih = params_.value(w_ih_);
  if (in.ids) {
    // One-hot rows select columns of W_ih [GH, I]. Many rows with these weights (in this
    // call, or over the one-row calls of a sampling run): transpose W_ih once so each
    // gathered column is a contiguous row; a few rows: gather with stride I.
    const float* bias = bias_.data();
    const uint64_t version = params_.version();
    if (gathered_version_ != version) gathered_version_ = version, gathered_rows_ = 0;
    gathered_rows_ += rows;
    const bool cached = onehot_version_ == version;
    if (cached || transpose_one_hot(gathered_rows_)) {
      onehot_.ensure(static_cast<size_t>(I) * GH);
      float* wt = onehot_.data();
      if (!cached) {
        for (int g = 0; g < GH; ++g)
          for (int i = 0; i < I; ++i) wt[static_cast<size_t>(i) * GH + g] = w_ih[g * I + i];
        onehot_version_ = params_.version();
      }
      // Rows are independent: split them over the pool.
      parallel_copy(*k_, static_cast<int>(rows), 8, static_cast<double>(rows) * GH, [&](int first, int last) {
        for (size_t r = first; r < static_cast<size_t>(last); ++r) {
          const float* col = wt + static_cast<size_t>(in.ids[r]) * GH;
          float* out = gates + r * GH;
          for (int g = 0; g < GH; ++g) out[g] = col[g] + bias[g];
        }
      });
    } else {
      for (size_t r = 0; r < rows; ++r) {
        const float* col = w_ih + in.ids[r];
        float* out = gates + r * GH;
        for (int g = 0; g < GH; ++g) out[g] = col[static_cast<size_t>(g) * I] + bias[g];
      }
    }
    return;
  }
  parallel_copy(*k_, static_cast<int>(rows), 8, static_cast<double>(rows) * GH, [&](int first, int last) {
    for (size_t r = first; r < static_cast<size_t>(last); ++r)
      std::memcpy(gates + r * GH, bias_.data(), GH * sizeof(float));
  });
  parallel_gemm(*k_, false, true, static_cast<int>(rows), GH, I, 1.0f, in.x, I, w_ih, I, 1.0f, gates, GH);
}

void RecurrentLayer::backward(const float* dh_out, const float* dh_last, const float* dc_last,
                              float* dx, float* grad_norms) {
  k_ = &kernels::active();
  const size_t state = static_cast<size_t>(B_) * H_;
  dh_.ensure(state);
  dh_tmp_.ensure(state);
  dgates_.ensure(static_cast<size_t>(T_) * B_ * G_ * H_);
  if (dh_last) std::memcpy(dh_.data(), dh_last, state * sizeof(float));
  else std::fill_n(dh_.data(), state, 0.0f);
  if (has_cell_state()) {
    dc_.ensure(state);
    if (dc_last) std::memcpy(dc_.data(), dc_last, state * sizeof(float));
    else std::fill_n(dc_.data(), state, 0.0f);
  }
  backward_steps(dh_out, grad_norms);
  input_side_grads(dgates_.data(), dx);
}

void RecurrentLayer::input_side_grads(const float* dgx, float* dx) {
  const int GH = G_ * H_, I = input_size_;
  const int rows = T_ * B_;
  float* dw = params_.grad(w_ih_);
  add_column_sums(rows, GH, dgx, params_.grad(b_ih_));
  if (in_.ids) {
    // The transpose of input_projection's gather: scatter-add into dW_ih^T rows, then one
    // transpose-add (or, for a few rows, scatter with stride I).
    if (transpose_one_hot(rows)) {
      donehot_.zero(static_cast<size_t>(I) * GH);
      float* dwt = donehot_.data();
      // Split by gate columns: each element still adds its rows in order.
      parallel_blocks(*k_, GH, 32, 2.0 * rows * GH, [&](int first, int last) {
        for (int r = 0; r < rows; ++r) {
          float* row = dwt + static_cast<size_t>(in_.ids[r]) * GH;
          const float* src = dgx + static_cast<size_t>(r) * GH;
          for (int g = first; g < last; ++g) row[g] += src[g];
        }
        for (int g = first; g < last; ++g)
          for (int i = 0; i < I; ++i) dw[g * I + i] += dwt[static_cast<size_t>(i) * GH + g];
      });
    } else {
      for (int r = 0; r < rows; ++r) {
        float* col = dw + in_.ids[r];
        const float* src = dgx + static_cast<size_t>(r) * GH;
        for (int g = 0; g < GH; ++g) col[static_cast<size_t>(g) * I] += src[g];
      }
    }
    return;  // no dx for token input
  }
  parallel_gemm(*k_, true, false, GH, I, rows, 1.0f, dgx, GH, in_.x, I, 1.0f, dw, I);
  if (dx) parallel_gemm(*k_, false, false, rows, I, GH, 1.0f, dgx, GH, params_.value(w_ih_), I, 0.0f, dx, I);
}

void RecurrentLayer::recurrent_side_grads(const float* dgh) {
  const int GH = G_ * H_;
  const int rows = T_ * B_;
  add_column_sums(rows, GH, dgh, params_.grad(b_hh_));
  // dW_hh += sum_t dgates_t^T h_{t-1}: h(0..T-1) are contiguous rows.
  parallel_gemm(*k_, true, false, GH, H_, rows, 1.0f, dgh, GH, h_.data(), H_, 1.0f, params_.grad(w_hh_), H_);
}

float RecurrentLayer::row_norm(const float* dh) const {
  double s = 0.0;
  for (size_t i = 0, n = static_cast<size_t>(B_) * H_; i < n; ++i) s += double(dh[i]) * dh[i];
  return static_cast<float>(std::sqrt(s / B_));
}

}  // namespace rnnlab
