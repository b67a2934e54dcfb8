// Fused gate kernels, written once over a Vec type (vec.h). One pass per time step reads the
// pre-activations and writes activations, states and outputs, so the gate maths costs one
// sweep over [B, G*H] memory. Each body handles V::N units at column j; the last H % N units
// run the same body with VecScalar, so a unit's result does not depend on its position.
#pragma once

#include "kernels/vmath.h"

namespace rnnlab::kernels {
RNNLAB_KERNEL_NS_BEGIN

template <class V>
struct Gates {
  static V one() { return V::set1(1.0f); }

  static void lstm_forward_at(int H, int j, float* g, const float* c_prev, float* c,
                              float* tanh_c, float* h) {
    V i = vsigmoid(V::load(g + j)), f = vsigmoid(V::load(g + H + j));
    V gg = vtanh(V::load(g + 2 * H + j)), o = vsigmoid(V::load(g + 3 * H + j));
    i.store(g + j), f.store(g + H + j), gg.store(g + 2 * H + j), o.store(g + 3 * H + j);
    V ct = f * V::load(c_prev + j) + i * gg;
    V tc = vtanh(ct);
    ct.store(c + j), tc.store(tanh_c + j), (o * tc).store(h + j);
  }

  static void lstm_backward_at(int H, int j, const float* g, const float* c_prev,
                               const float* tanh_c, const float* dh, float* dc, float* dg) {
    V i = V::load(g + j), f = V::load(g + H + j), gg = V::load(g + 2 * H + j),
      o = V::load(g + 3 * H + j), tc = V::load(tanh_c + j), dht = V::load(dh + j);
    V dct = V::load(dc + j) + dht * o * (one() - tc * tc);
    (dct * gg * i * (one() - i)).store(dg + j);
    (dct * V::load(c_prev + j) * f * (one() - f)).store(dg + H + j);
    (dct * i * (one() - gg * gg)).store(dg + 2 * H + j);
    (dht * tc * o * (one() - o)).store(dg + 3 * H + j);
    (dct * f).store(dc + j);
  }

  static void gru_forward_at(int H, int j, float* x, const float* hh, const float* h_prev,
                             float* h) {
    V r = vsigmoid(V::load(x + j) + V::load(hh + j));
    V z = vsigmoid(V::load(x + H + j) + V::load(hh + H + j));
    V n = vtanh(V::load(x + 2 * H + j) + r * V::load(hh + 2 * H + j));
    r.store(x + j), z.store(x + H + j), n.store(x + 2 * H + j);
    ((one() - z) * n + z * V::load(h_prev + j)).store(h + j);
  }

  static void gru_backward_at(int H, int j, const float* x, const float* hh, const float* h_prev,
                              const float* dh, float* dx, float* dhh, float* dh_prev) {
    V r = V::load(x + j), z = V::load(x + H + j), n = V::load(x + 2 * H + j);
    V dht = V::load(dh + j);
    V dn = dht * (one() - z) * (one() - n * n);
    V dz = dht * (V::load(h_prev + j) - n) * z * (one() - z);
    V dr = dn * V::load(hh + 2 * H + j) * r * (one() - r);
    dr.store(dx + j), dz.store(dx + H + j), dn.store(dx + 2 * H + j);
    dr.store(dhh + j), dz.store(dhh + H + j), (dn * r).store(dhh + 2 * H + j);
    (dht * z).store(dh_prev + j);
  }

  static void gru_classic_rz_at(int H, int j, float* x, const float* hh, const float* h_prev,
                                float* rh) {
    V r = vsigmoid(V::load(x + j) + V::load(hh + j));
    V z = vsigmoid(V::load(x + H + j) + V::load(hh + H + j));
    r.store(x + j), z.store(x + H + j);
    (r * V::load(h_prev + j)).store(rh + j);
  }

  static void gru_classic_n_at(int H, int j, float* x, const float* hn, const float* h_prev,
                               float* h) {  // hn, h_prev, h: [H]; x: [3H]
    V n = vtanh(V::load(x + 2 * H + j) + V::load(hn + j));
    V z = V::load(x + H + j);
    n.store(x + 2 * H + j);
    ((one() - z) * n + z * V::load(h_prev + j)).store(h + j);
  }

  static void gru_classic_n_backward_at(int H, int j, const float* x, const float* h_prev,
                                        const float* dh, float* d, float* dh_prev) {
    V z = V::load(x + H + j), n = V::load(x + 2 * H + j), dht = V::load(dh + j);
    (dht * (V::load(h_prev + j) - n) * z * (one() - z)).store(d + H + j);
    (dht * (one() - z) * (one() - n * n)).store(d + 2 * H + j);
    (dht * z).store(dh_prev + j);
  }

