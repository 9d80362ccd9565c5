/*
 * vdl_sparse_inputs.h: a data set's inputs in sparse form for training, and
 * each minibatch's view of them.
 *
 * When most inputs hold one value (MNIST's background: 81% of standardized
 * pixels), the trainer keeps every example's row as its other entries and
 * hands each minibatch to the model as a sparse leaf (vdl_leaf_sparse), so
 * the first layer's products skip the background (core/vdl_sparse.h). The
 * choice depends on the data alone, so a resumed run makes the same one.
 */
#ifndef VDL_SPARSE_INPUTS_H
#define VDL_SPARSE_INPUTS_H

#include "vdl_mnist.h"
#include "vdl_sparse.h"

/* Used when the background's share of the inputs is above this. */
#define VDL_SPARSE_MIN_BACKGROUND (2.0 / 3.0)

typedef struct vdl_sparse_inputs {
    vdl_sparse all;           /* every example's row; all.rows == 0: not in use */
    vdl_sparse_view batch;    /* the current minibatch and its transpose */
    size_t *start[3];         /* offsets of all, batch.s, batch.st */
    int *col[3];              /* their columns */
    vdl_real *value[3];       /* their values */
} vdl_sparse_inputs;

/* Build the sparse form of d's inputs when its background share is above
 * VDL_SPARSE_MIN_BACKGROUND (else si->all.rows = 0 and nothing is held), with
 * room for minibatches of up to `batch` rows. VDL_OK or VDL_ENOMEM. */
int vdl_sparse_inputs_init(vdl_sparse_inputs *si, const vdl_dataset *d, int batch);

/* Make rows pick[0..count) of the data the current minibatch: its sparse
 * forms in si->batch (no dense rows: the leaf makes them if an op needs
 * them, vdl_leaf_sparse). */
void vdl_sparse_inputs_gather(vdl_sparse_inputs *si, const int *pick, int count);

/* Release what init took (safe on a zeroed one). */
void vdl_sparse_inputs_free(vdl_sparse_inputs *si);

#endif
