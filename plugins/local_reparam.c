/*
 * local_reparam.c: a plugin with the local reparameterization trick (Kingma,
 * Salimans and Welling 2015, "Variational dropout and the local
 * reparameterization trick"). For a variational linear layer with weights
 * W ~ N(mu, sigma^2), sigma = exp(ls), it samples the pre-activations
 * instead of the weights:
 *   B = X mu + sqrt(X^2 sigma^2) * eps,  eps ~ N(0, 1) of B's shape,
 * which has the same marginal distribution per example as X W, but draws
 * independent noise for every example, so gradients average over the batch
 * (lower variance; plugins/lrt_variance.c measures it against `reparam`).
 * X^2 and sigma^2 are elementwise squares.
 */
#include "vdl.h"
#include "vdl_plugin.h"

#include <math.h>

/* Inputs: X (B x I), mu (I x O), ls (I x O); output B x O. */
static int infer(vdl_node *out)
{
    const vdl_shape *x = &out->in[0]->shape, *mu = &out->in[1]->shape, *ls = &out->in[2]->shape;
    char a[64], b[64], c[64];
    if (x->ndim != 2 || mu->ndim != 2 || !vdl_shape_equal(mu, ls) || x->dim[1] != mu->dim[0])
        return vdl_set_error(VDL_EINVAL,
                             "op 'local_reparam': needs X (B x I), mu and log_sigma (I x O); got %s, %s, %s",
                             vdl_shape_str(x, a, sizeof a), vdl_shape_str(mu, b, sizeof b),
                             vdl_shape_str(ls, c, sizeof c));
    out->shape = vdl_shape2(x->dim[0], mu->dim[1]);
    return VDL_OK;
}

/* What forward keeps for backward. */
typedef struct lrt_saved {
    vdl_real *eps, *sd;  /* B x O: the noise and sqrt(X^2 sigma^2) */
    vdl_real *x2, *var;  /* B x I: X^2; I x O: sigma^2 */
    vdl_real *scratch;   /* vdl_gemm's packing space, enough for every product here */
} lrt_saved;

static size_t max2(size_t a, size_t b) { return a > b ? a : b; }

static vdl_real *alloc_reals(vdl_tape *t, size_t n) { return vdl_tape_alloc(t, (n ? n : 1) * sizeof(vdl_real)); }

static void square(vdl_real *dst, const vdl_real *src, size_t n, int exp2)
{
    size_t i;
    for (i = 0; i < n; i++)
        dst[i] = exp2 ? (vdl_real)exp(2 * src[i]) : src[i] * src[i];
}

static int forward(vdl_node *out)
{
    const vdl_node *x = out->in[0], *mu = out->in[1];
    const int B = x->shape.dim[0], I = x->shape.dim[1], O = mu->shape.dim[1];
    const size_t bo = out->size;
    lrt_saved *s = vdl_tape_alloc(out->tape, sizeof *s);
    size_t i;
    if (!s || !(s->eps = alloc_reals(out->tape, bo)) || !(s->sd = alloc_reals(out->tape, bo)) ||
        !(s->x2 = alloc_reals(out->tape, x->size)) || !(s->var = alloc_reals(out->tape, mu->size)) ||
        !(s->scratch = alloc_reals(out->tape, max2(vdl_gemm_scratch(O, I),
                                                   max2(vdl_gemm_scratch(O, B), vdl_gemm_scratch(I, O))))))
        return VDL_ENOMEM;
    out->saved = s;
    square(s->x2, x->value, x->size, 0);
    square(s->var, out->in[2]->value, mu->size, 1);
    for (i = 0; i < bo; i++)
        out->value[i] = s->sd[i] = 0;
    vdl_gemm(0, 0, B, O, I, x->value, mu->value, out->value, s->scratch); /* X mu */
    vdl_gemm(0, 0, B, O, I, s->x2, s->var, s->sd, s->scratch);       /* X^2 sigma^2 */
    vdl_node_normals(out, s->eps, bo);
    for (i = 0; i < bo; i++) {
        s->sd[i] = (vdl_real)sqrt(s->sd[i]);
        out->value[i] += s->sd[i] * s->eps[i];
    }
    return VDL_OK;
}

/* With G = dL/dB and D = G * eps / (2 sd) = dL/d(X^2 sigma^2):
 *   dX  += G mu^T + 2 X * (D (sigma^2)^T)
 *   dmu += X^T G
 *   dls += 2 sigma^2 * ((X^2)^T D)
 * An all-zero row of X has sd = 0 and D = 0 there (its variance does not
 * depend on the parameters at that point). */
static int backward(vdl_node *out)
{
    vdl_node *x = out->in[0], *mu = out->in[1], *ls = out->in[2];
    const int B = x->shape.dim[0], I = x->shape.dim[1], O = mu->shape.dim[1];
    const lrt_saved *s = out->saved;
    const vdl_real *g = out->grad;
    vdl_real *d = alloc_reals(out->tape, out->size), *tmp;
    size_t i;
    if (!d)
        return VDL_ENOMEM;
    for (i = 0; i < out->size; i++)
        d[i] = s->sd[i] > 0 ? g[i] * s->eps[i] / (2 * s->sd[i]) : 0;
    if (mu->grad)
        vdl_gemm(1, 0, I, O, B, x->value, g, mu->grad, s->scratch);
    if (x->grad) {
        if (!(tmp = alloc_reals(out->tape, x->size)))
            return VDL_ENOMEM;
        for (i = 0; i < x->size; i++)
            tmp[i] = 0;
        vdl_gemm(0, 1, B, I, O, d, s->var, tmp, s->scratch);
        for (i = 0; i < x->size; i++)
            x->grad[i] += 2 * x->value[i] * tmp[i];
        vdl_gemm(0, 1, B, I, O, g, mu->value, x->grad, s->scratch);
    }
    if (ls->grad) {
        if (!(tmp = alloc_reals(out->tape, mu->size)))
            return VDL_ENOMEM;
        for (i = 0; i < mu->size; i++)
            tmp[i] = 0;
        vdl_gemm(1, 0, I, O, B, s->x2, d, tmp, s->scratch);
        for (i = 0; i < mu->size; i++)
            ls->grad[i] += 2 * s->var[i] * tmp[i];
    }
    return VDL_OK;
}

/* Batch x inputs x outputs, including 1s; X away from zero so that no row's
 * standard deviation sits at its kink sd = 0. */
static int example(int index, vdl_example *ex)
{
    static const int dims[4][3] = {{1, 1, 1}, {3, 4, 2}, {2, 5, 3}, {4, 1, 3}};
    int i;
    if (index >= 4)
        return 0;
    ex->shape[0] = vdl_shape2(dims[index][0], dims[index][1]);
    ex->shape[1] = ex->shape[2] = vdl_shape2(dims[index][1], dims[index][2]);
    for (i = 0; i < 3; i++)
        ex->fill[i] = i == 0 ? VDL_FILL_AWAY_FROM_ZERO : VDL_FILL_NORMAL;
    return 1;
}

static const vdl_op local_reparam = {
    "local_reparam", "B = X mu + sqrt(X^2 exp(2 ls)) * eps, eps ~ N(0,1) per example (local reparameterization)",
    3, 0, infer, forward, backward, example};

static const vdl_op *const ops[] = {&local_reparam};

VDL_PLUGIN("local_reparam", ops)
