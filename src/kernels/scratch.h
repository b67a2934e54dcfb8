// Grow-only per-thread work buffers of the packed gemm (packed blocks of op(A) and op(B)).
// Defined once, in scratch.cpp, compiled for the baseline ISA: every kernel set shares them,
// and no ISA-specific translation unit instantiates std::vector (see isa_namespace.h).
#pragma once

#include <cstddef>

namespace rnnlab::kernels {

enum class Scratch { kPackedA, kPackedB, kPanelB, kCount };

// At least n floats for `which`; contents are kept only until the next call for it. Allocates
// only when n exceeds every earlier request, so steady-state training never allocates.
float* scratch(Scratch which, size_t n);

}  // namespace rnnlab::kernels
