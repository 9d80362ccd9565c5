/*
 * rng.c: counter-based random numbers (see vdl_rng.h).
 */
#include "vdl_rng.h"

#include "vdl_parallel.h"

#include <math.h>
#include <string.h>

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

/* A 32-bit integer hash with low bias (Chris Wellons' "lowbias32"): a
 * bijection in which every input bit flips each output bit with probability
 * close to 1/2. Only 32-bit multiplies, so loops over it vectorize. */
static uint32_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= UINT32_C(0x7feb352d);
    x ^= x >> 15;
    x *= UINT32_C(0x846ca68b);
    return x ^ (x >> 16);
}

/* ln(u) for u in (0, 1], single precision (Cephes' logf polynomial). */
static float log_unit(float u)
{
    const float sqrt_half = 0.707106781186547524f;
    uint32_t bits;
    float m, e, z, y;
    int below;
    memcpy(&bits, &u, sizeof bits);
    e = (float)((int32_t)(bits >> 23) - 126); /* u = m 2^e with m in [0.5, 1) */
    bits = (bits & UINT32_C(0x007fffff)) | UINT32_C(0x3f000000);
    memcpy(&m, &bits, sizeof m);
    below = m < sqrt_half; /* then use 2m in [sqrt(1/2), sqrt(2)) */
    e = below ? e - 1 : e;
    m = below ? m + m - 1 : m - 1;
    z = m * m;
    y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y = y - 2.12194440e-4f * e - 0.5f * z;
    return m + y + 0.693359375f * e;
}

/* cos and sin of 2 pi t for t in [0, 1), single precision: reduce to
 * r in [-pi/4, pi/4] around the nearest quarter turn q, use Cephes' minimax
 * polynomials for sin r and cos r, and rotate by q quarter turns. */
static void cos_sin_turn(float t, float *c, float *s)
{
    const float two_pi = 6.28318530717958648f, round = 12582912.0f;
    float q = (t * 4 + round) - round; /* nearest quarter turn, 0..4 */
    float r = (t - q * 0.25f) * two_pi, r2 = r * r, sr, cr;
    int quarter = (int)q & 3;
    sr = -1.9515295891e-4f;
    sr = sr * r2 + 8.3321608736e-3f;
    sr = sr * r2 - 1.6666654611e-1f;
    sr = sr * r2 * r + r;
    cr = 2.443315711809948e-5f;
    cr = cr * r2 - 1.388731625493765e-3f;
    cr = cr * r2 + 4.166664568298827e-2f;
    cr = cr * r2 * r2 - 0.5f * r2 + 1;
    /* rotating by a quarter turn maps (cos, sin) to (-sin, cos) */
    {
        const float c0 = quarter & 1 ? sr : cr, s0 = quarter & 1 ? cr : sr;
        *c = (quarter + 1) & 2 ? -c0 : c0;
        *s = quarter & 2 ? -s0 : s0;
    }
}

/* Normals per block of vdl_rng_normals: BLOCK / 2 Box-Muller pairs. */
#define BLOCK 16

/* The BLOCK normals of block b: pair p = b BLOCK/2 + i gives out[i] (cosine
 * half) and out[BLOCK/2 + i] (sine half), from two 24-bit uniforms that are
 * hashes of the pair number under the keys k[0..4). */
static void normal_block(const uint32_t k[4], uint32_t b, vdl_real out[BLOCK])
{
    const float unit = 1.0f / 16777216.0f; /* 2^-24 */
    int i;
    for (i = 0; i < BLOCK / 2; i++) {
        const uint32_t pair = b * (BLOCK / 2) + (uint32_t)i;
        const float u1 = (float)((int32_t)(hash32(hash32(pair ^ k[0]) + k[1]) >> 8) + 1) * unit; /* (0, 1] */
        const float u2 = (float)(int32_t)(hash32(hash32(pair ^ k[2]) + k[3]) >> 8) * unit;       /* [0, 1) */
        const float radius = sqrtf(-2 * log_unit(u1));
        float c, s;
        cos_sin_turn(u2, &c, &s);
        /* rounded to float first, also where float math is wider (x87) */
        out[i] = (vdl_real)(float)(radius * c);
        out[BLOCK / 2 + i] = (vdl_real)(float)(radius * s);
    }
}

/* The four 32-bit keys of (seed, stream) that normal_block hashes with. */
static void normal_keys(uint64_t seed, uint64_t stream, uint32_t k[4])
{
    const uint64_t key0 = vdl_rng_bits(seed, stream, 0), key1 = vdl_rng_bits(seed, stream, 1);
    k[0] = (uint32_t)key0;
    k[1] = (uint32_t)(key0 >> 32);
    k[2] = (uint32_t)key1;
    k[3] = (uint32_t)(key1 >> 32);
}

/* Normals first..first+n-1 of the keys' stream into out[0..n): whole blocks
 * straight into out, the partial ones at the ends through `edge` (one call
 * of normal_block, so that compilers inline it into this loop). */
static void normals_range(const uint32_t k[4], size_t first, vdl_real *out, size_t n)
{
    const size_t end = first + n;
    vdl_real edge[BLOCK];
    size_t b;
    if (n == 0)
        return;
    for (b = first / BLOCK; b * BLOCK < end; b++) {
        const size_t lo = b * BLOCK, hi = lo + BLOCK;
        const int whole = lo >= first && hi <= end;
        normal_block(k, (uint32_t)b, whole ? out + (lo - first) : edge);
        if (!whole) {
            const size_t from = lo > first ? lo : first, to = hi < end ? hi : end;
            memcpy(out + (from - first), edge + (from - lo), (to - from) * sizeof *out);
        }
    }
}

void vdl_rng_normals_at(uint64_t seed, uint64_t stream, size_t first, vdl_real *out, size_t n)
{
    uint32_t k[4];
    normal_keys(seed, stream, k);
    normals_range(k, first, out, n);
}

/* Normals per task of vdl_rng_normals's parallel loop. */
#define CHUNK (64 * BLOCK)

void vdl_rng_normals(uint64_t seed, uint64_t stream, vdl_real *out, size_t n)
{
    const long chunks = (long)((n + CHUNK - 1) / CHUNK);
    uint32_t k[4];
    long c;
    normal_keys(seed, stream, k);
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN / 4) schedule(static))
    for (c = 0; c < chunks; c++) {
        const size_t lo = (size_t)c * CHUNK, len = n - lo < CHUNK ? n - lo : CHUNK;
        normals_range(k, lo, out + lo, len);
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
