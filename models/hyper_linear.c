/*
 * hyper_linear.c: the linear hypernetwork (paper eq. 7). For every classifier
 * tensor T (each mu and each log sigma): T(t) = t B2 + (1 - t) B3.
 * Parameters for tensor k, part p (0 mu, 1 log sigma): index 2(2k+p) is B2,
 * the next B3. Both start at the direct model's initial values, so before
 * training every lambda gives the same classifier.
 */
#include "vdl_model.h"

#include <stdio.h>
#include <string.h>

static const char *part_name[2] = {"mu", "log_sigma"};

static int add_params(vdl_model *m)
{
    const vdl_mlp_arch *a = &m->cfg.arch;
    char name[VDL_PARAM_NAME_MAX + 1];
    int k, p;
    for (k = 0; k < vdl_mlp_tensors(a); k++)
        for (p = 0; p < 2; p++) {
            sprintf(name, "%s.%s.B2", vdl_mlp_tensor_name(k), part_name[p]);
            if (vdl_params_add(&m->params, name, vdl_mlp_tensor_shape(a, k)) < 0)
                return VDL_EINVAL;
            sprintf(name, "%s.%s.B3", vdl_mlp_tensor_name(k), part_name[p]);
            if (vdl_params_add(&m->params, name, vdl_mlp_tensor_shape(a, k)) < 0)
                return VDL_EINVAL;
        }
    return VDL_OK;
}

static void init_params(vdl_model *m, vdl_rng *rng)
{
    int k, p;
    for (k = 0; k < vdl_mlp_tensors(&m->cfg.arch); k++)
        for (p = 0; p < 2; p++) {
            int b2 = 2 * (2 * k + p);
            vdl_model_init_tensor(&m->cfg, k, p, vdl_params_value(&m->params, b2), rng);
            memcpy(vdl_params_value(&m->params, b2 + 1), vdl_params_value(&m->params, b2),
                   m->params.info[b2].size * sizeof(vdl_real));
        }
}

static int vnodes(vdl_tape *tape, const vdl_model *m, double t, vdl_vnodes *out)
{
    return vdl_model_mix_pairs(tape, m, 2, 0, t, 1 - t, out); /* t B2 + (1 - t) B3 */
}

const vdl_model_kind_impl vdl_model_linear = {add_params, init_params, vnodes};
