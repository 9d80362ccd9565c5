/*
 * test_datasets.c: the data layer without real MNIST or a network. Small IDX
 * files are written to a temporary directory, then read back, standardized,
 * and broken in every way the reader must reject with a message naming the
 * file. Also the SHA-256 test vectors and minibatch copies.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkdir, unlink, rmdir */

#include "vdl_idx.h"
#include "vdl_mnist.h"
#include "vdl_sha256.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* ------------------------------------------------------------------------
 * Temporary files: everything lives under one mkdtemp directory, and every
 * path made is remembered so the group teardown can remove it. */

#define MAX_PATHS 128
static char tmp_root[256];
static char *made[MAX_PATHS]; /* files and subdirectories, in creation order */
static int n_made;

static const char *remember(const char *path)
{
    char *copy = (char *)malloc(strlen(path) + 1);
    assert_non_null(copy);
    assert_true(n_made < MAX_PATHS);
    strcpy(copy, path);
    made[n_made++] = copy;
    return copy;
}

/* A fresh subdirectory of the temp root (one per MNIST-layout test). */
static const char *make_dir(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_root, name);
    assert_int_equal(mkdir(path, 0700), 0);
    return remember(path);
}

/* Write `len` bytes to dir/name (dir NULL: the temp root); returns the path. */
static const char *write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir ? dir : tmp_root, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    if (len > 0)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return remember(path);
}

