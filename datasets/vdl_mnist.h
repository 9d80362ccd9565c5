/*
 * vdl_mnist.h: MNIST as a vdl_dataset (inputs standardized, labels as
 * integer-valued reals), its checksum verification, and minibatch copies.
 */
#ifndef VDL_MNIST_H
#define VDL_MNIST_H

#include "vdl_base.h"

/* A labelled data set held in memory. */
typedef struct vdl_dataset {
    int n;       /* number of examples */
    int dim;     /* inputs per example (784 for MNIST) */
    int classes; /* number of label values (10 for MNIST) */
    vdl_real *x; /* n * dim inputs, row-major */
    vdl_real *y; /* n labels stored as integer-valued reals */
} vdl_dataset;

/* MNIST's pixel mean and standard deviation over the training set (pixels
 * scaled to [0,1]), the usual constants for standardizing its inputs. */
#define VDL_MNIST_MEAN 0.1307
#define VDL_MNIST_STD 0.3081

/* One of the four raw MNIST files and its expected SHA-256 (as published with MNIST; see scripts/fetch-mnist). */
typedef struct vdl_mnist_file {
    const char *name;   /* e.g. "train-images-idx3-ubyte" */
    const char *sha256; /* 64 lowercase hex digits */
} vdl_mnist_file;

/* The four files: train images, train labels, test images, test labels. */
extern const vdl_mnist_file vdl_mnist_files[4];

/* Load the training split (train != 0: train-images-idx3-ubyte and
 * train-labels-idx1-ubyte) or the test split (train == 0: t10k-*) from
 * `dir`. Each pixel p in 0..255 becomes x = (p/255 - 0.1307) / 0.3081:
 * scaled to [0,1], then standardized with MNIST's mean and std, so inputs
 * have roughly zero mean and unit variance. Images must be 28 x 28 and the
 * image and label counts must agree. A missing file gives VDL_ENOTFOUND
 * naming it and saying to run scripts/fetch-mnist or `vdl data fetch`;
 * other errors are those of vdl_idx_read. `out` is zeroed on failure. Does
 * not check the SHA-256 sums (see vdl_mnist_verify). */
int vdl_mnist_load(const char *dir, int train, vdl_dataset *out);

/* Check the SHA-256 of the four files in `dir` against vdl_mnist_files.
 * Returns VDL_OK, VDL_ENOTFOUND naming the first missing file, VDL_EFORMAT
 * naming the first mismatching one, or VDL_EIO if one cannot be read. */
int vdl_mnist_verify(const char *dir);

/* Free a data set's arrays and zero it (safe on a zeroed one and on NULL). */
void vdl_dataset_free(vdl_dataset *d);

/* Copy the rows index[0..count) of `src` (repeats allowed) into a new data
 * set `out`, e.g. a shuffled minibatch; index == NULL means rows
 * 0..count-1. Returns VDL_EINVAL for count <= 0 or an index outside
 * 0..n-1; `out` is zeroed on failure and must not alias `src`. */
int vdl_dataset_subset(const vdl_dataset *src, const int *index, int count, vdl_dataset *out);

/* Copy the contiguous rows [first, first + count) of `src` into `out`;
 * VDL_EINVAL if the range is empty or not inside 0..n-1. */
int vdl_dataset_slice(const vdl_dataset *src, int first, int count, vdl_dataset *out);

#endif
