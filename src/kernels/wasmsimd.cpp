// WebAssembly simd128: Eigen 3.4 has no wasm packets, so the products use the packed
// micro-kernel gemm over VecWasm (wasm_simd128.h) and the gates use 4-lane vector maths.
#include "kernels/registry.h"

#if RNNLAB_HAVE_WASM_SIMD_SET
#include "kernels/gemm_packed.h"
#include "kernels/sets.h"

namespace rnnlab::kernels {
using WasmGemm = PackedGemm<VecWasm>;
const KernelSet kWasmSimdKernels = make_set<VecWasm>(
    "wasmsimd", "f32_gemm_4x8__wasmsimd", WasmGemm::gemm, WasmGemm::packed_b_size,
    WasmGemm::pack_b, WasmGemm::gemm_packed);
}  // namespace rnnlab::kernels
#endif
