// Blocked, packed matrix product over a Vec type (Goto & van de Geijn, "Anatomy of
// High-Performance Matrix Multiplication", 2008). B is packed once into KC x NR panels
// (a "prepared operand", so a recurrent weight matrix is packed once per sequence rather
// than once per step); an MR x NR micro-kernel keeps its accumulators in registers. Used for
// wasm (VecWasm) where Eigen has no SIMD packets, and instantiated natively with SSE2 (and,
// for the per-step products, AVX2 / AVX-512) so the same logic is tested on both.
//
// How A is read:
// - op(A) = A (row-major rows, the per-step products, the head, input projections): the
//   micro-kernel broadcasts A[i][k] straight from its row pointers. Packing A would copy the
//   block once per call for nothing: its rows are contiguous already and MR row streams stay
//   in L1 (measured in wasm: 4-50% faster than packing, most for the short-K step products).
// - op(A) = A^T (the weight gradients, A = dL/dgates [T*B, G*H]): A is packed per MC x KC
//   block into MR-row panels, [kc][MR] each, so the micro-kernel reads it contiguously rather
//   than one 16-byte piece per row of a large power-of-two stride.
// Fewer rows than MR (batch-1 sampling and forecasting steps, tails): a kernel of exactly that
// many rows, not an MR-row tile of which most is padding (4x the work for one row); gemm()
// then packs op(B) one L1-sized panel at a time instead of whole (see gemm()). Every output
// element gets the same operations in the same order whatever M is, so results do not depend
// on the batch size.
//
// Micro-kernel shape: 4 x 8 over 4-lane vectors (8 accumulators, 2 B vectors, 1 broadcast).
// Measured in V8 (Node 20; Chromium 156 agrees), 6x8, 8x8, 4x12 and 4x16 run at about half
// the speed: their live vectors exceed the registers V8 allocates and spill; 2x16 ties with
// 4x8. KC / MC: 128..512 and 48..192 measured within noise of 256 / 96.
#pragma once

#include <cstddef>

#include "kernels/scratch.h"
#include "kernels/vec.h"

namespace rnnlab::kernels {
RNNLAB_KERNEL_NS_BEGIN

// (Not std::min: an out-of-line copy of it made in an ISA-specific translation unit would be a
// shared symbol; see isa_namespace.h.)
constexpr int imin(int a, int b) { return b < a ? b : a; }

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

  // Panel [kc x NR] of op(B) at (pc, jr), nr <= NR columns (zero padded), [kc][NR].
  static void pack_panel(bool tb, int kc, int nr, const float* B, int ldb, int pc, int jr,
                         float* out) {
    if constexpr (V::N == 4) {
      if (nr == NR) {
        int k = 0;
        if (tb) {
          // 4x4 blocks of B (rows = output columns) transposed in registers.
          for (; k + 4 <= kc; k += 4)
            for (int g = 0; g < NR; g += 4) {
              const float* src = B + static_cast<size_t>(jr + g) * ldb + pc + k;
              const size_t ld = static_cast<size_t>(ldb);
              V r0 = V::load(src), r1 = V::load(src + ld), r2 = V::load(src + 2 * ld),
                r3 = V::load(src + 3 * ld);
              V::transpose4(r0, r1, r2, r3);
              r0.store(out + k * NR + g), r1.store(out + (k + 1) * NR + g);
              r2.store(out + (k + 2) * NR + g), r3.store(out + (k + 3) * NR + g);
            }
          for (; k < kc; ++k)
            for (int j = 0; j < NR; ++j)
              out[k * NR + j] = B[static_cast<size_t>(jr + j) * ldb + pc + k];
        } else {
          for (; k < kc; ++k) {
            const float* src = B + static_cast<size_t>(pc + k) * ldb + jr;
            V::load(src).store(out + k * NR), V::load(src + V::N).store(out + k * NR + V::N);
          }
        }
        return;
      }
    }
    if (tb) {
      for (int j = 0; j < nr; ++j) {
        const float* src = B + static_cast<size_t>(jr + j) * ldb + pc;
        for (int k = 0; k < kc; ++k) out[k * NR + j] = src[k];
      }
    } else {
      for (int k = 0; k < kc; ++k) {
        const float* src = B + static_cast<size_t>(pc + k) * ldb + jr;
        for (int j = 0; j < nr; ++j) out[k * NR + j] = src[j];
      }
    }
    if (nr < NR)
      for (int k = 0; k < kc; ++k)
        for (int j = nr; j < NR; ++j) out[k * NR + j] = 0.0f;
  }

  // Layout: for each K block of KC rows, for each NR-column panel, [kc][NR] (zero padded).
  static void pack_b(bool tb, int K, int N, const float* B, int ldb, float* out) {
    for (int pc = 0; pc < K; pc += KC) {
      int kc = imin(KC, K - pc);
      for (int jr = 0; jr < N; jr += NR) {
        pack_panel(tb, kc, imin(NR, N - jr), B, ldb, pc, jr, out);
        out += static_cast<size_t>(kc) * NR;
      }
    }
  }

