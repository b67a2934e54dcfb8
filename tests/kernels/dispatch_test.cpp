// The kernel registry: which sets this build holds and this CPU runs, which one is active
// (CPUID natively, compile time in wasm; printed, so every log says which kernels ran), and
// choosing one by name. Every KernelSetTest (gemm, gates, maps) runs once per set.
#include "kernel_test_util.h"

namespace rnnlab::kernel_tests {
namespace {

TEST(KernelRegistry, ReferenceFirstAndNamesUnique) {
  const auto& sets = kernels::all();
  ASSERT_FALSE(sets.empty());
  EXPECT_EQ(sets.front(), &kernels::reference());
  EXPECT_STREQ(sets.front()->name, "reference");
  for (size_t i = 0; i < sets.size(); ++i) {
    const KernelSet& s = *sets[i];
    std::printf("[ registry ] %s (%s): gemm %s, gates %s\n", s.name, s.simd ? "SIMD" : "scalar",
                s.gemm_name, s.gates_name);
    EXPECT_TRUE(s.gemm && s.packed_b_size && s.pack_b && s.gemm_packed && s.lstm_forward &&
                s.lstm_backward && s.gru_forward && s.gru_backward && s.gru_classic_rz &&
                s.gru_classic_n && s.gru_classic_n_backward && s.gru_classic_r_backward &&
                s.rnn_forward && s.rnn_backward && s.sigmoid && s.tanh)
        << s.name << " has a null entry";
    // Kernel names: dtype_op[_tile]__isa; a SIMD set's kernels are named after the set's ISA.
    const std::string gemm = s.gemm_name, gates = s.gates_name;
    EXPECT_EQ(gemm.rfind("f32_gemm_", 0), 0u) << gemm;
    EXPECT_EQ(gates.rfind("f32_gates_", 0), 0u) << gates;
    if (s.simd) {
      const std::string isa = std::string("__") + s.name;
      EXPECT_EQ(gemm.substr(gemm.size() - std::min(gemm.size(), isa.size())), isa) << gemm;
      EXPECT_EQ(gates.substr(gates.size() - std::min(gates.size(), isa.size())), isa) << gates;
    }
    EXPECT_EQ(s.simd, std::strcmp(s.name, "reference") != 0 && std::strcmp(s.name, "portable") != 0)
        << s.name;
    // One name per kernel: no two sets name their kernels alike.
    for (size_t j = 0; j < i; ++j) {
      EXPECT_STRNE(s.name, sets[j]->name);
      EXPECT_STRNE(s.gemm_name, sets[j]->gemm_name);
      EXPECT_STRNE(s.gates_name, sets[j]->gates_name);
    }
  }
}

// Which set runs is decided by CPUID natively (every x86-64 build holds sse2, avx2 and avx512)
// and at compile time in wasm. Printed, so every test log says which kernels ran.
TEST(KernelRegistry, DefaultsToTheWidestSetTheMachineRuns) {
  const KernelSet& a = kernels::active();
#if defined(__x86_64__) && !defined(__EMSCRIPTEN__)
  // Asked here independently of registry.cpp.
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f"), avx2 = __builtin_cpu_supports("avx2");
  std::printf("[ dispatch ] CPU: avx512f %s, avx2 %s -> kernel set %s (gemm %s, gates %s)\n",
              avx512 ? "yes" : "no", avx2 ? "yes" : "no", a.name, a.gemm_name, a.gates_name);
  EXPECT_STREQ(a.name, avx512 ? "avx512" : avx2 ? "avx2" : "sse2");
  EXPECT_TRUE(a.simd);
  // Sets the CPU cannot run are not offered.
  EXPECT_EQ(kernels::use("avx512"), avx512);
  EXPECT_EQ(kernels::use("avx2"), avx2);
  EXPECT_TRUE(kernels::use("sse2"));
  EXPECT_TRUE(kernels::use(a.name));
#elif defined(__wasm_simd128__)
  std::printf("[ dispatch ] wasm simd128 build -> kernel set %s (gemm %s)\n", a.name, a.gemm_name);
  EXPECT_STREQ(a.name, "wasmsimd");
  EXPECT_TRUE(a.simd);
#else
  // Other targets: at least the choice must be a set of this build, the last (fastest) one.
  std::printf("[ dispatch ] kernel set %s (gemm %s)\n", a.name, a.gemm_name);
  EXPECT_EQ(&a, kernels::all().back());
#endif
  EXPECT_EQ(&kernels::active(), &a);
  EXPECT_EQ(kernels::active_is_simd(), a.simd);
}

TEST(KernelRegistry, UseSelectsByNameAndRejectsUnknown) {
  const KernelSet* before = &kernels::active();
  EXPECT_FALSE(kernels::use("no-such-kernels"));
  EXPECT_FALSE(kernels::use(""));
  EXPECT_FALSE(kernels::use("native"));  // the ISA names the set
  EXPECT_FALSE(kernels::use("AVX2"));
  EXPECT_EQ(&kernels::active(), before) << "a rejected name must leave the choice unchanged";
  for (const KernelSet* s : kernels::all()) {
    EXPECT_TRUE(kernels::use(s->name)) << s->name;
    EXPECT_EQ(&kernels::active(), s);
  }
  EXPECT_TRUE(kernels::use("reference"));
  EXPECT_FALSE(kernels::active_is_simd());
  EXPECT_TRUE(kernels::use(before->name));
  EXPECT_EQ(&kernels::active(), before);
}

INSTANTIATE_TEST_SUITE_P(KernelSets, KernelSetTest, ::testing::ValuesIn(kernels::all()),
                         set_test_name);

}  // namespace
}  // namespace rnnlab::kernel_tests
