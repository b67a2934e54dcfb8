// Any target without a vector ISA we know (wasm without simd128, non-x86 natively):
// Eigen's gemm (auto-vectorised where the compiler can) with the scalar-lane gate template,
// which computes exactly what the 4-lane kernels compute.
#include "kernels/gemm_eigen.h"
#include "kernels/sets.h"

namespace rnnlab::kernels {
const KernelSet kPortableKernels =
    make_set<VecScalar>("portable", /*simd=*/false, "f32_gemm__eigen", "f32_gates_x1__scalar",
                        f32_gemm__eigen, plain_packed_b_size, plain_pack_b,
                        f32_gemm_packed__eigen, f32_matvec_packed__eigen);
}  // namespace rnnlab::kernels
