// The gate kernels run on one KernelSet, inputs in and every output back as vectors (inputs the
// kernel updates in place are taken by value and returned updated), and the activations a
// backward kernel expects as input. Shared by the gate tests (each kernel on a set and on the
// reference, same inputs) and the golden-bit tests (every kernel of a set in a fixed sequence).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "kernel_test_util.h"

namespace rnnlab::kernel_tests {

using Floats = std::vector<float>;

// ---- LSTM -----------------------------------------------------------------------------

struct LstmForwardOut {
  Floats gates, c, tanh_c, h;  // gates: pre-activations in, activations (i, f, g, o) out
};
inline LstmForwardOut lstm_forward(const KernelSet& s, int B, int H, Floats gates, const Floats& c_prev) {
  const size_t n = static_cast<size_t>(B) * H;
  LstmForwardOut o{std::move(gates), Floats(n), Floats(n), Floats(n)};
  s.lstm_forward(B, H, o.gates.data(), c_prev.data(), o.c.data(), o.tanh_c.data(), o.h.data());
  return o;
}

struct LstmBackwardOut {
  Floats dgates, dc;  // dc: the gradient from the next step in, the one to c_prev out
};
inline LstmBackwardOut lstm_backward(const KernelSet& s, int B, int H, const Floats& gates,
                                     const Floats& c_prev, const Floats& tanh_c, const Floats& dh,
                                     Floats dc) {
  LstmBackwardOut o{Floats(4 * static_cast<size_t>(B) * H), std::move(dc)};
  s.lstm_backward(B, H, gates.data(), c_prev.data(), tanh_c.data(), dh.data(), o.dc.data(), o.dgates.data());
  return o;
}

// Gate activations as the LSTM forward pass leaves them, row by row: i, f, o in [0, 1] (with
// special values: Specials::unit()), g in [-1, 1] (Specials::sym()).
inline Floats lstm_activations(Rng& rng, int B, int H, bool sp) {
  Floats gates(4 * static_cast<size_t>(B) * H);
  for (int b = 0; b < B; ++b) {
    Floats s = values(rng, 3 * H, 0, 1, sp ? &Specials::unit() : nullptr, b);
    Floats g = values(rng, H, -1, 1, sp ? &Specials::sym() : nullptr, b + 1);
    float* row = gates.data() + static_cast<size_t>(b) * 4 * H;
    std::copy(s.begin(), s.begin() + 2 * H, row);
    std::copy(g.begin(), g.end(), row + 2 * H);
    std::copy(s.begin() + 2 * H, s.end(), row + 3 * H);
  }
  return gates;
}

// ---- GRU (PyTorch variant) --------------------------------------------------------------

struct GruForwardOut {
  Floats xg, h;  // xg: W_i x + b_i in, activations (r, z, n) out
};
inline GruForwardOut gru_forward(const KernelSet& s, int B, int H, Floats xg, const Floats& hg,
                                 const Floats& h_prev) {
  GruForwardOut o{std::move(xg), Floats(static_cast<size_t>(B) * H)};
  s.gru_forward(B, H, o.xg.data(), hg.data(), h_prev.data(), o.h.data());
  return o;
}

struct GruBackwardOut {
  Floats dxg, dhg, dh_prev;
};
inline GruBackwardOut gru_backward(const KernelSet& s, int B, int H, const Floats& xg, const Floats& hg,
                                   const Floats& h_prev, const Floats& dh) {
  const size_t n = static_cast<size_t>(B) * H;
  GruBackwardOut o{Floats(3 * n), Floats(3 * n), Floats(n)};
  s.gru_backward(B, H, xg.data(), hg.data(), h_prev.data(), dh.data(), o.dxg.data(), o.dhg.data(),
                 o.dh_prev.data());
  return o;
}

// xg [B, 3H] as a GRU's backward kernels (and the classic n half) take it, row by row: r, z
// activations in [0, 1] (with special values: Specials::unit()), then the n part drawn in
// [n_lo, n_hi) with n_specials at phase b + n_phase.
inline Floats gru_activations(Rng& rng, int B, int H, bool sp, float n_lo, float n_hi,
                              const std::vector<float>& n_specials, int n_phase) {
  Floats xg(3 * static_cast<size_t>(B) * H);
  for (int b = 0; b < B; ++b) {
    Floats rz = values(rng, 2 * H, 0, 1, sp ? &Specials::unit() : nullptr, b);
    Floats nn = values(rng, H, n_lo, n_hi, sp ? &n_specials : nullptr, b + n_phase);
    std::copy(rz.begin(), rz.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H);
    std::copy(nn.begin(), nn.end(), xg.begin() + static_cast<ptrdiff_t>(b) * 3 * H + 2 * H);
  }
  return xg;
}

// ---- GRU (classic variant) ---------------------------------------------------------------

struct GruClassicRzOut {
  Floats xg, rh;  // xg: (r, z) pre-activations in, activations out; rh = r * h_prev
};
inline GruClassicRzOut gru_classic_rz(const KernelSet& s, int B, int H, Floats xg, const Floats& hrz,
                                      const Floats& h_prev) {
  GruClassicRzOut o{std::move(xg), Floats(static_cast<size_t>(B) * H)};
  s.gru_classic_rz(B, H, o.xg.data(), hrz.data(), h_prev.data(), o.rh.data());
  return o;
}

struct GruClassicNOut {
  Floats xg, h;  // xg: n pre-activation in, n out
};
inline GruClassicNOut gru_classic_n(const KernelSet& s, int B, int H, Floats xg, const Floats& hn,
                                    const Floats& h_prev) {
  GruClassicNOut o{std::move(xg), Floats(static_cast<size_t>(B) * H)};
  s.gru_classic_n(B, H, o.xg.data(), hn.data(), h_prev.data(), o.h.data());
  return o;
}

struct GruClassicBackwardOut {
  Floats dg, dh_prev;
};
// The n half's backward: writes dg[:, H:3H] and dh_prev (dg[:, :H] must be left as it was).
inline GruClassicBackwardOut gru_classic_n_backward(const KernelSet& s, int B, int H, const Floats& xg,
                                                    const Floats& h_prev, const Floats& dh, Floats dg) {
  GruClassicBackwardOut o{std::move(dg), Floats(static_cast<size_t>(B) * H)};
  s.gru_classic_n_backward(B, H, xg.data(), h_prev.data(), dh.data(), o.dg.data(), o.dh_prev.data());
  return o;
}
// The r half's backward: writes dg[:, :H], accumulates into dh_prev.
inline GruClassicBackwardOut gru_classic_r_backward(const KernelSet& s, int B, int H, const Floats& xg,
                                                    const Floats& h_prev, const Floats& d_rh, Floats dg,
                                                    Floats dh_prev) {
  GruClassicBackwardOut o{std::move(dg), std::move(dh_prev)};
  s.gru_classic_r_backward(B, H, xg.data(), h_prev.data(), d_rh.data(), o.dg.data(), o.dh_prev.data());
  return o;
}

// ---- vanilla RNN and the maps ------------------------------------------------------------

inline Floats rnn_forward(const KernelSet& s, const Floats& pre) {
  Floats h(pre.size());
  s.rnn_forward(static_cast<int>(pre.size()), pre.data(), h.data());
  return h;
}
inline Floats rnn_backward(const KernelSet& s, const Floats& h, const Floats& dh) {
  Floats dpre(h.size());
  s.rnn_backward(static_cast<int>(h.size()), h.data(), dh.data(), dpre.data());
  return dpre;
}

}  // namespace rnnlab::kernel_tests
