/*
 * vdl_rng.h: a counter-based random number generator. A draw is a pure
 * function of (seed, stream, index), so results never depend on thread count,
 * scheduling or the order in which draws are requested.
 */
#ifndef VDL_RNG_H
#define VDL_RNG_H

#include <stdint.h>

#include "vdl_base.h"

/* 64 random bits for (seed, stream, index): a splitmix64-style hash. */
uint64_t vdl_rng_bits(uint64_t seed, uint64_t stream, uint64_t index);

/* Uniform double in [0, 1) with 53 random bits, for (seed, stream, index). */
double vdl_rng_uniform_at(uint64_t seed, uint64_t stream, uint64_t index);

/* Fill out[0..n) with standard normals of (seed, stream), n < 2^32. In
 * blocks of 16, out[16b + i] and out[16b + 8 + i] are the cosine and sine
 * halves of one Box-Muller transform of two 24-bit uniforms hashed from the
 * pair number 8b + i (so |out| < 5.8 and the draws are a single-precision
 * approximation of a normal). out[i] does not depend on n or on the thread
 * count, and the loop vectorizes. */
void vdl_rng_normals(uint64_t seed, uint64_t stream, vdl_real *out, size_t n);

/* Fill out[0..n) with normals first..first+n-1 of (seed, stream): the values
 * vdl_rng_normals puts at out[first..first+n), on the calling thread only
 * (for an op that draws its noise inside its own parallel loop),
 * first + n <= 2^32. */
void vdl_rng_normals_at(uint64_t seed, uint64_t stream, size_t first, vdl_real *out, size_t n);

/* A sequential view of one stream: each call advances `index` by one. */
typedef struct vdl_rng {
    uint64_t seed, stream, index;
} vdl_rng;

/* Start stream `stream` of `seed` at index 0. */
void vdl_rng_init(vdl_rng *rng, uint64_t seed, uint64_t stream);

/* Next 64 random bits. */
uint64_t vdl_rng_next(vdl_rng *rng);

/* Next uniform double in [0, 1). */
double vdl_rng_uniform(vdl_rng *rng);

/* Next standard normal (consumes two counters). */
double vdl_rng_normal(vdl_rng *rng);

/* Uniform integer in [0, n) (n > 0), without modulo bias. */
uint64_t vdl_rng_below(vdl_rng *rng, uint64_t n);

#endif
