/*
 * reparam.c: a reparameterized Gaussian sample w = mu + exp(ls) * eps with
 * eps ~ N(0, 1) drawn from the tape's counter-based RNG (so the same
 * (seed, step, node) always gives the same eps, and gradients flow to mu and ls).
 */
#include "op_util.h"
#include "vdl_math.h"
#include "vdl_ops.h"


/* Draws per task: each task makes its noise and uses it while it is in L1. */
#define CHUNK 2048

static int forward(vdl_node *out)
{
    const vdl_real *restrict mu = out->in[0]->value, *restrict ls = out->in[1]->value;
    vdl_real *restrict w = out->value, *restrict noise;
    const size_t n = out->size;
    const long chunks = (long)((n + CHUNK - 1) / CHUNK);
    long c;
    noise = vdl_tape_alloc(out->tape, n * sizeof *noise);
    if (!noise)
        return VDL_ENOMEM;
    out->saved = noise;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN / 4) schedule(static))
    for (c = 0; c < chunks; c++) {
        const size_t lo = (size_t)c * CHUNK, hi = n - lo < CHUNK ? n : lo + CHUNK;
        size_t i;
        vdl_node_normals_at(out, lo, noise + lo, hi - lo);
        for (i = lo; i < hi; i++) {
            /* eps becomes exp(ls) eps, kept for backward; through a local,
             * as reading noise[i] back after storing it is slow (optim.c) */
            const vdl_real scaled = noise[i] * vdl_exp_real(ls[i]);
            noise[i] = scaled;
            w[i] = mu[i] + scaled;
        }
    }
    return VDL_OK;
}

/* dw/dmu = 1, dw/dls = exp(ls) eps (saved by forward); both in one pass
 * when both inputs take gradients (the usual case: mu and ls are weights;
 * one node as both is fine, its element gets both terms in turn). */
static int backward(vdl_node *out)
{
    const vdl_real *noise = out->saved, *g = out->grad;
    vdl_real *gmu = out->in[0]->grad, *gls = out->in[1]->grad;
    long i, n = (long)out->size;
    if (gmu && gls) {
        VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < n; i++) {
            gmu[i] += g[i];
            gls[i] += g[i] * noise[i];
        }
        return VDL_OK;
    }
    if (gmu)
        vdl_accumulate(gmu, g, out->size);
    if (gls) {
        VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < n; i++)
            gls[i] += g[i] * noise[i];
    }
    return VDL_OK;
}

const vdl_op vdl_op_reparam = {"reparam", "w = mu + exp(ls) * eps, eps ~ N(0,1) from the tape RNG",
                               2, 0, vdl_infer_same_shapes, forward, backward, vdl_example_normal_pair};

vdl_node *vdl_reparam(vdl_tape *t, vdl_node *mu, vdl_node *log_sigma)
{
    return vdl_apply2(t, &vdl_op_reparam, mu, log_sigma, NULL);
}
