/*
 * hyper_lowrank.c: the low-rank hypernetwork (paper eq. 6). For every
 * classifier tensor T (each mu and each log sigma) its own hidden layer
 * h = ReLU(a t + c) of H units, and
 *   matrix T (rows x cols): T(t) = B1 + s (h U1 + c1)^T (h U2 + c2)
 *   vector T (n):           T(t) = B1 + s (h U + c1)
 * where s is cfg.rank_scale (see docs/models.md for why it exists).
 * With cfg.hyper_rank R > 1 (not in the paper; docs/models.md) a matrix's
 * correction has rank r = min(R, rows, cols):
 *   T(t) = B1 + s U(t) V(t),  U(t) = reshape(h U1 + c1, rows x r),
 *                             V(t) = reshape(h U2 + c2, r x cols),
 * with U1: H x (rows r), U2: H x (r cols); R = 1 is eq. 6 exactly.
 * With cfg.multiplicative_means and cfg.multiplicative_log_sigmas (the
 * defaults; not in the paper) a mean or log-sigma matrix's correction scales
 * its base elementwise, so lambda can shrink and grow it weight by weight:
 *   T(t) = B1 + s B1 * C(t),  C(t) the low-rank term above.
 * Vectors stay additive.
 * Parameters per (tensor, part), in order: B1, a, c, U1, c1[, U2, c2].
 */
#include "vdl_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *part_name[2] = {"mu", "log_sigma"};

/* Parameters per (tensor, part): 7 for a matrix, 5 for a vector. */
static int block(const vdl_mlp_arch *a, int k) { return vdl_mlp_tensor_shape(a, k).ndim == 2 ? 7 : 5; }

static int first_param(const vdl_mlp_arch *a, int k, int p)
{
    int i, at = 0;
    for (i = 0; i < k; i++)
        at += 2 * block(a, i);
    return at + p * block(a, k);
}

static int add(vdl_model *m, int k, int p, const char *what, vdl_shape s)
{
    char name[VDL_PARAM_NAME_MAX + 1];
    int i;
    sprintf(name, "%s.%s.%s", vdl_mlp_tensor_name(k), part_name[p], what);
    if ((i = vdl_params_add(&m->params, name, s)) < 0)
        return VDL_EINVAL;
    if (p == 1 && strcmp(what, "B1") != 0)
        m->params.info[i].lr_scale = m->cfg.factor_lr_scale;
    return VDL_OK;
}

static int add_params(vdl_model *m)
{
    const vdl_mlp_arch *a = &m->cfg.arch;
    const int H = m->cfg.hyper_hidden;
    int k, p, rc = VDL_OK;
    for (k = 0; k < vdl_mlp_tensors(a); k++)
        for (p = 0; p < 2; p++) {
            vdl_shape s = vdl_mlp_tensor_shape(a, k);
            int rows = s.dim[0], cols = s.ndim == 2 ? s.dim[1] : 0;
            int r = cols ? vdl_model_matrix_rank(&m->cfg, rows, cols) : 1;
            rc = rc ? rc : add(m, k, p, "B1", s);
            rc = rc ? rc : add(m, k, p, "a", vdl_shape2(1, H));
            rc = rc ? rc : add(m, k, p, "c", vdl_shape2(1, H));
            rc = rc ? rc : add(m, k, p, "U1", vdl_shape2(H, rows * r));
            rc = rc ? rc : add(m, k, p, "c1", vdl_shape1(rows * r));
            if (cols) {
                rc = rc ? rc : add(m, k, p, "U2", vdl_shape2(H, r * cols));
                rc = rc ? rc : add(m, k, p, "c2", vdl_shape1(r * cols));
            }
        }
    return rc;
}

static void uniform(vdl_real *x, size_t n, double lo, double hi, vdl_rng *rng)
{
    size_t i;
    for (i = 0; i < n; i++)
        x[i] = (vdl_real)(lo + (hi - lo) * vdl_rng_uniform(rng));
}

static void init_params(vdl_model *m, vdl_rng *rng)
{
    const vdl_mlp_arch *a = &m->cfg.arch;
    const vdl_params *P = &m->params;
    const int H = m->cfg.hyper_hidden;
    int k, p;
    for (k = 0; k < vdl_mlp_tensors(a); k++)
        for (p = 0; p < 2; p++) {
            int i = first_param(a, k, p);
            double u = 1 / sqrt((double)H);
            vdl_model_init_tensor(&m->cfg, k, p, vdl_params_value(P, i), rng);
            uniform(vdl_params_value(P, i + 1), (size_t)H, -1, 1, rng); /* a */
            uniform(vdl_params_value(P, i + 2), (size_t)H, 0, 1, rng);  /* c: h > 0 somewhere */
            /* A matrix: U1 small and random, U2 and both biases zero, so the
             * correction starts at exactly 0 and U2 learns first (as LoRA
             * starts one factor at zero). A vector: its one factor U starts
             * at zero. Values are zero on entry. */
            if (block(a, k) == 7)
                uniform(vdl_params_value(P, i + 3), P->info[i + 3].size, -u, u, rng);
        }
}

static vdl_node *param(vdl_tape *t, const vdl_model *m, int i) { return vdl_param_node(t, &m->params, i); }

static int vnodes(vdl_tape *tape, const vdl_model *m, double t, vdl_vnodes *out)
{
    const vdl_mlp_arch *a = &m->cfg.arch;
    int k, p;
    for (k = 0; k < vdl_mlp_tensors(a); k++)
        for (p = 0; p < 2; p++) {
            const int i = first_param(a, k, p);
            vdl_shape s = vdl_mlp_tensor_shape(a, k);
            vdl_node *h = vdl_relu(tape, vdl_axpby(tape, t, param(tape, m, i + 1), 1, param(tape, m, i + 2)));
            vdl_node *u = vdl_bias_add(tape, vdl_matmul(tape, h, param(tape, m, i + 3), 0, 0),
                                       param(tape, m, i + 4));
            vdl_node *corr;
            if (s.ndim == 2) {
                const int rows = s.dim[0], cols = s.dim[1], r = vdl_model_matrix_rank(&m->cfg, rows, cols);
                vdl_node *v = vdl_bias_add(tape, vdl_matmul(tape, h, param(tape, m, i + 5), 0, 0),
                                           param(tape, m, i + 6));
                /* rank 1 keeps the outer product: eq. 6 bit for bit as before */
                corr = r == 1 ? vdl_outer(tape, u, v)
                              : vdl_matmul(tape, vdl_reshape(tape, u, vdl_shape2(rows, r)),
                                           vdl_reshape(tape, v, vdl_shape2(r, cols)), 0, 0);
            } else {
                corr = vdl_reshape(tape, u, s);
            }
            if (s.ndim == 2 && (p ? m->cfg.multiplicative_log_sigmas : m->cfg.multiplicative_means))
                corr = vdl_mul(tape, param(tape, m, i), corr);
            corr = vdl_axpby(tape, 1, param(tape, m, i), m->cfg.rank_scale, corr);
            if (!corr)
                return VDL_ENOMEM;
            if (p)
                out->log_sigma[k] = corr;
            else
                out->mu[k] = corr;
        }
    return VDL_OK;
}

const vdl_model_kind_impl vdl_model_lowrank = {add_params, init_params, vnodes};
