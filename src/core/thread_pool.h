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
#include <type_traits>
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

  // Runs fn(task) for task = 0 .. tasks-1 (tasks <= size()), task 0 on the calling thread,
  // each task once, on whichever thread claims it first: a worker that is not running (asleep,
  // or descheduled on a busy machine) leaves its task to the caller, which then runs it
  // itself instead of waiting. Returns when all have finished. While the workers serve one
  // caller, another caller (a second user thread, or a task calling run()) runs its tasks
  // inline, one after another. Callers split work by a fixed partition into tasks, so results
  // do not depend on which thread runs which task.
  template <class F>
  void run(int tasks, F&& fn) {
    if (tasks <= 1 || workers_.empty() || !busy_.try_lock()) {
      for (int t = 0; t < tasks; ++t) fn(t);
      return;
    }
    using Fn = std::remove_reference_t<F>;
    dispatch(tasks, [](void* f, int t) { (*static_cast<Fn*>(f))(t); }, &fn);
    busy_.unlock();
  }

 private:
  using Task = void (*)(void*, int);
  void dispatch(int tasks, Task task, void* context);
  // Claims and runs tasks of the current call until none is left.
  void run_claimed();
  void worker(unsigned seen);
  void stop();

  std::vector<std::thread> workers_;
  std::mutex busy_;  // held by the caller the workers serve
  // The hand-off: the caller publishes a task and bumps generation_; workers spin on it for a
  // bounded time after their last task (a wake-up through the futex costs tens of
  // microseconds in a browser, more than a whole batch-1 step), then sleep on wake_. Tasks
  // 1 .. tasks-1 are claimed by counting unclaimed_ down (the claimed value is the task
  // index, so a late claim can only take a task of the call now published). The caller
  // spins on unfinished_ likewise, then sleeps on done_.
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  Task task_ = nullptr;
  void* context_ = nullptr;
  std::atomic<unsigned> generation_{0};  // bumped per call
  std::atomic<int> unclaimed_{0};        // tasks 1 .. unclaimed_ not yet claimed
  std::atomic<int> unfinished_{0};       // tasks 1 .. tasks-1 not yet finished
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
