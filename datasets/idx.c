/*
 * idx.c: IDX parsing with every header field checked against the buffer
 * length before it is trusted, so that truncated, over-long or hostile
 * files (fuzzers will be pointed here) fail with a precise message.
 */
#include "vdl_idx.h"
#include "vdl_io.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static unsigned long load_be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
           (unsigned long)p[3];
}

static const char *kind_name(int kind) { return kind == VDL_IDX_IMAGES ? "images" : "labels"; }

/* The first four bytes: 0, 0, type 0x08 (unsigned byte), dimension count. */
static int check_magic(const unsigned char *buf, size_t len, int kind, const char *name)
{
    int want_dims = kind == VDL_IDX_IMAGES ? 3 : 1;
    if (len == 0)
        return vdl_set_error(VDL_EFORMAT, "%s: empty file (0 bytes), expected IDX %s", name,
                             kind_name(kind));
    if (len < 4)
        return vdl_set_error(VDL_EFORMAT,
                             "%s: truncated: %lu bytes, too short for the 4-byte IDX magic", name,
                             (unsigned long)len);
    if (buf[0] != 0 || buf[1] != 0 || buf[2] != 0x08)
        return vdl_set_error(VDL_EFORMAT,
                             "%s: bad magic 0x%08lx: not an IDX file of unsigned bytes "
                             "(expected 0x%08x for %s)",
                             name, load_be32(buf), (unsigned)kind, kind_name(kind));
    if (buf[3] != want_dims)
        return vdl_set_error(VDL_EFORMAT,
                             "%s: IDX file with %d dimension(s) (magic 0x%08lx), expected %d "
                             "for %s (magic 0x%08x)",
                             name, buf[3], load_be32(buf), want_dims, kind_name(kind),
                             (unsigned)kind);
    return VDL_OK;
}

/* Reads the dimension sizes; each must be in 1..INT_MAX. */
static int read_dims(const unsigned char *buf, int ndims, int kind, const char *name,
                     unsigned long dims[3])
{
    static const char *what[2][3] = {{"count", "", ""}, {"count", "rows", "cols"}};
    int i;
    for (i = 0; i < ndims; i++) {
        dims[i] = load_be32(buf + 4 + 4 * i);
        if (dims[i] == 0)
            return vdl_set_error(VDL_EFORMAT, "%s: %s %s is 0, must be > 0", name,
                                 kind_name(kind), what[kind == VDL_IDX_IMAGES][i]);
        if (dims[i] > INT_MAX)
            return vdl_set_error(VDL_EFORMAT, "%s: %s %s %lu is too large", name, kind_name(kind),
                                 what[kind == VDL_IDX_IMAGES][i], dims[i]);
    }
    for (; i < 3; i++)
        dims[i] = 1;
    return VDL_OK;
}

/* header + count*rows*cols, or 0 if it does not fit in size_t (no buffer
 * that long can exist, so the caller reports it as a size mismatch). */
static size_t expected_size(size_t header, const unsigned long dims[3])
{
    size_t total = 1;
    int i;
    for (i = 0; i < 3; i++) {
        if (dims[i] > ((size_t)-1 - header) / total)
            return 0;
        total *= dims[i];
    }
    return header + total;
}

static int check_labels(const unsigned char *data, int count, int classes, const char *name)
{
    int i;
    for (i = 0; i < count; i++)
        if (data[i] >= classes)
            return vdl_set_error(VDL_EFORMAT, "%s: label %d at index %d is out of range 0..%d",
                                 name, data[i], i, classes - 1);
    return VDL_OK;
}

int vdl_idx_parse(const unsigned char *buf, size_t len, int kind, int classes,
                  const char *name, vdl_idx *out)
{
    unsigned long dims[3];
    size_t header, want;
    int ndims, rc;
    if (name == NULL)
        name = "<IDX buffer>";
    if (out == NULL || (buf == NULL && len > 0) || (kind != VDL_IDX_IMAGES && kind != VDL_IDX_LABELS))
        return vdl_set_error(VDL_EINVAL, "%s: vdl_idx_parse: bad arguments", name);
    memset(out, 0, sizeof *out);
    if (classes <= 0)
        classes = 10;
    if ((rc = check_magic(buf, len, kind, name)) != VDL_OK)
        return rc;
    ndims = buf[3];
    header = 4 + 4 * (size_t)ndims;
    if (len < header)
        return vdl_set_error(VDL_EFORMAT,
                             "%s: truncated: %lu bytes, the IDX %s header alone needs %lu", name,
                             (unsigned long)len, kind_name(kind), (unsigned long)header);
    if ((rc = read_dims(buf, ndims, kind, name, dims)) != VDL_OK)
        return rc;
    want = expected_size(header, dims);
    if (want == 0 || len != want) {
        char expected[32];
        if (want == 0)
            strcpy(expected, "more than addressable");
        else
            sprintf(expected, "%lu", (unsigned long)want);
        return vdl_set_error(VDL_EFORMAT,
                             "%s: %s: expected %s bytes (%lu-byte header + %lu x %lu x %lu), "
                             "file has %lu",
                             name, want != 0 && len > want ? "extra bytes" : "truncated",
                             expected, (unsigned long)header, dims[0], dims[1], dims[2],
                             (unsigned long)len);
    }
    if (dims[1] * dims[2] > INT_MAX)
        return vdl_set_error(VDL_EFORMAT, "%s: images of %lu x %lu pixels are too large", name,
                             dims[1], dims[2]);
    if (kind == VDL_IDX_LABELS && (rc = check_labels(buf + header, (int)dims[0], classes, name)) != VDL_OK)
        return rc;
    out->kind = kind;
    out->count = (int)dims[0];
    out->rows = (int)dims[1];
    out->cols = (int)dims[2];
    out->data = buf + header;
    return VDL_OK;
}

int vdl_idx_read(const char *path, int kind, int classes, vdl_idx *out)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc;
    if (path == NULL || out == NULL)
        return vdl_set_error(VDL_EINVAL, "vdl_idx_read: NULL argument");
    memset(out, 0, sizeof *out);
    if ((rc = vdl_read_file(path, VDL_IDX_MAX_FILE, &data, &len)) != VDL_OK)
        return rc;
    rc = vdl_idx_parse(data, len, kind, classes, path, out);
    if (rc != VDL_OK) {
        vdl_free(data);
        return rc;
    }
    out->owned = data;
    return VDL_OK;
}

void vdl_idx_free(vdl_idx *idx)
{
    if (idx == NULL)
        return;
    vdl_free(idx->owned);
    memset(idx, 0, sizeof *idx);
}
