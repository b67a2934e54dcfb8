// rnnlab_kernel_bench: the pieces of one training step, timed in isolation with the shapes of
// CONFIGS.md's configurations, for every kernel set in this build. It explains rnnlab_bench's
// figures (which piece costs what). Figures only; nothing is asserted.
//
//   rnnlab_kernel_bench [--only CHAR,TS-M,TS-S] [--reps N] [--reference]
//   rnnlab_kernel_bench --crossover [--kernels SET] [--reps N]   square products n^3 on one thread against the
//                        pool's two (core/parallel_gemm.h's kParallelFlops comes from here)
//   rnnlab_kernel_bench --rows-crossover [--hidden H] [--seq T] [--kernels SET] [--reps N]
//                        an LSTM layer's step loops over B rows on one thread against two
//                        row blocks on two (core/parallel_gemm.h's row_block_align)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "core/thread_pool.h"
#include "kernels/gates_vec.h"
#include "kernels/gemm_packed.h"
#include "rnnlab/kernels.h"
#include "rnnlab/rng.h"

namespace {

namespace k = rnnlab::kernels;
using bench::Clock;

struct Shape {
  const char* id;
  int B, T, H, I, O, G;
  bool onehot;
};

const Shape kShapes[] = {
    {"CHAR", 32, 64, 256, 65, 65, 4, true},
    {"TS-M", 64, 64, 128, 128, 1, 4, false},  // layer 1 (layer 0 has I = 1)
    {"TS-S", 32, 32, 32, 1, 1, 4, false},
    {"GEN", 1, 1, 256, 65, 65, 4, true},      // one generated character
};

std::vector<float> randn(size_t n, uint64_t seed, float scale = 0.5f) {
  rnnlab::Rng r(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = scale * static_cast<float>(r.normal());
  return v;
}

// Median microseconds of `reps` calls of fn (after 3 untimed calls).
double median_us(int reps, const std::function<void()>& fn) {
  for (int i = 0; i < 3; ++i) fn();
  std::vector<double> us;
  for (int i = 0; i < reps; ++i) {
    auto t0 = Clock::now();
    fn();
    us.push_back(bench::ms_since(t0) * 1000.0);
  }
  return bench::summarize(us).median;
}

// One product C [n, n] += A [n, n] B^T on one thread, and split by rows over two threads of
// the pool (as parallel_gemm splits it, without its threshold), for growing n.
void crossover(int reps) {
  const k::KernelSet& ks = k::active();
  rnnlab::ThreadPool& pool = rnnlab::thread_pool();
  rnnlab::set_threads(2);
  std::printf("crossover (%s, %d threads): n, flops, one thread us, two threads us, speed-up\n", ks.name, pool.size());
  for (int n : {16, 24, 32, 48, 64, 80, 96, 128, 192, 256}) {
    auto A = randn(static_cast<size_t>(n) * n, 1), B = randn(static_cast<size_t>(n) * n, 2);
    std::vector<float> C(static_cast<size_t>(n) * n);
    auto part = [&](int first, int last) {
      ks.gemm(false, true, last - first, n, n, 1.0f, A.data() + static_cast<size_t>(first) * n, n,
              B.data(), n, 0.0f, C.data() + static_cast<size_t>(first) * n, n);
    };
    const double one = median_us(reps, [&] { part(0, n); });
    const int half = (n / 2 + 7) / 8 * 8;
    const double two = median_us(reps, [&] { pool.run(2, [&](int t) { t ? part(half, n) : part(0, half); }); });
    std::printf("  %4d %10.0f %9.2f %9.2f %6.2fx\n", n, 2.0 * n * n * n, one, two, one / two);
  }
  rnnlab::set_threads(1);
}

// The LSTM step loop of one layer (forward then backward, T steps each, H units) over B batch
// rows: on one thread, and split in two row blocks over the pool's two threads once per loop
// (as RecurrentLayer::over_rows splits it, without its threshold), for growing B. The row
// split's crossover (core/parallel_gemm.h, row_block_align).
void rows_crossover(int reps, int H, int T) {
  const k::KernelSet& ks = k::active();
  rnnlab::ThreadPool& pool = rnnlab::thread_pool();
  rnnlab::set_threads(2);
  const int GH = 4 * H;
  std::printf("rows crossover (%s, %d threads, LSTM H=%d, T=%d, forward + backward steps): B, rows per thread, one thread us, two threads us, speed-up\n",
              ks.name, pool.size(), H, T);
  auto w_hh = randn(static_cast<size_t>(GH) * H, 1);
  std::vector<float> packed(ks.packed_b_size(H, GH)), packed_t(ks.packed_b_size(GH, H));
  ks.pack_b(true, H, GH, w_hh.data(), H, packed.data());
  ks.pack_b(false, GH, H, w_hh.data(), H, packed_t.data());
  for (int B : {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}) {
    const size_t tb = static_cast<size_t>(T) * B;
    auto pre = randn(tb * GH, 6, 1.5f);
    std::vector<float> gates(pre), h((tb + B) * H), c((tb + B) * H), tanh_c(tb * H);
    std::vector<float> dg(tb * GH), dh(static_cast<size_t>(B) * H), dc(static_cast<size_t>(B) * H);
    auto block = [&](int b0, int nb) {
      const size_t o = static_cast<size_t>(b0) * H;
      for (int t = 0; t < T; ++t) {
        const size_t r = static_cast<size_t>(t) * B;
        float* g = gates.data() + (r + b0) * GH;
        std::memcpy(g, pre.data() + (r + b0) * GH, static_cast<size_t>(nb) * GH * sizeof(float));
        if (nb == 1) ks.matvec_packed(GH, H, 1.0f, h.data() + r * H + o, packed.data(), 1.0f, g);
        else ks.gemm_packed(false, nb, GH, H, 1.0f, h.data() + r * H + o, H, packed.data(), 1.0f, g, GH);
        ks.lstm_forward(nb, H, g, c.data() + r * H + o, c.data() + (r + B) * H + o,
                        tanh_c.data() + r * H + o, h.data() + (r + B) * H + o);
      }
      std::fill_n(dh.data() + o, static_cast<size_t>(nb) * H, 0.01f);
      std::fill_n(dc.data() + o, static_cast<size_t>(nb) * H, 0.0f);
      for (int t = T - 1; t >= 0; --t) {
        const size_t r = static_cast<size_t>(t) * B;
        float* d = dg.data() + (r + b0) * GH;
        ks.lstm_backward(nb, H, gates.data() + (r + b0) * GH, c.data() + r * H + o,
                         tanh_c.data() + r * H + o, dh.data() + o, dc.data() + o, d);
        if (nb == 1) ks.matvec_packed(H, GH, 1.0f, d, packed_t.data(), 0.0f, dh.data() + o);
        else ks.gemm_packed(false, nb, H, GH, 1.0f, d, GH, packed_t.data(), 0.0f, dh.data() + o, H);
      }
    };
    const double one = median_us(reps, [&] { block(0, B); });
    if (B < 2) {
      std::printf("  %4d %5s %10.1f %10s\n", B, "-", one, "-");
      continue;
    }
    const int half = B / 2;
    int inline_runs = 0, runs = 0;
    const double two = median_us(reps, [&] {
      const auto caller = std::this_thread::get_id();
      ++runs;
      pool.run(2, [&](int t) {
        if (t) inline_runs += std::this_thread::get_id() == caller;
        t ? block(half, B - half) : block(0, half);
      });
    });
    std::printf("  %4d %5.1f %10.1f %10.1f %6.2fx  (caller ran both %d/%d)\n", B, B / 2.0, one, two, one / two, inline_runs, runs);
  }
  rnnlab::set_threads(1);
}

struct Row {
  std::string what, set;
  double us;        // per training step (per-step pieces x T)
  double flops;     // 0 when not a product
};

void print_rows(const Shape& s, const std::vector<Row>& rows) {
  std::printf("\n%s: B=%d T=%d H=%d I=%d (G*H=%d)%s; microseconds per %s\n", s.id, s.B, s.T,
              s.H, s.I, s.G * s.H, s.onehot ? ", one-hot input" : "",
              s.T == 1 ? "call (one generated character)" : "training step");
  std::printf("  %-46s %-16s %10s %8s\n", "piece", "kernel set", "us/step", "GFLOP/s");
  for (const auto& r : rows) {
    char gf[16] = "";
    if (r.flops > 0) std::snprintf(gf, sizeof gf, "%.1f", r.flops / (r.us * 1e3));
    std::printf("  %-46s %-16s %10.1f %8s\n", r.what.c_str(), r.set.c_str(), r.us, gf);
  }
  std::fflush(stdout);
}

// The pieces a kernel set is responsible for, at shape s.
void bench_set(const Shape& s, const k::KernelSet& ks, int reps, std::vector<Row>& rows) {
  const int B = s.B, T = s.T, H = s.H, GH = s.G * s.H, I = s.I;
  const size_t rows_tb = static_cast<size_t>(T) * B;
  auto w_hh = randn(static_cast<size_t>(GH) * H, 1), w_ih = randn(static_cast<size_t>(GH) * I, 2);
  auto hs = randn((rows_tb + B) * H, 3), x = randn(rows_tb * I, 4);
  auto dg = randn(rows_tb * GH, 5, 0.01f);
  std::vector<float> gates(rows_tb * GH), dw(static_cast<size_t>(GH) * H), dwi(static_cast<size_t>(GH) * I);
  std::vector<float> packed(ks.packed_b_size(H, GH)), packed_t(ks.packed_b_size(GH, H));
  std::vector<float> dh(static_cast<size_t>(B) * H);
  const double fl_step = 2.0 * B * H * GH;

  double pack = median_us(reps, [&] {
    ks.pack_b(true, H, GH, w_hh.data(), H, packed.data());
    ks.pack_b(false, GH, H, w_hh.data(), H, packed_t.data());
  });
  rows.push_back({"pack W_hh for fwd + bwd (once per call)", ks.name, pack, 0});
  double fwd = median_us(reps, [&] {
    for (int t = 0; t < T; ++t)
      ks.gemm_packed(false, B, GH, H, 1.0f, hs.data() + static_cast<size_t>(t) * B * H, H,
                     packed.data(), 1.0f, gates.data() + static_cast<size_t>(t) * B * GH, GH);
  });
  rows.push_back({"recurrent fwd: T x [B,H]x[H,GH]", ks.name, fwd, fl_step * T});
  if (B == 1) {
    double mv = median_us(reps, [&] {
      for (int t = 0; t < T; ++t)
        ks.matvec_packed(GH, H, 1.0f, hs.data() + static_cast<size_t>(t) * H, packed.data(), 1.0f,
                         gates.data() + static_cast<size_t>(t) * GH);
    });
    rows.push_back({"recurrent fwd, matvec_packed: T x [H]x[H,GH]", ks.name, mv, fl_step * T});
  }
  double bwd = median_us(reps, [&] {
    for (int t = 0; t < T; ++t)
      ks.gemm_packed(false, B, H, GH, 1.0f, dg.data() + static_cast<size_t>(t) * B * GH, GH,
                     packed_t.data(), 0.0f, dh.data(), H);
  });
  rows.push_back({"recurrent bwd: T x [B,GH]x[GH,H]", ks.name, bwd, fl_step * T});
  if (T * B > 1) {
    double dwhh = median_us(reps, [&] {
      ks.gemm(true, false, GH, H, static_cast<int>(rows_tb), 1.0f, dg.data(), GH, hs.data(), H,
              1.0f, dw.data(), H);
    });
    rows.push_back({"dW_hh: [GH,TB]x[TB,H]", ks.name, dwhh, fl_step * T});
    if (!s.onehot) {
      double inp = median_us(reps, [&] {
        ks.gemm(false, true, static_cast<int>(rows_tb), GH, I, 1.0f, x.data(), I, w_ih.data(), I,
                1.0f, gates.data(), GH);
      });
      rows.push_back({"input projection: [TB,I]x[I,GH]", ks.name, inp, 2.0 * rows_tb * I * GH});
      double dwih = median_us(reps, [&] {
        ks.gemm(true, false, GH, I, static_cast<int>(rows_tb), 1.0f, dg.data(), GH, x.data(), I,
                1.0f, dwi.data(), I);
      });
      rows.push_back({"dW_ih: [GH,TB]x[TB,I]", ks.name, dwih, 2.0 * rows_tb * I * GH});
    }
  }
  // Gates: pre-activations of a plausible size, reset before each pass (forward overwrites).
  auto pre = randn(rows_tb * GH, 6, 1.5f);
  auto c = randn((rows_tb + B) * H, 7);
  std::vector<float> tanh_c(rows_tb * H), hout((rows_tb + B) * H), dc(static_cast<size_t>(B) * H);
  std::memcpy(gates.data(), pre.data(), pre.size() * sizeof(float));
  // Branch-free kernels: re-running on their own outputs costs the same as on fresh input.
  double gf = median_us(reps, [&] {
    for (int t = 0; t < T; ++t) {
      size_t o = static_cast<size_t>(t) * B;
      ks.lstm_forward(B, H, gates.data() + o * GH, c.data() + o * H, c.data() + (o + B) * H,
                      tanh_c.data() + o * H, hout.data() + (o + B) * H);
    }
  });
  rows.push_back({"LSTM gates fwd: T x [B,4H]", ks.name, gf, 0});
  double gb = median_us(reps, [&] {
    for (int t = T - 1; t >= 0; --t) {
      size_t o = static_cast<size_t>(t) * B;
      ks.lstm_backward(B, H, gates.data() + o * GH, c.data() + o * H, tanh_c.data() + o * H,
                       dh.data(), dc.data(), dg.data() + o * GH);
    }
  });
  rows.push_back({"LSTM gates bwd: T x [B,4H]", ks.name, gb, 0});
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> only;
  int reps = 15;
  bool reference = false;
  int hidden = 128, seq = 64;  // --rows-crossover's layer
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--only" && i + 1 < argc) {
      std::string v = argv[++i];
      for (size_t p = 0, q; p <= v.size(); p = q + 1) {
        q = v.find(',', p);
        if (q == std::string::npos) q = v.size();
        if (q > p) only.push_back(v.substr(p, q - p));
      }
    } else if (a == "--reps" && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--reference") reference = true;
    else if (a == "--crossover") only.push_back("crossover");
    else if (a == "--rows-crossover") only.push_back("rows-crossover");
    else if (a == "--hidden" && i + 1 < argc) hidden = std::max(1, std::atoi(argv[++i]));
    else if (a == "--seq" && i + 1 < argc) seq = std::max(1, std::atoi(argv[++i]));
    else if (a == "--kernels" && i + 1 < argc) {
      if (!k::use(argv[++i])) {
        std::fprintf(stderr, "unknown or unsupported kernel set '%s'\n", argv[i]);
        return 2;
      }
    }
    else {
      std::fprintf(stderr, "usage: rnnlab_kernel_bench [--only CHAR,TS-M,TS-S,GEN] [--reps N] [--reference] [--crossover [--kernels SET]]\n"
                           "       rnnlab_kernel_bench --rows-crossover [--hidden H] [--seq T] [--kernels SET] [--reps N]\n");
      return 2;
    }
  }
  auto load = bench::loadavg();
  std::printf("rnnlab_kernel_bench: active set %s (gemm %s); median of %d; load %.2f %.2f %.2f\n",
              k::active().name, k::active().gemm_name, reps, load[0], load[1], load[2]);
  if (std::find(only.begin(), only.end(), "crossover") != only.end()) {
    crossover(reps * 20);
    return 0;
  }
  if (std::find(only.begin(), only.end(), "rows-crossover") != only.end()) {
    rows_crossover(reps * 4, hidden, seq);
    return 0;
  }
  for (const Shape& s : kShapes) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.id) == only.end()) continue;
    std::vector<Row> rows;
    if (std::strcmp(s.id, "GEN") == 0) {
      for (const auto* ks : k::all())
        if (std::strcmp(ks->name, "reference") != 0 && std::strcmp(ks->name, "portable") != 0)
          bench_set(s, *ks, reps * 10, rows);
    } else {
      for (const auto* ks : k::all()) {
        if (!reference && (std::strcmp(ks->name, "reference") == 0 || std::strcmp(ks->name, "portable") == 0))
          continue;
        bench_set(s, *ks, reps, rows);
      }
    }
    print_rows(s, rows);
  }
  return 0;
}
