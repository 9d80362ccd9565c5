/*
 * make_seeds.c: writes the fuzz targets' seed inputs, valid and malformed,
 * into DIR/idx, DIR/checkpoint, DIR/op_descriptor and DIR/cli_args (the
 * folders must exist). The committed corpus (tests/fuzz/corpus) is these
 * seeds plus what the fuzzers found interesting (docs/reliability.md).
 * Usage: make_seeds DIR
 */
#include "vdl_checkpoint.h"

#include <stdio.h>
#include <string.h>

static const char *root;

static int put(const char *target, const char *name, const void *data, size_t n)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s/seed-%s", root, target, name);
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "make_seeds: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* --- IDX ------------------------------------------------------------------- */

static size_t idx_file(unsigned char *buf, int dims, const unsigned long *size, int fill)
{
    size_t n = 4, payload = 1, i;
    int d;
    buf[0] = buf[1] = 0;
    buf[2] = 8;
    buf[3] = (unsigned char)dims;
    for (d = 0; d < dims; d++) {
        for (i = 0; i < 4; i++)
            buf[n++] = (unsigned char)(size[d] >> (24 - 8 * i));
        payload *= size[d];
    }
    for (i = 0; i < payload && fill; i++)
        buf[n++] = (unsigned char)(i % 10);
    return n;
}

static int idx_seeds(void)
{
    static const unsigned long img[3] = {2, 3, 3}, lab[1] = {5}, zero[3] = {0, 3, 3},
                               huge[3] = {0x7fffffff, 28, 28}, wide[3] = {1, 0x10000, 0x10000};
    unsigned char b[256];
    size_t n;
    int rc = 0;
    n = idx_file(b, 3, img, 1);
    rc |= put("idx", "images", b, n);
    rc |= put("idx", "images-truncated", b, n - 1);
    rc |= put("idx", "images-header-only", b, 16);
    rc |= put("idx", "magic-only", b, 4);
    b[n] = 7;
    rc |= put("idx", "images-extra-byte", b, n + 1);
    b[2] = 9;
    rc |= put("idx", "images-not-bytes", b, n);
    n = idx_file(b, 1, lab, 1);
    rc |= put("idx", "labels", b, n);
    b[n - 1] = 10;
    rc |= put("idx", "labels-out-of-range", b, n);
    n = idx_file(b, 3, zero, 0);
    rc |= put("idx", "images-zero-count", b, n);
    n = idx_file(b, 3, huge, 0);
    rc |= put("idx", "images-huge-count", b, n);
    n = idx_file(b, 3, wide, 0);
    rc |= put("idx", "images-huge-pixels", b, n);
    rc |= put("idx", "empty", b, 0);
    return rc;
}

/* --- checkpoints ----------------------------------------------------------- */

/* A 2-3-2 model of `kind` (a low-rank one of rank `rank`, with the defaults'
 * multiplicative corrections and weighted draws if `mult`, else eq. 6),
 * trained for one
 * epoch on four points when `optim` >= 0 (the file then holds that
 * optimizer's state). */
