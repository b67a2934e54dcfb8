// Builds a KernelSet from a gemm and a Vec type: keeps the tables of each ISA one line long.
#pragma once

#include "kernels/gates_vec.h"
#include "kernels/gemm_packed.h"
#include "kernels/registry.h"

namespace rnnlab::kernels {
RNNLAB_KERNEL_NS_BEGIN

// constexpr: a set is constant-initialised, so no start-up code runs in a translation unit
// compiled for an ISA the CPU may lack.
template <class V>
constexpr KernelSet make_set(const char* name, bool simd, const char* gemm_name,
                             const char* gates_name, GemmFn gemm, PackedSizeFn packed_size,
                             PackBFn pack, GemmPackedFn gemm_packed,
                             MatvecPackedFn matvec_packed) {
  using K = VecKernels<V>;
  return KernelSet{name,
                   simd,
                   gemm_name,
                   gates_name,
                   gemm,
                   packed_size,
                   pack,
                   gemm_packed,
                   matvec_packed,
                   K::lstm_forward,
                   K::lstm_backward,
                   K::gru_forward,
                   K::gru_backward,
                   K::gru_classic_rz,
                   K::gru_classic_n,
                   K::gru_classic_n_backward,
                   K::gru_classic_r_backward,
                   K::rnn_forward,
                   K::rnn_backward,
                   K::sigmoid,
                   K::tanh};
}

// A set whose products and gates both run over V: PackedGemm<V, MR> (tile MR x 2 V::N).
template <class V, int MR>
constexpr KernelSet make_packed_set(const char* name, const char* gemm_name,
                                    const char* gates_name) {
  using G = PackedGemm<V, MR>;
  return make_set<V>(name, /*simd=*/true, gemm_name, gates_name, G::gemm, G::packed_b_size,
                     G::pack_b, G::gemm_packed, G::matvec_packed);
}

RNNLAB_KERNEL_NS_END
}  // namespace rnnlab::kernels
