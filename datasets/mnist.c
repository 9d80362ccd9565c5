/*
 * mnist.c: MNIST from its four IDX files into vdl_dataset form, the
 * checksum check against the published sums, and row copies for batches.
 */
#include "vdl_mnist.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vdl_idx.h"
#include "vdl_sha256.h"

#define MNIST_SIDE 28
#define MNIST_CLASSES 10

const vdl_mnist_file vdl_mnist_files[4] = {
    {"train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
    {"train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
    {"t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
    {"t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
};

static const char fetch_hint[] = "run scripts/fetch-mnist or `vdl data fetch`";

/* "dir/name" in a fresh allocation (the caller frees it). */
static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *path = (char *)vdl_malloc(a + b + 2);
    if (path == NULL)
        return NULL;
    memcpy(path, dir, a);
    path[a] = '/';
    memcpy(path + a + 1, name, b + 1);
    return path;
}

/* Read one file of the split; a missing file gets the "how to fetch" hint. */
static int read_part(const char *dir, const char *name, int kind, char **path, vdl_idx *idx)
{
    int rc;
    *path = join_path(dir, name);
    if (*path == NULL)
        return VDL_ENOMEM;
    rc = vdl_idx_read(*path, kind, MNIST_CLASSES, idx);
    if (rc == VDL_ENOTFOUND)
        vdl_set_error(rc, "MNIST file %s not found: %s", *path, fetch_hint);
    return rc;
}

static int fill_dataset(const vdl_idx *img, const vdl_idx *lab, vdl_dataset *out)
{
    const int dim = MNIST_SIDE * MNIST_SIDE;
    size_t i, total = (size_t)img->count * (size_t)dim;
    int j;
    /* the file held `total` bytes, but `total` reals may still not fit */
    if (total > SIZE_MAX / sizeof(vdl_real))
        return vdl_set_error(VDL_ENOMEM, "MNIST: %d images are too many for memory", img->count);
    out->x = (vdl_real *)vdl_malloc(total * sizeof(vdl_real));
    out->y = (vdl_real *)vdl_malloc((size_t)lab->count * sizeof(vdl_real));
    if (out->x == NULL || out->y == NULL) {
        vdl_dataset_free(out);
        return VDL_ENOMEM;
    }
    for (i = 0; i < total; i++)
        out->x[i] = (vdl_real)((img->data[i] / 255.0 - VDL_MNIST_MEAN) / VDL_MNIST_STD);
    for (j = 0; j < lab->count; j++)
        out->y[j] = (vdl_real)lab->data[j];
    out->n = img->count;
    out->dim = dim;
    out->classes = MNIST_CLASSES;
    return VDL_OK;
}

int vdl_mnist_load(const char *dir, int train, vdl_dataset *out)
{
    const vdl_mnist_file *files = vdl_mnist_files + (train ? 0 : 2);
    char *img_path = NULL, *lab_path = NULL;
    vdl_idx img, lab;
    int rc;
    if (dir == NULL || out == NULL)
        return vdl_set_error(VDL_EINVAL, "vdl_mnist_load: NULL argument");
    memset(out, 0, sizeof *out);
    memset(&img, 0, sizeof img);
    memset(&lab, 0, sizeof lab);
    rc = read_part(dir, files[0].name, VDL_IDX_IMAGES, &img_path, &img);
    if (rc == VDL_OK && (img.rows != MNIST_SIDE || img.cols != MNIST_SIDE))
        rc = vdl_set_error(VDL_EFORMAT, "%s: images are %d x %d, MNIST needs %d x %d", img_path,
                           img.rows, img.cols, MNIST_SIDE, MNIST_SIDE);
    if (rc == VDL_OK)
        rc = read_part(dir, files[1].name, VDL_IDX_LABELS, &lab_path, &lab);
    if (rc == VDL_OK && img.count != lab.count)
        rc = vdl_set_error(VDL_EFORMAT, "MNIST: %s holds %d images but %s holds %d labels",
                           img_path, img.count, lab_path, lab.count);
    if (rc == VDL_OK)
        rc = fill_dataset(&img, &lab, out);
    vdl_idx_free(&img);
    vdl_idx_free(&lab);
    vdl_free(img_path);
    vdl_free(lab_path);
    return rc;
}

/* Missing is told apart from unreadable so the caller can suggest fetching. */
static int verify_one(const char *path, const char *want)
{
    char got[65];
    FILE *f = fopen(path, "rb");
    int rc;
    if (f == NULL)
        return vdl_set_error(VDL_ENOTFOUND, "MNIST file %s not found: %s", path, fetch_hint);
    fclose(f);
    if ((rc = vdl_sha256_file(path, got)) != VDL_OK)
        return rc;
    if (strcmp(got, want) != 0)
        return vdl_set_error(VDL_EFORMAT,
                             "%s: SHA-256 mismatch: got %s, expected %s (corrupt or not the "
                             "MNIST file; delete it and %s)",
                             path, got, want, fetch_hint);
    return VDL_OK;
}

int vdl_mnist_verify(const char *dir)
{
    int i, rc = VDL_OK;
    if (dir == NULL)
        return vdl_set_error(VDL_EINVAL, "vdl_mnist_verify: NULL directory");
    for (i = 0; i < 4 && rc == VDL_OK; i++) {
        char *path = join_path(dir, vdl_mnist_files[i].name);
        if (path == NULL)
            return VDL_ENOMEM;
        rc = verify_one(path, vdl_mnist_files[i].sha256);
        vdl_free(path);
    }
    return rc;
}

void vdl_dataset_free(vdl_dataset *d)
{
    if (d == NULL)
        return;
    vdl_free(d->x);
    vdl_free(d->y);
    memset(d, 0, sizeof *d);
}

int vdl_dataset_subset(const vdl_dataset *src, const int *index, int count, vdl_dataset *out)
{
    size_t row;
    int i;
    if (src == NULL || out == NULL || out == src)
        return vdl_set_error(VDL_EINVAL, "vdl_dataset_subset: NULL or aliased argument");
    memset(out, 0, sizeof *out);
    if (count <= 0)
        return vdl_set_error(VDL_EINVAL, "vdl_dataset_subset: count %d must be > 0", count);
    for (i = 0; i < count; i++) {
        int r = index ? index[i] : i;
        if (r < 0 || r >= src->n)
            return vdl_set_error(VDL_EINVAL,
                                 "vdl_dataset_subset: row %d (entry %d) outside 0..%d", r, i,
                                 src->n - 1);
    }
    row = (size_t)src->dim;
    out->x = (vdl_real *)vdl_malloc((size_t)count * row * sizeof(vdl_real));
    out->y = (vdl_real *)vdl_malloc((size_t)count * sizeof(vdl_real));
    if (out->x == NULL || out->y == NULL) {
        vdl_dataset_free(out);
        return VDL_ENOMEM;
    }
    for (i = 0; i < count; i++) {
        size_t r = (size_t)(index ? index[i] : i);
        memcpy(out->x + (size_t)i * row, src->x + r * row, row * sizeof(vdl_real));
        out->y[i] = src->y[r];
    }
    out->n = count;
    out->dim = src->dim;
    out->classes = src->classes;
    return VDL_OK;
}

int vdl_dataset_slice(const vdl_dataset *src, int first, int count, vdl_dataset *out)
{
    int rc;
    if (src == NULL || out == NULL || out == src)
        return vdl_set_error(VDL_EINVAL, "vdl_dataset_slice: NULL or aliased argument");
    memset(out, 0, sizeof *out);
    if (count <= 0 || first < 0 || first > src->n - count)
        return vdl_set_error(VDL_EINVAL, "vdl_dataset_slice: rows [%d, %d + %d) not inside 0..%d",
                             first, first, count, src->n - 1);
    /* a slice is a subset of the shifted rows; reuse its copy by offsetting */
    {
        vdl_dataset shifted = *src;
        shifted.n = count;
        shifted.x = src->x + (size_t)first * (size_t)src->dim;
        shifted.y = src->y + first;
        rc = vdl_dataset_subset(&shifted, NULL, count, out);
    }
    return rc;
}
