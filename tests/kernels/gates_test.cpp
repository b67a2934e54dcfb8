// The fused gate kernels (LSTM, GRU in both variants, vanilla RNN; forward and backward) of
// every KernelSet against the scalar reference, over a grid of batch and hidden sizes (every
// vector tail) with and without special values. Outputs that pass through exp / tanh must be
// close (kTransRel); pure mul/add outputs, computed in the same order without FMA
// (-ffp-contract=off), must be identical.
#include "gate_runs.h"
#include "kernel_test_util.h"

namespace rnnlab::kernel_tests {
namespace {

TEST_P(KernelSetTest, LstmForward) {
  Rng rng(11);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    Floats gates = values(rng, 4 * n, -6, 6, sp ? &Specials::pre() : nullptr, B + H);
    Floats c_prev = values(rng, n, -3, 3, nullptr);
    LstmForwardOut got = lstm_forward(ks(), B, H, gates, c_prev);
    LstmForwardOut want = lstm_forward(ref(), B, H, gates, c_prev);
    std::vector<double> fc(n);
    for (size_t i = 0; i < n; ++i) fc[i] = 1.0 + std::fabs(c_prev[i]);
    expect_close("gates", got.gates, want.gates, constant_floor(4 * n), cl, ctx);
    expect_close("c", got.c, want.c, fc, cl, ctx);
    expect_close("tanh_c", got.tanh_c, want.tanh_c, fc, cl, ctx);
    expect_close("h", got.h, want.h, fc, cl, ctx);
  });
  report(ks(), "lstm_forward", cl);
}

TEST_P(KernelSetTest, LstmBackward) {
  Rng rng(12);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    Floats gates = lstm_activations(rng, B, H, sp);
    Floats c_prev = values(rng, n, -3, 3, nullptr);
    Floats tanh_c = values(rng, n, -1, 1, sp ? &Specials::sym() : nullptr, 2);
    Floats dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    Floats dc = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H + 1);
    LstmBackwardOut got = lstm_backward(ks(), B, H, gates, c_prev, tanh_c, dh, dc);
    LstmBackwardOut want = lstm_backward(ref(), B, H, gates, c_prev, tanh_c, dh, dc);
    expect_identical("dgates", got.dgates, want.dgates, ctx);
    expect_identical("dc", got.dc, want.dc, ctx);
  });
}

TEST_P(KernelSetTest, GruForward) {
  Rng rng(13);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    // Special values go into W_i x + b_i only: h_prev and the recurrent part stay finite, as
    // they are in training (a non-finite state stops training with kNonFiniteLoss).
    Floats xg = values(rng, 3 * n, -6, 6, sp ? &Specials::pre() : nullptr, H);
    Floats hg = values(rng, 3 * n, -3, 3, nullptr);
    Floats h_prev = values(rng, n, -1, 1, nullptr);
    GruForwardOut got = gru_forward(ks(), B, H, xg, hg, h_prev);
    GruForwardOut want = gru_forward(ref(), B, H, xg, hg, h_prev);
    std::vector<double> fx = constant_floor(3 * n), fh(n);
    for (int b = 0; b < B; ++b)
      for (int j = 0; j < H; ++j) {
        double hn = std::fabs(hg[static_cast<size_t>(b) * 3 * H + 2 * H + j]);
        fx[static_cast<size_t>(b) * 3 * H + 2 * H + j] = 1.0 + hn;
        fh[static_cast<size_t>(b) * H + j] = 1.0 + hn + std::fabs(h_prev[static_cast<size_t>(b) * H + j]);
      }
    expect_close("xg (r, z, n)", got.xg, want.xg, fx, cl, ctx);
    expect_close("h", got.h, want.h, fh, cl, ctx);
  });
  report(ks(), "gru_forward", cl);
}

TEST_P(KernelSetTest, GruBackward) {
  Rng rng(14);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    Floats xg = gru_activations(rng, B, H, sp, -1, 1, Specials::sym(), 2);
    Floats hg = values(rng, 3 * n, -3, 3, nullptr);
    Floats h_prev = values(rng, n, -1, 1, nullptr);
    Floats dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    GruBackwardOut got = gru_backward(ks(), B, H, xg, hg, h_prev, dh);
    GruBackwardOut want = gru_backward(ref(), B, H, xg, hg, h_prev, dh);
    expect_identical("dxg", got.dxg, want.dxg, ctx);
    expect_identical("dhg", got.dhg, want.dhg, ctx);
    expect_identical("dh_prev", got.dh_prev, want.dh_prev, ctx);
  });
}

