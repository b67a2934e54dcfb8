// Minimal portable float vectors for the SIMD kernels. Each kernel is written once as a
// template over one of these, so the wasm simd128 path and the native SSE path run the same
// arithmetic in the same order (bit-identical results), and the native build tests the
// template logic the wasm build ships.
//   VecScalar  1 lane, plain C++ (also the tail of every vector loop)
//   VecSse2    4 lanes, <emmintrin.h>          (x86-64 native builds)
//   VecAvx2    8 lanes, VecAvx512 16 lanes     (avx2.cpp / avx512.cpp, compiled for that ISA)
//   VecWasm    4 lanes, <wasm_simd128.h>       (Emscripten with -msimd128)
// Operations are plain IEEE mul/add (no FMA): wasm has no portable FMA, and the build
// sets -ffp-contract=off so native code matches it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#define RNNLAB_HAVE_SSE2 1
#endif
#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define RNNLAB_HAVE_WASM_SIMD 1
#endif

#include "kernels/isa_namespace.h"

namespace rnnlab::kernels {
RNNLAB_KERNEL_NS_BEGIN

struct VecScalar {
  static constexpr int N = 1;
  static constexpr const char* isa = "scalar";
  float v;
  using Mask = bool;
  static VecScalar load(const float* p) { return {*p}; }
  static VecScalar set1(float x) { return {x}; }
  void store(float* p) const { *p = v; }
  friend VecScalar operator+(VecScalar a, VecScalar b) { return {a.v + b.v}; }
  friend VecScalar operator-(VecScalar a, VecScalar b) { return {a.v - b.v}; }
  friend VecScalar operator*(VecScalar a, VecScalar b) { return {a.v * b.v}; }
  friend VecScalar operator/(VecScalar a, VecScalar b) { return {a.v / b.v}; }
  static VecScalar min(VecScalar a, VecScalar b) { return {b.v < a.v ? b.v : a.v}; }
  static VecScalar max(VecScalar a, VecScalar b) { return {a.v < b.v ? b.v : a.v}; }
  static VecScalar floor(VecScalar a) { return {std::floor(a.v)}; }
  static VecScalar abs(VecScalar a) { return {std::fabs(a.v)}; }
  // sign of s applied to magnitude m (m >= 0)
  static VecScalar copysign(VecScalar m, VecScalar s) { return {std::copysign(m.v, s.v)}; }
  static Mask less(VecScalar a, VecScalar b) { return a.v < b.v; }
  static VecScalar select(Mask m, VecScalar a, VecScalar b) { return m ? a : b; }
  // 2^n for integral n in [-127, 127], built in the exponent field.
  static VecScalar pow2i(VecScalar n) {
    // A NaN n (from a NaN input) must not reach the int conversion, which is undefined
    // behaviour in C++ and lets the optimiser drop the NaN (seen with clang for wasm); the
    // other factor of the result is NaN then anyway.
    int32_t bits = ((n.v == n.v ? static_cast<int32_t>(n.v) : 0) + 127) << 23;
    float r;
    std::memcpy(&r, &bits, sizeof r);
    return {r};
  }
};

#if RNNLAB_HAVE_SSE2
struct VecSse2 {
  static constexpr int N = 4;
  static constexpr const char* isa = "sse2";
  __m128 v;
  using Mask = __m128;
  static VecSse2 load(const float* p) { return {_mm_loadu_ps(p)}; }
  static VecSse2 set1(float x) { return {_mm_set1_ps(x)}; }
  void store(float* p) const { _mm_storeu_ps(p, v); }
  friend VecSse2 operator+(VecSse2 a, VecSse2 b) { return {_mm_add_ps(a.v, b.v)}; }
  friend VecSse2 operator-(VecSse2 a, VecSse2 b) { return {_mm_sub_ps(a.v, b.v)}; }
  friend VecSse2 operator*(VecSse2 a, VecSse2 b) { return {_mm_mul_ps(a.v, b.v)}; }
  friend VecSse2 operator/(VecSse2 a, VecSse2 b) { return {_mm_div_ps(a.v, b.v)}; }
  // Operand order matches VecScalar (returns b when b < a, else a) for NaN agreement.
  static VecSse2 min(VecSse2 a, VecSse2 b) { return {_mm_min_ps(b.v, a.v)}; }
  static VecSse2 max(VecSse2 a, VecSse2 b) { return {_mm_max_ps(b.v, a.v)}; }
  static VecSse2 floor(VecSse2 a) {
    // Valid for |a| < 2^31, which is all the kernels need (exp arguments are clamped).
    __m128 t = _mm_cvtepi32_ps(_mm_cvttps_epi32(a.v));
    __m128 too_big = _mm_cmpgt_ps(t, a.v);
    return {_mm_sub_ps(t, _mm_and_ps(too_big, _mm_set1_ps(1.0f)))};
  }
  static VecSse2 abs(VecSse2 a) { return {_mm_andnot_ps(_mm_set1_ps(-0.0f), a.v)}; }
  static VecSse2 copysign(VecSse2 m, VecSse2 s) {
    __m128 sign = _mm_set1_ps(-0.0f);
    return {_mm_or_ps(_mm_andnot_ps(sign, m.v), _mm_and_ps(sign, s.v))};
  }
  static Mask less(VecSse2 a, VecSse2 b) { return _mm_cmplt_ps(a.v, b.v); }
  static VecSse2 select(Mask m, VecSse2 a, VecSse2 b) {
    return {_mm_or_ps(_mm_and_ps(m, a.v), _mm_andnot_ps(m, b.v))};
  }
  static VecSse2 pow2i(VecSse2 n) {
    __m128i e = _mm_add_epi32(_mm_cvttps_epi32(n.v), _mm_set1_epi32(127));
    return {_mm_castsi128_ps(_mm_slli_epi32(e, 23))};
  }
  // Rows a..d of a 4x4 block become its columns (data movement only; packing).
  static void transpose4(VecSse2& a, VecSse2& b, VecSse2& c, VecSse2& d) {
    _MM_TRANSPOSE4_PS(a.v, b.v, c.v, d.v);
  }
};
#endif

#if defined(__AVX2__)
// 8 lanes, the operations of VecSse2 one for one (see VecAvx512 below).
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
// computes what the 4-lane kernels compute.
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
#if RNNLAB_HAVE_WASM_SIMD
struct VecWasm {
  static constexpr int N = 4;
  static constexpr const char* isa = "wasmsimd";
  v128_t v;
  using Mask = v128_t;
  static VecWasm load(const float* p) { return {wasm_v128_load(p)}; }
  static VecWasm set1(float x) { return {wasm_f32x4_splat(x)}; }
  void store(float* p) const { wasm_v128_store(p, v); }
  friend VecWasm operator+(VecWasm a, VecWasm b) { return {wasm_f32x4_add(a.v, b.v)}; }
  friend VecWasm operator-(VecWasm a, VecWasm b) { return {wasm_f32x4_sub(a.v, b.v)}; }
  friend VecWasm operator*(VecWasm a, VecWasm b) { return {wasm_f32x4_mul(a.v, b.v)}; }
  friend VecWasm operator/(VecWasm a, VecWasm b) { return {wasm_f32x4_div(a.v, b.v)}; }
  // pmin/pmax are "b < a ? b : a" exactly like VecScalar, and cheaper than min/max.
  static VecWasm min(VecWasm a, VecWasm b) { return {wasm_f32x4_pmin(a.v, b.v)}; }
  static VecWasm max(VecWasm a, VecWasm b) { return {wasm_f32x4_pmax(a.v, b.v)}; }
  static VecWasm floor(VecWasm a) { return {wasm_f32x4_floor(a.v)}; }
  static VecWasm abs(VecWasm a) { return {wasm_f32x4_abs(a.v)}; }
  static VecWasm copysign(VecWasm m, VecWasm s) {
    v128_t sign = wasm_f32x4_splat(-0.0f);
    return {wasm_v128_or(wasm_v128_andnot(m.v, sign), wasm_v128_and(s.v, sign))};
  }
  static Mask less(VecWasm a, VecWasm b) { return wasm_f32x4_lt(a.v, b.v); }
  static VecWasm select(Mask m, VecWasm a, VecWasm b) { return {wasm_v128_bitselect(a.v, b.v, m)}; }
  // For integral n (vexp passes |n| <= 64), n + (1.5 * 2^23 + 127) is exact and holds n + 127
  // in its low mantissa bits (two's complement, modulo 2^23); shifting them up to the
  // exponent field drops the rest. The bits equal VecSse2's truncating conversion for every
  // integral |n| < 2^22, in two instructions where i32x4.trunc_sat_f32x4 costs V8 six on x64
  // (saturation by hand). A NaN n gives some exponent, but vexp's other factor is NaN then.
  static VecWasm pow2i(VecWasm n) {
    v128_t biased = wasm_f32x4_add(n.v, wasm_f32x4_splat(12583039.0f));  // 0x1.8p23 + 127
    return {wasm_i32x4_shl(biased, 23)};
  }
  // Rows a..d of a 4x4 block become its columns (data movement only; packing).
  static void transpose4(VecWasm& a, VecWasm& b, VecWasm& c, VecWasm& d) {
    v128_t t0 = wasm_i32x4_shuffle(a.v, b.v, 0, 4, 1, 5);  // a0 b0 a1 b1
    v128_t t1 = wasm_i32x4_shuffle(a.v, b.v, 2, 6, 3, 7);  // a2 b2 a3 b3
    v128_t t2 = wasm_i32x4_shuffle(c.v, d.v, 0, 4, 1, 5);  // c0 d0 c1 d1
    v128_t t3 = wasm_i32x4_shuffle(c.v, d.v, 2, 6, 3, 7);  // c2 d2 c3 d3
    a.v = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5), b.v = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
    c.v = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5), d.v = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
  }
};
#endif

RNNLAB_KERNEL_NS_END
}  // namespace rnnlab::kernels
