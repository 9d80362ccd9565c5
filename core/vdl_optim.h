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
    double clip;          /* > 0: each gradient is clamped to [-clip, clip] as a step reads it */
    int nonfinite;        /* after a step: the first tensor whose values became NaN or Inf, or -1 */
    long step;            /* steps taken */
    size_t size;          /* scalars the state covers */
    vdl_real *m;          /* SGD velocity or Adam first moment */
    vdl_real *v;          /* Adam second moment (NULL for SGD) */
} vdl_optim;

/* Set up an optimizer for `size` scalars with learning rate lr. Adam starts
 * with beta1 0.9, beta2 0.999, eps 1e-8; SGD with momentum 0; no clipping.
 * Change those fields before the first step. Returns VDL_OK or an error. */
int vdl_optim_init(vdl_optim *opt, vdl_optim_kind kind, double lr, size_t size);

/* One update of p->value from p->grad (clamped to +-opt->clip when it is
 * > 0; p->grad itself is not changed). p->size must equal opt->size. Returns
 * VDL_ENUMERIC, with opt->nonfinite naming the first such tensor, when the
 * update left a NaN or Inf in the values (it is applied all the same). */
int vdl_optim_step(vdl_optim *opt, vdl_params *p);

/* Release the state. */
void vdl_optim_free(vdl_optim *opt);

/* Scale the gradients so their L2 norm is at most max_norm; returns the norm
 * before clipping (computed in a thread-count-independent order). */
double vdl_clip_norm(vdl_params *p, double max_norm);

#endif
