#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>

namespace rnnlab {

#if RNNLAB_THREADS
namespace {

// How long a worker spins for the next task after its last one, and the caller for the
// workers to finish, before sleeping (bench/README.md, "Sampling (GEN) and threads"): long
// enough to cover the serial parts between the regions of a training step, short enough
// that an idle page keeps no core busy.
constexpr auto kWorkerSpin = std::chrono::microseconds(1000);
constexpr auto kCallerSpin = std::chrono::microseconds(5000);

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until done() or the time is up (the clock is read every 256 tries: in wasm it is a
// call out to JS). Returns done().
template <class Done>
bool spin(std::chrono::microseconds budget, Done done) {
  if (done()) return true;
  const auto until = std::chrono::steady_clock::now() + budget;
  for (;;) {
    for (int i = 0; i < 256; ++i) {
      if (done()) return true;
      relax();
    }
    if (std::chrono::steady_clock::now() >= until) return done();
  }
}

}  // namespace

bool ThreadPool::available() { return true; }

void ThreadPool::resize(int threads) {
  threads = available() ? std::clamp(threads, 1, kMaxThreads) : 1;
  std::lock_guard<std::mutex> hold(busy_);  // not while the workers serve a caller
  if (threads == size()) return;
  stop();
  stopping_.store(false);
  // A worker starts from the generation current now: one it has not seen is work for it.
  const unsigned start = generation_.load();
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i, start] { worker(i, start); });
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  for (std::thread& w : workers_) w.join();
  workers_.clear();
}

void ThreadPool::dispatch(int tasks, Task task, void* context) {
  task_ = task, context_ = context, tasks_ = tasks;
  // Every worker acknowledges every generation (those without a task too), so none can
  // still be reading this one's task when the next is published.
  pending_.store(size() - 1);
  // Publishes the task (seq_cst, as the sleepers' count: a worker either sees the new
  // generation before it sleeps, or is counted and woken here).
  generation_.fetch_add(1);
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }
  task(context, 0);
  auto finished = [this] { return pending_.load() == 0; };
  if (spin(kCallerSpin, finished)) return;
  std::unique_lock<std::mutex> lock(mutex_);
  caller_sleeps_.store(true);
  done_.wait(lock, finished);
  caller_sleeps_.store(false);
}

void ThreadPool::worker(int index, unsigned seen) {
  for (;;) {
    auto woken = [&] { return generation_.load(std::memory_order_acquire) != seen || stopping_.load(); };
    if (!spin(kWorkerSpin, woken)) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1);
      wake_.wait(lock, woken);
      sleepers_.fetch_sub(1);
    }
    if (stopping_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    if (index < tasks_) task_(context_, index);  // else fewer tasks than threads this time
    if (pending_.fetch_sub(1) == 1 && caller_sleeps_.load()) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

#endif

ThreadPool& thread_pool() {
  static ThreadPool pool(1);
  return pool;
}

int set_threads(int threads) {
  thread_pool().resize(threads);
  return thread_pool().size();
}

}  // namespace rnnlab
