/*
 * model.c: what every model kind shares: configuration, lambda encoding,
 * initialization, dispatch to the kind, and generating a direct model.
 */
#include "vdl_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const vdl_model_kind_impl *impl(vdl_model_kind kind)
{
    switch (kind) {
    case VDL_MODEL_LINEAR: return &vdl_model_linear;
    case VDL_MODEL_LOWRANK: return &vdl_model_lowrank;
    case VDL_MODEL_PIECEWISE: return &vdl_model_piecewise;
    default: return &vdl_model_direct;
    }
}

vdl_model_config vdl_model_defaults(vdl_model_kind kind)
{
    static const int sizes[3] = {784, 100, 10};
    vdl_model_config c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    vdl_mlp_arch_make(&c.arch, 3, sizes);
    c.lambda_min = 0.1;
    c.lambda_max = 100;
    c.hyper_hidden = 50;
    c.rank_scale = 1;
    c.factor_lr_scale = VDL_LOWRANK_FACTOR_LR_EQ6; /* every kind's files hold it */
    c.hyper_rank = 1; /* eq. 6; docs/models.md says why higher ranks are an option only */
    if (kind == VDL_MODEL_LOWRANK) { /* not eq. 6 or 8: docs/models.md says why */
        c.multiplicative_means = c.multiplicative_log_sigmas = 1;
        c.lambda_weight = 0.5;
        c.factor_lr_scale = VDL_LOWRANK_FACTOR_LR;
    }
    c.init_log_sigma = -3;
    c.anchors = kind == VDL_MODEL_PIECEWISE ? 5 : 0;
    return c;
}

vdl_model_config vdl_model_paper(vdl_model_kind kind)
{
    vdl_model_config c = vdl_model_defaults(kind);
    /* undo the low-rank defaults' deviations from eq. 6 and 8 (the collapse fix stays) */
    c.multiplicative_means = c.multiplicative_log_sigmas = 0;
    c.lambda_weight = 0;
    c.factor_lr_scale = VDL_LOWRANK_FACTOR_LR_EQ6;
    return c;
}

const char *vdl_model_kind_name(vdl_model_kind kind)
{
    static const char *names[VDL_MODEL_KIND_COUNT] = {"direct", "linear", "lowrank", "piecewise"};
    return (kind >= 0 && kind < VDL_MODEL_KIND_COUNT) ? names[kind] : "unknown";
}

int vdl_model_kind_parse(const char *name)
{
    int k;
    for (k = 0; k < VDL_MODEL_KIND_COUNT; k++)
        if (strcmp(name, vdl_model_kind_name((vdl_model_kind)k)) == 0)
            return k;
    return -1;
}

double vdl_lambda_encode(const vdl_model_config *cfg, double lambda)
{
    return (log(lambda) - log(cfg->lambda_min)) / (log(cfg->lambda_max) - log(cfg->lambda_min));
}

int vdl_model_lambda_ok(const vdl_model *m, double lambda)
{
    if (!(lambda > 0) || !isfinite(lambda)) {
        vdl_set_error(VDL_EINVAL, "lambda must be a positive number, got %g", lambda);
        return 0;
    }
    if (m->cfg.kind != VDL_MODEL_DIRECT &&
        (lambda < m->cfg.lambda_min * (1 - 1e-9) || lambda > m->cfg.lambda_max * (1 + 1e-9))) {
        vdl_set_error(VDL_EINVAL, "lambda %g is outside the hypernet's trained range [%g, %g]", lambda,
                      m->cfg.lambda_min, m->cfg.lambda_max);
        return 0;
    }
    return 1;
}

static int config_ok(const vdl_model_config *c)
{
    if (c->kind < VDL_MODEL_DIRECT || c->kind >= VDL_MODEL_KIND_COUNT)
        return vdl_set_error(VDL_EINVAL, "unknown model kind %d", (int)c->kind);
    if (c->arch.n_layers < 1 || c->arch.n_layers > VDL_MLP_MAX_LAYERS)
        return vdl_set_error(VDL_EINVAL, "bad number of layers %d", c->arch.n_layers);
    if (c->kind != VDL_MODEL_DIRECT && !(c->lambda_min > 0 && c->lambda_max > c->lambda_min))
        return vdl_set_error(VDL_EINVAL, "lambda range [%g, %g] is not 0 < min < max", c->lambda_min,
                             c->lambda_max);
    if (c->kind == VDL_MODEL_LOWRANK && c->hyper_hidden < 1)
        return vdl_set_error(VDL_EINVAL, "low-rank hidden size must be >= 1, got %d", c->hyper_hidden);
    if (c->kind == VDL_MODEL_LOWRANK && (c->hyper_rank < 1 || c->hyper_rank > VDL_MODEL_MAX_RANK))
        return vdl_set_error(VDL_EINVAL, "low-rank rank must be in 1..%d, got %d", VDL_MODEL_MAX_RANK,
                             c->hyper_rank);
    if (c->kind == VDL_MODEL_LOWRANK && ((c->multiplicative_means & ~1) || (c->multiplicative_log_sigmas & ~1)))
        return vdl_set_error(VDL_EINVAL, "low-rank multiplicative_means and _log_sigmas must be 0 or 1, got %d and %d",
                             c->multiplicative_means, c->multiplicative_log_sigmas);
    if (c->kind == VDL_MODEL_LOWRANK && !(c->lambda_weight >= 0 && c->lambda_weight <= VDL_MODEL_MAX_LAMBDA_WEIGHT))
        return vdl_set_error(VDL_EINVAL, "low-rank lambda weight must be in 0..%d, got %g",
                             VDL_MODEL_MAX_LAMBDA_WEIGHT, c->lambda_weight);
    if (c->kind == VDL_MODEL_PIECEWISE && (c->anchors < 2 || c->anchors > VDL_MODEL_MAX_ANCHORS))
        return vdl_set_error(VDL_EINVAL, "a piecewise hypernet needs 2 to %d anchors, got %d",
                             VDL_MODEL_MAX_ANCHORS, c->anchors);
    return VDL_OK;
}

