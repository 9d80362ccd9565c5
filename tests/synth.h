/*
 * synth.h: small data sets the tests make themselves (no MNIST, no network).
 */
#ifndef VDL_TEST_SYNTH_H
#define VDL_TEST_SYNTH_H

#include <stdint.h>

#include "vdl.h"

/* n points in `dim` dimensions from `classes` Gaussian blobs (centres at
 * distance ~3, unit variance); x is n*dim, y holds class indices. */
void synth_blobs(int n, int dim, int classes, uint64_t seed, vdl_real *x, vdl_real *y);

/* n points of two interleaved spirals in 2-D (classes 0 and 1). */
void synth_spirals(int n, uint64_t seed, vdl_real *x, vdl_real *y);

#endif
