// The library's own random numbers. std:: distributions differ between standard libraries
// (libstdc++ natively, libc++ in Emscripten), so every draw here uses only integer maths
// and IEEE +,-,*,/,sqrt (the build sets -ffp-contract=off): one seed, same bits everywhere.
#pragma once

#include <cstdint>

namespace rnnlab {

// PCG32 (O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient Statistically Good
// Algorithms for Random Number Generation"), XSH-RR output.
class Rng {
 public:
  explicit Rng(uint64_t seed = 42, uint64_t stream = 54) { reseed(seed, stream); }
  void reseed(uint64_t seed, uint64_t stream = 54);

  uint32_t next_u32();
  // Uniform in [0, 1) with 24 random bits (exactly representable as float).
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Uniform in [0, n), unbiased (Lemire's rejection).
  uint32_t below(uint32_t n);
  // Standard normal, Marsaglia's polar method evaluated in double.
  double normal();

 private:
  uint64_t state_ = 0, inc_ = 0;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// Natural log from +,-,*,/ only (bit-identical across platforms; libm's log is not).
double portable_log(double x);

}  // namespace rnnlab
