/*
 * reparam.c: a reparameterized Gaussian sample w = mu + exp(ls) * eps with
 * eps ~ N(0, 1) drawn from the tape's counter-based RNG (so the same
 * (seed, step, node) always gives the same eps, and gradients flow to mu and ls).
 */
#include "op_util.h"
#include "vdl_math.h"
#include "vdl_ops.h"


static int forward(vdl_node *out)
{
    const vdl_real *restrict mu = out->in[0]->value, *restrict ls = out->in[1]->value;
    vdl_real *restrict w = out->value, *restrict noise;
    long i, n = (long)out->size;
    noise = vdl_tape_alloc(out->tape, out->size * sizeof *noise);
    if (!noise)
        return VDL_ENOMEM;
    out->saved = noise;
    vdl_node_normals(out, noise, out->size);
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++) {
        noise[i] *= vdl_exp_real(ls[i]); /* eps becomes exp(ls) eps, kept for backward */
        w[i] = mu[i] + noise[i];
    }
    return VDL_OK;
}

/* dw/dmu = 1, dw/dls = exp(ls) eps (saved by forward) */
static int backward(vdl_node *out)
{
    const vdl_real *restrict noise = out->saved, *restrict g = out->grad;
    vdl_real *restrict gls = out->in[1]->grad;
    long i, n = (long)out->size;
    if (out->in[0]->grad)
        vdl_accumulate(out->in[0]->grad, g, out->size);
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
