// A tiny fixed pool of worker threads for the products that scale (input projections over all
// steps, weight gradients, the head): the caller runs task 0 itself and the workers the rest,
// then it waits for all of them. std::thread natively and under Emscripten's -pthread; a build
// without threads (the single-thread wasm modules) has a pool of one, which runs everything
// inline. Workers spin for a bounded time after a task (the next region of a training step or
// of a sampling run usually comes within it), then sleep on a condition variable, so an idle
// pool costs nothing.
//
// Results never depend on the thread count: callers split work by a fixed partition of output
// elements (see core/parallel_gemm.h), so every element is computed by the same operations in
// the same order whichever thread runs it.
#pragma once

// A wasm module built without -pthread cannot start threads: its pool is a stub of one thread
// that runs tasks inline, and no std::thread / mutex code is linked into it (download size).
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define RNNLAB_THREADS 0
#else
#define RNNLAB_THREADS 1
#endif

#if RNNLAB_THREADS
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace rnnlab {

#if !RNNLAB_THREADS
class ThreadPool {
 public:
  static constexpr int kMaxThreads = 4;
  explicit ThreadPool(int = 1) {}
  void resize(int) {}
  int size() const { return 1; }
  static bool available() { return false; }
  template <class F>
  void run(int tasks, F&& fn) {
    for (int t = 0; t < tasks; ++t) fn(t);
  }
  template <class F>
  bool try_run(int, F&) {
    return false;
  }
};
#else
class ThreadPool {
 public:
  // The most threads a pool may use (the "at most 4").
  static constexpr int kMaxThreads = 4;

  explicit ThreadPool(int threads = 1) { resize(threads); }
  ~ThreadPool() { stop(); }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads including the caller, clamped to [1, kMaxThreads] (1 where threads are missing).
  void resize(int threads);
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Whether this build can start threads at all.
  static bool available();

  // Runs fn(task) for task = 0 .. tasks-1 (tasks <= size()), task 0 on the calling thread.
  // Returns when all have finished. While the workers serve one caller, another caller (a
  // second user thread, or a task calling run()) runs its tasks inline, one after another:
  // the same partition, so the same results.
  template <class F>
  void run(int tasks, F&& fn) {
    if (!try_run(tasks, fn))
      for (int t = 0; t < tasks; ++t) fn(t);
  }

  // As run(), but only on tasks threads at once: false (and nothing run) when the pool has
  // fewer threads or serves another caller. For work whose tasks wait for each other
  // (a barrier per step), which inline tasks would never pass.
  template <class F>
  bool try_run(int tasks, F& fn) {
    if (tasks <= 1 || tasks > size() || !busy_.try_lock()) return false;
    dispatch(tasks, [](void* f, int t) { (*static_cast<F*>(f))(t); }, &fn);
    busy_.unlock();
    return true;
  }

 private:
  using Task = void (*)(void*, int);
  void dispatch(int tasks, Task task, void* context);
  void worker(int index, unsigned seen);
  void stop();

  std::vector<std::thread> workers_;
  std::mutex busy_;  // held by the caller the workers serve
  // The hand-off: the caller publishes a task and bumps generation_; workers spin on it for a
  // bounded time after their last task (a wake-up through the futex costs tens of
  // microseconds in a browser, more than many parallel regions), then sleep on wake_.
  // The caller spins on pending_ likewise, then sleeps on done_.
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  Task task_ = nullptr;
  void* context_ = nullptr;
  int tasks_ = 0;
  std::atomic<unsigned> generation_{0};  // bumped per dispatch: a worker runs each once
  std::atomic<int> pending_{0};          // worker tasks of the current generation not done
  std::atomic<int> sleepers_{0};         // workers asleep (or going to sleep) on wake_
  std::atomic<bool> caller_sleeps_{false};
  std::atomic<bool> stopping_{false};
};
#endif

// The process-wide pool the core's products use (size 1 until set_threads()).
ThreadPool& thread_pool();
// Sets its size (clamped as ThreadPool::resize); returns the size now in use.
int set_threads(int threads);

}  // namespace rnnlab