static int checkpoint_seed(vdl_model_kind kind, int rank, int mult, int optim, const char *name)
{
    static vdl_real x[8] = {0, 1, 1, 0, 1, 1, 0, 0}, y[4] = {0, 1, 1, 0};
    static const int sizes[3] = {2, 3, 2};
    vdl_dataset d = {4, 2, 2, x, y};
    vdl_model_config mc = mult ? vdl_model_defaults(kind) : vdl_model_paper(kind);
    vdl_train_config tc = vdl_train_defaults(kind);
    vdl_model m;
    vdl_trainer tr;
    vdl_wbuf b;
    char sealed[64];
    int rc;
    vdl_mlp_arch_make(&mc.arch, 3, sizes);
    mc.hyper_hidden = 2;
    mc.anchors = 3;
    mc.hyper_rank = rank;
    tc.batch = 2;
    tc.optim = optim == VDL_SGD ? VDL_SGD : VDL_ADAM;
    if (vdl_model_init(&m, &mc, 1) != VDL_OK)
        return 1;
    rc = optim >= 0 && (vdl_trainer_init(&tr, &m, &d, &tc) || vdl_trainer_epoch(&tr, NULL, NULL));
    vdl_wbuf_init(&b);
    vdl_checkpoint_encode(&b, &m, optim >= 0 ? &tr : NULL);
    rc = rc || b.failed;
    /* whole files, and without their checksum (the target appends one) */
    rc = rc || put("checkpoint", name, b.data, b.len);
    snprintf(sealed, sizeof sealed, "%s-unsealed", name);
    rc = rc || put("checkpoint", sealed, b.data, b.len - 8);
    snprintf(sealed, sizeof sealed, "%s-truncated", name);
    rc = rc || put("checkpoint", sealed, b.data, b.len / 2);
    if (optim >= 0)
        vdl_trainer_free(&tr);
    vdl_wbuf_free(&b);
    vdl_model_free(&m);
    return rc;
}

static int checkpoint_seeds(void)
{
    /* low-rank: eq. 6 (format version 1), eq. 6 at rank 2 (2), the defaults (3) */
    return checkpoint_seed(VDL_MODEL_DIRECT, 1, 0, -1, "direct") |
           checkpoint_seed(VDL_MODEL_DIRECT, 1, 0, VDL_ADAM, "direct-adam") |
           checkpoint_seed(VDL_MODEL_LINEAR, 1, 0, VDL_SGD, "linear-sgd") |
           checkpoint_seed(VDL_MODEL_LOWRANK, 1, 0, VDL_ADAM, "lowrank-adam") |
           checkpoint_seed(VDL_MODEL_LOWRANK, 2, 0, VDL_ADAM, "lowrank-rank2-adam") |
           checkpoint_seed(VDL_MODEL_LOWRANK, 1, 1, VDL_ADAM, "lowrank-mult-adam") |
           checkpoint_seed(VDL_MODEL_LOWRANK, 2, 1, VDL_ADAM, "lowrank-mult-rank2-adam") |
           checkpoint_seed(VDL_MODEL_PIECEWISE, 1, 0, VDL_ADAM, "piecewise-adam") |
           put("checkpoint", "magic-only", "VDLCKPT", 8);
}

/* --- op descriptors --------------------------------------------------------- */

/* Append one record (see fuzz_op_descriptor.c) to b at *n. */
static void record(unsigned char *b, size_t *n, int flags, int n_in, int n_attr, const char *name)
{
    size_t len = strlen(name);
    b[(*n)++] = (unsigned char)flags;
    b[(*n)++] = (unsigned char)(signed char)n_in;
    b[(*n)++] = (unsigned char)(signed char)n_attr;
    b[(*n)++] = (unsigned char)len;
    memcpy(b + *n, name, len);
    *n += len;
}

/* n valid ops named op0, op1, ... */
static size_t valid_ops(unsigned char *b, unsigned n)
{
    size_t at = 0;
    unsigned i;
    for (i = 0; i < n; i++) {
        char name[16];
        sprintf(name, "op%u", i);
        record(b, &at, 15, 1, 0, name);
    }
    return at;
}

