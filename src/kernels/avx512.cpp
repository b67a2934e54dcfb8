// AVX-512F: the packed gemm with 8 x 32 tiles (16 accumulators of the 32 zmm registers) and
// 16-lane gates. Compiled with -mavx512f (src/CMakeLists.txt) and used only when the CPU and
// the OS support it (registry.cpp). Same bits as the 4-lane kernels (see avx2.cpp).
#include "kernels/registry.h"

#if RNNLAB_HAVE_X86_SETS
#include "kernels/sets.h"

#if !defined(__AVX512F__)
#error "avx512.cpp must be compiled with -mavx512f (see src/CMakeLists.txt)"
#endif

namespace rnnlab::kernels {
extern const KernelSet kAvx512Kernels;
constexpr KernelSet kAvx512Kernels =
    make_packed_set<VecAvx512, 8>("avx512", "f32_gemm_8x32__avx512", "f32_gates_x16__avx512");
}  // namespace rnnlab::kernels
#endif
