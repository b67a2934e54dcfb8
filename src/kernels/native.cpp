// Native default: every product uses the packed micro-kernel over the widest vector this CPU
// has (W_hh packed once per sequence), the gates the same vector type. Every width computes
// the same bits as the 4-lane wasm kernels (each output element: the same products summed in
// the same order, no FMA), so a seed gives the same training run natively and in the browser.
// Eigen's gemm (FMA, its own blocking) was 5-15% faster on the large products of CHAR and
// TS-M; measured and given up for that promise.
#include "kernels/registry.h"

#if RNNLAB_HAVE_NATIVE_SET
#include "kernels/gemm_packed.h"
#include "kernels/sets.h"

namespace rnnlab::kernels {
namespace {
// MR rows of accumulators: 2 * MR vector registers of the 16 (AVX2) or 32 (AVX-512) there are.
#if defined(__AVX512F__)
using NativeVec = VecAvx512;
constexpr int kRows = 8;
constexpr const char* kName = "f32_gemm_packed_8x32__avx512";
#elif defined(__AVX2__)
using NativeVec = VecAvx2;
constexpr int kRows = 6;
constexpr const char* kName = "f32_gemm_packed_6x16__avx2";
#else
using NativeVec = VecSse2;
constexpr int kRows = 4;
constexpr const char* kName = "f32_gemm_packed_4x8__sse2";
#endif
using NativeGemm = PackedGemm<NativeVec, kRows>;
}  // namespace

const KernelSet kNativeKernels =
    make_set<NativeVec>("native", kName, NativeGemm::gemm, NativeGemm::packed_b_size,
                        NativeGemm::pack_b, NativeGemm::gemm_packed);
}  // namespace rnnlab::kernels
#endif
