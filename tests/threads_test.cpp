// The thread pool and what runs on it: every task index runs once per call, the pool resizes
// and stops cleanly; products split over 2-4 threads return the bits of one call for every
// kernel set; and training is bit for bit the same with 1 and 2 threads (losses, gradient
// norms and every weight), for the per-step batch rows, input projections, weight gradients
// and the head.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <utility>
#include <cstring>
#include <vector>

#include "core/parallel_gemm.h"
#include "core/thread_pool.h"
#include "rnnlab/kernels.h"
#include "rnnlab/model.h"
#include "test_util.h"

namespace rnnlab {
namespace {

// Restores one thread after each test (the pool is process-wide).
class Threads : public ::testing::Test {
 protected:
  void TearDown() override { set_threads(1); }
};

TEST_F(Threads, EveryTaskRunsOncePerCall) {
  ThreadPool pool(3);
  ASSERT_EQ(pool.size(), ThreadPool::available() ? 3 : 1);
  std::atomic<int> hits[3] = {};
  for (int call = 0; call < 500; ++call) {
    const int tasks = 1 + call % 3;
    pool.run(tasks, [&](int t) { hits[t].fetch_add(1); });
  }
  // tasks = 1, 2, 3 in turn: task 0 every call, task 1 in two of three, task 2 in one.
  EXPECT_EQ(hits[0].load(), 500);
  EXPECT_EQ(hits[1].load(), 333);
  EXPECT_EQ(hits[2].load(), 166);
}

TEST_F(Threads, SizeIsClampedAndResizes) {
  ThreadPool pool(1);
  EXPECT_EQ(pool.size(), 1);
  pool.resize(64);
  EXPECT_EQ(pool.size(), ThreadPool::available() ? ThreadPool::kMaxThreads : 1);
  pool.resize(0);
  EXPECT_EQ(pool.size(), 1);
  pool.resize(2);
  int ran = 0;
  pool.run(2, [&](int t) {
    if (t == 0) ++ran;
  });
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(set_threads(2), ThreadPool::available() ? 2 : 1);
  EXPECT_EQ(thread_pool().size(), set_threads(2));
}


// Blocks cover [0, extent) once, aligned, one per thread; small or unsplittable work is one
// block.
TEST_F(Threads, BlocksCoverTheRangeOnce) {
  set_threads(2);
  const kernels::KernelSet* simd = nullptr;
  for (const kernels::KernelSet* ks : kernels::all())
    if (ks->simd) simd = ks;
  std::vector<std::pair<int, int>> blocks;
  std::mutex m;
  auto record = [&](int first, int last) {
    std::lock_guard<std::mutex> lock(m);
    blocks.emplace_back(first, last);
  };
  if (simd && ThreadPool::available()) {
    parallel_blocks(*simd, 100, 8, 1e9, record);
    std::sort(blocks.begin(), blocks.end());
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0], std::make_pair(0, 48));
    EXPECT_EQ(blocks[1], std::make_pair(48, 100));
    blocks.clear();
    parallel_blocks(*simd, 100, 8, 1000.0, record);  // too small to split
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0], std::make_pair(0, 100));
    blocks.clear();
  }
  parallel_blocks(kernels::reference(), 100, 8, 1e9, record);  // not a packed set
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0], std::make_pair(0, 100));
}

// The split decisions are pure functions of the shapes (core/parallel_gemm.h).
TEST(SplitDecision, BlockCountFollowsThreadsGroupsAndThreshold) {
  EXPECT_EQ(block_count(2, 100, 8, true), 2);
  EXPECT_EQ(block_count(4, 100, 32, true), 4);   // 4 groups of 32
  EXPECT_EQ(block_count(4, 64, 32, true), 2);    // 2 groups
  EXPECT_EQ(block_count(4, 20, 32, true), 1);    // one group
  EXPECT_EQ(block_count(2, 100, 8, false), 1);   // below the threshold
  EXPECT_EQ(block_count(1, 100, 8, true), 1);    // one thread
  EXPECT_EQ(block_count(4, 3, 1, true), 3);
  EXPECT_EQ(block_count(2, 0, 1, true), 1);
}

// RecurrentLayer::over_rows: blocks of row_block_align rows from kParallelFlops of loop work.
int row_blocks(int threads, int rows, double flops) {
  return block_count(threads, rows, row_block_align(rows), flops >= kParallelFlops);
}

