/*
 * hyper_piecewise.c: the piecewise-linear hypernetwork (the authors' later
 * code calls it a "kernel" hypernet). N anchor models A_0 .. A_{N-1}, each a
 * full set of mu and log sigma tensors, sit at t_j = j / (N - 1); the
 * classifier at t is the linear interpolation between the two around t:
 *   T(t) = (1 - u) A_j + u A_{j+1},  j = min(floor(t (N-1)), N-2),  u = t (N-1) - j,
 * which is sum_j max(0, 1 - |t (N-1) - j|) A_j, a hat-function kernel in t.
 * With N = 2 it is the linear hypernet (A_0 = B3, A_1 = B2).
 * Parameters for tensor k, part p (0 mu, 1 log sigma): the N anchors
 * "W1.mu.A0", ... from index N (2k + p). All anchors start at the direct
 * model's initial values, so before training every lambda gives the same
 * classifier. Built from existing ops (axpby, through vdl_model_mix_pairs):
 * no change to core/ or ops/ was needed for it.
 */
#include "vdl_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *part_name[2] = {"mu", "log_sigma"};

static int add_params(vdl_model *m)
{
    const vdl_mlp_arch *a = &m->cfg.arch;
    char name[VDL_PARAM_NAME_MAX + 1];
    int k, p, j;
    for (k = 0; k < vdl_mlp_tensors(a); k++)
        for (p = 0; p < 2; p++)
            for (j = 0; j < m->cfg.anchors; j++) {
                sprintf(name, "%s.%s.A%d", vdl_mlp_tensor_name(k), part_name[p], j);
                if (vdl_params_add(&m->params, name, vdl_mlp_tensor_shape(a, k)) < 0)
                    return VDL_EINVAL;
            }
    return VDL_OK;
}

static void init_params(vdl_model *m, vdl_rng *rng)
{
    const int n = m->cfg.anchors;
    int k, p, j;
    for (k = 0; k < vdl_mlp_tensors(&m->cfg.arch); k++)
        for (p = 0; p < 2; p++) {
            int a0 = n * (2 * k + p);
            vdl_model_init_tensor(&m->cfg, k, p, vdl_params_value(&m->params, a0), rng);
            for (j = 1; j < n; j++)
                memcpy(vdl_params_value(&m->params, a0 + j), vdl_params_value(&m->params, a0),
                       m->params.info[a0].size * sizeof(vdl_real));
        }
}

static int vnodes(vdl_tape *tape, const vdl_model *m, double t, vdl_vnodes *out)
{
    const int n = m->cfg.anchors;
    double pos = t * (n - 1);
    int j = (int)floor(pos);
    /* t is in [0, 1] up to rounding: keep j on a segment */
    j = j < 0 ? 0 : j > n - 2 ? n - 2 : j;
    return vdl_model_mix_pairs(tape, m, n, j, 1 - (pos - j), pos - j, out); /* A_j, A_j+1 */
}

const vdl_model_kind_impl vdl_model_piecewise = {add_params, init_params, vnodes};
