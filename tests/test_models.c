/*
 * test_models.c: the paper's models on tiny sizes, in double precision:
 * output shapes, whole-model gradients against finite differences for every
 * model kind (the low-rank one at rank 1 and at rank 4), generated models, pruning order, checkpoints (bit-exact round
 * trip, every kind of damage) and resume giving the same result as an
 * uninterrupted run.
 */
#define _POSIX_C_SOURCE 200809L
#include "synth.h"
#include "vdl_checkpoint.h"
#include "vdl_eval.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define IN 5
#define HID 4
#define OUT 3
#define ROWS 6

static vdl_model_config tiny(vdl_model_kind kind)
{
    static const int sizes[3] = {IN, HID, OUT};
    vdl_model_config c = vdl_model_defaults(kind);
    vdl_mlp_arch_make(&c.arch, 3, sizes);
    c.hyper_hidden = 3;
    c.init_log_sigma = -1;
    return c;
}

/* The cases most tests run: every kind with its defaults (the low-rank one at
 * rank 1 with multiplicative corrections and weighted lambda draws), then a
 * low-rank hypernet of rank 4, which W1 (5 x 4) takes whole and W2 (4 x 3)
 * caps at 3, then the paper's eq. 6 (rank 1, additive, unweighted). */
#define CASES (VDL_MODEL_KIND_COUNT + 2)

static vdl_model_config tiny_case(int i)
{
    vdl_model_config c = tiny(i < VDL_MODEL_KIND_COUNT ? (vdl_model_kind)i : VDL_MODEL_LOWRANK);
    c.hyper_rank = i == VDL_MODEL_KIND_COUNT ? 4 : 1;
    if (i == VDL_MODEL_KIND_COUNT + 1) {
        c.multiplicative_means = c.multiplicative_log_sigmas = 0;
        c.lambda_weight = 0;
    }
    return c;
}

/* The loss at lambda on fixed data, with the noise key fixed. */
static vdl_node *build_loss(vdl_tape *t, vdl_model *m, double lambda, vdl_real *x, vdl_real *y)
{
    vdl_vnodes v;
    vdl_loss_terms lt;
    vdl_tape_reset(t);
    vdl_tape_set_rng(t, 3, 9);
    assert_int_equal(vdl_model_vnodes(t, m, lambda, &v), VDL_OK);
    assert_int_equal(vdl_mlp_loss(t, &m->cfg.arch, &v, vdl_leaf(t, vdl_shape2(ROWS, IN), x, NULL),
                                  vdl_leaf(t, vdl_shape1(ROWS), y, NULL), lambda, 50, 0.5, &lt),
                     VDL_OK);
    return lt.loss;
}

static void whole_model_gradients(void **state)
{
    vdl_real x[ROWS * IN], y[ROWS];
    int kind;
    (void)state;
    assert_true(sizeof(vdl_real) == sizeof(double));
    synth_blobs(ROWS, IN, OUT, 4, x, y);
    for (kind = 0; kind < CASES; kind++) {
        vdl_model_config c = tiny_case(kind);
        vdl_tape *t = vdl_tape_new();
        vdl_model m;
        vdl_rng rng;
        double worst = 0, lambda = 0.7;
        size_t i;
        int k;
        assert_int_equal(vdl_model_init(&m, &c, 5), VDL_OK);
        /* move every parameter off its initial value so no term is trivially zero */
        vdl_rng_init(&rng, 8, 8);
        for (i = 0; i < m.params.size; i++)
            m.params.value[i] += (vdl_real)(0.3 * vdl_rng_normal(&rng));
        vdl_params_zero_grad(&m.params);
        assert_int_equal(vdl_backward(t, build_loss(t, &m, lambda, x, y)), VDL_OK);
        for (k = 0; k < 60; k++) {
            size_t j = (size_t)vdl_rng_below(&rng, m.params.size);
            vdl_real keep = m.params.value[j];
            double h = 1e-4, f[4], num, ana = m.params.grad[j], err;
            static const double off[4] = {2, 1, -1, -2};
            int s;
            for (s = 0; s < 4; s++) {
                m.params.value[j] = keep + off[s] * h;
                f[s] = build_loss(t, &m, lambda, x, y)->value[0];
            }
            m.params.value[j] = keep;
            num = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
            err = fabs(ana - num) / fmax(1e-2, fmax(fabs(ana), fabs(num)));
            if (err > worst)
                worst = err;
        }
        printf("%-9s rank %d%s %5lu parameters, worst scaled gradient error %.2g\n", vdl_model_kind_name(c.kind),
               c.hyper_rank, c.multiplicative_means ? " mult" : "", (unsigned long)m.params.size, worst);
        assert_true(worst < 1e-6);
        vdl_model_free(&m);
        vdl_tape_free(t);
    }
}

