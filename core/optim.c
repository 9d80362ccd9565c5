/*
 * optim.c: SGD with momentum, Adam, and gradient clipping.
 */
#include "vdl_optim.h"
#include "vdl_math.h"
#include "vdl_parallel.h"

#include <math.h>
#include <string.h>

int vdl_optim_init(vdl_optim *opt, vdl_optim_kind kind, double lr, size_t size)
{
    memset(opt, 0, sizeof *opt);
    if (!(lr > 0) || !isfinite(lr))
        return vdl_set_error(VDL_EINVAL, "learning rate must be a positive number, got %g", lr);
    if (kind != VDL_SGD && kind != VDL_ADAM)
        return vdl_set_error(VDL_EINVAL, "unknown optimizer kind %d", (int)kind);
    opt->kind = kind;
    opt->lr = lr;
    opt->beta1 = 0.9;
    opt->beta2 = 0.999;
    opt->eps = 1e-8;
    opt->size = size;
    opt->m = vdl_calloc(size, sizeof *opt->m);
    if (kind == VDL_ADAM)
        opt->v = vdl_calloc(size, sizeof *opt->v);
    if (!opt->m || (kind == VDL_ADAM && !opt->v)) {
        vdl_optim_free(opt);
        return VDL_ENOMEM;
    }
    return VDL_OK;
}

void vdl_optim_free(vdl_optim *opt)
{
    vdl_free(opt->m);
    vdl_free(opt->v);
    opt->m = opt->v = NULL;
}

/* One tensor's update: values w, gradients g and state from m (and v) at
 * offset `at`, n scalars, learning rate lr. */
static void sgd(vdl_optim *opt, double lr_, vdl_real *restrict w, const vdl_real *restrict g, size_t at, long n)
{
    vdl_real *restrict m = opt->m + at;
    const vdl_real lr = (vdl_real)lr_, mu = (vdl_real)opt->momentum;
    long i;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++) {
        m[i] = mu * m[i] + g[i];
        w[i] -= lr * m[i];
    }
}

static void adam(vdl_optim *opt, double lr, vdl_real *restrict w, const vdl_real *restrict g, size_t at, long n)
{
    vdl_real *restrict m = opt->m + at, *restrict v = opt->v + at;
    const double t = (double)opt->step;
    const vdl_real b1 = (vdl_real)opt->beta1, b2 = (vdl_real)opt->beta2;
    const vdl_real eps = (vdl_real)opt->eps;
    /* Bias corrections folded into the step size (Kingma & Ba, section 2). */
    const vdl_real step = (vdl_real)(lr * sqrt(1 - pow(opt->beta2, t)) / (1 - pow(opt->beta1, t)));
    const vdl_real eps_hat = (vdl_real)(eps * sqrt(1 - pow(opt->beta2, t)));
    long i;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        w[i] -= step * m[i] / (vdl_sqrt_real(v[i]) + eps_hat);
    }
}

int vdl_optim_step(vdl_optim *opt, vdl_params *p)
{
    int i;
    if (p->size != opt->size)
        return vdl_set_error(VDL_EINVAL, "optimizer covers %lu scalars, parameters have %lu",
                             (unsigned long)opt->size, (unsigned long)p->size);
    opt->step++;
    for (i = 0; i < p->count; i++) {
        const vdl_param_info *t = &p->info[i];
        double lr = opt->lr * t->lr_scale;
        if (opt->kind == VDL_SGD)
            sgd(opt, lr, p->value + t->offset, p->grad + t->offset, t->offset, (long)t->size);
        else
            adam(opt, lr, p->value + t->offset, p->grad + t->offset, t->offset, (long)t->size);
    }
    return VDL_OK;
}

void vdl_clip_value(vdl_params *p, double limit)
{
    vdl_real *restrict g = p->grad;
    const vdl_real hi = (vdl_real)limit, lo = (vdl_real)-limit;
    long i, n = (long)p->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        g[i] = g[i] > hi ? hi : (g[i] < lo ? lo : g[i]);
}

static double squares(size_t lo, size_t hi, const void *ctx)
{
    const vdl_real *g = ctx;
    double s = 0;
    size_t i;
    for (i = lo; i < hi; i++)
        s += (double)g[i] * g[i];
    return s;
}

double vdl_clip_norm(vdl_params *p, double max_norm)
{
    double norm = sqrt(vdl_sum_blocks(p->size, squares, p->grad));
    if (norm > max_norm && norm > 0) {
        const vdl_real scale = (vdl_real)(max_norm / norm);
        size_t i;
        for (i = 0; i < p->size; i++)
            p->grad[i] *= scale;
    }
    return norm;
}
