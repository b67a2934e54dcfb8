// "No heap allocation in the per-step loop": after two warm-up calls of a given shape,
// train_batch and evaluate must not touch the heap at all, and predict may allocate only the
// vector it returns. Checked for every cell (LSTM, both GRU variants, RNN), stacked layers,
// sequence and last outputs, softmax and linear heads, features / embedding / one-hot input,
// under every kernel set of the build, plus char-rnn sized models (B=32, T=64, H=256, one-hot
// 65) under the default kernels and on the Eigen gemm path, whose blocking workspace is the largest.
//
// How: this executable defines malloc, calloc, realloc, free, posix_memalign, aligned_alloc,
// memalign, valloc, pvalloc and reallocarray; they count calls while a flag is set and forward
// to the C library's allocator.
// - glibc: the dynamic linker binds every caller (libstdc++'s operator new, Eigen, the
//   library) to these definitions (ordinary ELF symbol interposition); they forward to glibc's
//   __libc_* entry points. The first call sites seen are recorded with backtrace() and printed
//   when a check fails.
// - Emscripten: its dlmalloc defines malloc, free, ... as weak aliases (system/lib/dlmalloc.c),
//   so these strong definitions replace them at link time for every caller in the module
//   (libc++abi's operator new included); they forward to __libc_malloc & co. and
//   emscripten_builtin_memalign, which stay aliases of dlmalloc. No backtrace there: a failure
//   names the check; the native run of this suite names the call sites.
// - AddressSanitizer (the RNNLAB_SANITIZE build): ASan owns malloc & co., so instead of
//   replacing them the probe counts through the allocator's hooks
//   (__sanitizer_install_malloc_and_free_hooks), which see every malloc, new and free.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "rnnlab/kernels.h"
#include "rnnlab/model.h"
#include "test_util.h"

// tests/CMakeLists.txt builds this suite only for these two C libraries.
#if !defined(__GLIBC__) && !defined(__EMSCRIPTEN__)
#error "allocation_test replaces malloc for glibc or Emscripten only"
#endif

#if defined(__GLIBC__)
#include <execinfo.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define RNNLAB_ALLOC_HOOKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RNNLAB_ALLOC_HOOKS 1
#endif
#endif
#ifndef RNNLAB_ALLOC_HOOKS
#define RNNLAB_ALLOC_HOOKS 0
#endif
#if RNNLAB_ALLOC_HOOKS
#include <sanitizer/allocator_interface.h>
#endif

#if !RNNLAB_ALLOC_HOOKS
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void __libc_free(void* p);
#if defined(__GLIBC__)
void* __libc_memalign(size_t alignment, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);
#else
void* emscripten_builtin_memalign(size_t alignment, size_t size);  // dlmalloc.c, undeclared in 3.1.6
#endif
}

namespace alloc_forward {
#if defined(__GLIBC__)
inline void* memalign(size_t alignment, size_t size) { return __libc_memalign(alignment, size); }
inline void* valloc(size_t size) { return __libc_valloc(size); }
inline void* pvalloc(size_t size) { return __libc_pvalloc(size); }
#else
constexpr size_t kPage = 65536;  // a wasm page
inline void* memalign(size_t alignment, size_t size) { return emscripten_builtin_memalign(alignment, size); }
inline void* valloc(size_t size) { return emscripten_builtin_memalign(kPage, size); }
inline void* pvalloc(size_t size) { return emscripten_builtin_memalign(kPage, (size + kPage - 1) / kPage * kPage); }
#endif
}  // namespace alloc_forward
#endif  // !RNNLAB_ALLOC_HOOKS

namespace alloc_probe {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0}, frees{0};
thread_local bool in_probe = false;  // backtrace() itself may allocate on its first use

constexpr int kMaxSites = 16, kFrames = 48;
struct Site {
  const char* what;
  int frames;
  void* pc[kFrames];
};
Site sites[kMaxSites];
std::atomic<int> site_count{0};

