#include "core/thread_pool.h"

#include <algorithm>

namespace rnnlab {

#if RNNLAB_THREADS
bool ThreadPool::available() { return true; }

void ThreadPool::resize(int threads) {
  threads = available() ? std::clamp(threads, 1, kMaxThreads) : 1;
  std::lock_guard<std::mutex> hold(busy_);  // not while the workers serve a caller
  if (threads == size()) return;
  stop();
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = false;
  // A worker starts from the generation current now: one it has not seen is work for it.
  const unsigned start = generation_;
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i, start] { worker(i, start); });
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& w : workers_) w.join();
  workers_.clear();
}

void ThreadPool::dispatch(int tasks, Task task, void* context) {
  tasks = std::min(tasks, size());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = task, context_ = context, tasks_ = tasks;
    pending_ = tasks - 1;
    ++generation_;
  }
  wake_.notify_all();
  task(context, 0);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
}

void ThreadPool::worker(int index, unsigned seen) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    if (index >= tasks_) continue;  // fewer tasks than threads this time
    Task task = task_;
    void* context = context_;
    lock.unlock();
    task(context, index);
    lock.lock();
    if (--pending_ == 0) done_.notify_one();
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