TEST(SplitDecision, BatchRowsSplitFromTheFlopThreshold) {
  const double big = 1e12;
  // The scaling sweep's batch axis (LSTM 128, 64 steps): rows split from batch 2 (measured:
  // one row a thread already pays in wasm when both cores are free).
  EXPECT_EQ(row_blocks(2, 1, big), 1);
  EXPECT_EQ(row_blocks(2, 2, big), 2);
  EXPECT_EQ(row_blocks(2, 4, 2.0 * 64 * 4 * 4 * 128 * 128), 2);
  EXPECT_EQ(row_blocks(2, 7, big), 2);
  EXPECT_EQ(row_blocks(2, 16, 2.0 * 64 * 16 * 4 * 128 * 128), 2);
  EXPECT_EQ(row_blocks(2, 256, big), 2);
  EXPECT_EQ(row_blocks(4, 3, big), 3);
  EXPECT_EQ(row_blocks(4, 12, big), 4);
  EXPECT_EQ(row_blocks(4, 16, big), 2);   // whole 8-row groups from 16 rows
  EXPECT_EQ(row_blocks(4, 32, big), 4);
  EXPECT_EQ(row_blocks(2, 64, kParallelFlops / 2), 1);  // a tiny layer
  EXPECT_EQ(row_blocks(1, 64, big), 1);
}

TEST(SplitDecision, CopiesSplitFromTheFloatThreshold) {
  // The bias rows of the input projection (rows x 512 gates): batch 4 x 64 steps stays whole,
  // batch 8 splits.
  EXPECT_EQ(block_count(2, 256, 8, 256.0 * 512 >= kParallelFloats), 1);
  EXPECT_EQ(block_count(2, 512, 8, 512.0 * 512 >= kParallelFloats), 2);
}

TEST(SplitDecision, BlocksAreAlignedAndCoverTheExtent) {
  for (int extent : {1, 5, 8, 9, 16, 24, 100, 512})
    for (int align : {1, 8, 32})
      for (int threads : {2, 3, 4}) {
        const int blocks = block_count(threads, extent, align, true);
        EXPECT_EQ(block_first(extent, align, blocks, 0), 0);
        EXPECT_EQ(block_first(extent, align, blocks, blocks), extent);
        for (int t = 0; t < blocks; ++t) {
          const int first = block_first(extent, align, blocks, t);
          EXPECT_LT(first, block_first(extent, align, blocks, t + 1)) << extent << " " << align;
          EXPECT_EQ(first % align, 0);
        }
      }
}

struct Shape {
  bool ta, tb;
  int M, N, K;
};

TEST_F(Threads, SplitProductsHaveTheBitsOfOneCall) {
  const Shape shapes[] = {
      {false, true, 512, 1024, 65},   // input projection of a one-hot layer, many rows
      {true, false, 1024, 256, 512},  // dW_hh = dG^T H
      {false, true, 512, 65, 256},    // the head
      {true, false, 65, 256, 512},    // dW_head, wider than tall
      {false, false, 96, 200, 100},   // odd sizes
      {true, true, 77, 300, 64},
      {true, false, 512, 1, 4096},    // dW_ih of a univariate input (narrow path)
  };
  Rng rng(17);
  int sets = 0;
  for (const kernels::KernelSet* ks : kernels::all()) {
    if (!ks->simd) continue;  // reference and Eigen's set always run as one call
    ++sets;
    for (const Shape& s : shapes) {
      const int lda = s.ta ? s.M : s.K, ldb = s.tb ? s.K : s.N;
      auto A = test::random_vector(rng, static_cast<size_t>(s.M) * s.K);
      auto B = test::random_vector(rng, static_cast<size_t>(s.K) * s.N);
      auto C0 = test::random_vector(rng, static_cast<size_t>(s.M) * s.N);
      std::vector<float> one = C0;
      ks->gemm(s.ta, s.tb, s.M, s.N, s.K, 1.0f, A.data(), lda, B.data(), ldb, 1.0f, one.data(), s.N);
      for (int threads : {2, 3, 4}) {
        set_threads(threads);
        std::vector<float> split = C0;
        parallel_gemm(*ks, s.ta, s.tb, s.M, s.N, s.K, 1.0f, A.data(), lda, B.data(), ldb, 1.0f,
                      split.data(), s.N);
        ASSERT_EQ(std::memcmp(one.data(), split.data(), one.size() * sizeof(float)), 0)
            << ks->name << " " << threads << " threads, M=" << s.M << " N=" << s.N
            << " K=" << s.K;
      }
      set_threads(1);
    }
  }
#if (defined(__x86_64__) && !defined(__EMSCRIPTEN__)) || defined(__wasm_simd128__)
  EXPECT_GE(sets, 1);
#endif
}

