// The kernel layer: every hot loop of the cells goes through one of these function tables.
// `reference` is plain scalar C++ (the oracle in tests). kernels::active() picks the fastest
// set the machine runs: natively at run time from CPUID (an x86-64 build holds sse2, avx2
// and avx512, each compiled for its own ISA, and runs on any x86-64 CPU), in wasm at compile
// time (wasmsimd with -msimd128, portable without).
//
// Names: a set is named by its ISA ("avx512"); its kernels by dtype, op, tile and ISA, as in
// XNNPACK ("f32_gemm_8x32__avx512": an 8-row by 32-column micro-kernel), one name per kernel.
//
// Shapes: B = batch rows, H = hidden units. All per-step buffers are contiguous row-major
// [B, width]. Gate order within a row follows PyTorch: LSTM [i | f | g | o], GRU [r | z | n].
#pragma once

#include <cstddef>
#include <vector>

namespace rnnlab::kernels {

// C[M,N] = alpha * op(A) op(B) + beta * C, all row-major. op(A) is [M,K]: A is [M,K]
// (lda >= K) or, when trans_a, [K,M] (lda >= M). Likewise op(B) is [K,N].
// beta == 0 overwrites C (NaN in C is not propagated).
using GemmFn = void (*)(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                        const float* A, int lda, const float* B, int ldb, float beta, float* C,
                        int ldc);

// A "prepared" B operand: op(B) [K,N] laid out the way a set's gemm_packed reads it, so a
// weight matrix used at every time step is rearranged once per sequence, not once per step.
using PackedSizeFn = size_t (*)(int K, int N);
using PackBFn = void (*)(bool trans_b, int K, int N, const float* B, int ldb, float* packed);
using GemmPackedFn = void (*)(bool trans_a, int M, int N, int K, float alpha, const float* A,
                              int lda, const float* packed_b, float beta, float* C, int ldc);
// y [N] = alpha * x [K] op(B) + beta * y over a prepared op(B): the one-row product of the
// batch-1 steps (sampling, forecasting). Same bits as gemm_packed with M = 1.
using MatvecPackedFn = void (*)(int N, int K, float alpha, const float* x,
                                const float* packed_b, float beta, float* y);

// LSTM. gates [B,4H]: pre-activations in, activations out (i,f,g,o = s,s,tanh,s).
// c = f*c_prev + i*g; tanh_c = tanh(c); h = o*tanh_c.
using LstmForwardFn = void (*)(int B, int H, float* gates, const float* c_prev, float* c,
                               float* tanh_c, float* h);
// dh: total dL/dh_t. dc: in dL/dc_t arriving from step t+1, out dL/dc_{t-1}.
// dgates [B,4H]: dL/d(pre-activation).
using LstmBackwardFn = void (*)(int B, int H, const float* gates, const float* c_prev,
                                const float* tanh_c, const float* dh, float* dc,
                                float* dgates);

// GRU (PyTorch variant). xg [B,3H]: W_i x + b_i in, activations (r, z, n) out.
// hg [B,3H]: W_h h_prev + b_h (kept: backward needs its n part).
// h = (1-z)*n + z*h_prev with n = tanh(x_n + r*h_n).
using GruForwardFn = void (*)(int B, int H, float* xg, const float* hg, const float* h_prev,
                              float* h);
// dxg [B,3H] = dL/d(W_i x + b_i), dhg [B,3H] = dL/d(W_h h + b_h),
// dh_prev [B,H] = the direct part z*dh (the recurrent product is added by the caller).
using GruBackwardFn = void (*)(int B, int H, const float* xg, const float* hg,
                               const float* h_prev, const float* dh, float* dxg, float* dhg,
                               float* dh_prev);

// GRU (classic variant), two halves around the second recurrent product.
// rz: xg[:, :2H] += hg_rz then -> (r, z); rh = r * h_prev.
using GruClassicRzFn = void (*)(int B, int H, float* xg, const float* hg_rz, const float* h_prev,
                                float* rh);
// n: xg[:, 2H:] += hn then -> n; h = (1-z)*n + z*h_prev.
using GruClassicNFn = void (*)(int B, int H, float* xg, const float* hn, const float* h_prev,
                               float* h);
// backward of the n half: dg[:, H:3H] (dz, dn pre-activations), dh_prev = z*dh.
using GruClassicNBackwardFn = void (*)(int B, int H, const float* xg, const float* h_prev,
                                       const float* dh, float* dg, float* dh_prev);
// backward of the r half: d_rh = dL/d(r*h_prev); dg[:, :H] = dr pre-activation,
// dh_prev += r * d_rh.
using GruClassicRBackwardFn = void (*)(int B, int H, const float* xg, const float* h_prev,
                                       const float* d_rh, float* dg, float* dh_prev);

// Vanilla RNN: h = tanh(pre); backward dpre = dh * (1 - h^2).
using RnnForwardFn = void (*)(int n, const float* pre, float* h);
using RnnBackwardFn = void (*)(int n, const float* h, const float* dh, float* dpre);

// Elementwise maps (exposed for tests and for the heads).
using MapFn = void (*)(int n, const float* x, float* y);

struct KernelSet {
  const char* name;        // "reference", "portable", "sse2", "avx2", "avx512" or "wasmsimd"
  bool simd;               // runs vector instructions (SSE/AVX natively, simd128 in wasm)
  const char* gemm_name;   // its products, e.g. "f32_gemm_4x8__wasmsimd"
  const char* gates_name;  // its gate and activation kernels, e.g. "f32_gates_x16__avx512"
  GemmFn gemm;
  PackedSizeFn packed_b_size;
  PackBFn pack_b;
  GemmPackedFn gemm_packed;
  MatvecPackedFn matvec_packed;
  LstmForwardFn lstm_forward;
  LstmBackwardFn lstm_backward;
  GruForwardFn gru_forward;
  GruBackwardFn gru_backward;
  GruClassicRzFn gru_classic_rz;
  GruClassicNFn gru_classic_n;
  GruClassicNBackwardFn gru_classic_n_backward;
  GruClassicRBackwardFn gru_classic_r_backward;
  RnnForwardFn rnn_forward;
  RnnBackwardFn rnn_backward;
  MapFn sigmoid;
  MapFn tanh;
};

// Every set this build contains that this CPU can run, the reference first and the fastest
// last. Tests and benchmarks iterate this.
const std::vector<const KernelSet*>& all();
// The scalar reference set (not in the wasm SIMD module, which runs only its own set).
const KernelSet& reference();
// The set the library uses. Defaults to the last of all().
const KernelSet& active();
// Choose by name (tests, benchmarks); returns false if the build or the CPU has no such set.
bool use(const char* name);

// active().simd.
bool active_is_simd();

}  // namespace rnnlab::kernels
