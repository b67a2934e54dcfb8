// Weight initialisers, deterministic across platforms (see rng.h).
#pragma once

#include "rnnlab/rng.h"

namespace rnnlab {

// rows x cols block (row stride ld) uniform in +-sqrt(6 / (fan_in + fan_out)) (Glorot &
// Bengio 2010), fan_in = cols, fan_out = rows.
void glorot_uniform(Rng& rng, int rows, int cols, float* w, int ld);

// n x n orthogonal block (Saxe et al. 2014): QR of a Gaussian matrix by modified
// Gram-Schmidt in double, signs fixed so the draw is uniform (as torch.nn.init.orthogonal_).
void orthogonal(Rng& rng, int n, float* w, int ld);

}  // namespace rnnlab
