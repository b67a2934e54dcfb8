// Blocked, packed matrix product over a Vec type (Goto & van de Geijn, "Anatomy of
// High-Performance Matrix Multiplication", 2008). B is packed once into KC x NR panels
// (a "prepared operand", so a recurrent weight matrix is packed once per sequence rather
// than once per step); A is packed per MC x KC block; an MR x NR micro-kernel keeps its
// accumulators in registers. Used for wasm (VecWasm) where Eigen has no SIMD packets, and
// instantiated natively with SSE2 so the same logic is tested on both.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "kernels/vec.h"

namespace rnnlab::kernels {

template <class V, int MR_ = 4>
struct PackedGemm {
  static constexpr int MR = MR_;
  static constexpr int NR = 2 * V::N;
  static constexpr int KC = 256;
  static constexpr int MC = 96;

  static int round_up(int x, int m) { return (x + m - 1) / m * m; }

  // Floats needed to hold op(B) [K,N] packed.
  static size_t packed_b_size(int K, int N) {
    return static_cast<size_t>(K) * static_cast<size_t>(round_up(N, NR));
  }

  // Layout: for each K block of KC rows, for each NR-column panel, [kc][NR] (zero padded).
  static void pack_b(bool tb, int K, int N, const float* B, int ldb, float* out) {
    for (int pc = 0; pc < K; pc += KC) {
      int kc = std::min(KC, K - pc);
      for (int jr = 0; jr < N; jr += NR) {
        int nr = std::min(NR, N - jr);
        for (int k = 0; k < kc; ++k) {
          float* dst = out + k * NR;
          for (int j = 0; j < nr; ++j)
            dst[j] = tb ? B[(jr + j) * ldb + pc + k] : B[(pc + k) * ldb + jr + j];
          for (int j = nr; j < NR; ++j) dst[j] = 0.0f;
        }
        out += static_cast<size_t>(kc) * NR;
      }
    }
  }

  // A block [mc x kc] at (ic, pc) of op(A) into MR-row panels, [kc][MR] each (zero padded).
  static void pack_a(bool ta, int mc, int kc, const float* A, int lda, int ic, int pc,
                     float* out) {
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = std::min(MR, mc - ir);
      for (int k = 0; k < kc; ++k) {
        float* dst = out + k * MR;
        for (int i = 0; i < mr; ++i) {
          int row = ic + ir + i, col = pc + k;
          dst[i] = ta ? A[col * lda + row] : A[row * lda + col];
        }
        for (int i = mr; i < MR; ++i) dst[i] = 0.0f;
      }
      out += kc * MR;
    }
  }

  // C tile [mr x nr] = alpha * Ap Bp + beta * C   (beta == 0: C is not read).
  static void micro_kernel(int kc, const float* Ap, const float* Bp, float* C, int ldc, int mr,
                           int nr, float alpha, float beta) {
    V acc[MR][2];
    for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = V::set1(0.0f);
    for (int k = 0; k < kc; ++k) {
      V b0 = V::load(Bp + k * NR), b1 = V::load(Bp + k * NR + V::N);
      for (int i = 0; i < MR; ++i) {
        V a = V::set1(Ap[k * MR + i]);
        acc[i][0] = acc[i][0] + a * b0;
        acc[i][1] = acc[i][1] + a * b1;
      }
    }
    V va = V::set1(alpha), vb = V::set1(beta);
    if (mr == MR && nr == NR) {
      for (int i = 0; i < MR; ++i) {
        float* c = C + i * ldc;
        V r0 = va * acc[i][0], r1 = va * acc[i][1];
        if (beta != 0.0f) r0 = r0 + vb * V::load(c), r1 = r1 + vb * V::load(c + V::N);
        r0.store(c), r1.store(c + V::N);
      }
      return;
    }
    float tile[MR * NR];
    for (int i = 0; i < MR; ++i) (va * acc[i][0]).store(tile + i * NR), (va * acc[i][1]).store(tile + i * NR + V::N);
    for (int i = 0; i < mr; ++i)
      for (int j = 0; j < nr; ++j) {
        float& c = C[i * ldc + j];
        c = beta == 0.0f ? tile[i * NR + j] : tile[i * NR + j] + beta * c;
      }
  }

  // C = alpha * op(A) * B_packed + beta * C.
  static void gemm_packed(bool ta, int M, int N, int K, float alpha, const float* A, int lda,
                          const float* Bp, float beta, float* C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
      scale(M, N, beta, C, ldc);
      return;
    }
    thread_local std::vector<float> a_buf;
    size_t need = static_cast<size_t>(round_up(std::min(M, MC), MR)) * std::min(K, KC);
    if (a_buf.size() < need) a_buf.resize(need);
    const int n_panels = round_up(N, NR) / NR;
    for (int pc = 0; pc < K; pc += KC) {
      int kc = std::min(KC, K - pc);
      float beta_k = pc == 0 ? beta : 1.0f;
      const float* Bblock = Bp + static_cast<size_t>(pc) * n_panels * NR;
      for (int ic = 0; ic < M; ic += MC) {
        int mc = std::min(MC, M - ic);
        pack_a(ta, mc, kc, A, lda, ic, pc, a_buf.data());
        for (int jp = 0; jp < n_panels; ++jp) {
          int jr = jp * NR, nr = std::min(NR, N - jr);
          const float* Bpanel = Bblock + static_cast<size_t>(jp) * kc * NR;
          for (int ir = 0; ir < mc; ir += MR) {
            micro_kernel(kc, a_buf.data() + ir * kc, Bpanel, C + (ic + ir) * ldc + jr, ldc,
                         std::min(MR, mc - ir), nr, alpha, beta_k);
          }
        }
      }
    }
  }

  static void gemm(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
                   const float* B, int ldb, float beta, float* C, int ldc) {
    if (M <= 0 || N <= 0) return;
    thread_local std::vector<float> b_buf;
    size_t need = packed_b_size(K, N);
    if (b_buf.size() < need) b_buf.resize(need);
    pack_b(tb, K, N, B, ldb, b_buf.data());
    gemm_packed(ta, M, N, K, alpha, A, lda, b_buf.data(), beta, C, ldc);
  }

  static void scale(int M, int N, float beta, float* C, int ldc) {
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
  }
};

}  // namespace rnnlab::kernels
