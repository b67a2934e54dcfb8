// Internal: the kernel sets each translation unit defines, and helpers to build them.
#pragma once

#include "rnnlab/kernels.h"

// Which ISA-specific sets this translation of the library contains.
#if defined(__SSE2__)
#define RNNLAB_HAVE_SSE2_SET 1
#define RNNLAB_HAVE_NATIVE_SET 1
#endif
#if defined(__wasm_simd128__)
#define RNNLAB_HAVE_WASM_SIMD_SET 1
#endif

namespace rnnlab::kernels {

extern const KernelSet kReferenceKernels;  // reference.cpp
// Defined only where the ISA exists in this build (see registry.cpp).
extern const KernelSet kSse2Kernels;       // sse2.cpp: packed gemm + gates over VecSse2
extern const KernelSet kNativeKernels;     // native.cpp: packed gemm + gates, widest x86 vector
extern const KernelSet kWasmSimdKernels;   // wasmsimd.cpp: packed gemm + gates over VecWasm
extern const KernelSet kPortableKernels;   // portable.cpp: Eigen gemm + scalar-vector gates

// "Packing" for gemms that read a plain row-major op(B): a transposed copy.
size_t plain_packed_b_size(int K, int N);
void plain_pack_b(bool trans_b, int K, int N, const float* B, int ldb, float* packed);

}  // namespace rnnlab::kernels