int vdl_model_alloc(vdl_model *m, const vdl_model_config *cfg)
{
    int rc = config_ok(cfg);
    memset(m, 0, sizeof *m);
    if (rc)
        return rc;
    m->cfg = *cfg;
    vdl_params_init(&m->params);
    rc = impl(cfg->kind)->add_params(m);
    if (rc)
        vdl_params_free(&m->params);
    return rc;
}

int vdl_model_init(vdl_model *m, const vdl_model_config *cfg, uint64_t seed)
{
    vdl_rng rng;
    int rc = vdl_model_alloc(m, cfg);
    if (rc)
        return rc;
    vdl_rng_init(&rng, seed, 0x1417);
    impl(cfg->kind)->init_params(m, &rng);
    return VDL_OK;
}

int vdl_model_matrix_rank(const vdl_model_config *cfg, int rows, int cols)
{
    int r = cfg->hyper_rank < 1 ? 1 : cfg->hyper_rank;
    r = r < rows ? r : rows;
    return r < cols ? r : cols;
}

void vdl_model_init_tensor(const vdl_model_config *cfg, int k, int is_log_sigma, vdl_real *dst,
                           vdl_rng *rng)
{
    vdl_shape s = vdl_mlp_tensor_shape(&cfg->arch, k);
    size_t i, n = vdl_shape_size(&s);
    /* Xavier-uniform for weight means; zero bias means (authors' code). */
    double a = s.ndim == 2 ? sqrt(6.0 / (s.dim[0] + s.dim[1])) : 0;
    for (i = 0; i < n; i++)
        dst[i] = (vdl_real)(is_log_sigma ? cfg->init_log_sigma : a * (2 * vdl_rng_uniform(rng) - 1));
}

int vdl_model_mix_pairs(vdl_tape *t, const vdl_model *m, int stride, int offset, double wa, double wb,
                        vdl_vnodes *out)
{
    int k, p;
    for (k = 0; k < vdl_mlp_tensors(&m->cfg.arch); k++)
        for (p = 0; p < 2; p++) {
            int i = stride * (2 * k + p) + offset;
            vdl_node *v = vdl_axpby(t, wa, vdl_param_node(t, &m->params, i), wb,
                                    vdl_param_node(t, &m->params, i + 1));
            if (!v)
                return VDL_ENOMEM;
            if (p)
                out->log_sigma[k] = v;
            else
                out->mu[k] = v;
        }
    return VDL_OK;
}

int vdl_model_vnodes(vdl_tape *t, const vdl_model *m, double lambda, vdl_vnodes *out)
{
    double enc = m->cfg.kind == VDL_MODEL_DIRECT ? 0 : vdl_lambda_encode(&m->cfg, lambda);
    memset(out, 0, sizeof *out);
    return impl(m->cfg.kind)->vnodes(t, m, enc, out);
}

int vdl_model_generate(const vdl_model *m, double lambda, vdl_model *out)
{
    vdl_model_config cfg = m->cfg;
    vdl_tape *t;
    vdl_vnodes v;
    int rc, k;
    if (!vdl_model_lambda_ok(m, lambda))
        return VDL_EINVAL;
    cfg.kind = VDL_MODEL_DIRECT;
    rc = vdl_model_alloc(out, &cfg);
    if (rc)
        return rc;
    t = vdl_tape_new();
    rc = t ? vdl_model_vnodes(t, m, lambda, &v) : VDL_ENOMEM;
    for (k = 0; rc == VDL_OK && k < vdl_mlp_tensors(&cfg.arch); k++) {
        /* direct models store tensor k's mu at index 2k and log sigma at 2k+1 */
        memcpy(vdl_params_value(&out->params, 2 * k), v.mu[k]->value, v.mu[k]->size * sizeof(vdl_real));
        memcpy(vdl_params_value(&out->params, 2 * k + 1), v.log_sigma[k]->value,
               v.log_sigma[k]->size * sizeof(vdl_real));
    }
    vdl_tape_free(t);
    if (rc)
        vdl_model_free(out);
    return rc;
}

void vdl_model_free(vdl_model *m) { vdl_params_free(&m->params); }
