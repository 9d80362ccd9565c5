/*
 * vdl_sha256.h: SHA-256 (FIPS 180-4), so a data set can be checked against
 * its published sums without depending on an external crypto library.
 */
#ifndef VDL_SHA256_H
#define VDL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "vdl_base.h"

/* Running state of one hash; treat the fields as private. */
typedef struct vdl_sha256 {
    uint32_t h[8];
    uint64_t bytes;          /* message length so far */
    unsigned char block[64]; /* bytes waiting for a full block */
    size_t fill;             /* how many of block[] are in use */
} vdl_sha256;

/* Start a new hash. */
void vdl_sha256_init(vdl_sha256 *s);

/* Feed `len` more bytes of the message (any split gives the same digest). */
void vdl_sha256_update(vdl_sha256 *s, const void *data, size_t len);

/* Finish the hash and write the 32-byte digest; `s` must be re-initialised
 * before it is used again. */
void vdl_sha256_final(vdl_sha256 *s, unsigned char digest[32]);

/* Write `digest` as 64 lowercase hex digits plus a terminating NUL. */
void vdl_sha256_hex(const unsigned char digest[32], char hex[65]);

/* Hash the whole file at `path` into lowercase hex. Returns VDL_OK, or
 * VDL_EIO with a message naming the file if it cannot be opened or read. */
int vdl_sha256_file(const char *path, char hex[65]);

#endif