static void shapes_and_generation(void **state)
{
    int kind;
    (void)state;
    for (kind = 0; kind < CASES; kind++) {
        vdl_model_config c = tiny_case(kind);
        vdl_model m, g;
        vdl_tape *t = vdl_tape_new(), *u = vdl_tape_new();
        vdl_vnodes v, w;
        int k;
        assert_int_equal(vdl_model_init(&m, &c, 1), VDL_OK);
        assert_int_equal(vdl_model_vnodes(t, &m, 2.5, &v), VDL_OK);
        assert_int_equal(vdl_model_generate(&m, 2.5, &g), VDL_OK);
        assert_int_equal(g.cfg.kind, VDL_MODEL_DIRECT);
        assert_int_equal(vdl_model_vnodes(u, &g, 2.5, &w), VDL_OK);
        for (k = 0; k < vdl_mlp_tensors(&c.arch); k++) {
            vdl_shape s = vdl_mlp_tensor_shape(&c.arch, k);
            assert_true(vdl_shape_equal(&v.mu[k]->shape, &s));
            assert_true(vdl_shape_equal(&v.log_sigma[k]->shape, &s));
            assert_memory_equal(v.mu[k]->value, w.mu[k]->value, v.mu[k]->size * sizeof(vdl_real));
            assert_memory_equal(v.log_sigma[k]->value, w.log_sigma[k]->value, v.mu[k]->size * sizeof(vdl_real));
            /* log sigma starts at the configured value everywhere */
            assert_float_equal(v.log_sigma[k]->value[0], -1, 1e-12);
        }
        if (c.kind != VDL_MODEL_DIRECT) {
            assert_int_equal(vdl_model_generate(&m, 1000, &g), VDL_EINVAL); /* outside [0.1, 100] */
            assert_non_null(strstr(vdl_error(), "outside"));
        }
        assert_int_equal(vdl_model_generate(&m, -1, &g), VDL_EINVAL);
        vdl_model_free(&g);
        vdl_model_free(&m);
        vdl_tape_free(t);
        vdl_tape_free(u);
    }
    assert_float_equal(vdl_lambda_encode(&(vdl_model_config){.lambda_min = 0.1, .lambda_max = 100}, 0.1), 0, 1e-12);
    assert_float_equal(vdl_lambda_encode(&(vdl_model_config){.lambda_min = 0.1, .lambda_max = 100}, 100), 1, 1e-12);
    assert_float_equal(vdl_lambda_encode(&(vdl_model_config){.lambda_min = 0.1, .lambda_max = 100}, 1), 1.0 / 3, 1e-12);
}

