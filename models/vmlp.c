/*
 * vmlp.c: the variational MLP's forward pass and objective.
 */
#include "vdl_vmlp.h"

#include <stdio.h>

int vdl_mlp_arch_make(vdl_mlp_arch *arch, int n_sizes, const int *sizes)
{
    int i;
    if (n_sizes < 2 || n_sizes > VDL_MLP_MAX_LAYERS + 1)
        return vdl_set_error(VDL_EINVAL, "an MLP needs 2 to %d layer sizes, got %d",
                             VDL_MLP_MAX_LAYERS + 1, n_sizes);
    for (i = 0; i < n_sizes; i++)
        if (sizes[i] < 1)
            return vdl_set_error(VDL_EINVAL, "layer size %d is %d; sizes must be >= 1", i, sizes[i]);
    arch->n_layers = n_sizes - 1;
    for (i = 0; i < n_sizes; i++)
        arch->size[i] = sizes[i];
    return VDL_OK;
}

int vdl_mlp_tensors(const vdl_mlp_arch *arch) { return 2 * arch->n_layers; }

vdl_shape vdl_mlp_tensor_shape(const vdl_mlp_arch *arch, int k)
{
    int l = k / 2;
    return k % 2 ? vdl_shape1(arch->size[l + 1]) : vdl_shape2(arch->size[l], arch->size[l + 1]);
}

const char *vdl_mlp_tensor_name(int k)
{
    static const char *names[VDL_MLP_MAX_TENSORS] = {"W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4",
                                                     "W5", "b5", "W6", "b6", "W7", "b7", "W8", "b8"};
    return names[k];
}

size_t vdl_mlp_weights(const vdl_mlp_arch *arch)
{
    size_t n = 0;
    int k;
    for (k = 0; k < vdl_mlp_tensors(arch); k++) {
        vdl_shape s = vdl_mlp_tensor_shape(arch, k);
        n += vdl_shape_size(&s);
    }
    return n;
}

static vdl_node *weight(vdl_tape *t, const vdl_vnodes *v, int k, int sample)
{
    return sample ? vdl_reparam(t, v->mu[k], v->log_sigma[k]) : v->mu[k];
}

vdl_node *vdl_mlp_forward(vdl_tape *t, const vdl_mlp_arch *arch, const vdl_vnodes *v, vdl_node *x,
                          int sample)
{
    vdl_node *h = x;
    int l;
    for (l = 0; l < arch->n_layers; l++) {
        h = vdl_matmul(t, h, weight(t, v, 2 * l, sample), 0, 0);
        h = vdl_bias_add(t, h, weight(t, v, 2 * l + 1, sample));
        if (l + 1 < arch->n_layers)
            h = vdl_relu(t, h);
    }
    return h;
}

vdl_node *vdl_mlp_kl(vdl_tape *t, const vdl_mlp_arch *arch, const vdl_vnodes *v, double prior_sigma)
{
    vdl_node *kl = NULL;
    int k;
    for (k = 0; k < vdl_mlp_tensors(arch); k++) {
        vdl_node *term = vdl_gaussian_kl(t, v->mu[k], v->log_sigma[k], prior_sigma);
        kl = kl ? vdl_add(t, kl, term) : term;
    }
    return kl;
}

int vdl_mlp_loss(vdl_tape *t, const vdl_mlp_arch *arch, const vdl_vnodes *v, vdl_node *x,
                 vdl_node *labels, double lambda, double m, double prior_sigma, vdl_loss_terms *out)
{
    out->ce = vdl_softmax_ce(t, vdl_mlp_forward(t, arch, v, x, 1), labels);
    out->kl = vdl_mlp_kl(t, arch, v, prior_sigma);
    out->loss = vdl_add(t, out->ce, vdl_scale(t, out->kl, lambda / m));
    return out->loss ? VDL_OK : VDL_EINVAL;
}
