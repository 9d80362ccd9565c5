/*
 * vdl_checkpoint.h: model files and training checkpoints, one format.
 *
 * Layout (all integers little-endian; see docs/checkpoint.md):
 *   "VDLCKPT\0", u32 format version, u32 bytes per real (4 or 8)
 *   model config: kind, layer sizes, lambda range, low-rank hidden size, ...
 *   u32 tensor count; per tensor: name, rank, extents, values
 *   u32 has_training_state; if 1: the training config, step, epoch,
 *       optimizer step and moments
 *   u64 FNV-1a checksum of every byte before it
 * Files are written atomically (temporary file, then rename), so a crash
 * never leaves a half-written checkpoint under the real name.
 */
#ifndef VDL_CHECKPOINT_H
#define VDL_CHECKPOINT_H

#include "vdl_train.h"

/* The newest format version this vdl reads and writes. Version 2 adds one
 * field, the low-rank hypernet's rank R (u32, after the shared model config,
 * for kind lowrank only), and is written only for a low-rank model with
 * R > 1 and otherwise eq. 6; version 3 adds R, a u32 of flags (1:
 * multiplicative means, 2: multiplicative log sigmas) and the f64 lambda
 * weight, and is written for low-rank models with a multiplicative correction
 * or a lambda weight. Every other file is written as version 1, byte for byte
 * as before, and a version-1 low-rank file reads as R = 1 with eq. 6's
 * additive corrections and unweighted draws. */
#define VDL_CHECKPOINT_VERSION 3

/* Training state restored from a checkpoint. */
typedef struct vdl_train_state {
    int present;          /* 0: the file holds a model only */
    vdl_train_config cfg;
    long step;
    int epoch;
    long opt_step;
    size_t size;          /* scalars in m and v */
    vdl_real *m, *v;      /* optimizer moments (v NULL for SGD) */
} vdl_train_state;

/* Save the model and, if tr is not NULL, its training state, atomically
 * (vdl_write_file_atomic). */
int vdl_checkpoint_save(const char *path, const vdl_model *m, const vdl_trainer *tr);

/* The bytes vdl_checkpoint_save writes, appended to b (b->failed is set if
 * memory ran out). Only tr's cfg, step, epoch and opt are read. */
void vdl_checkpoint_encode(vdl_wbuf *b, const vdl_model *m, const vdl_trainer *tr);

/* The same from a loaded training state (st NULL or not present: a model
 * file), for tools that rewrite checkpoints. */
void vdl_checkpoint_encode_state(vdl_wbuf *b, const vdl_model *m, const vdl_train_state *st);

/* Load a file written by vdl_checkpoint_save: the model is created in *m; the
 * training state (if st is not NULL) in *st. A missing, truncated, corrupt or
 * wrong-version file gives an error that names the file and the problem. */
int vdl_checkpoint_load(const char *path, vdl_model *m, vdl_train_state *st);

/* vdl_checkpoint_load on len bytes already in memory; `name` (or NULL) names
 * them in messages. Never reads outside data[0..len). Besides the checksum,
 * every field must be one a writer can produce: layer sizes in 1..2^24, a
 * file long enough for the tensors its header implies (checked before
 * allocating), finite parameters and moments, a training configuration that
 * vdl_trainer_init would accept. On failure *m and *st are left empty. */
int vdl_checkpoint_parse(const void *data, size_t len, const char *name, vdl_model *m, vdl_train_state *st);

/* Free a loaded training state. */
void vdl_train_state_free(vdl_train_state *st);

/* Continue training from a loaded state: tr must have been set up with
 * vdl_trainer_init on the loaded model with the state's configuration. The
 * state may stop mid-epoch; VDL_EINVAL if its step does not fall inside its
 * epoch for tr's data (a checkpoint of a run on other data). */
int vdl_trainer_restore(vdl_trainer *tr, const vdl_train_state *st);

#endif
