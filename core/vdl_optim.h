/*
 * vdl_optim.h: optimizers and gradient clipping over a vdl_params store.
 */
#ifndef VDL_OPTIM_H
#define VDL_OPTIM_H

#include "vdl_params.h"

typedef enum vdl_optim_kind { VDL_SGD = 0, VDL_ADAM = 1 } vdl_optim_kind;

typedef struct vdl_optim {
    vdl_optim_kind kind;
    double lr;
    double momentum;      /* SGD: heavy-ball momentum (0: plain SGD) */
    double beta1, beta2;  /* Adam */
    double eps;           /* Adam */
    long step;            /* steps taken */
    size_t size;          /* scalars the state covers */
    vdl_real *m;          /* SGD velocity or Adam first moment */
    vdl_real *v;          /* Adam second moment (NULL for SGD) */
} vdl_optim;

/* Set up an optimizer for `size` scalars with learning rate lr. Adam starts
 * with beta1 0.9, beta2 0.999, eps 1e-8; SGD with momentum 0. Change those
 * fields before the first step. Returns VDL_OK or an error. */
int vdl_optim_init(vdl_optim *opt, vdl_optim_kind kind, double lr, size_t size);

/* One update of p->value from p->grad. p->size must equal opt->size. */
int vdl_optim_step(vdl_optim *opt, vdl_params *p);

/* Release the state. */
void vdl_optim_free(vdl_optim *opt);

/* Clamp every gradient to [-limit, limit]. */
void vdl_clip_value(vdl_params *p, double limit);

/* Scale the gradients so their L2 norm is at most max_norm; returns the norm
 * before clipping (computed in a thread-count-independent order). */
double vdl_clip_norm(vdl_params *p, double max_norm);

#endif