static int setup_tmp(void **state)
{
    const char *base = getenv("TMPDIR");
    (void)state;
    snprintf(tmp_root, sizeof tmp_root, "%s/vdl_datasets_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    int failed = 0;
    (void)state;
    /* reverse order removes files before the directories holding them */
    while (n_made > 0) {
        char *p = made[--n_made];
        struct stat st;
        if (stat(p, &st) == 0)
            failed |= S_ISDIR(st.st_mode) ? rmdir(p) : unlink(p);
        free(p);
    }
    failed |= rmdir(tmp_root);
    return failed ? -1 : 0;
}

/* ------------------------------------------------------------------------
 * IDX builders. */

typedef struct buf {
    unsigned char *p;
    size_t len;
} buf;

static void put_be32(unsigned char *p, unsigned long v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The test's pixel pattern: any deterministic spread over 0..255. */
static unsigned char pixel(int image, int k) { return (unsigned char)((image * 97 + k * 31) % 256); }

static buf make_images(unsigned long count, unsigned long rows, unsigned long cols)
{
    buf b;
    size_t i, n = count * rows * cols;
    b.len = 16 + n;
    b.p = (unsigned char *)malloc(b.len);
    assert_non_null(b.p);
    put_be32(b.p, 0x00000803);
    put_be32(b.p + 4, count);
    put_be32(b.p + 8, rows);
    put_be32(b.p + 12, cols);
    for (i = 0; i < n; i++)
        b.p[16 + i] = pixel((int)(i / (rows * cols)), (int)(i % (rows * cols)));
    return b;
}

static buf make_labels(unsigned long count)
{
    buf b;
    size_t i;
    b.len = 8 + count;
    b.p = (unsigned char *)malloc(b.len);
    assert_non_null(b.p);
    put_be32(b.p, 0x00000801);
    put_be32(b.p + 4, count);
    for (i = 0; i < count; i++)
        b.p[8 + i] = (unsigned char)((i * 7 + 3) % 10);
    return b;
}

/* The status must be `want` and the message must mention `needle`. */
static void expect_error(int rc, int want, const char *needle)
{
    if (rc != want)
        fail_msg("status %d, expected %d (message: %s)", rc, want, vdl_error());
    if (strstr(vdl_error(), needle) == NULL)
        fail_msg("message \"%s\" does not mention \"%s\"", vdl_error(), needle);
}

/* Read `b` written as a file; expect `want` and a message naming the file
 * and mentioning `what`. */
static void expect_bad_file(const char *name, buf b, int kind, int classes, int want,
                            const char *what)
{
    vdl_idx idx;
    const char *path = write_file(NULL, name, b.p, b.len);
    int rc = vdl_idx_read(path, kind, classes, &idx);
    expect_error(rc, want, path);
    expect_error(rc, want, what);
    assert_null(idx.owned);
    assert_int_equal(idx.count, 0);
}

/* ------------------------------------------------------------------------
 * SHA-256. */

static void sha256_of(const void *data, size_t len, char hex[65])
{
    unsigned char d[32];
    vdl_sha256 s;
    vdl_sha256_init(&s);
    vdl_sha256_update(&s, data, len);
    vdl_sha256_final(&s, d);
    vdl_sha256_hex(d, hex);
}

static void sha256_test_vectors(void **state)
{
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65], a[1000];
    unsigned char d[32];
    vdl_sha256 s;
    int i;
    (void)state;
    sha256_of("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_of("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_of(two_blocks, strlen(two_blocks), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* a million 'a' in uneven pieces exercises every path through update */
    memset(a, 'a', sizeof a);
    vdl_sha256_init(&s);
    for (i = 0; i < 1000; i++) {
        vdl_sha256_update(&s, a, 1);
        vdl_sha256_update(&s, a, 63);
        vdl_sha256_update(&s, a, 936);
    }
    vdl_sha256_final(&s, d);
    vdl_sha256_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void sha256_split_does_not_matter(void **state)
{
    unsigned char msg[300];
    char whole[65], parts[65];
    size_t len, cut;
    (void)state;
    for (len = 0; len < sizeof msg; len++)
        msg[len] = (unsigned char)(len * 13 + 5);
    /* every length around the 55/56/64-byte padding boundaries, every cut */
    for (len = 50; len < 140; len++) {
        sha256_of(msg, len, whole);
        for (cut = 0; cut <= len; cut++) {
            unsigned char d[32];
            vdl_sha256 s;
            vdl_sha256_init(&s);
            vdl_sha256_update(&s, msg, cut);
            vdl_sha256_update(&s, msg + cut, len - cut);
            vdl_sha256_final(&s, d);
            vdl_sha256_hex(d, parts);
            assert_string_equal(whole, parts);
        }
    }
}

static void sha256_file_and_missing_file(void **state)
{
    char hex[65], missing[512];
    const char *path = write_file(NULL, "abc.txt", "abc", 3);
    (void)state;
    assert_int_equal(vdl_sha256_file(path, hex), VDL_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    snprintf(missing, sizeof missing, "%s/no-such-file", tmp_root);
    expect_error(vdl_sha256_file(missing, hex), VDL_EIO, missing);
}

/* ------------------------------------------------------------------------
 * IDX reader. */

static void idx_round_trip(void **state)
{
    buf im = make_images(3, 2, 5), lb = make_labels(4);
    const char *ip = write_file(NULL, "rt-images", im.p, im.len);
    const char *lp = write_file(NULL, "rt-labels", lb.p, lb.len);
    vdl_idx a, b;
    (void)state;
    assert_int_equal(vdl_idx_read(ip, VDL_IDX_IMAGES, 0, &a), VDL_OK);
    assert_int_equal(a.kind, VDL_IDX_IMAGES);
    assert_int_equal(a.count, 3);
    assert_int_equal(a.rows, 2);
    assert_int_equal(a.cols, 5);
    assert_memory_equal(a.data, im.p + 16, 30);
    assert_int_equal(vdl_idx_read(lp, VDL_IDX_LABELS, 0, &b), VDL_OK);
    assert_int_equal(b.kind, VDL_IDX_LABELS);
    assert_int_equal(b.count, 4);
    assert_int_equal(b.rows, 1);
    assert_int_equal(b.cols, 1);
    assert_memory_equal(b.data, lb.p + 8, 4);
    vdl_idx_free(&a);
    vdl_idx_free(&b);
    vdl_idx_free(&b); /* freeing twice is harmless: free zeroes */
    free(im.p);
    free(lb.p);
}

static void idx_missing_and_empty(void **state)
{
    char path[512];
    vdl_idx idx;
    (void)state;
    snprintf(path, sizeof path, "%s/absent-idx", tmp_root);
    expect_error(vdl_idx_read(path, VDL_IDX_IMAGES, 0, &idx), VDL_ENOTFOUND, path);
    {
        buf empty = {NULL, 0};
        expect_bad_file("empty", empty, VDL_IDX_LABELS, 0, VDL_EFORMAT, "empty");
    }
}

static void idx_wrong_magic_and_dims(void **state)
{
    buf im = make_images(2, 3, 3), lb = make_labels(2);
    (void)state;
    im.p[2] = 0x09; /* type "signed byte" */
    expect_bad_file("magic-type", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "magic");
    im.p[2] = 0x08;
    im.p[0] = 0x1f; /* e.g. a gzip file */
    expect_bad_file("magic-gzip", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "magic");
    im.p[0] = 0;
    im.p[3] = 2; /* 0x00000802 */
    expect_bad_file("dims-2", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "dimension");
    im.p[3] = 4;
    expect_bad_file("dims-4", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "dimension");
    im.p[3] = 3;
    /* a labels file where images are expected, and the other way round */
    expect_bad_file("labels-as-images", lb, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "dimension");
    expect_bad_file("images-as-labels", im, VDL_IDX_LABELS, 0, VDL_EFORMAT, "dimension");
    free(im.p);
    free(lb.p);
}

static void idx_truncated_and_extra(void **state)
{
    buf im = make_images(2, 3, 3), lb = make_labels(5), big;
    (void)state;
    im.len -= 1;
    expect_bad_file("trunc-images", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "truncated");
    /* the message gives the expected and the actual size */
    expect_error(VDL_EFORMAT, VDL_EFORMAT, "expected 34 bytes");
    expect_error(VDL_EFORMAT, VDL_EFORMAT, "file has 33");
    im.len = 10; /* inside the header */
    expect_bad_file("trunc-header", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "truncated");
    im.len = 2; /* inside the magic */
    expect_bad_file("trunc-magic", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "truncated");
    lb.len -= 5; /* header only */
    expect_bad_file("trunc-labels", lb, VDL_IDX_LABELS, 0, VDL_EFORMAT, "truncated");
    lb.len += 5;
    big.len = lb.len + 3;
    big.p = (unsigned char *)calloc(big.len, 1);
    assert_non_null(big.p);
    memcpy(big.p, lb.p, lb.len);
    expect_bad_file("extra-labels", big, VDL_IDX_LABELS, 0, VDL_EFORMAT, "extra bytes");
    expect_error(VDL_EFORMAT, VDL_EFORMAT, "expected 13 bytes");
    expect_error(VDL_EFORMAT, VDL_EFORMAT, "file has 16");
    free(im.p);
    free(lb.p);
    free(big.p);
}

static void idx_zero_sizes(void **state)
{
    buf im = make_images(0, 28, 28), lb = make_labels(0), z = make_images(1, 0, 4);
    (void)state;
    expect_bad_file("zero-images", im, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "count is 0");
    expect_bad_file("zero-labels", lb, VDL_IDX_LABELS, 0, VDL_EFORMAT, "count is 0");
    expect_bad_file("zero-rows", z, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "rows is 0");
    put_be32(z.p + 4, 0x80000000ul); /* count beyond INT_MAX */
    put_be32(z.p + 8, 1);
    expect_bad_file("huge-count", z, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "too large");
    put_be32(z.p + 4, 0x7ffffffful); /* valid sizes whose product dwarfs the file */
    put_be32(z.p + 8, 0x7ffffffful);
    put_be32(z.p + 12, 0x7ffffffful);
    expect_bad_file("huge-product", z, VDL_IDX_IMAGES, 0, VDL_EFORMAT, "truncated");
    free(im.p);
    free(lb.p);
    free(z.p);
}

static void idx_label_range(void **state)
{
    buf lb = make_labels(6);
    (void)state;
    lb.p[8 + 4] = 10;
    expect_bad_file("label-10", lb, VDL_IDX_LABELS, 0, VDL_EFORMAT, "label 10 at index 4");
    lb.p[8 + 4] = 255;
    expect_bad_file("label-255", lb, VDL_IDX_LABELS, 10, VDL_EFORMAT, "out of range");
    lb.p[8 + 4] = 9;
    {
        /* make_labels gives 3, 0, 7, 4, 9, 6: fine for 10 classes, not for 5 */
        vdl_idx idx;
        const char *p = write_file(NULL, "label-classes", lb.p, lb.len);
        assert_int_equal(vdl_idx_read(p, VDL_IDX_LABELS, 10, &idx), VDL_OK);
        vdl_idx_free(&idx);
        expect_error(vdl_idx_read(p, VDL_IDX_LABELS, 5, &idx), VDL_EFORMAT, "0..4");
        expect_error(VDL_EFORMAT, VDL_EFORMAT, p);
    }
    free(lb.p);
}

/* Every prefix and many random corruptions of valid files, parsed from
 * exact-size heap copies so valgrind or ASan would see any overread. */
static void idx_parse_never_crashes(void **state)
{
    buf im = make_images(2, 3, 4), lb = make_labels(7);
    buf *both[2];
    unsigned long rng = 12345;
    int which, iter;
    size_t len;
    vdl_idx idx;
    (void)state;
    both[0] = &im;
    both[1] = &lb;
    assert_int_equal(vdl_idx_parse(NULL, 0, VDL_IDX_IMAGES, 0, NULL, &idx), VDL_EFORMAT);
    assert_int_equal(vdl_idx_parse(im.p, im.len, 0x1234, 0, "x", &idx), VDL_EINVAL);
    for (which = 0; which < 2; which++) {
        const buf *b = both[which];
        int kind = which == 0 ? VDL_IDX_IMAGES : VDL_IDX_LABELS;
        for (len = 0; len <= b->len; len++) {
            unsigned char *copy = (unsigned char *)malloc(len ? len : 1);
            int rc;
            assert_non_null(copy);
            memcpy(copy, b->p, len);
            rc = vdl_idx_parse(copy, len, kind, 0, "prefix", &idx);
            assert_int_equal(rc, len == b->len ? VDL_OK : VDL_EFORMAT);
            free(copy);
        }
        for (iter = 0; iter < 20000; iter++) {
            unsigned char *copy;
            int k, rc;
            rng = rng * 6364136223846793005ul + 1442695040888963407ul;
            len = (size_t)(rng >> 33) % (b->len + 8);
            copy = (unsigned char *)malloc(len ? len : 1);
            assert_non_null(copy);
            memcpy(copy, b->p, len < b->len ? len : b->len);
            if (len > b->len)
                memset(copy + b->len, 0xab, len - b->len);
            for (k = 0; k < 3 && len > 0; k++) {
                rng = rng * 6364136223846793005ul + 1442695040888963407ul;
                copy[(rng >> 33) % len] = (unsigned char)(rng >> 20);
            }
            rc = vdl_idx_parse(copy, len, kind, 0, "fuzz", &idx);
            assert_true(rc == VDL_OK || rc == VDL_EFORMAT);
            if (rc == VDL_OK) /* whatever was accepted lies inside the buffer */
                assert_true(idx.data + (size_t)idx.count * (size_t)idx.rows * (size_t)idx.cols ==
                            copy + len);
            else
                assert_non_null(strstr(vdl_error(), "fuzz"));
            free(copy);
        }
    }
    free(im.p);
    free(lb.p);
}

/* ------------------------------------------------------------------------
 * MNIST loading and verification. */

/* dir with `n_img` 28x28 images and `n_lab` labels under the split's names. */
static const char *mnist_dir(const char *name, int train, int n_img, int n_lab)
{
    const char *dir = make_dir(name);
    buf im = make_images((unsigned long)n_img, 28, 28), lb = make_labels((unsigned long)n_lab);
    write_file(dir, vdl_mnist_files[train ? 0 : 2].name, im.p, im.len);
    write_file(dir, vdl_mnist_files[train ? 1 : 3].name, lb.p, lb.len);
    free(im.p);
    free(lb.p);
    return dir;
}

static void mnist_load_scales_and_standardizes(void **state)
{
    const double tol = sizeof(vdl_real) == sizeof(float) ? 1e-6 : 1e-12;
    int split;
    (void)state;
    for (split = 0; split < 2; split++) {
        const char *dir = mnist_dir(split ? "mnist-train" : "mnist-test", split, 3, 3);
        vdl_dataset d;
        int i, k;
        assert_int_equal(vdl_mnist_load(dir, split, &d), VDL_OK);
        assert_int_equal(d.n, 3);
        assert_int_equal(d.dim, 784);
        assert_int_equal(d.classes, 10);
        for (i = 0; i < 3; i++) {
            assert_true(d.y[i] == (vdl_real)((i * 7 + 3) % 10));
            for (k = 0; k < 784; k++) {
                double want = (pixel(i, k) / 255.0 - 0.1307) / 0.3081;
                assert_true(fabs(d.x[i * 784 + k] - want) <= tol * (1 + fabs(want)));
            }
        }
        /* the ends of the range: black and white pixels */
        assert_true(fabs(d.x[0] - (0 - 0.1307) / 0.3081) <= 1e-6); /* pixel(0,0) == 0 */
        vdl_dataset_free(&d);
        assert_null(d.x);
    }
    {
        /* an all-white image standardizes to (1 - mean) / std */
        const char *dir = make_dir("mnist-white");
        buf im = make_images(1, 28, 28), lb = make_labels(1);
        vdl_dataset d;
        memset(im.p + 16, 255, 784);
        write_file(dir, "train-images-idx3-ubyte", im.p, im.len);
        write_file(dir, "train-labels-idx1-ubyte", lb.p, lb.len);
        assert_int_equal(vdl_mnist_load(dir, 1, &d), VDL_OK);
        assert_true(fabs(d.x[783] - (1 - 0.1307) / 0.3081) <= 1e-5);
        vdl_dataset_free(&d);
        free(im.p);
        free(lb.p);
    }
}

static void mnist_load_errors(void **state)
{
    char path[512];
    vdl_dataset d;
    const char *dir = make_dir("mnist-missing");
    (void)state;
    /* missing images, then missing labels: both name the file and the fix */
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    expect_error(vdl_mnist_load(dir, 1, &d), VDL_ENOTFOUND, path);
    expect_error(VDL_ENOTFOUND, VDL_ENOTFOUND, "scripts/fetch-mnist");
    expect_error(VDL_ENOTFOUND, VDL_ENOTFOUND, "vdl data fetch");
    assert_null(d.x);
    dir = mnist_dir("mnist-test-only", 0, 2, 2);
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    expect_error(vdl_mnist_load(dir, 1, &d), VDL_ENOTFOUND, path);
    {
        const char *d2 = make_dir("mnist-no-labels");
        buf im = make_images(2, 28, 28);
        write_file(d2, "t10k-images-idx3-ubyte", im.p, im.len);
        snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte", d2);
        expect_error(vdl_mnist_load(d2, 0, &d), VDL_ENOTFOUND, path);
        free(im.p);
    }
    /* image and label counts disagree: both files are named */
    dir = mnist_dir("mnist-mismatch", 1, 3, 4);
    snprintf(path, sizeof path, "%s/train-labels-idx1-ubyte", dir);
    expect_error(vdl_mnist_load(dir, 1, &d), VDL_EFORMAT, path);
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    expect_error(VDL_EFORMAT, VDL_EFORMAT, path);
    assert_null(d.x);
    assert_int_equal(d.n, 0);
    {
        /* images that are valid IDX but not 28 x 28 */
        const char *d3 = make_dir("mnist-small");
        buf im = make_images(2, 8, 8), lb = make_labels(2);
        write_file(d3, "train-images-idx3-ubyte", im.p, im.len);
        write_file(d3, "train-labels-idx1-ubyte", lb.p, lb.len);
        snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", d3);
        expect_error(vdl_mnist_load(d3, 1, &d), VDL_EFORMAT, path);
        expect_error(VDL_EFORMAT, VDL_EFORMAT, "28 x 28");
        free(im.p);
        free(lb.p);
    }
    {
        /* a label of 10 in an otherwise fine split */
        const char *d4 = make_dir("mnist-label10");
        buf im = make_images(2, 28, 28), lb = make_labels(2);
        lb.p[9] = 10;
        write_file(d4, "t10k-images-idx3-ubyte", im.p, im.len);
        write_file(d4, "t10k-labels-idx1-ubyte", lb.p, lb.len);
        snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte", d4);
        expect_error(vdl_mnist_load(d4, 0, &d), VDL_EFORMAT, path);
        free(im.p);
        free(lb.p);
    }
}

static void mnist_verify_names_the_file(void **state)
{
    char path[512];
    const char *dir = make_dir("verify");
    int i;
    (void)state;
    assert_int_equal(strlen(vdl_mnist_files[0].sha256), 64);
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    expect_error(vdl_mnist_verify(dir), VDL_ENOTFOUND, path);
    expect_error(VDL_ENOTFOUND, VDL_ENOTFOUND, "fetch-mnist");
    /* files that exist but are not MNIST: the first one is reported */
    for (i = 0; i < 4; i++)
        write_file(dir, vdl_mnist_files[i].name, "abc", 3);
    expect_error(vdl_mnist_verify(dir), VDL_EFORMAT, path);
    expect_error(VDL_EFORMAT, VDL_EFORMAT, vdl_mnist_files[0].sha256);
    expect_error(VDL_EFORMAT, VDL_EFORMAT,
                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* ------------------------------------------------------------------------
 * Minibatch copies. */

static void make_toy(vdl_dataset *d, vdl_real *x, vdl_real *y)
{
    int i, k;
    for (i = 0; i < 5; i++) {
        y[i] = (vdl_real)(i % 3);
        for (k = 0; k < 3; k++)
            x[i * 3 + k] = (vdl_real)(10 * i + k);
    }
    d->n = 5;
    d->dim = 3;
    d->classes = 3;
    d->x = x;
    d->y = y;
}

static void check_row(const vdl_dataset *out, int i, const vdl_dataset *src, int r)
{
    assert_memory_equal(out->x + i * 3, src->x + r * 3, 3 * sizeof(vdl_real));
    assert_true(out->y[i] == src->y[r]);
}

static void dataset_subset_and_slice(void **state)
{
    vdl_real x[15], y[5];
    vdl_dataset src, out;
    const int pick[4] = {4, 0, 4, 2};
    const int bad[2] = {1, 5};
    const int neg[1] = {-1};
    int i;
    (void)state;
    make_toy(&src, x, y);
    assert_int_equal(vdl_dataset_subset(&src, pick, 4, &out), VDL_OK);
    assert_int_equal(out.n, 4);
    assert_int_equal(out.dim, 3);
    assert_int_equal(out.classes, 3);
    for (i = 0; i < 4; i++)
        check_row(&out, i, &src, pick[i]);
    vdl_dataset_free(&out);
    assert_int_equal(vdl_dataset_subset(&src, NULL, 2, &out), VDL_OK);
    check_row(&out, 0, &src, 0);
    check_row(&out, 1, &src, 1);
    vdl_dataset_free(&out);
    assert_int_equal(vdl_dataset_slice(&src, 2, 3, &out), VDL_OK);
    assert_int_equal(out.n, 3);
    for (i = 0; i < 3; i++)
        check_row(&out, i, &src, 2 + i);
    vdl_dataset_free(&out);
    /* rejected: out-of-range rows, empty batches, ranges past the end */
    expect_error(vdl_dataset_subset(&src, bad, 2, &out), VDL_EINVAL, "row 5");
    assert_null(out.x);
    expect_error(vdl_dataset_subset(&src, neg, 1, &out), VDL_EINVAL, "row -1");
    expect_error(vdl_dataset_subset(&src, pick, 0, &out), VDL_EINVAL, "count");
    expect_error(vdl_dataset_subset(&src, NULL, 6, &out), VDL_EINVAL, "row 5");
    expect_error(vdl_dataset_slice(&src, 3, 3, &out), VDL_EINVAL, "rows");
    expect_error(vdl_dataset_slice(&src, -1, 2, &out), VDL_EINVAL, "rows");
    expect_error(vdl_dataset_slice(&src, 0, 0, &out), VDL_EINVAL, "rows");
    expect_error(vdl_dataset_subset(&src, pick, 1, &src), VDL_EINVAL, "alias");
    assert_null(out.x);
    vdl_dataset_free(&out);
    vdl_dataset_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_test_vectors),
        cmocka_unit_test(sha256_split_does_not_matter),
        cmocka_unit_test(sha256_file_and_missing_file),
        cmocka_unit_test(idx_round_trip),
        cmocka_unit_test(idx_missing_and_empty),
        cmocka_unit_test(idx_wrong_magic_and_dims),
        cmocka_unit_test(idx_truncated_and_extra),
        cmocka_unit_test(idx_zero_sizes),
        cmocka_unit_test(idx_label_range),
        cmocka_unit_test(idx_parse_never_crashes),
        cmocka_unit_test(mnist_load_scales_and_standardizes),
        cmocka_unit_test(mnist_load_errors),
        cmocka_unit_test(mnist_verify_names_the_file),
        cmocka_unit_test(dataset_subset_and_slice),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
