/*
 * vdl_vmlp.h: the variational MLP of the paper (eq. 9; docs/models.md), built only from
 * registered ops. Its forward takes its variational parameters (a mean and a
 * log-sigma node per weight tensor) from outside, so one definition serves
 * direct training and every hypernetwork.
 */
#ifndef VDL_VMLP_H
#define VDL_VMLP_H

#include "vdl.h"

#define VDL_MLP_MAX_LAYERS 8
#define VDL_MLP_MAX_TENSORS (2 * VDL_MLP_MAX_LAYERS)

/* Layer sizes: size[0] inputs, size[n_layers] classes; ReLU between layers. */
typedef struct vdl_mlp_arch {
    int n_layers;                         /* weight layers, 1 .. VDL_MLP_MAX_LAYERS */
    int size[VDL_MLP_MAX_LAYERS + 1];
} vdl_mlp_arch;

/* The variational parameters of every tensor, as tape nodes. Tensor 2l is
 * layer l's weight matrix (size[l] x size[l+1]), tensor 2l+1 its bias. */
typedef struct vdl_vnodes {
    vdl_node *mu[VDL_MLP_MAX_TENSORS];
    vdl_node *log_sigma[VDL_MLP_MAX_TENSORS];
} vdl_vnodes;

/* An architecture from a list of sizes ({784, 100, 10}); VDL_EINVAL if bad. */
int vdl_mlp_arch_make(vdl_mlp_arch *arch, int n_sizes, const int *sizes);

/* Number of variational tensors (2 per layer). */
int vdl_mlp_tensors(const vdl_mlp_arch *arch);

/* Shape and name ("W1", "b1", "W2", ...) of tensor k. */
vdl_shape vdl_mlp_tensor_shape(const vdl_mlp_arch *arch, int k);
const char *vdl_mlp_tensor_name(int k);

/* Number of scalar weights (79,510 for 784-100-10). */
size_t vdl_mlp_weights(const vdl_mlp_arch *arch);

/* Logits (B x classes) for inputs x (B x size[0]). With sample != 0 every
 * weight is drawn by reparam (one draw per call); otherwise the means are used. */
vdl_node *vdl_mlp_forward(vdl_tape *t, const vdl_mlp_arch *arch, const vdl_vnodes *v, vdl_node *x,
                          int sample);

/* sum over all weights of KL(q || N(0, prior_sigma^2)). */
vdl_node *vdl_mlp_kl(vdl_tape *t, const vdl_mlp_arch *arch, const vdl_vnodes *v, double prior_sigma);

/* The loss terms of one minibatch at complexity lambda. */
typedef struct vdl_loss_terms {
    vdl_node *loss; /* ce + lambda * kl / m: what training minimizes */
    vdl_node *ce;   /* mean cross-entropy of the batch */
    vdl_node *kl;   /* total KL */
} vdl_loss_terms;

/* Build the minibatch loss (docs/models.md) with sampled weights:
 * m is the training-set size, labels a vector of class indices. */
int vdl_mlp_loss(vdl_tape *t, const vdl_mlp_arch *arch, const vdl_vnodes *v, vdl_node *x,
                 vdl_node *labels, double lambda, double m, double prior_sigma, vdl_loss_terms *out);

#endif
