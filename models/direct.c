/*
 * direct.c: a model whose parameters are the classifier's mu and log sigma
 * tensors themselves (tensor k: parameters 2k = "NAME.mu", 2k+1 = "NAME.log_sigma").
 */
#include "vdl_model.h"

#include <stdio.h>

static int add_params(vdl_model *m)
{
    const vdl_mlp_arch *a = &m->cfg.arch;
    char name[VDL_PARAM_NAME_MAX + 1];
    int k;
    for (k = 0; k < vdl_mlp_tensors(a); k++) {
        sprintf(name, "%s.mu", vdl_mlp_tensor_name(k));
        if (vdl_params_add(&m->params, name, vdl_mlp_tensor_shape(a, k)) < 0)
            return VDL_EINVAL;
        sprintf(name, "%s.log_sigma", vdl_mlp_tensor_name(k));
        if (vdl_params_add(&m->params, name, vdl_mlp_tensor_shape(a, k)) < 0)
            return VDL_EINVAL;
    }
    return VDL_OK;
}

static void init_params(vdl_model *m, vdl_rng *rng)
{
    int k;
    for (k = 0; k < vdl_mlp_tensors(&m->cfg.arch); k++) {
        vdl_model_init_tensor(&m->cfg, k, 0, vdl_params_value(&m->params, 2 * k), rng);
        vdl_model_init_tensor(&m->cfg, k, 1, vdl_params_value(&m->params, 2 * k + 1), rng);
    }
}

static int vnodes(vdl_tape *t, const vdl_model *m, double enc, vdl_vnodes *out)
{
    int k;
    (void)enc;
    for (k = 0; k < vdl_mlp_tensors(&m->cfg.arch); k++) {
        out->mu[k] = vdl_param_node(t, &m->params, 2 * k);
        out->log_sigma[k] = vdl_param_node(t, &m->params, 2 * k + 1);
        if (!out->mu[k] || !out->log_sigma[k])
            return VDL_ENOMEM;
    }
    return VDL_OK;
}

const vdl_model_kind_impl vdl_model_direct = {add_params, init_params, vnodes};
