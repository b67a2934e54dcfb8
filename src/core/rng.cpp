#include "rnnlab/rng.h"

#include <cmath>

namespace rnnlab {

void Rng::reseed(uint64_t seed, uint64_t stream) {
  state_ = 0;
  inc_ = (stream << 1u) | 1u;
  next_u32();
  state_ += seed;
  next_u32();
  has_spare_ = false;
}

uint32_t Rng::next_u32() {
  uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
  uint32_t rot = static_cast<uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

uint32_t Rng::below(uint32_t n) {
  if (n <= 1) return 0;
  uint64_t m = static_cast<uint64_t>(next_u32()) * n;
  uint32_t low = static_cast<uint32_t>(m);
  if (low < n) {
    uint32_t threshold = (0u - n) % n;
    while (low < threshold) {
      m = static_cast<uint64_t>(next_u32()) * n;
      low = static_cast<uint32_t>(m);
    }
  }
  return static_cast<uint32_t>(m >> 32);
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    // 53-bit uniforms in (-1, 1).
    uint64_t a = (static_cast<uint64_t>(next_u32()) << 21) ^ next_u32();
    uint64_t b = (static_cast<uint64_t>(next_u32()) << 21) ^ next_u32();
    u = static_cast<double>(a & ((1ULL << 53) - 1)) * (2.0 / 9007199254740992.0) - 1.0;
    v = static_cast<double>(b & ((1ULL << 53) - 1)) * (2.0 / 9007199254740992.0) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double factor = std::sqrt(-2.0 * portable_log(s) / s);  // sqrt is correctly rounded in IEEE
  spare_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

double portable_log(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln x = e ln2 + 2 atanh((m-1)/(m+1)).
  if (!(x > 0.0)) return x == 0.0 ? -INFINITY : NAN;
  int e = 0;
  while (x >= 1.4142135623730951) { x *= 0.5; ++e; }
  while (x < 0.7071067811865476) { x *= 2.0; --e; }
  double t = (x - 1.0) / (x + 1.0), t2 = t * t;
  // Series 2(t + t^3/3 + ...); |t| < 0.172 so 12 terms reach double precision.
  double sum = 0.0, power = t;
  for (int k = 1; k <= 25; k += 2) {
    sum += power / k;
    power *= t2;
  }
  return e * 0.6931471805599453 + 2.0 * sum;
}

}  // namespace rnnlab
