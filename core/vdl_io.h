/*
 * vdl_io.h: byte buffers for binary file formats, with explicit little-endian
 * encoding, bounds-checked reading, and atomic file replacement.
 */
#ifndef VDL_IO_H
#define VDL_IO_H

#include <stdint.h>
#include <stdio.h>

#include "vdl_base.h"

/* A growing output buffer. On allocation failure `failed` is set and further
 * writes are ignored, so a writer checks once at the end. */
typedef struct vdl_wbuf {
    unsigned char *data;
    size_t len, cap;
    int failed;
} vdl_wbuf;

/* An empty buffer; release it with vdl_wbuf_free. */
void vdl_wbuf_init(vdl_wbuf *b);
void vdl_wbuf_free(vdl_wbuf *b);
/* Append n bytes; a u32, a u64 or a double (its IEEE bits), little-endian. */
void vdl_wbuf_bytes(vdl_wbuf *b, const void *p, size_t n);
void vdl_wbuf_u32(vdl_wbuf *b, uint32_t v);
void vdl_wbuf_u64(vdl_wbuf *b, uint64_t v);
void vdl_wbuf_f64(vdl_wbuf *b, double v);
/* A length-prefixed string (u32 length, then the bytes). */
void vdl_wbuf_str(vdl_wbuf *b, const char *s);
/* n reals as little-endian float32 (sizeof(vdl_real) == 4) or float64. */
void vdl_wbuf_reals(vdl_wbuf *b, const vdl_real *x, size_t n);

/* A bounds-checked reader over bytes. A read past the end sets `failed` and
 * yields zeros; the caller checks `failed` once. */
typedef struct vdl_rbuf {
    const unsigned char *data;
    size_t len, pos;
    int failed;
} vdl_rbuf;

/* Read from data[0..len). */
void vdl_rbuf_init(vdl_rbuf *b, const void *data, size_t len);
/* Copy the next n bytes to p; returns 1, or 0 (failed set, p zeroed) past the end. */
int vdl_rbuf_bytes(vdl_rbuf *b, void *p, size_t n);
/* The next little-endian u32, u64 or double (0 past the end). */
uint32_t vdl_rbuf_u32(vdl_rbuf *b);
uint64_t vdl_rbuf_u64(vdl_rbuf *b);
double vdl_rbuf_f64(vdl_rbuf *b);
/* Read a length-prefixed string into buf (at most cap-1 bytes, NUL-ended);
 * a longer one sets `failed`. */
void vdl_rbuf_str(vdl_rbuf *b, char *buf, size_t cap);
/* Read n reals stored with `width` bytes each (4 or 8). */
void vdl_rbuf_reals(vdl_rbuf *b, vdl_real *x, size_t n, int width);

/* FNV-1a 64-bit hash of n bytes (the file formats' checksum). */
uint64_t vdl_fnv1a(const void *data, size_t n);

/* Read a whole file into a new buffer (*data, *len; free with vdl_free).
 * Only regular files and pipes are read (not folders or devices); the size
 * is whatever the reads return, so a file that shrinks or grows meanwhile
 * gives its new length, never a crash. Errors name the file:
 * VDL_ENOTFOUND if it does not exist, VDL_EIO if it cannot be opened or
 * read, VDL_EFORMAT if it is longer than max_len, VDL_ENOMEM. */
int vdl_read_file(const char *path, size_t max_len, unsigned char **data, size_t *len);

/* vdl_read_file's reading part: the rest of an open stream f (named `name`
 * in messages), at most max_len bytes (max_len < SIZE_MAX). */
int vdl_read_stream(FILE *f, const char *name, size_t max_len, unsigned char **data, size_t *len);

/* Replace `path` atomically with n bytes: write to a temporary file
 * PATH.tmpPID in the same folder, flush it to disk, rename it over path, and
 * sync the folder. On failure the old file is untouched, the temporary file
 * removed, and VDL_EIO names the problem (disk full, read-only folder...).
 * A path that exists but is not a regular file (a device, a FIFO) is never
 * replaced. */
int vdl_write_file_atomic(const char *path, const void *data, size_t n);

#endif
