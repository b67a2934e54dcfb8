// Module-wide bindings: version, kernels, heap statistics, the status word, the last error
// and the scratch buffer.
#include <emscripten/bind.h>
#include <malloc.h>

#include <cmath>
#include <cstdlib>

#include "boundary.h"
#include "core/c_numbers.h"
#include "core/require.h"
#include "core/thread_pool.h"
#include "rnnlab/kernels.h"

#ifndef RNNLAB_VERSION
#error "RNNLAB_VERSION must be defined by the build (bindings/CMakeLists.txt)"
#endif

// dlmalloc's statistics (emscripten's libc has them; its malloc.h does not declare them).
extern "C" struct mallinfo mallinfo();

namespace rnnlab::bindings {
namespace {

// One grow-only buffer for every bulk input: a long session never grows the heap again once
// it has seen its largest batch.
struct Scratch {
  void* data = nullptr;
  size_t capacity = 0;
};
Scratch g_scratch;

// Address of a buffer of at least `bytes` (16-byte aligned); 0 with the last error set if
// the heap cannot grow. Growing drops the old contents.
uintptr_t scratch_reserve(double bytes) {
  return guarded<uintptr_t>(0, [&]() -> uintptr_t {
    RNNLAB_REQUIRE(std::isfinite(bytes) && bytes >= 0 && bytes <= 2147483648.0, "scratch",
                   "cannot hold " + rnnlab::detail::format_c_g(bytes, 17) + " bytes (2 GB at most)",
                   ErrorCode::kTooLarge);
    const size_t want = static_cast<size_t>(bytes);
    if (want <= g_scratch.capacity && g_scratch.data) return reinterpret_cast<uintptr_t>(g_scratch.data);
    // Grow by at least half again, in 64 KB steps, so a slowly rising size reallocates rarely.
    size_t cap = std::max(want, g_scratch.capacity + g_scratch.capacity / 2);
    cap = (cap + 65535) & ~static_cast<size_t>(65535);
    std::free(g_scratch.data);
    g_scratch = Scratch{};
    void* p = std::aligned_alloc(16, cap);
    if (!p) throw std::bad_alloc();
    g_scratch.data = p;
    g_scratch.capacity = cap;
    return reinterpret_cast<uintptr_t>(p);
  });
}

double scratch_capacity() { return static_cast<double>(g_scratch.capacity); }

uintptr_t status_address() { return reinterpret_cast<uintptr_t>(&status()); }

std::string version() { return RNNLAB_VERSION; }
std::string kernel_name() { return kernels::active().name; }
std::string gemm_name() { return kernels::active().gemm_name; }
bool kernel_is_simd() { return kernels::active_is_simd(); }
// The core's thread pool: its size after the request (1 in a build without threads).
int set_thread_count(int threads) { return set_threads(threads); }
int thread_count() { return thread_pool().size(); }
bool simd_build() {
#ifdef __wasm_simd128__
  return true;
#else
  return false;
#endif
}

// {inUseBytes, heapBytes, scratchBytes}: bytes handed out by malloc, bytes malloc holds from
// the wasm memory, and the scratch buffer's capacity (part of inUseBytes).
emscripten::val heap_stats() {
  struct mallinfo mi = mallinfo();
  emscripten::val out = emscripten::val::object();
  out.set("inUseBytes", static_cast<double>(mi.uordblks));
  out.set("heapBytes", static_cast<double>(mi.arena));
  out.set("scratchBytes", static_cast<double>(g_scratch.capacity));
  return out;
}

}  // namespace
}  // namespace rnnlab::bindings

EMSCRIPTEN_BINDINGS(rnnlab_module) {
  using namespace emscripten;
  using namespace rnnlab::bindings;
  function("_version", &version);
  function("_kernelName", &kernel_name);
  function("_gemmName", &gemm_name);
  function("_kernelIsSimd", &kernel_is_simd);
  function("_setThreads", &set_thread_count);
  function("_threads", &thread_count);
  function("_simdBuild", &simd_build);
  function("_heapStats", &heap_stats);
  function("_statusAddress", &status_address);
  function("_takeError", &take_error);
  function("_scratchReserve", &scratch_reserve);
  function("_scratchCapacity", &scratch_capacity);
}