TEST_P(KernelSetTest, GruClassicRz) {
  Rng rng(15);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    Floats xg = values(rng, 3 * n, -6, 6, sp ? &Specials::pre() : nullptr, H + 2);
    Floats hrz = values(rng, 2 * n, -3, 3, nullptr);
    Floats h_prev = values(rng, n, -1, 1, nullptr);
    GruClassicRzOut got = gru_classic_rz(ks(), B, H, xg, hrz, h_prev);
    GruClassicRzOut want = gru_classic_rz(ref(), B, H, xg, hrz, h_prev);
    expect_close("xg (r, z)", got.xg, want.xg, constant_floor(3 * n), cl, ctx);
    expect_close("r*h_prev", got.rh, want.rh, constant_floor(n), cl, ctx);
  });
  report(ks(), "gru_classic_rz", cl);
}

TEST_P(KernelSetTest, GruClassicN) {
  Rng rng(16);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    // xg holds r, z (activations, from gru_classic_rz) and the n pre-activation.
    Floats xg = gru_activations(rng, B, H, sp, -6, 6, Specials::pre(), 1);
    Floats hn = values(rng, n, -3, 3, nullptr);
    Floats h_prev = values(rng, n, -1, 1, nullptr);
    GruClassicNOut got = gru_classic_n(ks(), B, H, xg, hn, h_prev);
    GruClassicNOut want = gru_classic_n(ref(), B, H, xg, hn, h_prev);
    std::vector<double> fh(n);
    for (size_t i = 0; i < n; ++i) fh[i] = 1.0 + std::fabs(h_prev[i]);
    expect_close("xg (n)", got.xg, want.xg, constant_floor(3 * n), cl, ctx);
    expect_close("h", got.h, want.h, fh, cl, ctx);
  });
  report(ks(), "gru_classic_n", cl);
}

TEST_P(KernelSetTest, GruClassicNBackward) {
  Rng rng(17);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    Floats xg = gru_activations(rng, B, H, sp, -1, 1, Specials::sym(), 1);
    Floats h_prev = values(rng, n, -1, 1, nullptr);
    Floats dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    // dg[:, :H] belongs to gru_classic_r_backward: it must be left as it was.
    Floats dg = values(rng, 3 * n, -1, 1, nullptr);
    GruClassicBackwardOut got = gru_classic_n_backward(ks(), B, H, xg, h_prev, dh, dg);
    GruClassicBackwardOut want = gru_classic_n_backward(ref(), B, H, xg, h_prev, dh, dg);
    expect_identical("dg", got.dg, want.dg, ctx);
    expect_identical("dh_prev", got.dh_prev, want.dh_prev, ctx);
  });
}

TEST_P(KernelSetTest, GruClassicRBackward) {
  Rng rng(18);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    std::string ctx = shape_ctx(ks(), B, H, sp);
    Floats xg = values(rng, 3 * n, 0, 1, sp ? &Specials::unit() : nullptr, H);
    Floats h_prev = values(rng, n, -1, 1, nullptr);
    Floats d_rh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, B);
    Floats dg = values(rng, 3 * n, -1, 1, nullptr);   // dz, dn parts: untouched
    Floats dhp = values(rng, n, -1, 1, nullptr);      // accumulated into
    GruClassicBackwardOut got = gru_classic_r_backward(ks(), B, H, xg, h_prev, d_rh, dg, dhp);
    GruClassicBackwardOut want = gru_classic_r_backward(ref(), B, H, xg, h_prev, d_rh, dg, dhp);
    expect_identical("dg", got.dg, want.dg, ctx);
    expect_identical("dh_prev", got.dh_prev, want.dh_prev, ctx);
  });
}

TEST_P(KernelSetTest, RnnForward) {
  Rng rng(19);
  Closeness cl;
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    Floats pre = values(rng, n, -6, 6, sp ? &Specials::pre() : nullptr, H);
    expect_close("h", rnn_forward(ks(), pre), rnn_forward(ref(), pre), constant_floor(n), cl,
                 shape_ctx(ks(), B, H, sp));
  });
  report(ks(), "rnn_forward", cl);
}

TEST_P(KernelSetTest, RnnBackward) {
  Rng rng(20);
  for_shapes([&](int B, int H, bool sp) {
    const size_t n = static_cast<size_t>(B) * H;
    Floats h = values(rng, n, -1, 1, sp ? &Specials::sym() : nullptr, 1);
    Floats dh = values(rng, n, -2, 2, sp ? &Specials::grad() : nullptr, H);
    expect_identical("dpre", rnn_backward(ks(), h, dh), rnn_backward(ref(), h, dh), shape_ctx(ks(), B, H, sp));
  });
}

}  // namespace
}  // namespace rnnlab::kernel_tests
