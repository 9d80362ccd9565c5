/*
 * prune.c: removing weights by posterior signal-to-noise. A weight with a
 * small |mu| / sigma has a high relative density exp(-mu^2 / 2 sigma^2) at
 * zero: setting it to zero costs the posterior little.
 */
#include "vdl_eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ranked {
    double snr;
    vdl_real *mu;
} ranked;

static int by_snr(const void *a, const void *b)
{
    double x = ((const ranked *)a)->snr, y = ((const ranked *)b)->snr;
    if (x != y)
        return x < y ? -1 : 1;
    /* ties: by address, so the order is total and the result reproducible */
    return ((const ranked *)a)->mu < ((const ranked *)b)->mu ? -1 : 1;
}

/* Collect the weights of tensors [k0, k1) with their |mu| / sigma. */
static size_t collect(vdl_model *m, int k0, int k1, ranked *out)
{
    size_t n = 0, i;
    int k;
    for (k = k0; k < k1; k++) {
        vdl_real *mu = vdl_params_value(&m->params, 2 * k);
        const vdl_real *ls = vdl_params_value(&m->params, 2 * k + 1);
        for (i = 0; i < m->params.info[2 * k].size; i++, n++) {
            out[n].snr = fabs(mu[i]) / exp(ls[i]);
            out[n].mu = mu + i;
        }
    }
    return n;
}

static void zero_lowest(ranked *r, size_t n, double fraction)
{
    size_t i, cut = (size_t)floor(fraction * (double)n + 1e-9);
    qsort(r, n, sizeof *r, by_snr);
    for (i = 0; i < cut; i++)
        *r[i].mu = 0;
}

int vdl_prune(vdl_model *direct, double fraction, int per_layer)
{
    const int tensors = vdl_mlp_tensors(&direct->cfg.arch);
    ranked *r;
    int k;
    if (direct->cfg.kind != VDL_MODEL_DIRECT)
        return vdl_set_error(VDL_EINVAL, "pruning needs a direct model (generate one from the hypernet)");
    if (!(fraction >= 0 && fraction < 1))
        return vdl_set_error(VDL_EINVAL, "pruning fraction must be in [0, 1), got %g", fraction);
    r = vdl_malloc(vdl_mlp_weights(&direct->cfg.arch) * sizeof *r);
    if (!r)
        return VDL_ENOMEM;
    if (per_layer)
        for (k = 0; k < tensors; k++)
            zero_lowest(r, collect(direct, k, k + 1, r), fraction);
    else
        zero_lowest(r, collect(direct, 0, tensors, r), fraction);
    vdl_free(r);
    return VDL_OK;
}

int vdl_pruning_curve(const vdl_model *direct, const vdl_dataset *d, const double *fraction, int n,
                      int per_layer, double *accuracy)
{
    vdl_model copy;
    int i, rc;
    if ((rc = vdl_model_alloc(&copy, &direct->cfg)) != VDL_OK)
        return rc;
    for (i = 0; rc == VDL_OK && i < n; i++) {
        rc = vdl_params_copy(&copy.params, &direct->params);
        rc = rc ? rc : vdl_prune(&copy, fraction[i], per_layer);
        rc = rc ? rc : vdl_eval_accuracy(&copy, d, &accuracy[i]);
    }
    vdl_model_free(&copy);
    return rc;
}
