/*
 * vdl_tensor.h: shapes. A tensor's values are a flat row-major array of
 * vdl_real; its shape says how to read them. Rank 0 is a scalar.
 */
#ifndef VDL_TENSOR_H
#define VDL_TENSOR_H

#include "vdl_base.h"

#define VDL_MAX_DIMS 4

typedef struct vdl_shape {
    int ndim;               /* 0 (scalar) .. VDL_MAX_DIMS */
    int dim[VDL_MAX_DIMS];  /* extent of each dimension, each >= 1 */
} vdl_shape;

/* A scalar shape. */
vdl_shape vdl_shape0(void);
/* A vector of n. */
vdl_shape vdl_shape1(int n);
/* A rows x cols matrix. */
vdl_shape vdl_shape2(int rows, int cols);

/* Number of elements (1 for a scalar). */
size_t vdl_shape_size(const vdl_shape *s);

/* 1 if both shapes have the same rank and extents. */
int vdl_shape_equal(const vdl_shape *a, const vdl_shape *b);

/* 1 if ndim is in range and every extent is >= 1. */
int vdl_shape_valid(const vdl_shape *s);

/* Write the shape as "[2x3]" ("[]" for a scalar) into buf; returns buf. */
char *vdl_shape_str(const vdl_shape *s, char *buf, size_t len);

#endif
