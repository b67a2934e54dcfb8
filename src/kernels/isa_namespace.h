// The namespace every kernel template (vec.h, vmath.h, gates_vec.h, gemm_packed.h, sets.h) is
// instantiated in. avx2.cpp and avx512.cpp are compiled with their ISA's target flags and set
// RNNLAB_KERNEL_NS to their own name (src/CMakeLists.txt), so their copies live in
// rnnlab::kernels::avx2 / ::avx512: otherwise an inline function they
// instantiate, e.g. Gates<VecScalar>, would be an AVX-512 copy under the same symbol as the
// baseline one, and the linker could hand that copy to a CPU without AVX-512.
// tests/check_kernel_objects.sh checks that those objects define no symbol outside it.
#pragma once

// Elsewhere (the baseline sets, wasm) the templates stay in rnnlab::kernels itself.
#ifdef RNNLAB_KERNEL_NS
#define RNNLAB_KERNEL_NS_BEGIN inline namespace RNNLAB_KERNEL_NS {
#define RNNLAB_KERNEL_NS_END }
#else
#define RNNLAB_KERNEL_NS_BEGIN
#define RNNLAB_KERNEL_NS_END
#endif
