// Native default: Eigen's gemm (vectorised for this machine by -march=native in Release)
// with the SSE2 gate kernels; bit-identical gates to the wasm build.
#include "kernels/registry.h"

#if RNNLAB_HAVE_NATIVE_SET
#include "kernels/gemm_eigen.h"
#include "kernels/sets.h"

namespace rnnlab::kernels {
const KernelSet kNativeKernels =
    make_set<VecSse2>("native", "f32_gemm__eigen", f32_gemm__eigen, plain_packed_b_size,
                      plain_pack_b, f32_gemm_packed__eigen);
}  // namespace rnnlab::kernels
#endif
