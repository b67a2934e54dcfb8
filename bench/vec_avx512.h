// 8-lane AVX2 and 16-lane AVX-512 Vecs for vec.h's templates (gates_vec.h, gemm_packed.h): a prototype for
// rnnlab_kernel_bench, not part of the library.
#pragma once

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace rnnlab::kernels {
#if defined(__AVX2__)
// 8 lanes, the operations of VecSse2 one for one (see VecAvx512 below).
template <int Tag>
struct VecAvx2 {
  static constexpr int N = 8;
  static constexpr const char* isa = "avx2";
  __m256 v;
  using Mask = __m256;
  static VecAvx2 load(const float* p) { return {_mm256_loadu_ps(p)}; }
  static VecAvx2 set1(float x) { return {_mm256_set1_ps(x)}; }
  void store(float* p) const { _mm256_storeu_ps(p, v); }
  friend VecAvx2 operator+(VecAvx2 a, VecAvx2 b) { return {_mm256_add_ps(a.v, b.v)}; }
  friend VecAvx2 operator-(VecAvx2 a, VecAvx2 b) { return {_mm256_sub_ps(a.v, b.v)}; }
  friend VecAvx2 operator*(VecAvx2 a, VecAvx2 b) { return {_mm256_mul_ps(a.v, b.v)}; }
  friend VecAvx2 operator/(VecAvx2 a, VecAvx2 b) { return {_mm256_div_ps(a.v, b.v)}; }
  static VecAvx2 min(VecAvx2 a, VecAvx2 b) { return {_mm256_min_ps(b.v, a.v)}; }
  static VecAvx2 max(VecAvx2 a, VecAvx2 b) { return {_mm256_max_ps(b.v, a.v)}; }
  static VecAvx2 floor(VecAvx2 a) {
    __m256 t = _mm256_cvtepi32_ps(_mm256_cvttps_epi32(a.v));
    __m256 too_big = _mm256_cmp_ps(t, a.v, _CMP_GT_OQ);
    return {_mm256_sub_ps(t, _mm256_and_ps(too_big, _mm256_set1_ps(1.0f)))};
  }
  static VecAvx2 abs(VecAvx2 a) { return {_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
  static VecAvx2 copysign(VecAvx2 m, VecAvx2 s) {
    __m256 sign = _mm256_set1_ps(-0.0f);
    return {_mm256_or_ps(_mm256_andnot_ps(sign, m.v), _mm256_and_ps(sign, s.v))};
  }
  static Mask less(VecAvx2 a, VecAvx2 b) { return _mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ); }
  static VecAvx2 select(Mask m, VecAvx2 a, VecAvx2 b) { return {_mm256_blendv_ps(b.v, a.v, m)}; }
  static VecAvx2 pow2i(VecAvx2 n) {
    __m256i e = _mm256_add_epi32(_mm256_cvttps_epi32(n.v), _mm256_set1_epi32(127));
    return {_mm256_castsi256_ps(_mm256_slli_epi32(e, 23))};
  }
};
#endif

#if defined(__AVX512F__)
// 16 lanes, the operations of VecSse2 one for one (no FMA, same floor emulation), so every lane
// computes what the 4-lane kernels compute. Tag keeps instantiations made in translation units
// with different -ffp-contract settings apart (they would otherwise be merged by the linker).
template <int Tag>
struct VecAvx512 {
  static constexpr int N = 16;
  static constexpr const char* isa = "avx512";
  __m512 v;
  using Mask = __mmask16;
  static VecAvx512 load(const float* p) { return {_mm512_loadu_ps(p)}; }
  static VecAvx512 set1(float x) { return {_mm512_set1_ps(x)}; }
  void store(float* p) const { _mm512_storeu_ps(p, v); }
  friend VecAvx512 operator+(VecAvx512 a, VecAvx512 b) { return {_mm512_add_ps(a.v, b.v)}; }
  friend VecAvx512 operator-(VecAvx512 a, VecAvx512 b) { return {_mm512_sub_ps(a.v, b.v)}; }
  friend VecAvx512 operator*(VecAvx512 a, VecAvx512 b) { return {_mm512_mul_ps(a.v, b.v)}; }
  friend VecAvx512 operator/(VecAvx512 a, VecAvx512 b) { return {_mm512_div_ps(a.v, b.v)}; }
  static VecAvx512 min(VecAvx512 a, VecAvx512 b) { return {_mm512_min_ps(b.v, a.v)}; }
  static VecAvx512 max(VecAvx512 a, VecAvx512 b) { return {_mm512_max_ps(b.v, a.v)}; }
  static VecAvx512 floor(VecAvx512 a) {
    __m512 t = _mm512_cvtepi32_ps(_mm512_cvttps_epi32(a.v));
    __mmask16 too_big = _mm512_cmp_ps_mask(t, a.v, _CMP_GT_OQ);
    return {_mm512_mask_sub_ps(t, too_big, t, _mm512_set1_ps(1.0f))};
  }
  static VecAvx512 abs(VecAvx512 a) {
    return {_mm512_castsi512_ps(
        _mm512_andnot_si512(_mm512_castps_si512(_mm512_set1_ps(-0.0f)), _mm512_castps_si512(a.v)))};
  }
  static VecAvx512 copysign(VecAvx512 m, VecAvx512 s) {
    __m512i sign = _mm512_castps_si512(_mm512_set1_ps(-0.0f));
    return {_mm512_castsi512_ps(_mm512_or_si512(_mm512_andnot_si512(sign, _mm512_castps_si512(m.v)),
                                                _mm512_and_si512(sign, _mm512_castps_si512(s.v))))};
  }
  static Mask less(VecAvx512 a, VecAvx512 b) { return _mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ); }
  static VecAvx512 select(Mask m, VecAvx512 a, VecAvx512 b) { return {_mm512_mask_blend_ps(m, b.v, a.v)}; }
  static VecAvx512 pow2i(VecAvx512 n) {
    __m512i e = _mm512_add_epi32(_mm512_cvttps_epi32(n.v), _mm512_set1_epi32(127));
    return {_mm512_castsi512_ps(_mm512_slli_epi32(e, 23))};
  }
};
#endif
}  // namespace rnnlab::kernels
