// exp, sigmoid and tanh over any Vec type of vec.h. Polynomials from Cephes (S. Moshier,
// "Methods and Programs for Mathematical Functions", 1989); max error ~2 ulp over the range
// the cells use, checked against std:: in tests/kernels_test.cpp.
#pragma once

#include "kernels/vec.h"

namespace rnnlab::kernels {
RNNLAB_KERNEL_NS_BEGIN

template <class V>
inline V vexp(V x) {
  // exp(x) = 2^n * exp(r), n = round(x / ln2), |r| <= ln2 / 2.
  x = V::min(V::max(x, V::set1(-87.3365f)), V::set1(88.3762626647949f));
  V n = V::floor(x * V::set1(1.44269504088896341f) + V::set1(0.5f));
  // ln2 split in two so that n * C1 is exact.
  V r = x - n * V::set1(0.693359375f);
  r = r - n * V::set1(-2.12194440e-4f);
  V p = V::set1(1.9875691500e-4f);
  p = p * r + V::set1(1.3981999507e-3f);
  p = p * r + V::set1(8.3334519073e-3f);
  p = p * r + V::set1(4.1665795894e-2f);
  p = p * r + V::set1(1.6666665459e-1f);
  p = p * r + V::set1(5.0000001201e-1f);
  p = p * (r * r) + r + V::set1(1.0f);
  // n == 128 (x near the top of the range) would overflow the exponent field: split it.
  V half = V::floor(n * V::set1(0.5f));
  return p * V::pow2i(half) * V::pow2i(n - half);
}

template <class V>
inline V vsigmoid(V x) {
  return V::set1(1.0f) / (V::set1(1.0f) + vexp(V::set1(0.0f) - x));
}

template <class V>
inline V vtanh(V x) {
  V ax = V::abs(x);
  // Small |x|: odd polynomial (no cancellation). Large: 1 - 2 / (exp(2|x|) + 1). Both are
  // evaluated at |x| and take x's sign at the end, so tanh(-0) = -0 as std::tanh (for
  // x != 0 this is bit for bit what evaluating at x gives: IEEE rounding is sign-symmetric).
  V z = ax * ax;
  V p = V::set1(-5.70498872745e-3f);
  p = p * z + V::set1(2.06390887954e-2f);
  p = p * z + V::set1(-5.37397155531e-2f);
  p = p * z + V::set1(1.33314422036e-1f);
  p = p * z + V::set1(-3.33332819422e-1f);
  V small = ax + ax * z * p;
  V e = vexp(ax + ax);
  V large = V::set1(1.0f) - V::set1(2.0f) / (e + V::set1(1.0f));
  return V::copysign(V::select(V::less(ax, V::set1(0.625f)), small, large), x);
}

RNNLAB_KERNEL_NS_END
}  // namespace rnnlab::kernels
