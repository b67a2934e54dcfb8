// Native default. Large products (input projections, weight gradients, the head) use Eigen's
// gemm, vectorised for this machine by -march=native in Release. The per-step recurrent
// products use the packed micro-kernel over the widest vector this CPU has, with W_hh packed
// once per sequence (Eigen would repack it at every step). Gates use the same vector type;
// every width computes the same bits as the 4-lane wasm kernels (no FMA, same order).
#include "kernels/registry.h"

#if RNNLAB_HAVE_NATIVE_SET
#include "kernels/gemm_eigen.h"
#include "kernels/gemm_packed.h"
#include "kernels/sets.h"

namespace rnnlab::kernels {
namespace {
// MR rows of accumulators: 2 * MR vector registers of the 16 (AVX2) or 32 (AVX-512) there are.
#if defined(__AVX512F__)
using NativeVec = VecAvx512;
constexpr int kRows = 8;
constexpr const char* kName = "f32_gemm__eigen + f32_gemm_packed_8x32__avx512";
#elif defined(__AVX2__)
using NativeVec = VecAvx2;
constexpr int kRows = 6;
constexpr const char* kName = "f32_gemm__eigen + f32_gemm_packed_6x16__avx2";
#else
using NativeVec = VecSse2;
constexpr int kRows = 4;
constexpr const char* kName = "f32_gemm__eigen + f32_gemm_packed_4x8__sse2";
#endif
using StepGemm = PackedGemm<NativeVec, kRows>;
}  // namespace

const KernelSet kNativeKernels =
    make_set<NativeVec>("native", kName, f32_gemm__eigen, StepGemm::packed_b_size,
                        StepGemm::pack_b, StepGemm::gemm_packed);
}  // namespace rnnlab::kernels
#endif
