/*
 * vdl_gradcheck.h: proves an op's backward against central differences.
 *
 * For each of the op's example cases: random inputs, a random projection r of
 * the output, loss L = sum(r * y); the analytic gradient (backward seeded
 * with r, into buffers pre-filled with a known value to prove that backward
 * accumulates) against the 4-point central difference of L. Sampling ops are
 * checked with their noise held fixed (the tape RNG key does not change).
 */
#ifndef VDL_GRADCHECK_H
#define VDL_GRADCHECK_H

#include <stdint.h>

#include "vdl_op.h"

typedef struct vdl_gradcheck_result {
    int cases;            /* example cases checked */
    long compared;        /* derivatives compared */
    double max_abs_err;   /* largest |analytic - numeric| */
    double max_err;       /* largest |analytic - numeric| / max(|analytic|, |numeric|, 1e-2) */
    double tolerance;     /* the bound max_err had to stay within */
    int passed;           /* 1 if every case ran and max_err <= tolerance */
    char message[256];    /* why it failed, or "" */
} vdl_gradcheck_result;

/* The default tolerance for this build's vdl_real: 1e-6 for double, 2e-2 for
 * float (whose rounding dominates any finite difference). */
double vdl_gradcheck_default_tolerance(void);

/* Check `op` on all of its example cases (at most 64 derivatives per input
 * per case). Returns VDL_OK when the check ran (see res->passed), or an error
 * if it could not run (no memory). An op with no example function fails. */
int vdl_gradcheck_op(const vdl_op *op, uint64_t seed, double tolerance, vdl_gradcheck_result *res);

#endif
