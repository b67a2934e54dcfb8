// kernels::all(), active(), use(): which sets this build has and this CPU runs.
#include "kernels/registry.h"

#include <cstring>

namespace rnnlab::kernels {

namespace {

// Sets in order of preference (the last one the CPU runs is the default). A set compiled for
// an ISA this CPU lacks is left out, so nothing can select it by name either.
std::vector<const KernelSet*> make_list() {
  std::vector<const KernelSet*> sets;
#if RNNLAB_HAVE_REFERENCE_SET
  sets.push_back(&kReferenceKernels);
#endif
#if RNNLAB_HAVE_PORTABLE_SET
  sets.push_back(&kPortableKernels);
#endif
#if RNNLAB_HAVE_X86_SETS
  sets.push_back(&kSse2Kernels);
  // GCC's and clang's runtime also check that the OS saves the ymm / zmm registers (XGETBV).
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) sets.push_back(&kAvx2Kernels);
  if (__builtin_cpu_supports("avx512f")) sets.push_back(&kAvx512Kernels);
#endif
#if RNNLAB_HAVE_WASM_SIMD_SET
  sets.push_back(&kWasmSimdKernels);
#endif
  return sets;
}

const KernelSet* g_active = nullptr;

}  // namespace

const std::vector<const KernelSet*>& all() {
  static const std::vector<const KernelSet*> sets = make_list();
  return sets;
}

#if RNNLAB_HAVE_REFERENCE_SET
const KernelSet& reference() { return kReferenceKernels; }
#endif

const KernelSet& active() {
  if (!g_active) g_active = all().back();
  return *g_active;
}

bool use(const char* name) {
  for (const KernelSet* s : all()) {
    if (std::strcmp(s->name, name) == 0) {
      g_active = s;
      return true;
    }
  }
  return false;
}

bool active_is_simd() { return active().simd; }

}  // namespace rnnlab::kernels