static int op_seeds(void)
{
    static const struct { int flags, n_in, n_attr; const char *name, *file; } one[] = {
        {15, 1, 0, "my_op", "valid"},
        {7, 4, 4, "A9_z", "valid-no-example"},
        {15, 2, 0, "matmul", "duplicate-builtin"},
        {15, 1, 0, "abcdefghijklmnopqrstuvwxyz_01234", "name-too-long"},
        {15, 1, 0, "bad-name", "name-bad-char"},
        {15, 1, 0, "", "name-empty"},
        {31, 1, 0, "x", "name-null"},
        {15, 0, 0, "x", "no-inputs"},
        {15, 5, 0, "x", "five-inputs"},
        {15, -1, 0, "x", "negative-inputs"},
        {15, 1, 5, "x", "five-attrs"},
        {15, 1, -3, "x", "negative-attrs"},
        {14, 1, 0, "x", "no-infer"},
        {13, 1, 0, "x", "no-forward"},
        {11, 1, 0, "x", "no-backward"},
    };
    unsigned char b[2048];
    size_t i, n;
    int rc = 0;
    for (i = 0; i < sizeof one / sizeof one[0]; i++) {
        n = 0;
        record(b, &n, one[i].flags, one[i].n_in, one[i].n_attr, one[i].name);
        rc |= put("op_descriptor", one[i].file, b, n);
    }
    n = 0;
    record(b, &n, 15, 1, 0, "twice");
    b[n++] = 32; /* register the previous descriptor again */
    rc |= put("op_descriptor", "same-pointer-twice", b, n);
    /* more valid ops than the registry has room for; as one plugin, more
     * than it has room left for */
    rc |= put("op_descriptor", "fill-the-registry", b, valid_ops(b, 130));
    rc |= put("op_descriptor", "plugin-overflows-registry", b, valid_ops(b, 120));
    n = 0;
    record(b, &n, 15 | 64, 1, 0, "p");
    rc |= put("op_descriptor", "plugin-wrong-abi", b, n);
    n = 0;
    record(b, &n, 15 | 128, 1, 0, "p");
    rc |= put("op_descriptor", "plugin-wrong-real", b, n);
    n = 0;
    record(b, &n, 15, 1, 0, "same");
    record(b, &n, 15, 2, 1, "same");
    rc |= put("op_descriptor", "plugin-same-name-twice", b, n);
    return rc;
}

/* --- command lines ---------------------------------------------------------- */

static int cli_seeds(void)
{
    /* arguments separated by NUL bytes (sizeof - 1 drops the final NUL) */
#define ARGS(file, text) rc |= put("cli_args", file, text, sizeof text - 1)
    int rc = 0;
    ARGS("lowrank", "--model\0lowrank\0--lambda\0" "3\0--epochs\0" "2\0--hyper-hidden\0" "4");
    ARGS("piecewise", "--model\0piecewise\0--anchors\0" "3\0--epochs\0" "2");
    ARGS("lowrank-options", "--model\0lowrank\0--rank\0" "4\0--mean-correction\0additive\0"
                            "--sigma-correction\0multiplicative\0--lambda-weight\0" "1.5\0--factor-lr\0" "0.1");
    ARGS("paper-sgd", "--preset\0paper\0--optim\0sgd\0--momentum\0" "0.5\0--clip\0" "0");
    ARGS("resume", "--resume\0x.vdl\0--epochs\0" "30\0--quiet");
    ARGS("epochs-zero", "--epochs\0" "0");
    ARGS("lambda-malformed", "--lambda\0" "1x");
    ARGS("lambda-negative", "--lambda\0-1");
    ARGS("lambda-list", "--format\0json\0" "0.1,1,10,100");
    ARGS("lr-nan", "--lr\0nan");
    ARGS("batch-overflow", "--batch\0" "99999999999");
    ARGS("momentum-one", "--momentum\0" "1");
    ARGS("missing-value", "--epochs");
    ARGS("unknown-option", "--bogus\0" "1");
    ARGS("positionals", "a\0b\0c");
    ARGS("help", "--draws\0" "2\0--help");
    ARGS("threads", "--threads\0-1\0--seed\0" "2147483647");
    ARGS("empty-values", "--model\0\0--data\0");
    ARGS("dash", "-\0--\0-x");
#undef ARGS
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds DIR\n");
        return 2;
    }
    root = argv[1];
    return idx_seeds() | checkpoint_seeds() | op_seeds() | cli_seeds();
}
