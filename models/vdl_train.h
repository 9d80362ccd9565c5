/*
 * vdl_train.h: minibatch training of any model kind: direct at a fixed
 * lambda, a hypernet with lambda drawn per minibatch (K draws averaged), or a
 * generated model fine-tuned at a fixed lambda (a direct model).
 *
 * Every random choice is a pure function of (seed, step): the epoch's shuffle,
 * the lambda draws and the weight noise. So a trainer restored from a
 * checkpoint (model, optimizer state, step, epoch) continues exactly.
 */
#ifndef VDL_TRAIN_H
#define VDL_TRAIN_H

#include "vdl_mnist.h"
#include "vdl_model.h"
#include "vdl_sparse_inputs.h"

typedef struct vdl_train_config {
    int epochs;            /* passes over the training set (25) */
    int batch;             /* minibatch size (256) */
    vdl_optim_kind optim;  /* Adam (default) or SGD (paper preset) */
    double lr;             /* 5e-4 for Adam */
    double momentum;       /* SGD only */
    double clip_value;     /* clamp gradients to +-clip_value; 0 turns it off (1.0) */
    double prior_sigma;    /* prior N(0, s^2): s = sqrt(0.1) */
    double lambda;         /* complexity for direct training and fine-tuning */
    int lambda_draws;      /* hypernets: lambda draws averaged per minibatch (K) */
    uint64_t seed;
} vdl_train_config;

/* The defaults (docs/models.md) for a model kind (K = 5 for linear and
 * piecewise, 1 for low-rank). */
vdl_train_config vdl_train_defaults(vdl_model_kind kind);

/* The `paper` preset: plain SGD as in the paper (lr 0.01, no momentum), the
 * rest (clipping at 1 included) as the defaults. See docs/models.md. */
vdl_train_config vdl_train_paper(vdl_model_kind kind);

/* The parts of a training step, for vdl_trainer.seconds. */
typedef enum vdl_step_phase {
    VDL_PHASE_GATHER,   /* copying the minibatch's rows */
    VDL_PHASE_FORWARD,  /* zeroing gradients and building the loss: sampling, products, KL */
    VDL_PHASE_BACKWARD, /* the gradients */
    VDL_PHASE_UPDATE,   /* the gradients' finiteness check and the optimizer */
    VDL_PHASE_COUNT
} vdl_step_phase;

typedef struct vdl_trainer {
    vdl_train_config cfg;
    vdl_model *model;
    const vdl_dataset *data;
    vdl_optim opt;
    vdl_tape *tape;
    long step;          /* optimizer steps taken */
    int epoch;          /* epochs completed */
    int *order;         /* the shuffle of epoch order_epoch */
    int order_epoch;
    vdl_real *xb, *yb;  /* minibatch buffers (xb: the dense inputs; the sparse path writes none) */
    vdl_sparse_inputs inputs; /* the inputs in sparse form, if mostly background */
    double loss, ce, kl;/* running means over the current epoch */
    long seen;          /* minibatches in those means */
    double seconds[VDL_PHASE_COUNT]; /* time of each phase since init by vdl_now(), over
                                        all steps (not saved in checkpoints) */
} vdl_trainer;

/* VDL_OK if c is a usable configuration for a training set of n examples
 * (n <= 0: any size), else VDL_EINVAL naming the first bad field. */
int vdl_train_config_check(const vdl_train_config *c, int n);

/* Set up training of `model` on `data` (both must outlive the trainer, and
 * data's values must not change meanwhile: a sparse copy of its inputs may be
 * taken here, vdl_sparse_inputs.h). Checks the configuration; returns VDL_OK,
 * VDL_EINVAL with a message, or VDL_ENOMEM. */
int vdl_trainer_init(vdl_trainer *tr, vdl_model *model, const vdl_dataset *data,
                     const vdl_train_config *cfg);

/* Called after every minibatch of vdl_trainer_epoch: minibatch b of the n of
 * an epoch (after the last, b == n, the epoch count has already gone up). */
typedef void (*vdl_progress_fn)(void *ctx, const vdl_trainer *tr, long b, long n);

/* One minibatch step: the next minibatch of the current epoch (shuffled by
 * (seed, epoch)); after its last one the epoch count goes up. Stops with
 * VDL_ENUMERIC if the loss or a gradient is not finite (the model then holds
 * the values from before the step) or if the update made a value NaN or Inf
 * (the model then holds those: do not save it); the message names the step
 * (counted from 1), the epoch, the minibatch and the tensor. Between two
 * calls the trainer can be saved (vdl_checkpoint_save) and resumed exactly,
 * also in the middle of an epoch. */
int vdl_trainer_step(vdl_trainer *tr);

/* Steps until the current epoch is complete (a whole epoch, or the rest of
 * one a resumed trainer started in), calling progress (if not NULL) after
 * each. Errors as vdl_trainer_step. */
int vdl_trainer_epoch(vdl_trainer *tr, vdl_progress_fn progress, void *ctx);

/* Minibatches done in the current epoch: step - epoch x batches. */
long vdl_trainer_position(const vdl_trainer *tr);

/* Minibatches per epoch. */
long vdl_trainer_batches(const vdl_trainer *tr);

/* Parameter updates so far: optimizer steps x trainable scalars. */
double vdl_trainer_updates(const vdl_trainer *tr);

/* Release the trainer's buffers (not the model or the data). */
void vdl_trainer_free(vdl_trainer *tr);

#endif
