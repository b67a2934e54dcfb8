// Golden bits: every set built from the Vec template computes the same bits as the 1-lane
// "portable" set and as the native build did (hashes below), for every gate kernel and, for
// the sets built on PackedGemm, every product. This is what lets the wasm build (where these
// suites also run) promise the native results.
#include "gate_runs.h"
#include "kernel_test_util.h"

namespace rnnlab::kernel_tests {
namespace {

struct NamedOutput {
  std::string name;
  std::vector<float> v;
};

// Runs every gate kernel of ks over a fixed set of inputs (the library's Rng is bit-identical
// across platforms), shapes with and without tails, special values included; backward
// kernels take the set's own forward outputs. Returns every output array, named.
std::vector<NamedOutput> run_all_gates(const KernelSet& ks) {
  std::vector<NamedOutput> out;
  Rng rng(31);
  for (int B : kBs)
    for (int H : {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 16, 33})
      for (bool sp : {false, true}) {
        const size_t n = static_cast<size_t>(B) * H;
        const std::string at = " B=" + std::to_string(B) + " H=" + std::to_string(H) + (sp ? " special" : "");
        auto keep = [&](const char* what, const std::vector<float>& v) { out.push_back({what + at, v}); };
        const std::vector<float>* pre = sp ? &Specials::pre() : nullptr;
        const std::vector<float>* grad = sp ? &Specials::grad() : nullptr;
        {  // LSTM
          Floats g = values(rng, 4 * n, -6, 6, pre, H);
          Floats cp = values(rng, n, -3, 3, nullptr);
          LstmForwardOut f = lstm_forward(ks, B, H, g, cp);
          keep("lstm_forward gates", f.gates), keep("lstm_forward c", f.c), keep("lstm_forward tanh_c", f.tanh_c);
          keep("lstm_forward h", f.h);
          Floats dh = values(rng, n, -2, 2, grad, B);
          Floats dc = values(rng, n, -2, 2, nullptr);
          LstmBackwardOut bw = lstm_backward(ks, B, H, f.gates, cp, f.tanh_c, dh, dc);
          keep("lstm_backward dgates", bw.dgates), keep("lstm_backward dc", bw.dc);
        }
        {  // GRU (PyTorch)
          Floats x = values(rng, 3 * n, -6, 6, pre, H + 1);
          Floats hg = values(rng, 3 * n, -3, 3, nullptr);
          Floats hp = values(rng, n, -1, 1, nullptr);
          GruForwardOut f = gru_forward(ks, B, H, x, hg, hp);
          keep("gru_forward xg", f.xg), keep("gru_forward h", f.h);
          Floats dh = values(rng, n, -2, 2, grad, B);
          GruBackwardOut bw = gru_backward(ks, B, H, f.xg, hg, hp, dh);
          keep("gru_backward dxg", bw.dxg), keep("gru_backward dhg", bw.dhg), keep("gru_backward dh_prev", bw.dh_prev);
        }
        {  // GRU (classic)
          Floats x = values(rng, 3 * n, -6, 6, pre, H + 2);
          Floats hrz = values(rng, 2 * n, -3, 3, nullptr);
          Floats hn = values(rng, n, -3, 3, nullptr);
          Floats hp = values(rng, n, -1, 1, nullptr);
          GruClassicRzOut rz = gru_classic_rz(ks, B, H, x, hrz, hp);
          keep("gru_classic_rz xg", rz.xg), keep("gru_classic_rz rh", rz.rh);
          GruClassicNOut nn = gru_classic_n(ks, B, H, rz.xg, hn, hp);
          keep("gru_classic_n xg", nn.xg), keep("gru_classic_n h", nn.h);
          Floats dh = values(rng, n, -2, 2, grad, B);
          GruClassicBackwardOut nb = gru_classic_n_backward(ks, B, H, nn.xg, hp, dh, Floats(3 * n, 0.0f));
          keep("gru_classic_n_backward dg", nb.dg), keep("gru_classic_n_backward dh_prev", nb.dh_prev);
          Floats drh = values(rng, n, -2, 2, grad, H);
          GruClassicBackwardOut rb = gru_classic_r_backward(ks, B, H, nn.xg, hp, drh, nb.dg, nb.dh_prev);
          keep("gru_classic_r_backward dg", rb.dg), keep("gru_classic_r_backward dh_prev", rb.dh_prev);
        }
        {  // RNN and the maps
          Floats x = values(rng, n, -12, 12, pre, H);
          Floats y = rnn_forward(ks, x);
          keep("rnn_forward", y);
          Floats dh = values(rng, n, -2, 2, grad, B);
          keep("rnn_backward", rnn_backward(ks, y, dh));
          ks.sigmoid(static_cast<int>(n), x.data(), y.data());
          keep("sigmoid", y);
          ks.tanh(static_cast<int>(n), x.data(), y.data());
          keep("tanh", y);
        }
      }
  return out;
}

class VecSetTest : public ::testing::TestWithParam<const KernelSet*> {};

TEST_P(VecSetTest, GatesBitIdenticalToScalarLanes) {
  const KernelSet& ks = *GetParam();
  ASSERT_STREQ(portable_set().name, "portable");
  std::vector<NamedOutput> got = run_all_gates(ks), want = run_all_gates(portable_set());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    expect_same_bits(std::string(ks.name) + " " + got[i].name, got[i].v, want[i].v, "portable");
}

// FNV-1a of every output of run_all_gates, computed by the native x86-64 build (GCC 12,
// -ffp-contract=off). Any Vec set, on any target, must reproduce it; a deliberate change to
// the gate or vmath arithmetic updates it (the failure message prints the new value).
constexpr uint64_t kGatesGoldenHash = 0xfb6e84ef4893831eull;

TEST_P(VecSetTest, GatesMatchNativeGoldenBits) {
  const KernelSet& ks = *GetParam();
  uint64_t h = kFnvBasis;
  for (const NamedOutput& o : run_all_gates(ks)) h = hash_bits(o.v, h);
  EXPECT_EQ(h, kGatesGoldenHash) << ks.name << ": gate outputs differ from the native build's bits "
                                 << "(hash 0x" << std::hex << h << ")";
}

INSTANTIATE_TEST_SUITE_P(VecSets, VecSetTest, ::testing::ValuesIn(vec_sets()), set_test_name);

// The products too: every set built on PackedGemm (all but the reference loops and the
// Eigen-based portable set) gives each element the same products summed in the same order,
// whatever its vector width, tile shape or path (row kernels, narrow columns, K split at KC).
// So the native default set and wasm simd128 produce the native build's bits (golden hash,
// printed on failure; a deliberate change of the summation order updates it).
constexpr uint64_t kGemmGoldenHash = 0xfe36c59842ab696bull;

std::vector<const KernelSet*> packed_gemm_sets() {
  std::vector<const KernelSet*> v;
  for (const KernelSet* s : vec_sets())
    if (std::strcmp(s->name, "portable") != 0) v.push_back(s);
  return v;
}

class PackedGemmSetTest : public ::testing::TestWithParam<const KernelSet*> {};

TEST_P(PackedGemmSetTest, GemmMatchesNativeGoldenBits) {
  const KernelSet& ks = *GetParam();
  Rng rng(707);
  uint64_t h = kFnvBasis;
  std::vector<float> got;
  int t = 0;
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (int M : {1, 3, 7, 33, 130})
        for (int N : {1, 2, 5, 40, 67})
          for (int K : {1, 19, 300}) {
            GemmProblem p = make_problem(rng, ta, tb, M, N, K, kAlphaBeta[t++ % 3], false);
            run_gemm(ks, p, got);
            h = hash_bits(got, h);
            std::string failure;
            run_gemm_packed(ks, p, got, failure);
            ASSERT_TRUE(failure.empty()) << failure;
            h = hash_bits(got, h);
          }
  EXPECT_EQ(h, kGemmGoldenHash) << ks.name << ": products differ from the native build's bits "
                                << "(hash 0x" << std::hex << h << ")";
}

INSTANTIATE_TEST_SUITE_P(PackedGemmSets, PackedGemmSetTest, ::testing::ValuesIn(packed_gemm_sets()),
                         set_test_name);

}  // namespace
}  // namespace rnnlab::kernel_tests
