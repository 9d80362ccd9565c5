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
    opt->nonfinite = -1;
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

/* A share of one tensor's step: its values w and gradients g, its state at
 * offset `at` of m (and v), the scalars lo .. hi-1, learning rate lr. */
typedef struct tensor_step {
    vdl_real *restrict w;
    const vdl_real *restrict g;
    size_t at;
    long lo, hi;
    double lr;
} tensor_step;

static vdl_real clamp(vdl_real g, vdl_real hi) { return g > hi ? hi : (g < -hi ? -hi : g); }

/* The updates read each gradient clamped to [-hi, hi] and return 1 if a new
 * value is NaN or Inf: x - x is 0 exactly for finite x, and the check without
 * an early exit vectorizes with the update (a pass less). New values go to
 * locals first: reading m[i] back right after storing it made Adam's loop 3x
 * slower (store-to-load forwarding of whole vectors) where the compiler did
 * not know the arrays were distinct. */
static int sgd(const vdl_optim *opt, const tensor_step *s, vdl_real hi)
{
    vdl_real *restrict w = s->w, *restrict m = opt->m + s->at;
    const vdl_real *restrict g = s->g;
    const vdl_real lr = (vdl_real)s->lr, mu = (vdl_real)opt->momentum;
    long i;
    int bad = 0;
    for (i = s->lo; i < s->hi; i++) {
        const vdl_real mi = mu * m[i] + clamp(g[i], hi), wi = w[i] - lr * mi;
        m[i] = mi;
        w[i] = wi;
        bad |= !(wi - wi == 0);
    }
    return bad;
}

static int adam(const vdl_optim *opt, const tensor_step *s, vdl_real hi)
{
    vdl_real *restrict w = s->w, *restrict m = opt->m + s->at, *restrict v = opt->v + s->at;
    const vdl_real *restrict g = s->g;
    const double t = (double)opt->step;
    const vdl_real b1 = (vdl_real)opt->beta1, b2 = (vdl_real)opt->beta2;
    const vdl_real eps = (vdl_real)opt->eps;
    /* Bias corrections folded into the step size (Kingma & Ba, section 2). */
    const vdl_real step = (vdl_real)(s->lr * sqrt(1 - pow(opt->beta2, t)) / (1 - pow(opt->beta1, t)));
    const vdl_real eps_hat = (vdl_real)(eps * sqrt(1 - pow(opt->beta2, t)));
    long i;
    int bad = 0;
    for (i = s->lo; i < s->hi; i++) {
        const vdl_real gi = clamp(g[i], hi);
        const vdl_real mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi;
        const vdl_real wi = w[i] - step * mi / (vdl_sqrt_real(vi) + eps_hat);
        m[i] = mi;
        v[i] = vi;
        w[i] = wi;
        bad |= !(wi - wi == 0);
    }
    return bad;
}

/* This thread's share of tensor `tensor` (of `count`) in the step's parallel
 * region: an even share of a tensor longer than VDL_PAR_MIN, else all of it
 * or nothing, the short tensors dealt out among the threads by index. */
static void share(const vdl_param_info *t, int tensor, int count, tensor_step *s)
{
    size_t lo, hi;
    if (t->size > VDL_PAR_MIN) {
        vdl_thread_share(t->size, &lo, &hi);
    } else {
        vdl_thread_share((size_t)count, &lo, &hi);
        hi = (size_t)tensor >= lo && (size_t)tensor < hi ? t->size : 0;
        lo = 0;
    }
    s->lo = (long)lo;
    s->hi = (long)hi;
}

int vdl_optim_step(vdl_optim *opt, vdl_params *p)
{
    /* no clipping: bounds of +-Inf leave every value (NaN and Inf too) as it is */
    const vdl_real hi = opt->clip > 0 ? (vdl_real)opt->clip : (vdl_real)HUGE_VAL;
    int first_bad = p->count;
    if (p->size != opt->size)
        return vdl_set_error(VDL_EINVAL, "optimizer covers %lu scalars, parameters have %lu",
                             (unsigned long)opt->size, (unsigned long)p->size);
    opt->step++;
    /* One parallel region for all tensors (not one for each): each thread
     * updates its share of every tensor, no thread waits between tensors,
     * and the first tensor with a NaN or Inf is found as on one thread. */
    VDL_OMP(omp parallel if (p->size > VDL_PAR_MIN))
    {
        int i, mine = p->count;
        for (i = 0; i < p->count; i++) {
            const vdl_param_info *t = &p->info[i];
            tensor_step s;
            s.w = p->value + t->offset;
            s.g = p->grad + t->offset;
            s.at = t->offset;
            s.lr = opt->lr * t->lr_scale;
            share(t, i, p->count, &s);
            if ((opt->kind == VDL_SGD ? sgd(opt, &s, hi) : adam(opt, &s, hi)) && i < mine)
                mine = i;
        }
        VDL_OMP(omp critical(vdl_optim_first_bad))
        if (mine < first_bad)
            first_bad = mine;
    }
    opt->nonfinite = first_bad < p->count ? first_bad : -1;
    if (opt->nonfinite >= 0)
        return vdl_set_error(VDL_ENUMERIC, "the update made tensor '%s' NaN or Inf (learning rate too high?)",
                             p->info[opt->nonfinite].name);
    return VDL_OK;
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
