/*
 * rng.c: counter-based random numbers (see vdl_rng.h).
 */
#include "vdl_rng.h"

#include "vdl_parallel.h"

#include <math.h>

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t vdl_rng_bits(uint64_t seed, uint64_t stream, uint64_t index)
{
    /* Three rounds keyed by each coordinate: nearby counters, streams and
     * seeds give unrelated outputs. */
    uint64_t k = mix64(seed + UINT64_C(0x9e3779b97f4a7c15));
    k = mix64(k ^ (stream * UINT64_C(0xd1b54a32d192ed03) + UINT64_C(0x8cb92ba72f3d8dd7)));
    return mix64(k ^ (index * UINT64_C(0x9e3779b97f4a7c15) + UINT64_C(0x632be59bd9b4e019)));
}

double vdl_rng_uniform_at(uint64_t seed, uint64_t stream, uint64_t index)
{
    return (double)(vdl_rng_bits(seed, stream, index) >> 11) * (1.0 / 9007199254740992.0);
}

double vdl_rng_normal_at(uint64_t seed, uint64_t stream, uint64_t index)
{
    const double two_pi = 6.283185307179586476925286766559;
    /* Two uniforms from the even and odd counters of index; u1 in (0, 1]. */
    double u1 = 1.0 - vdl_rng_uniform_at(seed, stream, 2 * index);
    double u2 = vdl_rng_uniform_at(seed, stream, 2 * index + 1);
    return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}

void vdl_rng_normals(uint64_t seed, uint64_t stream, vdl_real *out, size_t n)
{
    const double two_pi = 6.283185307179586476925286766559;
    long j, pairs = (long)((n + 1) / 2);
    VDL_OMP(omp parallel for if (pairs > VDL_PAR_MIN / 8) schedule(static))
    for (j = 0; j < pairs; j++) {
        double u1 = 1.0 - vdl_rng_uniform_at(seed, stream, 2 * (uint64_t)j);
        double u2 = vdl_rng_uniform_at(seed, stream, 2 * (uint64_t)j + 1);
        double r = sqrt(-2.0 * log(u1)), a = two_pi * u2;
        out[2 * j] = (vdl_real)(r * cos(a));
        if ((size_t)(2 * j + 1) < n)
            out[2 * j + 1] = (vdl_real)(r * sin(a));
    }
}

void vdl_rng_init(vdl_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->seed = seed;
    rng->stream = stream;
    rng->index = 0;
}

uint64_t vdl_rng_next(vdl_rng *rng) { return vdl_rng_bits(rng->seed, rng->stream, rng->index++); }

double vdl_rng_uniform(vdl_rng *rng) { return vdl_rng_uniform_at(rng->seed, rng->stream, rng->index++); }

double vdl_rng_normal(vdl_rng *rng)
{
    /* consumes two counters, so it never reuses a counter another draw used */
    const double two_pi = 6.283185307179586476925286766559;
    double u1 = 1.0 - vdl_rng_uniform(rng), u2 = vdl_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}

uint64_t vdl_rng_below(vdl_rng *rng, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;
    do {
        x = vdl_rng_next(rng);
    } while (x >= limit);
    return x % n;
}
