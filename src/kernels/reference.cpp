// Scalar reference kernels: the plainest correct code, with std:: maths. They define what
// every SIMD kernel must compute and are what tests compare against.
#include <cmath>

#include "kernels/registry.h"

namespace rnnlab::kernels {
namespace {

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

void gemm_ref(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
              const float* B, int ldb, float beta, float* C, int ldc) {
  for (int i = 0; i < M; ++i) {
    for (int j = 0; j < N; ++j) {
      float acc = 0.0f;
      for (int k = 0; k < K; ++k) {
        float a = ta ? A[k * lda + i] : A[i * lda + k];
        float b = tb ? B[j * ldb + k] : B[k * ldb + j];
        acc += a * b;
      }
      float& c = C[i * ldc + j];
      c = beta == 0.0f ? alpha * acc : alpha * acc + beta * c;
    }
  }
}

void gemm_packed_ref(bool ta, int M, int N, int K, float alpha, const float* A, int lda,
                     const float* packed_b, float beta, float* C, int ldc) {
  gemm_ref(ta, false, M, N, K, alpha, A, lda, packed_b, N, beta, C, ldc);
}

// y = alpha * x op(B) + beta * y, op(B) plain [K,N]: each element summed over k in order.
void matvec_packed_ref(int N, int K, float alpha, const float* x, const float* packed_b,
                       float beta, float* y) {
  for (int j = 0; j < N; ++j) {
    float acc = 0.0f;
    for (int k = 0; k < K; ++k) acc += x[k] * packed_b[static_cast<size_t>(k) * N + j];
    y[j] = beta == 0.0f ? alpha * acc : alpha * acc + beta * y[j];
  }
}

void lstm_forward_ref(int B, int H, float* gates, const float* c_prev, float* c, float* tanh_c,
                      float* h) {
  for (int b = 0; b < B; ++b) {
    float* g = gates + b * 4 * H;
    for (int j = 0; j < H; ++j) {
      float i = sigmoid(g[j]), f = sigmoid(g[H + j]), gg = std::tanh(g[2 * H + j]),
            o = sigmoid(g[3 * H + j]);
      g[j] = i, g[H + j] = f, g[2 * H + j] = gg, g[3 * H + j] = o;
      int k = b * H + j;
      c[k] = f * c_prev[k] + i * gg;
      tanh_c[k] = std::tanh(c[k]);
      h[k] = o * tanh_c[k];
    }
  }
}

void lstm_backward_ref(int B, int H, const float* gates, const float* c_prev, const float* tanh_c,
                       const float* dh, float* dc, float* dgates) {
  for (int b = 0; b < B; ++b) {
    const float* g = gates + b * 4 * H;
    float* dg = dgates + b * 4 * H;
    for (int j = 0; j < H; ++j) {
      int k = b * H + j;
      float i = g[j], f = g[H + j], gg = g[2 * H + j], o = g[3 * H + j], tc = tanh_c[k];
      float dct = dc[k] + dh[k] * o * (1.0f - tc * tc);
      dg[j] = dct * gg * i * (1.0f - i);
      dg[H + j] = dct * c_prev[k] * f * (1.0f - f);
      dg[2 * H + j] = dct * i * (1.0f - gg * gg);
      dg[3 * H + j] = dh[k] * tc * o * (1.0f - o);
      dc[k] = dct * f;
    }
  }
}

void gru_forward_ref(int B, int H, float* xg, const float* hg, const float* h_prev, float* h) {
  for (int b = 0; b < B; ++b) {
    float* x = xg + b * 3 * H;
    const float* hh = hg + b * 3 * H;
    for (int j = 0; j < H; ++j) {
      float r = sigmoid(x[j] + hh[j]);
      float z = sigmoid(x[H + j] + hh[H + j]);
      float n = std::tanh(x[2 * H + j] + r * hh[2 * H + j]);
      x[j] = r, x[H + j] = z, x[2 * H + j] = n;
      int k = b * H + j;
      h[k] = (1.0f - z) * n + z * h_prev[k];
    }
  }
}

void gru_backward_ref(int B, int H, const float* xg, const float* hg, const float* h_prev,
                      const float* dh, float* dxg, float* dhg, float* dh_prev) {
  for (int b = 0; b < B; ++b) {
    const float* x = xg + b * 3 * H;
    const float* hh = hg + b * 3 * H;
    float* dx = dxg + b * 3 * H;
    float* dhh = dhg + b * 3 * H;
    for (int j = 0; j < H; ++j) {
      int k = b * H + j;
      float r = x[j], z = x[H + j], n = x[2 * H + j];
      float dn = dh[k] * (1.0f - z) * (1.0f - n * n);
      float dz = dh[k] * (h_prev[k] - n) * z * (1.0f - z);
      float dr = dn * hh[2 * H + j] * r * (1.0f - r);
      dx[j] = dr, dx[H + j] = dz, dx[2 * H + j] = dn;
      dhh[j] = dr, dhh[H + j] = dz, dhh[2 * H + j] = dn * r;
      dh_prev[k] = dh[k] * z;
    }
  }
}

void gru_classic_rz_ref(int B, int H, float* xg, const float* hg_rz, const float* h_prev,
                        float* rh) {
  for (int b = 0; b < B; ++b) {
    float* x = xg + b * 3 * H;
    const float* hh = hg_rz + b * 2 * H;
    for (int j = 0; j < H; ++j) {
      float r = sigmoid(x[j] + hh[j]);
      x[j] = r;
      x[H + j] = sigmoid(x[H + j] + hh[H + j]);
      rh[b * H + j] = r * h_prev[b * H + j];
    }
  }
}

void gru_classic_n_ref(int B, int H, float* xg, const float* hn, const float* h_prev, float* h) {
  for (int b = 0; b < B; ++b) {
    float* x = xg + b * 3 * H;
    for (int j = 0; j < H; ++j) {
      int k = b * H + j;
      float n = std::tanh(x[2 * H + j] + hn[k]);
      float z = x[H + j];
      x[2 * H + j] = n;
      h[k] = (1.0f - z) * n + z * h_prev[k];
    }
  }
}

void gru_classic_n_backward_ref(int B, int H, const float* xg, const float* h_prev,
                                const float* dh, float* dg, float* dh_prev) {
  for (int b = 0; b < B; ++b) {
    const float* x = xg + b * 3 * H;
    float* d = dg + b * 3 * H;
    for (int j = 0; j < H; ++j) {
      int k = b * H + j;
      float z = x[H + j], n = x[2 * H + j];
      d[H + j] = dh[k] * (h_prev[k] - n) * z * (1.0f - z);
      d[2 * H + j] = dh[k] * (1.0f - z) * (1.0f - n * n);
      dh_prev[k] = dh[k] * z;
    }
  }
}

void gru_classic_r_backward_ref(int B, int H, const float* xg, const float* h_prev,
                                const float* d_rh, float* dg, float* dh_prev) {
  for (int b = 0; b < B; ++b) {
    const float* x = xg + b * 3 * H;
    float* d = dg + b * 3 * H;
    for (int j = 0; j < H; ++j) {
      int k = b * H + j;
      float r = x[j];
      d[j] = d_rh[k] * h_prev[k] * r * (1.0f - r);
      dh_prev[k] += d_rh[k] * r;
    }
  }
}

void rnn_forward_ref(int n, const float* pre, float* h) {
  for (int i = 0; i < n; ++i) h[i] = std::tanh(pre[i]);
}

void rnn_backward_ref(int n, const float* h, const float* dh, float* dpre) {
  for (int i = 0; i < n; ++i) dpre[i] = dh[i] * (1.0f - h[i] * h[i]);
}

void sigmoid_ref(int n, const float* x, float* y) {
  for (int i = 0; i < n; ++i) y[i] = sigmoid(x[i]);
}

void tanh_ref(int n, const float* x, float* y) {
  for (int i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

}  // namespace

const KernelSet kReferenceKernels = {
    "reference",
    /*simd=*/false,
    "f32_gemm__scalar",
    "f32_gates__std",
    gemm_ref,
    plain_packed_b_size,
    plain_pack_b,
    gemm_packed_ref,
    matvec_packed_ref,
    lstm_forward_ref,
    lstm_backward_ref,
    gru_forward_ref,
    gru_backward_ref,
    gru_classic_rz_ref,
    gru_classic_n_ref,
    gru_classic_n_backward_ref,
    gru_classic_r_backward_ref,
    rnn_forward_ref,
    rnn_backward_ref,
    sigmoid_ref,
    tanh_ref,
};

}  // namespace rnnlab::kernels