// Two user threads sharing the process-wide pool: one is served by the workers, the other
// runs its blocks inline; both get the bits of a single call.
TEST_F(Threads, ConcurrentCallersGetTheSameBits) {
  set_threads(2);
  const kernels::KernelSet& ks = kernels::active();
  Rng rng(23);
  const int M = 256, N = 512, K = 128;
  auto A = test::random_vector(rng, static_cast<size_t>(M) * K);
  auto B = test::random_vector(rng, static_cast<size_t>(K) * N);
  std::vector<float> want(static_cast<size_t>(M) * N);
  ks.gemm(false, false, M, N, K, 1.0f, A.data(), K, B.data(), N, 0.0f, want.data(), N);
  std::atomic<int> mismatches{0};
  auto caller = [&] {
    std::vector<float> c(want.size());
    for (int i = 0; i < 40; ++i) {
      parallel_gemm(ks, false, false, M, N, K, 1.0f, A.data(), K, B.data(), N, 0.0f, c.data(), N);
      if (std::memcmp(c.data(), want.data(), c.size() * sizeof(float)) != 0) mismatches.fetch_add(1);
    }
  };
  if (ThreadPool::available()) {
    std::thread other(caller);
    caller();
    other.join();
  } else {  // a wasm build without threads: the pool runs inline; still the same bits
    caller();
  }
  EXPECT_EQ(mismatches.load(), 0);
}

struct TrainingRun {
  std::vector<float> losses, norms;
  std::vector<NamedTensor> weights;
};

TrainingRun train(const ModelConfig& cfg, int B, int T, int steps) {
  Model model(cfg);
  Rng rng(5);
  const int out_steps = cfg.output == OutputMode::kLast ? 1 : T;
  std::vector<float> x, y;
  std::vector<int32_t> ids, cls;
  if (cfg.token_input()) {
    ids = test::random_ids(rng, static_cast<size_t>(B) * T, cfg.vocab_size);
    cls = test::random_ids(rng, static_cast<size_t>(B) * out_steps, cfg.output_size);
  } else {
    x = test::random_vector(rng, static_cast<size_t>(B) * T * cfg.input_size);
    y = test::random_vector(rng, static_cast<size_t>(B) * out_steps * cfg.output_size);
  }
  const Input in = cfg.token_input() ? Input::tokens(ids.data(), B, T) : Input::features(x.data(), B, T);
  const Target tg = cfg.head == HeadType::kSoftmax ? Target::labels(cls.data()) : Target::values(y.data());
  TrainOptions opt;
  opt.optimizer.lr = 1e-2f;
  TrainingRun r;
  for (int i = 0; i < steps; ++i) {
    TrainResult t = model.train_batch(in, tg, opt);
    r.losses.push_back(t.loss);
    r.norms.push_back(t.grad_norm);
  }
  r.weights = model.get_weights();
  return r;
}

void expect_same(const TrainingRun& a, const TrainingRun& b, const char* what) {
  ASSERT_EQ(a.losses.size(), b.losses.size());
  for (size_t i = 0; i < a.losses.size(); ++i) {
    EXPECT_EQ(std::memcmp(&a.losses[i], &b.losses[i], sizeof(float)), 0)
        << what << " loss at step " << i << ": " << a.losses[i] << " vs " << b.losses[i];
    EXPECT_EQ(std::memcmp(&a.norms[i], &b.norms[i], sizeof(float)), 0) << what << " step " << i;
  }
  ASSERT_EQ(a.weights.size(), b.weights.size());
  for (size_t w = 0; w < a.weights.size(); ++w) {
    ASSERT_EQ(a.weights[w].tensor.data.size(), b.weights[w].tensor.data.size());
    EXPECT_EQ(std::memcmp(a.weights[w].tensor.data.data(), b.weights[w].tensor.data.data(),
                          a.weights[w].tensor.data.size() * sizeof(float)),
              0)
        << what << ": " << a.weights[w].name << " differs";
  }
}