  // Block [mc x kc] at (ic, pc) of op(A) = A^T (A is [K, M], lda >= M) into MR-row panels,
  // [kc][MR] each (zero padded).
  static void pack_a_transposed(int mc, int kc, const float* A, int lda, int ic, int pc,
                                float* out) {
    for (int ir = 0; ir < mc; ir += MR) {
      const int mr = imin(MR, mc - ir);
      const float* src = A + static_cast<size_t>(pc) * lda + ic + ir;
      if (mr == MR) {
        for (int k = 0; k < kc; ++k, src += lda)
          for (int i = 0; i < MR; ++i) out[k * MR + i] = src[i];
      } else {
        for (int k = 0; k < kc; ++k, src += lda) {
          for (int i = 0; i < mr; ++i) out[k * MR + i] = src[i];
          for (int i = mr; i < MR; ++i) out[k * MR + i] = 0.0f;
        }
      }
      out += kc * MR;
    }
  }

  // C tile [R x nr] = alpha * op(A) Bp + beta * C   (beta == 0: C is not read), R <= MR rows.
  // kPacked: A is a packed panel [kc][MR]; otherwise A points at row 0, column 0 of the tile's
  // rows of a row-major A with row stride lda. Every output element takes the same operations
  // in the same order whatever R is (acc = 0; acc += a_k b_k for k = 0..kc-1; then alpha, beta),
  // so a row's result does not depend on how many rows were computed with it.
  template <int R, bool kPacked>
  static void micro_kernel(int kc, const float* A, int lda, const float* Bp, float* C, int ldc,
                           int nr, float alpha, float beta) {
    V acc[R][2];
    for (int i = 0; i < R; ++i) acc[i][0] = acc[i][1] = V::set1(0.0f);
    if (kPacked) {
      for (int k = 0; k < kc; ++k) {
        V b0 = V::load(Bp + k * NR), b1 = V::load(Bp + k * NR + V::N);
        for (int i = 0; i < R; ++i) {
          V a = V::set1(A[k * MR + i]);
          acc[i][0] = acc[i][0] + a * b0;
          acc[i][1] = acc[i][1] + a * b1;
        }
      }
    } else {
      const float* row[R];
      for (int i = 0; i < R; ++i) row[i] = A + static_cast<size_t>(i) * lda;
      for (int k = 0; k < kc; ++k) {
        V b0 = V::load(Bp + k * NR), b1 = V::load(Bp + k * NR + V::N);
        for (int i = 0; i < R; ++i) {
          V a = V::set1(row[i][k]);
          acc[i][0] = acc[i][0] + a * b0;
          acc[i][1] = acc[i][1] + a * b1;
        }
      }
    }
    V va = V::set1(alpha), vb = V::set1(beta);
    if (nr == NR) {
      for (int i = 0; i < R; ++i) {
        float* c = C + i * ldc;
        V r0 = va * acc[i][0], r1 = va * acc[i][1];
        if (beta != 0.0f) r0 = r0 + vb * V::load(c), r1 = r1 + vb * V::load(c + V::N);
        r0.store(c), r1.store(c + V::N);
      }
      return;
    }
    float tile[R * NR];
    for (int i = 0; i < R; ++i)
      (va * acc[i][0]).store(tile + i * NR), (va * acc[i][1]).store(tile + i * NR + V::N);
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < nr; ++j) {
        float& c = C[i * ldc + j];
        c = beta == 0.0f ? tile[i * NR + j] : tile[i * NR + j] + beta * c;
      }
  }

  // micro_kernel for mr (1..MR) rows: a kernel of exactly mr rows, so a product with fewer
  // rows than MR (batch-1 sampling and forecasting steps, tails) does no wasted work.
  template <bool kPacked, int R = MR>
  static void rows_kernel(int mr, int kc, const float* A, int lda, const float* Bp, float* C,
                          int ldc, int nr, float alpha, float beta) {
    if constexpr (R >= 1) {
      if (mr == R) micro_kernel<R, kPacked>(kc, A, lda, Bp, C, ldc, nr, alpha, beta);
      else rows_kernel<kPacked, R - 1>(mr, kc, A, lda, Bp, C, ldc, nr, alpha, beta);
    }
  }

  // One K block of C [M, N] (alpha, beta as given) from the packed block of op(B): MC x KC
  // blocks of op(A) (packed when transposed), NR-column panels, MR-row tiles. (The hot loop of
  // every product: the micro-kernels are inlined here.)
  static void gemm_packed_block(bool ta, int M, int kc, int pc, int n_panels, int N,
                                float alpha, const float* A, int lda, const float* Bblock,
                                float beta, float* C, int ldc, float* a_buf) {
    for (int ic = 0; ic < M; ic += MC) {
      int mc = imin(MC, M - ic);
      if (ta) pack_a_transposed(mc, kc, A, lda, ic, pc, a_buf);
      for (int jp = 0; jp < n_panels; ++jp) {
        int jr = jp * NR, nr = imin(NR, N - jr);
        const float* Bpanel = Bblock + static_cast<size_t>(jp) * kc * NR;
        for (int ir = 0; ir < mc; ir += MR) {
          float* Ct = C + static_cast<size_t>(ic + ir) * ldc + jr;
          const int mr = imin(MR, mc - ir);
          if (ta)
            rows_kernel<true>(mr, kc, a_buf + ir * kc, MR, Bpanel, Ct, ldc, nr, alpha, beta);
          else
            rows_kernel<false>(mr, kc, A + static_cast<size_t>(ic + ir) * lda + pc, lda, Bpanel,
                               Ct, ldc, nr, alpha, beta);
        }
      }
    }
  }

  // Grow-only scratch for packed blocks of A^T (null when A is read directly).
  static float* a_buffer(bool ta, int M, int K) {
    if (!ta) return nullptr;
    return scratch(Scratch::kPackedA, static_cast<size_t>(round_up(imin(M, MC), MR)) * imin(K, KC));
  }

  // op(A) = A^T times a narrow op(B), N <= NR / 4 columns: the weight gradients of few input
  // features (dW_ih = dG^T X of a univariate series, N = 1), where an MR x NR tile would be
  // mostly padding (1/NR useful lanes, plus a copy of all of A into panels). Here the vector
  // runs down a column of C: V::N consecutive rows of op(A) are consecutive elements of a row
  // of A, so A is read in place with every lane useful. Per element the operations and their
  // order are micro_kernel's (acc = 0; acc += a_k b_k over the K block; alpha, then beta).
  static void gemm_packed_narrow_t(int M, int N, int K, float alpha, const float* A, int lda,
                                   const float* Bp, float beta, float* C, int ldc) {
    constexpr int RV = 4;  // row vectors per pass: independent accumulator chains
    constexpr int W = RV * V::N;
    const V va = V::set1(alpha);
    float tile[W];
    for (int pc = 0; pc < K; pc += KC) {
      const int kc = imin(KC, K - pc);
      const float* Bb = Bp + static_cast<size_t>(pc) * NR;  // N <= NR: one panel per block
      const float* Ab = A + static_cast<size_t>(pc) * lda;
      const float bk = pc == 0 ? beta : 1.0f;
      for (int j = 0; j < N; ++j) {
        auto finish = [&](int i, int rows) {
          for (int l = 0; l < rows; ++l) {
            float& c = C[static_cast<size_t>(i + l) * ldc + j];
            c = bk == 0.0f ? tile[l] : tile[l] + bk * c;
          }
        };
        int i = 0;
        for (; i + W <= M; i += W) {
          V acc[RV];
          for (int r = 0; r < RV; ++r) acc[r] = V::set1(0.0f);
          for (int k = 0; k < kc; ++k) {
            const float* a = Ab + static_cast<size_t>(k) * lda + i;
            const V b = V::set1(Bb[k * NR + j]);
            for (int r = 0; r < RV; ++r) acc[r] = acc[r] + V::load(a + r * V::N) * b;
          }
          for (int r = 0; r < RV; ++r) (va * acc[r]).store(tile + r * V::N);
          finish(i, W);
        }
        for (; i + V::N <= M; i += V::N) {
          V acc = V::set1(0.0f);
          for (int k = 0; k < kc; ++k)
            acc = acc + V::load(Ab + static_cast<size_t>(k) * lda + i) * V::set1(Bb[k * NR + j]);
          (va * acc).store(tile);
          finish(i, V::N);
        }
        for (; i < M; ++i) {
          float acc = 0.0f;
          for (int k = 0; k < kc; ++k) acc = acc + Ab[static_cast<size_t>(k) * lda + i] * Bb[k * NR + j];
          tile[0] = alpha * acc;
          finish(i, 1);
        }
      }
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
    if (ta && N <= NR / 4) {
      gemm_packed_narrow_t(M, N, K, alpha, A, lda, Bp, beta, C, ldc);
      return;
    }
    float* a_buf = a_buffer(ta, M, K);
    const int n_panels = round_up(N, NR) / NR;
    for (int pc = 0; pc < K; pc += KC) {
      int kc = imin(KC, K - pc);
      gemm_packed_block(ta, M, kc, pc, n_panels, N, alpha, A, lda,
                        Bp + static_cast<size_t>(pc) * n_panels * NR, pc == 0 ? beta : 1.0f, C,
                        ldc, a_buf);
    }
  }

  // y [N] = alpha * x [K] op(B) + beta * y over the packed op(B): the one-row product of
  // batch-1 steps (sampling, forecasting, step()). Per element the operations and their
  // order are micro_kernel<1>'s (acc = 0; acc += x_k b_k over each K block; alpha, then
  // beta), so it returns gemm_packed's bits for M = 1. What differs is the schedule:
  // micro_kernel<1> runs one panel's 2 accumulator chains and waits on the add latency; here
  // kPanels panels run side by side (2 * kPanels independent chains, one broadcast of x_k).
  static constexpr int kPanels = 4;

  template <int P>
  static void matvec_panels(int kc, const float* x, const float* Bpanel, size_t panel_stride,
                            float* y, int cols, float alpha, float beta) {
    V acc[P][2];
    for (int p = 0; p < P; ++p) acc[p][0] = acc[p][1] = V::set1(0.0f);
    const float* b[P];
    for (int p = 0; p < P; ++p) b[p] = Bpanel + p * panel_stride;
    for (int k = 0; k < kc; ++k) {
      const V a = V::set1(x[k]);
      for (int p = 0; p < P; ++p) {
        acc[p][0] = acc[p][0] + a * V::load(b[p] + k * NR);
        acc[p][1] = acc[p][1] + a * V::load(b[p] + k * NR + V::N);
      }
    }
    const V va = V::set1(alpha), vb = V::set1(beta);
    for (int p = 0; p < P; ++p) {
      float* c = y + p * NR;
      const int nr = imin(NR, cols - p * NR);
      if (nr == NR) {
        V r0 = va * acc[p][0], r1 = va * acc[p][1];
        if (beta != 0.0f) r0 = r0 + vb * V::load(c), r1 = r1 + vb * V::load(c + V::N);
        r0.store(c), r1.store(c + V::N);
      } else {
        float tile[NR];
        (va * acc[p][0]).store(tile), (va * acc[p][1]).store(tile + V::N);
        for (int j = 0; j < nr; ++j) c[j] = beta == 0.0f ? tile[j] : tile[j] + beta * c[j];
      }
    }
  }

  static void matvec_packed(int N, int K, float alpha, const float* x, const float* Bp,
                            float beta, float* y) {
    if (N <= 0) return;
    if (K <= 0) {
      scale(1, N, beta, y, N);
      return;
    }
    const int n_panels = round_up(N, NR) / NR;
    for (int pc = 0; pc < K; pc += KC) {
      const int kc = imin(KC, K - pc);
      const float* Bb = Bp + static_cast<size_t>(pc) * n_panels * NR;
      const size_t stride = static_cast<size_t>(kc) * NR;
      const float bk = pc == 0 ? beta : 1.0f;
      int jp = 0;
      for (; jp + kPanels <= n_panels; jp += kPanels)
        matvec_panels<kPanels>(kc, x + pc, Bb + jp * stride, stride, y + jp * NR, N - jp * NR,
                               alpha, bk);
      for (; jp < n_panels; ++jp)
        matvec_panels<1>(kc, x + pc, Bb + jp * stride, stride, y + jp * NR, N - jp * NR, alpha,
                         bk);
    }
  }

  // C = alpha * op(A) op(B) + beta * C with op(B) packed on the fly. With fewer rows than MR
  // (one-row products: sampling and forecasting steps) B is packed one KC x NR panel at a time
  // into a small buffer that stays in L1, rather than whole into memory and read back: for one
  // row the packing would otherwise cost as much as the product. Same kernels, same
  // per-element operations as gemm_packed either way.
  static void gemm(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
                   const float* B, int ldb, float beta, float* C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (K > 0 && M < MR) {
      float* panel = scratch(Scratch::kPanelB, static_cast<size_t>(KC) * NR);
      float* a_buf = a_buffer(ta, M, K);
      for (int pc = 0; pc < K; pc += KC) {
        const int kc = imin(KC, K - pc);
        for (int jr = 0; jr < N; jr += NR) {
          const int nr = imin(NR, N - jr);
          pack_panel(tb, kc, nr, B, ldb, pc, jr, panel);
          gemm_packed_block(ta, M, kc, pc, 1, nr, alpha, A, lda, panel,
                            pc == 0 ? beta : 1.0f, C + jr, ldc, a_buf);
        }
      }
      return;
    }
    float* b_buf = scratch(Scratch::kPackedB, packed_b_size(K, N));
    pack_b(tb, K, N, B, ldb, b_buf);
    gemm_packed(ta, M, N, K, alpha, A, lda, b_buf, beta, C, ldc);
  }

  static void scale(int M, int N, float beta, float* C, int ldc) {
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
  }
};

RNNLAB_KERNEL_NS_END
}  // namespace rnnlab::kernels
