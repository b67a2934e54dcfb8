// Internal: the kernel sets each translation unit defines, and helpers to build them.
#pragma once

#include "rnnlab/kernels.h"

// Which ISA-specific sets this build contains. x86-64 native builds hold all of them and pick
// at run time (registry.cpp); wasm decides at compile time (-msimd128 or not).
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(__EMSCRIPTEN__)
#define RNNLAB_HAVE_X86_SETS 1
#endif
#if defined(__wasm_simd128__)
#define RNNLAB_HAVE_WASM_SIMD_SET 1
#endif

namespace rnnlab::kernels {

// Defined only where this build has them (RNNLAB_HAVE_REFERENCE_SET, RNNLAB_HAVE_PORTABLE_SET:
// CMake's RNNLAB_REFERENCE_KERNELS, RNNLAB_PORTABLE_KERNELS, both off in the wasm SIMD module)
// or the ISA exists:
extern const KernelSet kReferenceKernels;  // reference.cpp: scalar loops, std:: maths
extern const KernelSet kPortableKernels;   // portable.cpp: Eigen gemm + scalar-lane gates
extern const KernelSet kSse2Kernels;       // sse2.cpp: packed gemm + gates over VecSse2
extern const KernelSet kAvx2Kernels;       // avx2.cpp: over VecAvx2 (compiled with -mavx2)
extern const KernelSet kAvx512Kernels;     // avx512.cpp: over VecAvx512 (-mavx512f)
extern const KernelSet kWasmSimdKernels;   // wasmsimd.cpp: over VecWasm

// "Packing" for gemms that read a plain row-major op(B): a transposed copy.
size_t plain_packed_b_size(int K, int N);
void plain_pack_b(bool trans_b, int K, int N, const float* B, int ldb, float* packed);

}  // namespace rnnlab::kernels