static void pruning_removes_lowest_snr_first(void **state)
{
    vdl_model_config c = tiny(VDL_MODEL_DIRECT);
    vdl_model m;
    vdl_real *mu, *ls;
    size_t i, n, zeros = 0;
    (void)state;
    assert_int_equal(vdl_model_init(&m, &c, 2), VDL_OK);
    mu = vdl_params_value(&m.params, 0); /* W1.mu: IN x HID = 20 weights */
    ls = vdl_params_value(&m.params, 1);
    n = m.params.info[0].size;
    for (i = 0; i < n; i++) {
        mu[i] = (vdl_real)(i + 1);   /* |mu| grows with i ... */
        ls[i] = (vdl_real)log(i + 1.0) + (i % 2 ? 0 : 1); /* ... snr is 1 (odd i) or 1/e (even i) */
    }
    assert_int_equal(vdl_prune(&m, 0.5, 1), VDL_OK);
    for (i = 0; i < n; i++) {
        zeros += mu[i] == 0;
        assert_true((mu[i] == 0) == (i % 2 == 0)); /* exactly the low-snr half went */
    }
    assert_int_equal(zeros, n / 2);
    assert_int_equal(vdl_prune(&m, 1.0, 1), VDL_EINVAL);
    m.cfg.kind = VDL_MODEL_LINEAR;
    assert_int_equal(vdl_prune(&m, 0.1, 1), VDL_EINVAL);
    m.cfg.kind = VDL_MODEL_DIRECT;
    vdl_model_free(&m);
}

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/vdl-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void make_data(vdl_dataset *d, int n)
{
    d->n = n;
    d->dim = IN;
    d->classes = OUT;
    d->x = vdl_malloc((size_t)n * IN * sizeof *d->x);
    d->y = vdl_malloc((size_t)n * sizeof *d->y);
    synth_blobs(n, IN, OUT, 6, d->x, d->y);
}

static vdl_train_config small_train(vdl_model_kind kind)
{
    vdl_train_config tc = vdl_train_defaults(kind);
    tc.batch = 16;
    tc.epochs = 4;
    tc.lr = 1e-2;
    return tc;
}

static void checkpoint_round_trip_and_resume(void **state)
{
    int kind;
    (void)state;
    for (kind = 0; kind < CASES; kind++) {
        vdl_model_config c = tiny_case(kind);
        vdl_train_config tc = small_train(c.kind);
        vdl_dataset d;
        vdl_model full, half, loaded;
        vdl_trainer tr;
        vdl_train_state st;
        char path[128];
        int e;
        snprintf(path, sizeof path, "%s/ck%d.vdl", tmpdir, kind);
        make_data(&d, 100);
        /* uninterrupted: 4 epochs */
        assert_int_equal(vdl_model_init(&full, &c, 3), VDL_OK);
        assert_int_equal(vdl_trainer_init(&tr, &full, &d, &tc), VDL_OK);
        for (e = 0; e < 4; e++)
            assert_int_equal(vdl_trainer_epoch(&tr, NULL, NULL), VDL_OK);
        vdl_trainer_free(&tr);
        /* interrupted after 2 epochs, saved, loaded, resumed */
        assert_int_equal(vdl_model_init(&half, &c, 3), VDL_OK);
        assert_int_equal(vdl_trainer_init(&tr, &half, &d, &tc), VDL_OK);
        for (e = 0; e < 2; e++)
            assert_int_equal(vdl_trainer_epoch(&tr, NULL, NULL), VDL_OK);
        assert_int_equal(vdl_checkpoint_save(path, &half, &tr), VDL_OK);
        vdl_trainer_free(&tr);
        assert_int_equal(vdl_checkpoint_load(path, &loaded, &st), VDL_OK);
        assert_true(st.present);
        assert_int_equal(st.epoch, 2);
        assert_int_equal(loaded.cfg.hyper_rank, c.hyper_rank);
        assert_int_equal(loaded.params.size, half.params.size);
        assert_memory_equal(loaded.params.value, half.params.value, half.params.size * sizeof(vdl_real));
        assert_int_equal(vdl_trainer_init(&tr, &loaded, &d, &st.cfg), VDL_OK);
        assert_int_equal(vdl_trainer_restore(&tr, &st), VDL_OK);
        while (tr.epoch < 4)
            assert_int_equal(vdl_trainer_epoch(&tr, NULL, NULL), VDL_OK);
        assert_memory_equal(loaded.params.value, full.params.value, full.params.size * sizeof(vdl_real));
        vdl_trainer_free(&tr);
        vdl_train_state_free(&st);
        vdl_model_free(&loaded);
        vdl_model_free(&half);
        vdl_model_free(&full);
        vdl_dataset_free(&d);
    }
}

