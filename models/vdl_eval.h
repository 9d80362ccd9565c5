/*
 * vdl_eval.h: measuring a classifier. Every function takes a direct model
 * (from training, or vdl_model_generate() of a hypernet at some lambda).
 */
#ifndef VDL_EVAL_H
#define VDL_EVAL_H

#include "vdl_mnist.h"
#include "vdl_model.h"

/* Test accuracy with every weight at its posterior mean. */
int vdl_eval_accuracy(const vdl_model *direct, const vdl_dataset *d, double *accuracy);

/* Monte Carlo predictive accuracy: the argmax of the softmax averaged over
 * `samples` weight draws from q (draws keyed by seed). */
int vdl_eval_mc_accuracy(const vdl_model *direct, const vdl_dataset *d, int samples, uint64_t seed,
                         double *accuracy);

typedef struct vdl_evidence {
    double log_likelihood; /* E_q log p(D | w): mean over the samples of sum_i log p(y_i | x_i, w) */
    double kl;             /* KL(q || p), closed form */
    double evidence;       /* log_likelihood - lambda * kl */
} vdl_evidence;

/* The generalized evidence of the paper (its metric 4; docs/reproduction.md) on data d (the
 * training set), with E_q estimated by a `samples`-draw Monte Carlo mean. */
int vdl_eval_evidence(const vdl_model *direct, const vdl_dataset *d, double lambda, double prior_sigma,
                      int samples, uint64_t seed, vdl_evidence *out);

/* Zero the means of the fraction of weights with the lowest |mu| / sigma
 * (equivalently the highest relative density exp(-mu^2 / 2 sigma^2)):
 * within each tensor (per_layer != 0, the authors' choice) or over all
 * tensors together. fraction is in [0, 1). */
int vdl_prune(vdl_model *direct, double fraction, int per_layer);

/* Accuracy on d after pruning each fraction[i] of the weights of a copy of
 * `direct`; accuracy[i] receives the results. */
int vdl_pruning_curve(const vdl_model *direct, const vdl_dataset *d, const double *fraction, int n,
                      int per_layer, double *accuracy);

#endif
