/*
 * vdl_params.h: named trainable tensors stored in two contiguous buffers (all
 * values in one, all gradients in the other), so optimizers, clipping,
 * counting and checkpoints are single loops over `size` numbers.
 */
#ifndef VDL_PARAMS_H
#define VDL_PARAMS_H

#include "vdl_tape.h"

#define VDL_PARAM_NAME_MAX 63

typedef struct vdl_param_info {
    char name[VDL_PARAM_NAME_MAX + 1];
    vdl_shape shape;
    size_t offset;   /* into value and grad */
    size_t size;
    double lr_scale; /* the optimizer uses lr * lr_scale for this tensor (1 by default) */
} vdl_param_info;

typedef struct vdl_params {
    int count;
    vdl_param_info *info;
    size_t size;      /* total scalars */
    vdl_real *value;  /* size values */
    vdl_real *grad;   /* size gradients */
} vdl_params;

/* An empty set. */
void vdl_params_init(vdl_params *p);

/* Add a zero-filled tensor; returns its index, or -1 (error set) for a bad or
 * duplicate name, a bad shape or no memory. Adding moves the buffers: take
 * pointers with vdl_params_value() only once all tensors are added. */
int vdl_params_add(vdl_params *p, const char *name, vdl_shape shape);

/* Index of the tensor called name, or -1. */
int vdl_params_find(const vdl_params *p, const char *name);

/* Values and gradients of tensor i. */
vdl_real *vdl_params_value(const vdl_params *p, int i);
vdl_real *vdl_params_grad(const vdl_params *p, int i);

/* A trainable leaf for tensor i on the tape (gradients go into p->grad). */
vdl_node *vdl_param_node(vdl_tape *tape, const vdl_params *p, int i);

/* Set every gradient to zero. */
void vdl_params_zero_grad(vdl_params *p);

/* Copy all values from src, which must have the same names and shapes. */
int vdl_params_copy(vdl_params *dst, const vdl_params *src);

/* The index of the first tensor holding a NaN or Inf in its values (grads
 * == 0) or its gradients (grads != 0), or -1 if all are finite. */
int vdl_params_nonfinite(const vdl_params *p, int grads);

/* Release the buffers; the set is empty again. */
void vdl_params_free(vdl_params *p);

#endif
