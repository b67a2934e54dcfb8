// x86-64 baseline (every x86-64 CPU has SSE2): the wasm design (packed 4x8 gemm, 4-lane gates)
// over SSE2, so the template code the wasm build ships is exercised by native tests too, and
// the set a CPU without AVX2 runs.
#include "kernels/registry.h"

#if RNNLAB_HAVE_X86_SETS
#include "kernels/sets.h"

namespace rnnlab::kernels {
extern const KernelSet kSse2Kernels;
constexpr KernelSet kSse2Kernels =
    make_packed_set<VecSse2, 4>("sse2", "f32_gemm_4x8__sse2", "f32_gates_x4__sse2");
}  // namespace rnnlab::kernels
#endif