/* Write bytes to path. */
static void put_file(const char *path, const unsigned char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* Recompute the FNV-1a checksum in the last 8 bytes after editing a file. */
static void fix_checksum(unsigned char *data, size_t len)
{
    uint64_t h = vdl_fnv1a(data, len - 8);
    int i;
    for (i = 0; i < 8; i++)
        data[len - 8 + i] = (unsigned char)(h >> (8 * i));
}

static void damaged_checkpoints_are_rejected(void **state)
{
    vdl_model_config c = tiny(VDL_MODEL_LOWRANK);
    vdl_model m, back;
    unsigned char *data, *copy;
    size_t len, cut;
    char good[128], bad[128];
    (void)state;
    snprintf(good, sizeof good, "%s/good.vdl", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad.vdl", tmpdir);
    assert_int_equal(vdl_model_init(&m, &c, 1), VDL_OK);
    assert_int_equal(vdl_checkpoint_save(good, &m, NULL), VDL_OK);
    assert_int_equal(vdl_read_file(good, 1 << 24, &data, &len), VDL_OK);
    copy = vdl_malloc(len);
    /* every truncation */
    for (cut = 0; cut < len; cut += 1 + cut / 8) {
        put_file(bad, data, cut);
        assert_int_not_equal(vdl_checkpoint_load(bad, &back, NULL), VDL_OK);
        assert_non_null(strstr(vdl_error(), bad));
    }
    /* a flipped bit anywhere */
    for (cut = 0; cut < len; cut += 7) {
        memcpy(copy, data, len);
        copy[cut] ^= 0x10;
        put_file(bad, copy, len);
        assert_int_not_equal(vdl_checkpoint_load(bad, &back, NULL), VDL_OK);
    }
    /* a newer format version, with a valid checksum */
    memcpy(copy, data, len);
    copy[8] = VDL_CHECKPOINT_VERSION + 1;
    fix_checksum(copy, len);
    put_file(bad, copy, len);
    assert_int_equal(vdl_checkpoint_load(bad, &back, NULL), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), "version 4"));
    /* version 0 */
    copy[8] = 0;
    fix_checksum(copy, len);
    put_file(bad, copy, len);
    assert_int_equal(vdl_checkpoint_load(bad, &back, NULL), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), "version 0"));
    /* missing file */
    assert_int_equal(vdl_checkpoint_load("/nonexistent/x.vdl", &back, NULL), VDL_ENOTFOUND);
    /* the good one loads bit-exact */
    assert_int_equal(vdl_checkpoint_load(good, &back, NULL), VDL_OK);
    assert_memory_equal(back.params.value, m.params.value, m.params.size * sizeof(vdl_real));
    /* a write into a missing folder is an error, not a crash */
    assert_int_equal(vdl_checkpoint_save("/nonexistent/dir/x.vdl", &m, NULL), VDL_EIO);
    vdl_model_free(&back);
    vdl_model_free(&m);
    vdl_free(copy);
    vdl_free(data);
}

/* Byte offset of the low-rank rank field in a version-2 file of the tiny
 * 3-layer architecture: magic 8, version and width 8, kind and layers 8,
 * sizes 12, lambda range 16, hidden 4, rank scale, factor lr, log sigma 24. */
#define RANK_AT 80

