// AVX2: the packed gemm with 6 x 16 tiles (12 accumulators of the 16 ymm registers) and 8-lane
// gates. Compiled with -mavx2 (src/CMakeLists.txt) and used only when the CPU reports AVX2
// (registry.cpp). Each output element gets the same products in the same order as the 4-lane
// kernels and no FMA, so the bits are those of sse2 and wasm simd128.
#include "kernels/registry.h"

#if RNNLAB_HAVE_X86_SETS
#include "kernels/sets.h"

#if !defined(__AVX2__)
#error "avx2.cpp must be compiled with -mavx2 (see src/CMakeLists.txt)"
#endif

namespace rnnlab::kernels {
extern const KernelSet kAvx2Kernels;
constexpr KernelSet kAvx2Kernels =
    make_packed_set<VecAvx2, 6>("avx2", "f32_gemm_6x16__avx2", "f32_gates_x8__avx2");
}  // namespace rnnlab::kernels
#endif
