// x86-64 native: the wasm design (packed 4x8 gemm, 4-lane gates) over SSE2, so the template
// code the wasm build ships is exercised by native tests too.
#include "kernels/registry.h"

#if RNNLAB_HAVE_SSE2_SET
#include "kernels/gemm_packed.h"
#include "kernels/sets.h"

namespace rnnlab::kernels {
using Sse2Gemm = PackedGemm<VecSse2>;
const KernelSet kSse2Kernels = make_set<VecSse2>(
    "sse2", "f32_gemm_4x8__sse2", Sse2Gemm::gemm, Sse2Gemm::packed_b_size, Sse2Gemm::pack_b,
    Sse2Gemm::gemm_packed);
}  // namespace rnnlab::kernels
#endif
