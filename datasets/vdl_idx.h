/*
 * vdl_idx.h: a strict reader for IDX files (the format MNIST ships in):
 * unsigned-byte images (magic 0x00000803: count, rows, cols) and labels
 * (magic 0x00000801: count), big-endian header. Any input, however
 * malformed, yields a status and a message naming the file, never a crash.
 */
#ifndef VDL_IDX_H
#define VDL_IDX_H

#include <stddef.h>

#include "vdl_base.h"

#define VDL_IDX_IMAGES 0x00000803 /* unsigned bytes, 3 dimensions */
#define VDL_IDX_LABELS 0x00000801 /* unsigned bytes, 1 dimension */

/* A parsed IDX file. `data` points into the parsed buffer: the buffer given
 * to vdl_idx_parse, or `owned` when vdl_idx_read loaded the file. */
typedef struct vdl_idx {
    int kind;                  /* VDL_IDX_IMAGES or VDL_IDX_LABELS */
    int count;                 /* number of images or labels, > 0 */
    int rows, cols;            /* image size; 1 x 1 for labels */
    const unsigned char *data; /* count * rows * cols bytes */
    unsigned char *owned;      /* file contents to free, or NULL */
} vdl_idx;

/* Parse and validate an IDX file held in memory. `kind` is the expected
 * VDL_IDX_IMAGES or VDL_IDX_LABELS; for labels every value must be below
 * `classes` (10 when `classes` <= 0). `name` (the file path, or NULL) is
 * used in messages. The length must be exactly header + payload. Returns
 * VDL_OK, VDL_EFORMAT for bad content, or VDL_EINVAL for bad arguments;
 * `out` is zeroed on failure. Never reads outside buf[0..len). */
int vdl_idx_parse(const unsigned char *buf, size_t len, int kind, int classes,
                  const char *name, vdl_idx *out);

/* The largest IDX file read (1 GiB; MNIST's largest is 47 MB). */
#define VDL_IDX_MAX_FILE ((size_t)1 << 30)

/* Read the whole file at `path` (vdl_read_file: a regular file or a pipe, at
 * most VDL_IDX_MAX_FILE bytes) and vdl_idx_parse it; on success
 * `out->owned` holds the contents until vdl_idx_free. Returns VDL_ENOTFOUND
 * if the file does not exist, VDL_EIO if it cannot be read, VDL_EFORMAT if
 * it is too large, or any vdl_idx_parse status; messages name the file. */
int vdl_idx_read(const char *path, int kind, int classes, vdl_idx *out);

/* Release what vdl_idx_read loaded and zero `idx` (safe on a zeroed or
 * parse-only vdl_idx, and on NULL). */
void vdl_idx_free(vdl_idx *idx);

#endif
