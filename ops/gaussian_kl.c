/*
 * gaussian_kl.c: KL( N(mu, exp(ls)^2) || N(0, s^2) ) summed over elements,
 * closed form per element: log(s) - ls + (exp(2 ls) + mu^2) / (2 s^2) - 1/2.
 * Inputs mu and ls (log sigma), same shape; attribute 0 is the prior's s.
 */
#include "op_util.h"
#include "vdl_ops.h"

#include "vdl_math.h"

static int infer(vdl_node *out)
{
    if (vdl_require_same_shape(out, 0, 1))
        return VDL_EINVAL;
    if (!(out->attr[0] > 0) || !isfinite(out->attr[0]))
        return vdl_set_error(VDL_EINVAL, "op 'gaussian_kl': prior sigma must be positive, got %g",
                             out->attr[0]);
    out->shape = vdl_shape0();
    return VDL_OK;
}

typedef struct kl_terms {
    const vdl_real *mu, *ls;
    vdl_real log_s, inv_2s2;
} kl_terms;

static vdl_real kl_term(const kl_terms *k, size_t i)
{
    const vdl_real ls = k->ls[i], mu = k->mu[i];
    return k->log_s - ls + (vdl_exp_real(2 * ls) + mu * mu) * k->inv_2s2 - (vdl_real)0.5;
}

/* Sum of terms lo..hi-1 in LANES interleaved double partial sums (a fixed
 * order, so the result is still independent of threads, and a loop that
 * vectorizes), then the lanes in order. */
#define LANES 8
static double kl_range(size_t lo, size_t hi, const void *ctx)
{
    const kl_terms *k = ctx;
    double lane[LANES] = {0}, s = 0;
    size_t i = lo;
    int j;
    for (; i + LANES <= hi; i += LANES)
        for (j = 0; j < LANES; j++)
            lane[j] += kl_term(k, i + (size_t)j);
    for (; i < hi; i++)
        s += kl_term(k, i);
    for (j = 0; j < LANES; j++)
        s += lane[j];
    return s;
}

static int forward(vdl_node *out)
{
    kl_terms k;
    k.mu = out->in[0]->value;
    k.ls = out->in[1]->value;
    k.log_s = (vdl_real)log(out->attr[0]);
    k.inv_2s2 = (vdl_real)(1.0 / (2 * out->attr[0] * out->attr[0]));
    out->value[0] = (vdl_real)vdl_sum_blocks(out->in[0]->size, kl_range, &k);
    return VDL_OK;
}

/* d/dmu = mu / s^2, d/dls = exp(2 ls) / s^2 - 1; both in one pass when both
 * inputs take gradients (the usual case: mu and ls are weights; one node as
 * both is fine, its element gets both terms in turn). */
static int backward(vdl_node *out)
{
    const vdl_real *mu = out->in[0]->value, *ls = out->in[1]->value;
    vdl_real *gmu = out->in[0]->grad, *gls = out->in[1]->grad;
    const vdl_real g = out->grad[0], inv_s2 = (vdl_real)(1.0 / (out->attr[0] * out->attr[0]));
    const vdl_real c = g * inv_s2;
    long i, n = (long)out->in[0]->size;
    if (gmu && gls) {
        VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < n; i++) {
            gmu[i] += c * mu[i];
            gls[i] += g * (vdl_exp_real(2 * ls[i]) * inv_s2 - 1);
        }
        return VDL_OK;
    }
    if (gmu)
        vdl_accumulate_scaled(gmu, c, mu, out->in[0]->size);
    if (gls) {
        VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < n; i++)
            gls[i] += g * (vdl_exp_real(2 * ls[i]) * inv_s2 - 1);
    }
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    ex->attr[0] = index == 2 ? 0.316227766 : 1.3;
    return vdl_example_normal_pair(index, ex);
}

const vdl_op vdl_op_gaussian_kl = {"gaussian_kl",
                                   "y = sum KL(N(mu, exp(ls)^2) || N(0, s^2)); attr: s",
                                   2, 1, infer, forward, backward, example};

vdl_node *vdl_gaussian_kl(vdl_tape *t, vdl_node *mu, vdl_node *log_sigma, double prior_sigma)
{
    return vdl_apply2(t, &vdl_op_gaussian_kl, mu, log_sigma, &prior_sigma);
}
