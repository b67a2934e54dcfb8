// WebAssembly simd128: Eigen 3.4 has no wasm packets, so the products use the packed
// micro-kernel gemm over VecWasm (wasm_simd128.h) and the gates use 4-lane vector maths.
// Chosen at compile time: a wasm module either validates with SIMD or does not load at all.
#include "kernels/registry.h"

#if RNNLAB_HAVE_WASM_SIMD_SET
#include "kernels/sets.h"

namespace rnnlab::kernels {
extern const KernelSet kWasmSimdKernels;
constexpr KernelSet kWasmSimdKernels =
    make_packed_set<VecWasm, 4>("wasmsimd", "f32_gemm_4x8__wasmsimd", "f32_gates_x4__wasmsimd");
}  // namespace rnnlab::kernels
#endif