  static void gru_classic_r_backward_at(int /*H*/, int j, const float* x, const float* h_prev,
                                        const float* d_rh, float* d, float* dh_prev) {
    V r = V::load(x + j), drh = V::load(d_rh + j);
    (drh * V::load(h_prev + j) * r * (one() - r)).store(d + j);
    (V::load(dh_prev + j) + drh * r).store(dh_prev + j);
  }
};

// Runs body<V>(j) over the full vectors of [0, n) and body<VecScalar>(j) over the tail.
template <class V, class Body>
inline void for_lanes(int n, Body&& body) {
  int j = 0;
  for (; j + V::N <= n; j += V::N) body(Gates<V>{}, j);
  for (; j < n; ++j) body(Gates<VecScalar>{}, j);
}

template <class V>
struct VecKernels {
  static void lstm_forward(int B, int H, float* gates, const float* c_prev, float* c,
                           float* tanh_c, float* h) {
    for (int b = 0; b < B; ++b) {
      float* g = gates + b * 4 * H;
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.lstm_forward_at(H, j, g, c_prev + o, c + o, tanh_c + o, h + o);
      });
    }
  }
  static void lstm_backward(int B, int H, const float* gates, const float* c_prev,
                            const float* tanh_c, const float* dh, float* dc, float* dgates) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.lstm_backward_at(H, j, gates + 4 * o, c_prev + o, tanh_c + o, dh + o, dc + o,
                           dgates + 4 * o);
      });
    }
  }
  static void gru_forward(int B, int H, float* xg, const float* hg, const float* h_prev,
                          float* h) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.gru_forward_at(H, j, xg + 3 * o, hg + 3 * o, h_prev + o, h + o);
      });
    }
  }
  static void gru_backward(int B, int H, const float* xg, const float* hg, const float* h_prev,
                           const float* dh, float* dxg, float* dhg, float* dh_prev) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.gru_backward_at(H, j, xg + 3 * o, hg + 3 * o, h_prev + o, dh + o, dxg + 3 * o,
                          dhg + 3 * o, dh_prev + o);
      });
    }
  }
  static void gru_classic_rz(int B, int H, float* xg, const float* hg_rz, const float* h_prev,
                             float* rh) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.gru_classic_rz_at(H, j, xg + 3 * o, hg_rz + 2 * o, h_prev + o, rh + o);
      });
    }
  }
  static void gru_classic_n(int B, int H, float* xg, const float* hn, const float* h_prev,
                            float* h) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.gru_classic_n_at(H, j, xg + 3 * o, hn + o, h_prev + o, h + o);
      });
    }
  }
  static void gru_classic_n_backward(int B, int H, const float* xg, const float* h_prev,
                                     const float* dh, float* dg, float* dh_prev) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.gru_classic_n_backward_at(H, j, xg + 3 * o, h_prev + o, dh + o, dg + 3 * o,
                                    dh_prev + o);
      });
    }
  }
  static void gru_classic_r_backward(int B, int H, const float* xg, const float* h_prev,
                                     const float* d_rh, float* dg, float* dh_prev) {
    for (int b = 0; b < B; ++b) {
      int o = b * H;
      for_lanes<V>(H, [&](auto k, int j) {
        k.gru_classic_r_backward_at(H, j, xg + 3 * o, h_prev + o, d_rh + o, dg + 3 * o,
                                    dh_prev + o);
      });
    }
  }
  static void rnn_forward(int n, const float* pre, float* h) {
    for_lanes<V>(n, [&](auto k, int j) {
      using W = decltype(load_type(k));
      vtanh(W::load(pre + j)).store(h + j);
    });
  }
  static void rnn_backward(int n, const float* h, const float* dh, float* dpre) {
    for_lanes<V>(n, [&](auto k, int j) {
      using W = decltype(load_type(k));
      W hv = W::load(h + j);
      (W::load(dh + j) * (W::set1(1.0f) - hv * hv)).store(dpre + j);
    });
  }
  static void sigmoid(int n, const float* x, float* y) {
    for_lanes<V>(n, [&](auto k, int j) {
      using W = decltype(load_type(k));
      vsigmoid(W::load(x + j)).store(y + j);
    });
  }
  static void tanh(int n, const float* x, float* y) {
    for_lanes<V>(n, [&](auto k, int j) {
      using W = decltype(load_type(k));
      vtanh(W::load(x + j)).store(y + j);
    });
  }

 private:
  template <class W>
  static W load_type(Gates<W>);
};

RNNLAB_KERNEL_NS_END
}  // namespace rnnlab::kernels