TEST_F(Threads, TrainingIsBitIdenticalWithOneAndTwoThreads) {
  // A char model (one-hot input, softmax head at every step), a stacked series model
  // (dense input projections), and a GRU: batches large enough for every product to split.
  ModelConfig chr;
  chr.cell = CellType::kLstm;
  chr.hidden_sizes = {128};
  chr.input_encoding = InputEncoding::kOneHot;
  chr.vocab_size = 65;
  chr.output_size = 65;
  chr.output = OutputMode::kSequence;
  chr.head = HeadType::kSoftmax;
  ModelConfig series;
  series.cell = CellType::kLstm;
  series.hidden_sizes = {64, 128};
  series.input_size = 3;
  series.output_size = 2;
  ModelConfig gru = series;
  gru.cell = CellType::kGru;
  ModelConfig gru_classic = gru;
  gru_classic.gru_variant = GruVariant::kClassic;
  ModelConfig rnn = series;
  rnn.cell = CellType::kRnn;
  rnn.hidden_sizes = {96};
  // The step loops split the batch rows (blocks of 8 from B = 16, single rows below): odd
  // batches give uneven blocks, odd T the GRU's swapped gradient buffers.
  struct Case {
    const char* name;
    ModelConfig cfg;
    int B, T;
  } cases[] = {{"char lstm", chr, 32, 24},       {"series lstm", series, 64, 16},
               {"gru", gru, 48, 12},             {"gru odd", gru, 13, 7},
               {"gru classic", gru_classic, 24, 9}, {"rnn", rnn, 5, 33},
               {"lstm batch 3", series, 3, 40}, {"lstm batch 9", series, 9, 20},
               {"rnn batch 12", rnn, 12, 10}};
  for (const Case& c : cases) {
    set_threads(1);
    TrainingRun one = train(c.cfg, c.B, c.T, 4);
    for (int threads : {2, 3}) {
      set_threads(threads);
      TrainingRun more = train(c.cfg, c.B, c.T, 4);
      expect_same(one, more, c.name);
    }
  }
}

// Batch-1 steps split by hidden units (sampling, forecasting, step()): the same ids, outputs
// and probabilities as on one thread, for sizes whose blocks split evenly and unevenly.
TEST_F(Threads, BatchOneStepsAreBitIdenticalWithOneAndMoreThreads) {
  // From 96 units per thread: 300 units split in 3 blocks on 3 threads, 200 and 197 unevenly.
  for (int hidden : {300, 200, 197}) {
    ModelConfig cfg;
    cfg.cell = CellType::kLstm;
    cfg.hidden_sizes = {hidden, 192};
    cfg.input_encoding = InputEncoding::kOneHot;
    cfg.vocab_size = 40;
    cfg.output_size = 40;
    cfg.output = OutputMode::kSequence;
    cfg.head = HeadType::kSoftmax;
    ModelConfig series;
    series.cell = CellType::kLstm;
    series.hidden_sizes = {hidden};
    series.input_size = 2;
    series.output_size = 2;
    series.head = HeadType::kLinear;
    const std::vector<int32_t> prime = {1, 5, 9, 2, 33, 7};
    // 4 steps of 2 features for forecast(), one more step for the five step() calls.
    const float window[] = {0.1f, -0.2f, 0.3f, 0.5f, -0.7f, 0.2f, 0.0f, 0.9f, -0.4f, 0.6f};
    SampleOptions so;
    so.seed = 3;
    struct Out {
      std::vector<int32_t> ids;
      std::vector<float> probs, forecast, stepped;
    };
    auto run = [&] {
      Out o;
      Model chars(cfg), model(series);
      o.ids = chars.generate(prime, 200, so);
      o.probs = chars.next_token_probabilities(o.ids, 1.0f);
      o.forecast = model.forecast(window, 4, 30);
      model.reset_state(1);
      for (int s = 0; s < 5; ++s) {
        auto y = model.step(window + 2 * s);
        o.stepped.insert(o.stepped.end(), y.begin(), y.end());
      }
      return o;
    };
    set_threads(1);
    const Out one = run();
    for (int threads : {2, 3}) {
      set_threads(threads);
      const Out more = run();
      EXPECT_EQ(one.ids, more.ids) << hidden << " units, " << threads << " threads";
      for (auto [a, b] : {std::pair{&one.probs, &more.probs}, std::pair{&one.forecast, &more.forecast},
                          std::pair{&one.stepped, &more.stepped}}) {
        ASSERT_EQ(a->size(), b->size());
        EXPECT_EQ(std::memcmp(a->data(), b->data(), a->size() * sizeof(float)), 0)
            << hidden << " units, " << threads << " threads";
      }
    }
  }
}

}  // namespace
}  // namespace rnnlab
