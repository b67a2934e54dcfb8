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
// call out to JS; natively the thread then yields, so a spinner gives way on a busy machine).
// Returns done().
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
#ifndef __EMSCRIPTEN__
    std::this_thread::yield();
#endif
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
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, start] { worker(start); });
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
  task_ = task, context_ = context;
  unfinished_.store(tasks - 1);
  unclaimed_.store(tasks - 1);  // from here on any thread may claim a task of this call
  // Wakes the workers (seq_cst, as the sleepers' count: a worker either sees the new
  // generation before it sleeps, or is counted and woken here).
  generation_.fetch_add(1);
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }
  task(context, 0);
  run_claimed();
  // What is left runs on workers that claimed it: they are running.
  auto finished = [this] { return unfinished_.load() == 0; };
  if (spin(kCallerSpin, finished)) return;
  std::unique_lock<std::mutex> lock(mutex_);
  caller_sleeps_.store(true);
  done_.wait(lock, finished);
  caller_sleeps_.store(false);
}

void ThreadPool::run_claimed() {
  for (int t; (t = unclaimed_.fetch_sub(1)) > 0;) {
    task_(context_, t);
    if (unfinished_.fetch_sub(1) == 1 && caller_sleeps_.load()) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

void ThreadPool::worker(unsigned seen) {
  for (;;) {
    auto woken = [&] { return generation_.load() != seen || stopping_.load(); };
    if (!spin(kWorkerSpin, woken)) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1);
      wake_.wait(lock, woken);
      sleepers_.fetch_sub(1);
    }
    if (stopping_.load()) return;
    seen = generation_.load();
    run_claimed();
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