inline void note(const char* what, bool is_free) {
  if (!counting.load(std::memory_order_relaxed) || in_probe) return;
  in_probe = true;
  (is_free ? frees : allocations).fetch_add(1, std::memory_order_relaxed);
  int i = site_count.fetch_add(1, std::memory_order_relaxed);
  if (i < kMaxSites) {
    sites[i].what = what;
#if defined(__GLIBC__)
    sites[i].frames = backtrace(sites[i].pc, kFrames);
#else
    sites[i].frames = 0;
#endif
  }
  in_probe = false;
}

}  // namespace alloc_probe

#if RNNLAB_ALLOC_HOOKS
namespace alloc_probe {
void malloc_hook(const volatile void*, size_t) { note("malloc", false); }
void free_hook(const volatile void* p) {
  if (p) note("free", true);
}
const int installed = __sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook);
}  // namespace alloc_probe
#else
extern "C" {

void* malloc(size_t size) {
  alloc_probe::note("malloc", false);
  return __libc_malloc(size);
}
void* calloc(size_t n, size_t size) {
  alloc_probe::note("calloc", false);
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t size) {
  alloc_probe::note("realloc", false);
  return __libc_realloc(p, size);
}
void* reallocarray(void* p, size_t n, size_t size) {
  alloc_probe::note("reallocarray", false);
  if (size != 0 && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_realloc(p, n * size);
}
void free(void* p) {
  if (p) alloc_probe::note("free", true);
  __libc_free(p);
}
int posix_memalign(void** out, size_t alignment, size_t size) {
  alloc_probe::note("posix_memalign", false);
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = alloc_forward::memalign(alignment, size);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
void* aligned_alloc(size_t alignment, size_t size) {
  alloc_probe::note("aligned_alloc", false);
  return alloc_forward::memalign(alignment, size);
}
void* memalign(size_t alignment, size_t size) {
  alloc_probe::note("memalign", false);
  return alloc_forward::memalign(alignment, size);
}
void* valloc(size_t size) {
  alloc_probe::note("valloc", false);
  return alloc_forward::valloc(size);
}
void* pvalloc(size_t size) {
  alloc_probe::note("pvalloc", false);
  return alloc_forward::pvalloc(size);
}

}  // extern "C"
#endif  // RNNLAB_ALLOC_HOOKS


namespace rnnlab {
namespace {

struct Counts {
  long allocations = 0, frees = 0;
};

// Counts heap calls made by f().
template <class F>
Counts count_heap_calls(F&& f) {
  alloc_probe::allocations = 0;
  alloc_probe::frees = 0;
  alloc_probe::site_count = 0;
  alloc_probe::counting = true;
  f();
  alloc_probe::counting = false;
  return {alloc_probe::allocations.load(), alloc_probe::frees.load()};
}

// Prints the distinct call sites recorded by the last count_heap_calls (stderr, no heap use).
// Link with -rdynamic (tests/CMakeLists.txt) for function names; else use addr2line -Cfe.
std::string print_sites() {
#if !defined(__GLIBC__)
  return "call sites are not recorded in wasm (no backtrace): run the native build of this test";
#else
  using alloc_probe::sites;
  int n = std::min(alloc_probe::site_count.load(), alloc_probe::kMaxSites);
  int distinct = 0;
  for (int i = 0; i < n; ++i) {
    bool seen = false;
    for (int j = 0; j < i && !seen; ++j)
      seen = sites[j].frames == sites[i].frames &&
             std::memcmp(sites[j].pc, sites[i].pc, sizeof(void*) * sites[i].frames) == 0;
    if (seen) continue;
    ++distinct;
    std::fprintf(stderr, "---- heap call site %d: %s ----\n", distinct, sites[i].what);
    std::fflush(stderr);
    backtrace_symbols_fd(sites[i].pc, sites[i].frames, STDERR_FILENO);
  }
  return std::to_string(distinct) + " distinct call site(s) printed to stderr";
#endif
}

// backtrace() loads libgcc_s (which allocates) on its first call: do that before counting.
// (Under ASan, also whether the hooks are in: without them nothing would be counted.)
const bool kBacktraceReady = [] {
#if RNNLAB_ALLOC_HOOKS
  if (!alloc_probe::installed) return false;
#endif
#if defined(__GLIBC__)
  void* pc[4];
  return backtrace(pc, 4) > 0;
#else
  return true;
#endif
}();

struct AllocCase {
  std::string name;
  CellType cell = CellType::kLstm;
  GruVariant variant = GruVariant::kPyTorch;
  std::vector<int> hidden;
  int batch = 3, steps = 5;
  InputEncoding encoding = InputEncoding::kFeatures;
  int input = 2, vocab = 0;
  OutputMode output = OutputMode::kLast;
  HeadType head = HeadType::kLinear;
  int out_size = 2;
  bool mask = false;
  float dropout = 0.0f;
  int tbptt = 0;
  float clip = 0.0f;
  OptimizerType optimizer = OptimizerType::kAdam;
  const char* kernels = "portable";  // every case sets its own (see below)
};

std::ostream& operator<<(std::ostream& os, const AllocCase& c) { return os << c.name; }

class SteadyStateAllocation : public ::testing::TestWithParam<AllocCase> {
 protected:
  void TearDown() override { kernels::use(kernels::all().back()->name); }
};

TEST_P(SteadyStateAllocation, TrainEvaluatePredict) {
  ASSERT_TRUE(kBacktraceReady);
  const AllocCase& c = GetParam();
  ASSERT_TRUE(kernels::use(c.kernels)) << "no kernel set '" << c.kernels << "' in this build";

  ModelConfig cfg;
  cfg.cell = c.cell;
  cfg.gru_variant = c.variant;
  cfg.hidden_sizes = c.hidden;
  cfg.input_encoding = c.encoding;
  cfg.input_size = c.input;
  cfg.vocab_size = c.vocab;
  cfg.output = c.output;
  cfg.head = c.head;
  cfg.output_size = c.out_size;
  cfg.dropout = c.dropout;
  cfg.seed = 7;
  Model model(cfg);

  Rng rng(3);
  const int B = c.batch, T = c.steps, O = c.out_size;
  const int out_steps = c.output == OutputMode::kLast ? 1 : T;
  std::vector<float> x;
  std::vector<int32_t> ids;
  if (cfg.token_input()) ids = test::random_ids(rng, static_cast<size_t>(B) * T, c.vocab);
  else x = test::random_vector(rng, static_cast<size_t>(B) * T * c.input);
  std::vector<float> y = test::random_vector(rng, static_cast<size_t>(B) * out_steps * O);
  std::vector<int32_t> cls = test::random_ids(rng, static_cast<size_t>(B) * out_steps, O);
  std::vector<float> mask;
  if (c.mask) {
    mask.assign(static_cast<size_t>(B) * out_steps, 1.0f);
    for (size_t i = 0; i < mask.size(); i += 3) mask[i] = 0.0f;
  }
  const Input in = cfg.token_input() ? Input::tokens(ids.data(), B, T) : Input::features(x.data(), B, T);
  const float* mp = c.mask ? mask.data() : nullptr;
  const Target tg = c.head == HeadType::kSoftmax ? Target::labels(cls.data(), mp) : Target::values(y.data(), mp);
  TrainOptions opt;
  opt.optimizer.type = c.optimizer;
  opt.optimizer.lr = 1e-3f;
  if (c.optimizer == OptimizerType::kSgd) opt.optimizer.momentum = 0.9f;
  opt.tbptt = c.tbptt;
  opt.clip_norm = c.clip;

  // Warm-up: the first calls of a shape size the grow-only buffers (and the kernels'
  // thread-local packing buffers).
  for (int i = 0; i < 2; ++i) model.train_batch(in, tg, opt);

  for (int i = 0; i < 3; ++i) {
    TrainResult r;
    Counts n = count_heap_calls([&] { r = model.train_batch(in, tg, opt); });
    ASSERT_TRUE(std::isfinite(r.loss));
    ASSERT_EQ(n.allocations + n.frees, 0)
        << "train_batch call " << i + 3 << " made " << n.allocations << " allocations and "
        << n.frees << " frees; " << print_sites();
  }

  // With tbptt, training ran chunks of k steps; evaluate runs all T at once, a larger shape
  // for the layers' grow-only buffers: its first call may size them, once.
  float loss = 0.0f;
  if (c.tbptt > 0) model.evaluate(in, tg);
  Counts ne = count_heap_calls([&] { loss = model.evaluate(in, tg); });
  ASSERT_TRUE(std::isfinite(loss));
  EXPECT_EQ(ne.allocations + ne.frees, 0)
      << "evaluate made " << ne.allocations << " allocations and " << ne.frees << " frees; "
      << print_sites();

  // predict returns a new vector: that one allocation is allowed. The first call after
  // training may also size the softmax probabilities buffer once (grow-only): <= 2.
  for (int i = 0; i < 3; ++i) {
    std::vector<float> out;
    Counts np = count_heap_calls([&] { out = model.predict(in); });
    ASSERT_EQ(out.size(), model.output_elements(B, T));
    const long allowed = i == 0 ? 2 : 1;
    EXPECT_LE(np.allocations, allowed) << "predict call " << i + 1 << "; " << print_sites();
    EXPECT_EQ(np.frees, 0) << "predict call " << i + 1 << "; " << print_sites();
  }

  // Training again after inference (the buffers are shared) stays allocation-free.
  Counts n = count_heap_calls([&] { model.train_batch(in, tg, opt); });
  EXPECT_EQ(n.allocations + n.frees, 0) << "train_batch after predict; " << print_sites();
}

std::vector<AllocCase> cases() {
  using C = CellType;
  using G = GruVariant;
  const OutputMode L = OutputMode::kLast, S = OutputMode::kSequence;
  const HeadType lin = HeadType::kLinear, sm = HeadType::kSoftmax;
  std::vector<AllocCase> base;
  struct CellName {
    C cell;
    G variant;
    const char* name;
  };
  for (CellName cn : {CellName{C::kLstm, G::kPyTorch, "lstm"}, CellName{C::kGru, G::kPyTorch, "gru"},
                      CellName{C::kGru, G::kClassic, "gruclassic"}, CellName{C::kRnn, G::kPyTorch, "rnn"}}) {
    auto make = [&](const char* what) {
      AllocCase a;
      a.name = std::string(cn.name) + "_" + what;
      a.cell = cn.cell;
      a.variant = cn.variant;
      return a;
    };
    AllocCase a = make("last_linear");
    a.hidden = {9}, a.output = L, a.head = lin;
    base.push_back(a);
    a = make("stacked_seq_softmax_mask");
    a.hidden = {6, 5}, a.batch = 4, a.steps = 6, a.input = 3, a.output = S, a.head = sm, a.out_size = 4;
    a.mask = true;
    base.push_back(a);
    a = make("embedding_seq_softmax");
    a.hidden = {8}, a.encoding = InputEncoding::kEmbedding, a.vocab = 11, a.output = S, a.head = sm;
    a.out_size = 11;
    base.push_back(a);
    a = make("onehot_last_linear");
    a.hidden = {7}, a.encoding = InputEncoding::kOneHot, a.vocab = 9, a.output = L, a.head = lin;
    a.out_size = 3;
    base.push_back(a);
    a = make("stacked_dropout_tbptt_clip_sgd");
    a.hidden = {8, 8}, a.steps = 7, a.output = S, a.dropout = 0.3f, a.tbptt = 3, a.clip = 0.5f;
    a.optimizer = OptimizerType::kSgd;
    base.push_back(a);
  }
  // Every small case under every kernel set (in the browser the packed gemm runs these).
  std::vector<AllocCase> v;
  for (const kernels::KernelSet* ks : kernels::all())
    for (AllocCase a : base) {
      a.kernels = ks->name;
      a.name += std::string("_") + ks->name;
      v.push_back(a);
    }
  // Char-rnn size under the build's default set (native: AVX-512/AVX2/SSE2 packed gemm; wasm:
  // simd128), whose packing buffers are largest here.
  const std::string fastest = kernels::all().back()->name;
  for (CellName cn : {CellName{C::kLstm, G::kPyTorch, "lstm"}, CellName{C::kGru, G::kPyTorch, "gru"},
                      CellName{C::kGru, G::kClassic, "gruclassic"}, CellName{C::kRnn, G::kPyTorch, "rnn"}}) {
    AllocCase a;
    a.name = std::string("charrnn_") + cn.name + "_b32_t64_h256_" + fastest;
    a.cell = cn.cell, a.variant = cn.variant, a.hidden = {256}, a.batch = 32, a.steps = 64;
    a.encoding = InputEncoding::kOneHot, a.vocab = 65, a.output = S, a.head = sm, a.out_size = 65;
    a.kernels = kernels::all().back()->name;
    v.push_back(a);
  }
  // The same LSTM stacked; then on the Eigen path ("portable": its gemm blocking workspace,
  // kept on the stack by EIGEN_STACK_ALLOCATION_LIMIT in src/CMakeLists.txt), with sequence
  // and last output.
  AllocCase a = v.back();
  a.name = "charrnn_lstm_stacked2_b32_t64_h256_" + fastest;
  a.cell = C::kLstm, a.variant = G::kPyTorch, a.hidden = {256, 256};
  v.push_back(a);
  a.name = "charrnn_lstm_b32_t64_h256_portable";
  a.hidden = {256}, a.kernels = "portable";
  v.push_back(a);
  a.name = "charrnn_lstm_last_b32_t64_h256_portable";
  a.output = L;
  v.push_back(a);
  return v;
}

INSTANTIATE_TEST_SUITE_P(Models, SteadyStateAllocation, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

// Sampling: generate() allocates its result and its probabilities once per call, never per
// character: its heap calls do not depend on how many characters it draws (every cell, plain
// and top-k / top-p sampling, each kernel set).
TEST(GenerateAllocation, PerCharacterLoopDoesNotAllocate) {
  ASSERT_TRUE(kBacktraceReady);
  for (const kernels::KernelSet* ks : kernels::all()) {
    if (std::strcmp(ks->name, "reference") == 0) continue;
    ASSERT_TRUE(kernels::use(ks->name));
    for (CellType cell : {CellType::kLstm, CellType::kGru, CellType::kRnn}) {
      ModelConfig cfg;
      cfg.cell = cell;
      cfg.hidden_sizes = {ks == kernels::all().back() ? 256 : 24, 16};
      cfg.input_encoding = InputEncoding::kOneHot;
      cfg.vocab_size = 65;
      cfg.output = OutputMode::kSequence;
      cfg.head = HeadType::kSoftmax;
      cfg.output_size = 65;
      Model model(cfg);
      const std::vector<int32_t> prime = {3, 1, 4, 1, 5, 9, 2, 6};
      for (int variant = 0; variant < 2; ++variant) {
        SampleOptions o;
        if (variant == 1) o.top_k = 10, o.top_p = 0.9f;
        model.generate(prime, 50, o);  // sizes the grow-only buffers
        long calls[2];
        const int lengths[2] = {20, 400};
        for (int i = 0; i < 2; ++i) {
          std::vector<int32_t> out;
          Counts n = count_heap_calls([&] { out = model.generate(prime, lengths[i], o); });
          ASSERT_EQ(out.size(), static_cast<size_t>(lengths[i]));
          calls[i] = n.allocations + n.frees;
        }
        EXPECT_EQ(calls[1], calls[0])
            << ks->name << " cell " << static_cast<int>(cell) << " top-k/p " << variant
            << ": 400 characters made " << calls[1] << " heap calls, 20 made " << calls[0]
            << "; " << print_sites();
        EXPECT_LE(calls[0], 8) << ks->name << "; " << print_sites();
      }
    }
  }
  kernels::use(kernels::all().back()->name);
}

// Wide products under every kernel set: the per-step product of an H = 1024 / 2048 LSTM
// (B x 4H x H), a layer-2 input projection and weight gradient with many rows, and a word-level
// softmax head (O = 10000). Eigen's packed block of op(B) is kc x N floats (N unblocked when K
// is): megabytes here, beyond EIGEN_STACK_ALLOCATION_LIMIT, unless the gemm splits N.
struct WideGemm {
  bool ta, tb;
  int M, N, K;
};

class WideGemmAllocation : public ::testing::TestWithParam<const kernels::KernelSet*> {};

TEST_P(WideGemmAllocation, SecondCallDoesNotAllocate) {
  const kernels::KernelSet& ks = *GetParam();
  const WideGemm shapes[] = {
      {false, false, 32, 4096, 1024},  // H = 1024 LSTM step (prepared W_hh^T)
      {false, false, 32, 8192, 2048},  // H = 2048 LSTM step
      {false, true, 200, 4096, 1024},  // input projection of a stacked H = 1024 layer
      {true, false, 200, 2048, 700},   // weight gradient, many rows
      {false, true, 512, 10000, 256},  // word-level softmax head
  };
  for (const WideGemm& g : shapes) {
    const size_t a_size = static_cast<size_t>(g.M) * g.K, b_size = static_cast<size_t>(g.K) * g.N;
    std::vector<float> A(a_size, 0.5f), B(b_size, 0.25f), C(static_cast<size_t>(g.M) * g.N, 0.0f);
    std::vector<float> packed(ks.packed_b_size(g.K, g.N));
    const int lda = g.ta ? g.M : g.K, ldb = g.tb ? g.K : g.N;
    auto run = [&] {
      ks.gemm(g.ta, g.tb, g.M, g.N, g.K, 1.0f, A.data(), lda, B.data(), ldb, 0.0f, C.data(), g.N);
      ks.pack_b(g.tb, g.K, g.N, B.data(), ldb, packed.data());
      ks.gemm_packed(g.ta, g.M, g.N, g.K, 1.0f, A.data(), lda, packed.data(), 1.0f, C.data(), g.N);
    };
    run();  // the packed gemm's thread-local buffers grow once
    Counts n = count_heap_calls(run);
    EXPECT_EQ(n.allocations + n.frees, 0)
        << ks.name << " gemm ta=" << g.ta << " tb=" << g.tb << " M=" << g.M << " N=" << g.N
        << " K=" << g.K << ": " << n.allocations << " allocations; " << print_sites();
    EXPECT_EQ(C[0], 2.0f * 0.125f * g.K);
    EXPECT_EQ(C.back(), 2.0f * 0.125f * g.K);
  }
}

std::vector<const kernels::KernelSet*> fast_sets() {  // the scalar reference is too slow here
  std::vector<const kernels::KernelSet*> v;
  for (const kernels::KernelSet* s : kernels::all())
    if (std::string(s->name) != "reference") v.push_back(s);
  return v;
}

INSTANTIATE_TEST_SUITE_P(KernelSets, WideGemmAllocation, ::testing::ValuesIn(fast_sets()),
                         [](const auto& info) { return std::string(info.param->name); });

// The probe itself works: a vector allocation and its release are seen and attributed.
TEST(AllocationProbe, CountsHeapCalls) {
  // Volatile escapes keep the compiler from eliding new/delete and malloc/free pairs (clang
  // removes an aligned_alloc + free whose pointer goes nowhere else).
  static std::vector<float>* volatile escape;
  static void* volatile block;
  Counts n = count_heap_calls([&] {
    escape = new std::vector<float>(1000);
    delete escape;
    void* p = nullptr;
    if (posix_memalign(&p, 64, 128) == 0) free(p);
    block = aligned_alloc(64, 128);
    free(block);
  });
  EXPECT_EQ(n.allocations, 4);  // the vector object, its storage, posix_memalign, aligned_alloc
  EXPECT_EQ(n.frees, 4);
  Counts none = count_heap_calls([] {});
  EXPECT_EQ(none.allocations + none.frees, 0);
}

}  // namespace
}  // namespace rnnlab
