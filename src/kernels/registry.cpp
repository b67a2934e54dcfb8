#include "kernels/registry.h"

#include <cstring>

namespace rnnlab::kernels {

size_t plain_packed_b_size(int K, int N) { return static_cast<size_t>(K) * N; }

void plain_pack_b(bool trans_b, int K, int N, const float* B, int ldb, float* packed) {
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) packed[k * N + j] = trans_b ? B[j * ldb + k] : B[k * ldb + j];
}

namespace {

std::vector<const KernelSet*> make_list() {
  std::vector<const KernelSet*> sets = {&kReferenceKernels, &kPortableKernels};
#if RNNLAB_HAVE_SSE2_SET
  sets.push_back(&kSse2Kernels);
#endif
#if RNNLAB_HAVE_NATIVE_SET
  sets.push_back(&kNativeKernels);
#endif
#if RNNLAB_HAVE_WASM_SIMD_SET
  sets.push_back(&kWasmSimdKernels);
#endif
  return sets;
}

// The last set listed is the fastest this build has.
const KernelSet* g_active = nullptr;

}  // namespace

const std::vector<const KernelSet*>& all() {
  static const std::vector<const KernelSet*> sets = make_list();
  return sets;
}

const KernelSet& reference() { return kReferenceKernels; }

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

bool active_is_simd() {
  const char* n = active().name;
  return std::strcmp(n, "reference") != 0 && std::strcmp(n, "portable") != 0;
}

}  // namespace rnnlab::kernels