static unsigned char *saved_bytes(const vdl_model *m, const char *path, size_t *len)
{
    unsigned char *data;
    assert_int_equal(vdl_checkpoint_save(path, m, NULL), VDL_OK);
    assert_int_equal(vdl_read_file(path, 1 << 24, &data, len), VDL_OK);
    return data;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    int i;
    for (i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A file parses, and written back it is the same bytes. */
static void reads_back_exactly(const unsigned char *data, size_t len, const vdl_model *m, vdl_model *back)
{
    vdl_wbuf b;
    assert_int_equal(vdl_checkpoint_parse(data, len, "file", back, NULL), VDL_OK);
    assert_int_equal(back->cfg.hyper_rank, m->cfg.hyper_rank);
    assert_int_equal(back->cfg.multiplicative_means, m->cfg.multiplicative_means);
    assert_memory_equal(back->params.value, m->params.value, m->params.size * sizeof(vdl_real));
    vdl_wbuf_init(&b);
    vdl_checkpoint_encode(&b, back, NULL);
    assert_int_equal(b.len, len);
    assert_memory_equal(b.data, data, len);
    vdl_wbuf_free(&b);
}

/* data with the u32 at `at` set to v, or the f64 at `at` set to x if v is
 * UINT32_MAX (and a valid checksum), is refused */
static void refused_with(const unsigned char *data, size_t len, size_t at, uint32_t v, double x)
{
    unsigned char *copy = vdl_malloc(len);
    vdl_model back;
    memcpy(copy, data, len);
    if (v != UINT32_MAX) {
        put_u32(copy + at, v);
    } else {
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        put_u32(copy + at, (uint32_t)bits);
        put_u32(copy + at + 4, (uint32_t)(bits >> 32));
    }
    fix_checksum(copy, len);
    assert_int_equal(vdl_checkpoint_parse(copy, len, "edited", &back, NULL), VDL_EFORMAT);
    vdl_free(copy);
}

/* The paper's eq. 6 (rank 1, additive, unweighted draws) keeps format version
 * 1 byte for byte (old files load as that); rank R > 1 otherwise like eq. 6
 * writes version 2 with R; multiplicative corrections or a lambda weight
 * write version 3 with R, the correction flags and the weight. Every value a
 * writer cannot produce is refused. */
static void checkpoint_rank_versions(void **state)
{
    static const uint32_t bad_ranks[4] = {0, 1, VDL_MODEL_MAX_RANK + 1, 0xffffffffu};
    static const double bad_weights[3] = {-0.5, VDL_MODEL_MAX_LAMBDA_WEIGHT + 1, NAN};
    vdl_model_config c1 = tiny_case(VDL_MODEL_KIND_COUNT + 1), c4 = c1, cm = tiny_case(VDL_MODEL_LOWRANK);
    vdl_model_config cw = c1;
    vdl_model m1, m4, mm, mw, back;
    unsigned char *d1, *d4, *dm, *dw;
    size_t len1, len4, lenm, lenw;
    char path[128];
    int i;
    (void)state;
    snprintf(path, sizeof path, "%s/rank.vdl", tmpdir);
    c4.hyper_rank = 4;
    cw.lambda_weight = 0.25; /* additive corrections, weighted draws */
    assert_int_equal(c1.hyper_rank, 1);
    assert_int_equal(c1.multiplicative_means + c1.multiplicative_log_sigmas, 0);
    assert_int_equal(cm.multiplicative_means + cm.multiplicative_log_sigmas, 2);
    assert_int_equal(vdl_model_init(&m1, &c1, 1), VDL_OK);
    assert_int_equal(vdl_model_init(&m4, &c4, 1), VDL_OK);
    assert_int_equal(vdl_model_init(&mm, &cm, 1), VDL_OK);
    assert_int_equal(vdl_model_init(&mw, &cw, 1), VDL_OK);
    d1 = saved_bytes(&m1, path, &len1);
    d4 = saved_bytes(&m4, path, &len4);
    dm = saved_bytes(&mm, path, &lenm);
    dw = saved_bytes(&mw, path, &lenw);
    assert_int_equal(get_u32(d1 + 8), 1);
    assert_int_equal(get_u32(d4 + 8), 2);
    assert_int_equal(get_u32(dm + 8), 3);
    assert_int_equal(get_u32(dw + 8), 3);
    assert_int_equal(get_u32(d4 + RANK_AT), 4);
    assert_int_equal(get_u32(dm + RANK_AT), 1);
    assert_int_equal(get_u32(dm + RANK_AT + 4), 3);
    assert_int_equal(get_u32(dw + RANK_AT + 4), 0);
    assert_int_equal(len4, len1 + 4 + sizeof(vdl_real) * (m4.params.size - m1.params.size));
    assert_int_equal(lenm, len1 + 16);
    /* round trips; a version-1 low-rank file is eq. 6 */
    reads_back_exactly(d1, len1, &m1, &back);
    vdl_model_free(&back);
    reads_back_exactly(d4, len4, &m4, &back);
    vdl_model_free(&back);
    reads_back_exactly(dm, lenm, &mm, &back);
    assert_int_equal(back.cfg.multiplicative_log_sigmas, 1);
    assert_float_equal(back.cfg.lambda_weight, 0.5, 0);
    vdl_model_free(&back);
    reads_back_exactly(dw, lenw, &mw, &back);
    assert_float_equal(back.cfg.lambda_weight, 0.25, 0);
    vdl_model_free(&back);
    /* ranks no writer produces, with valid checksums */
    for (i = 0; i < 4; i++) {
        refused_with(d4, len4, RANK_AT, bad_ranks[i], 0);
        assert_non_null(strstr(vdl_error(), "bad model configuration"));
        if (bad_ranks[i] != 1)
            refused_with(dm, lenm, RANK_AT, bad_ranks[i], 0);
    }
    /* a rank of 2 does not fit rank-4 tensors, nor 4 rank-1 tensors */
    refused_with(d4, len4, RANK_AT, 2, 0);
    refused_with(dm, lenm, RANK_AT, 4, 0);
    /* version 3: unknown flags, weights out of range, and eq. 6 (a version-1 model) */
    refused_with(dm, lenm, RANK_AT + 4, 4, 0);
    assert_non_null(strstr(vdl_error(), "bad model configuration"));
    for (i = 0; i < 3; i++) {
        refused_with(dm, lenm, RANK_AT + 8, UINT32_MAX, bad_weights[i]);
        assert_non_null(strstr(vdl_error(), "bad model configuration"));
    }
    refused_with(dw, lenw, RANK_AT + 8, UINT32_MAX, 0);
    /* versions 2 and 3 on another kind: the direct kind has no rank */
    refused_with(d4, len4, 16, VDL_MODEL_DIRECT, 0);
    refused_with(dm, lenm, 16, VDL_MODEL_DIRECT, 0);
    vdl_free(d1);
    vdl_free(d4);
    vdl_free(dm);
    vdl_free(dw);
    vdl_model_free(&m1);
    vdl_model_free(&m4);
    vdl_model_free(&mm);
    vdl_model_free(&mw);
}

/* A low-rank model's lambda weight p multiplies the loss of a draw at lambda
 * by lambda^-p and nothing else: the first step's cross-entropy and KL are
 * the unweighted model's, its loss is lambda^-p times the unweighted loss
 * (lambda recovered from that loss, ce + lambda kl / m), and a plain SGD step
 * moves every parameter lambda^-p times as far. */
static void lambda_weight_scales_the_loss(void **state)
{
    vdl_model_config c = tiny_case(VDL_MODEL_KIND_COUNT + 1);
    vdl_train_config tc = small_train(VDL_MODEL_LOWRANK);
    vdl_dataset d;
    vdl_model m0, mp;
    vdl_trainer t0, tp;
    vdl_real *start;
    double lambda, scale, worst = 0;
    size_t i;
    (void)state;
    tc.optim = VDL_SGD;
    tc.momentum = 0;
    tc.clip_value = 0;
    make_data(&d, 100);
    assert_int_equal(vdl_model_init(&m0, &c, 2), VDL_OK);
    c.lambda_weight = 0.5;
    assert_int_equal(vdl_model_init(&mp, &c, 2), VDL_OK);
    start = vdl_malloc(m0.params.size * sizeof *start);
    memcpy(start, m0.params.value, m0.params.size * sizeof *start);
    assert_int_equal(vdl_trainer_init(&t0, &m0, &d, &tc), VDL_OK);
    assert_int_equal(vdl_trainer_init(&tp, &mp, &d, &tc), VDL_OK);
    assert_int_equal(vdl_trainer_step(&t0), VDL_OK);
    assert_int_equal(vdl_trainer_step(&tp), VDL_OK);
    assert_float_equal(tp.ce, t0.ce, 0);
    assert_float_equal(tp.kl, t0.kl, 0);
    lambda = (t0.loss - t0.ce) * d.n / t0.kl;
    assert_true(lambda >= 0.1 * (1 - 1e-6) && lambda <= 100 * (1 + 1e-6));
    scale = 1 / sqrt(lambda);
    assert_float_equal(tp.loss, t0.loss * scale, 1e-9 * fabs(t0.loss));
    for (i = 0; i < m0.params.size; i++) {
        double step0 = m0.params.value[i] - start[i], stepp = mp.params.value[i] - start[i];
        worst = fmax(worst, fabs(stepp - scale * step0));
    }
    assert_true(worst < 1e-12);
    assert_memory_not_equal(mp.params.value, m0.params.value, m0.params.size * sizeof(vdl_real));
    vdl_free(start);
    vdl_trainer_free(&t0);
    vdl_trainer_free(&tp);
    vdl_model_free(&m0);
    vdl_model_free(&mp);
    vdl_dataset_free(&d);
}

/* The default low-rank model is rank 1 with factor lr 0.05, multiplicative
 * corrections and lambda weight 0.5; the paper preset keeps eq. 6 and 8
 * (additive, unweighted) with factor lr 0.02; other kinds are rank 1 and have
 * none of these. */
static void rank_defaults_and_paper_preset(void **state)
{
    vdl_model_config d = vdl_model_defaults(VDL_MODEL_LOWRANK), p = vdl_model_paper(VDL_MODEL_LOWRANK);
    vdl_model_config bad = tiny(VDL_MODEL_LOWRANK);
    vdl_model m;
    int kind;
    (void)state;
    assert_int_equal(d.hyper_rank, 1);
    assert_float_equal(d.factor_lr_scale, 0.05, 0);
    assert_int_equal(d.multiplicative_means + d.multiplicative_log_sigmas, 2);
    assert_float_equal(d.lambda_weight, 0.5, 0);
    assert_int_equal(p.hyper_rank, 1);
    assert_float_equal(p.factor_lr_scale, 0.02, 0);
    assert_int_equal(p.multiplicative_means + p.multiplicative_log_sigmas, 0);
    assert_float_equal(p.lambda_weight, 0, 0);
    for (kind = 0; kind < VDL_MODEL_KIND_COUNT; kind++) {
        vdl_model_config k = vdl_model_defaults((vdl_model_kind)kind);
        assert_int_equal(k.hyper_rank, 1);
        if (kind != VDL_MODEL_LOWRANK)
            assert_true(k.multiplicative_means + k.multiplicative_log_sigmas == 0 && k.lambda_weight == 0);
    }
    /* at rank 16, 784 x 100 gets rank 16 and 100 x 10 is capped at 10 */
    d.hyper_rank = 16;
    assert_int_equal(vdl_model_matrix_rank(&d, 784, 100), 16);
    assert_int_equal(vdl_model_matrix_rank(&d, 100, 10), 10);
    bad.hyper_rank = 0;
    assert_int_equal(vdl_model_init(&m, &bad, 1), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "rank must be in 1..1024, got 0"));
    bad.hyper_rank = VDL_MODEL_MAX_RANK + 1;
    assert_int_equal(vdl_model_init(&m, &bad, 1), VDL_EINVAL);
    bad.hyper_rank = 1;
    bad.multiplicative_log_sigmas = 2;
    assert_int_equal(vdl_model_init(&m, &bad, 1), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "must be 0 or 1, got 1 and 2"));
    bad.multiplicative_log_sigmas = 1;
    bad.lambda_weight = -1;
    assert_int_equal(vdl_model_init(&m, &bad, 1), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "lambda weight must be in 0..2, got -1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_model_gradients),
        cmocka_unit_test(shapes_and_generation),
        cmocka_unit_test(pruning_removes_lowest_snr_first),
        cmocka_unit_test(checkpoint_round_trip_and_resume),
        cmocka_unit_test(damaged_checkpoints_are_rejected),
        cmocka_unit_test(checkpoint_rank_versions),
        cmocka_unit_test(lambda_weight_scales_the_loss),
        cmocka_unit_test(rank_defaults_and_paper_preset),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
