/*
 * vdl_math.h: elementwise math that compilers can vectorize.
 *
 * libm's exp is an opaque call, so a loop over a million weights that calls it
 * runs one element at a time. vdl_exp_real is written with arithmetic and bit
 * operations only, so such a loop becomes SIMD code. In the double build (the
 * one the gradient checks use) it is libm's exp, exactly.
 */
#ifndef VDL_MATH_H
#define VDL_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vdl_base.h"

/* e^x in single precision: within 2 ulp of expf for x in [-87, 88]; x beyond
 * that range is clamped (e^x stays finite and positive: about 1.6e-38 to
 * 1.65e38); NaN stays NaN. Cephes' expf polynomial: x = n ln2 + r with
 * |r| <= ln2 / 2, e^x = 2^n e^r. */
static inline float vdl_exp_float(float x)
{
    const float log2e = 1.44269504088896341f, round = 12582912.0f; /* 1.5 * 2^23 */
    float c = x < 88.0f ? x : 88.0f, n, r, p; /* NaN becomes 88 here, and NaN again below */
    int32_t bits;
    c = c > -87.0f ? c : -87.0f;
    n = (c * log2e + round) - round; /* nearest integer (round to even) */
    r = c - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    bits = ((int32_t)n + 127) * (1 << 23); /* 2^n as float bits */
    memcpy(&n, &bits, sizeof n);
    return x == x ? p * n : x;
}

/* e^x for vdl_real: vdl_exp_float in the float build, exp in the double build. */
static inline vdl_real vdl_exp_real(vdl_real x)
{
#ifdef VDL_DOUBLE
    return exp(x);
#else
    return vdl_exp_float(x);
#endif
}

/* Square root for vdl_real (sqrtf or sqrt; these vectorize when the build
 * does not ask them to set errno: -fno-math-errno, see CMakeLists.txt). */
static inline vdl_real vdl_sqrt_real(vdl_real x)
{
#ifdef VDL_DOUBLE
    return sqrt(x);
#else
    return sqrtf(x);
#endif
}

#endif
