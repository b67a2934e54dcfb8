// Builds a KernelSet from a gemm and a Vec type: keeps the tables of each ISA one line long.
#pragma once

#include "kernels/gates_vec.h"
#include "kernels/registry.h"

namespace rnnlab::kernels {

template <class V>
constexpr KernelSet make_set(const char* name, const char* gemm_name, GemmFn gemm,
                             PackedSizeFn packed_size, PackBFn pack, GemmPackedFn gemm_packed) {
  using K = VecKernels<V>;
  return KernelSet{name,
                   gemm_name,
                   gemm,
                   packed_size,
                   pack,
                   gemm_packed,
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

}  // namespace rnnlab::kernels
