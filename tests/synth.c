/*
 * synth.c: generated test data (see synth.h).
 */
#include "synth.h"

#include <math.h>

void synth_blobs(int n, int dim, int classes, uint64_t seed, vdl_real *x, vdl_real *y)
{
    vdl_rng rng;
    int i, j;
    vdl_rng_init(&rng, seed, 77);
    for (i = 0; i < n; i++) {
        int c = i % classes;
        y[i] = (vdl_real)c;
        for (j = 0; j < dim; j++) {
            /* centre of class c: a fixed pseudo-random +-1.5 pattern */
            double centre = (vdl_rng_bits(seed, 99, (uint64_t)(c * dim + j)) & 1) ? 1.5 : -1.5;
            x[(size_t)i * dim + j] = (vdl_real)(centre + vdl_rng_normal(&rng));
        }
    }
}

void synth_spirals(int n, uint64_t seed, vdl_real *x, vdl_real *y)
{
    vdl_rng rng;
    int i;
    vdl_rng_init(&rng, seed, 78);
    for (i = 0; i < n; i++) {
        int c = i % 2;
        double t = 0.5 + 3.0 * vdl_rng_uniform(&rng), a = t * 2.2 + c * 3.14159265358979;
        x[2 * i] = (vdl_real)(t * cos(a) + 0.1 * vdl_rng_normal(&rng));
        x[2 * i + 1] = (vdl_real)(t * sin(a) + 0.1 * vdl_rng_normal(&rng));
        y[i] = (vdl_real)c;
    }
}
