/*
 * test_train.c: end to end on generated data. A variational MLP built from
 * ops learns two interleaved spirals; a long run allocates nothing per step;
 * inputs that are mostly one value train through their sparse form like
 * their dense form, and give the same bytes on any number of threads.
 */
#include "synth.h"
#include "vdl_eval.h"
#include "vdl_train.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

static void make_spirals(vdl_dataset *d, int n, uint64_t seed)
{
    d->n = n;
    d->dim = 2;
    d->classes = 2;
    d->x = vdl_malloc((size_t)n * 2 * sizeof *d->x);
    d->y = vdl_malloc((size_t)n * sizeof *d->y);
    synth_spirals(n, seed, d->x, d->y);
}

static vdl_model_config spiral_model(vdl_model_kind kind)
{
    static const int sizes[3] = {2, 64, 2};
    vdl_model_config c = vdl_model_defaults(kind);
    vdl_mlp_arch_make(&c.arch, 3, sizes);
    c.hyper_hidden = 8;
    return c;
}

static void variational_mlp_learns_spirals(void **state)
{
    vdl_model_config mc = spiral_model(VDL_MODEL_DIRECT);
    vdl_train_config tc = vdl_train_defaults(VDL_MODEL_DIRECT);
    vdl_dataset train, test;
    vdl_model m;
    vdl_trainer tr;
    double first_loss = 0, acc = 0;
    int e;
    (void)state;
    make_spirals(&train, 1000, 1);
    make_spirals(&test, 1000, 2);
    tc.batch = 50;
    tc.lr = 1e-2;
    tc.lambda = 0.1;
    assert_int_equal(vdl_model_init(&m, &mc, 7), VDL_OK);
    assert_int_equal(vdl_trainer_init(&tr, &m, &train, &tc), VDL_OK);
    for (e = 0; e < 60; e++) {
        assert_int_equal(vdl_trainer_epoch(&tr, NULL, NULL), VDL_OK);
        if (e == 0)
            first_loss = tr.loss;
    }
    assert_int_equal(vdl_eval_accuracy(&m, &test, &acc), VDL_OK);
    printf("spirals: loss %.4f -> %.4f, held-out accuracy %.3f\n", first_loss, tr.loss, acc);
    assert_true(tr.loss < 0.5 * first_loss);
    assert_true(acc >= 0.95);
    vdl_trainer_free(&tr);
    vdl_model_free(&m);
    vdl_dataset_free(&train);
    vdl_dataset_free(&test);
}

static double phase_total(const vdl_trainer *tr)
{
    double s = 0;
    int p;
    for (p = 0; p < VDL_PHASE_COUNT; p++)
        s += tr->seconds[p];
    return s;
}

static void ten_thousand_steps_allocate_nothing_and_are_timed(void **state)
{
    vdl_model_config mc = spiral_model(VDL_MODEL_LOWRANK);
    vdl_train_config tc = vdl_train_defaults(VDL_MODEL_LOWRANK);
    vdl_dataset train;
    vdl_model m;
    vdl_trainer tr;
    unsigned long allocs;
    size_t bytes;
    (void)state;
    make_spirals(&train, 200, 3);
    tc.batch = 20;
    tc.lambda_draws = 2;
    assert_int_equal(vdl_model_init(&m, &mc, 1), VDL_OK);
    assert_int_equal(vdl_trainer_init(&tr, &m, &train, &tc), VDL_OK);
    assert_int_equal(vdl_trainer_epoch(&tr, NULL, NULL), VDL_OK);
    allocs = vdl_alloc_count();
    bytes = vdl_tape_bytes(tr.tape);
    {
        /* the phases' seconds account for the steps' time: the long ones
         * are not empty (a short one may read 0 on a coarse clock), and
         * what they add up to is no more than the time around the steps */
        double start = vdl_now(), wall, before = phase_total(&tr);
        int p;
        while (tr.step < 10000)
            assert_int_equal(vdl_trainer_epoch(&tr, NULL, NULL), VDL_OK);
        wall = vdl_now() - start;
        for (p = 0; p < VDL_PHASE_COUNT; p++)
            assert_true(tr.seconds[p] >= 0);
        assert_true(tr.seconds[VDL_PHASE_FORWARD] > 0 && tr.seconds[VDL_PHASE_BACKWARD] > 0);
        assert_true(phase_total(&tr) > before);
        assert_true(phase_total(&tr) - before <= wall);
    }
    printf("%ld steps: %lu allocations after the first epoch, tape %lu bytes\n", tr.step,
           vdl_alloc_count() - allocs, (unsigned long)vdl_tape_bytes(tr.tape));
    assert_int_equal(vdl_alloc_count(), allocs);
    assert_int_equal(vdl_tape_bytes(tr.tape), bytes);
    vdl_trainer_free(&tr);
    vdl_model_free(&m);
    vdl_dataset_free(&train);
}

/* Blobs of which about 80% of the entries are set to -0.5, the background. */
static void make_sparse_blobs(vdl_dataset *d, int n, int dim, uint64_t seed)
{
    vdl_rng rng;
    size_t i;
    d->n = n;
    d->dim = dim;
    d->classes = 4;
    d->x = vdl_malloc((size_t)n * dim * sizeof *d->x);
    d->y = vdl_malloc((size_t)n * sizeof *d->y);
    assert_true(d->x && d->y);
    synth_blobs(n, dim, 4, seed, d->x, d->y);
    vdl_rng_init(&rng, seed, 5);
    for (i = 0; i < (size_t)n * dim; i++)
        if (vdl_rng_uniform(&rng) < 0.8)
            d->x[i] = (vdl_real)-0.5;
}

/* Eight SGD steps of a 200-100-4 model (products large enough to run on
 * both threads) on `data`, the sparse inputs on or off; returns the model.
 * Each step's minibatch rows are checked against the data; on the sparse
 * path, where the trainer writes no dense rows, xb must keep a marker. (The
 * minibatch's transpose, 5,000 entries, stays on one thread here; test_sparse
 * runs it on several.) */
static void train_steps(vdl_model *m, const vdl_dataset *data, int threads, int sparse, int *used)
{
    static const int sizes[3] = {200, 100, 4};
    vdl_model_config mc = vdl_model_defaults(VDL_MODEL_DIRECT);
    vdl_train_config tc = vdl_train_defaults(VDL_MODEL_DIRECT);
    vdl_trainer tr;
    vdl_real *rows;
    int s, i;
    vdl_mlp_arch_make(&mc.arch, 3, sizes);
    tc.batch = 128;
    tc.optim = VDL_SGD; /* a step proportional to the gradient: differences stay at rounding */
    tc.lr = 0.05;
    assert_int_equal(vdl_model_init(m, &mc, 3), VDL_OK);
    assert_int_equal(vdl_trainer_init(&tr, m, data, &tc), VDL_OK);
    *used = tr.inputs.all.rows != 0;
    if (!sparse)
        vdl_sparse_inputs_free(&tr.inputs);
    vdl_set_threads(threads);
    rows = vdl_malloc((size_t)tc.batch * data->dim * sizeof *rows);
    assert_non_null(rows);
    for (i = 0; i < tc.batch * data->dim; i++)
        tr.xb[i] = 12345;
    for (s = 0; s < 8; s++) {
        const int on_sparse = sparse && *used;
        assert_int_equal(vdl_trainer_step(&tr), VDL_OK);
        if (on_sparse) /* the minibatch's rows from its sparse form; xb untouched */
            vdl_sparse_to_dense(&tr.inputs.batch.s, rows);
        for (i = 0; i < tc.batch; i++) {
            const vdl_real *row = (on_sparse ? rows : tr.xb) + (size_t)i * data->dim;
            assert_memory_equal(row, data->x + (size_t)tr.order[(s % 4) * tc.batch + i] * data->dim,
                                (size_t)data->dim * sizeof *row);
        }
        for (i = 0; on_sparse && i < tc.batch * data->dim; i++)
            assert_true(tr.xb[i] == 12345);
    }
    vdl_free(rows);
    vdl_set_threads(0);
    vdl_trainer_free(&tr);
}

static void sparse_inputs_train_like_dense_ones(void **state)
{
    vdl_dataset sparse_data, dense_data;
    vdl_model a, b, c, d;
    size_t i;
    int used;
    (void)state;
    make_sparse_blobs(&sparse_data, 512, 200, 4);
    dense_data = sparse_data;
    dense_data.x = vdl_malloc((size_t)512 * 200 * sizeof *dense_data.x);
    assert_non_null(dense_data.x);
    synth_blobs(512, 200, 4, 4, dense_data.x, sparse_data.y);
    train_steps(&a, &sparse_data, 1, 1, &used);
    assert_true(used); /* 80% background: the sparse form is used */
    train_steps(&b, &sparse_data, 1, 0, &used);
    for (i = 0; i < a.params.size; i++)
        assert_true(fabs((double)a.params.value[i] - b.params.value[i]) <= 1e-4 * (1 + fabs(b.params.value[i])));
    train_steps(&c, &sparse_data, 2, 1, &used);
    assert_memory_equal(a.params.value, c.params.value, a.params.size * sizeof *a.params.value);
    train_steps(&d, &dense_data, 1, 1, &used);
    assert_false(used); /* no background at all: dense */
    vdl_model_free(&a);
    vdl_model_free(&b);
    vdl_model_free(&c);
    vdl_model_free(&d);
    vdl_free(dense_data.x);
    vdl_dataset_free(&sparse_data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(variational_mlp_learns_spirals),
        cmocka_unit_test(ten_thousand_steps_allocate_nothing_and_are_timed),
        cmocka_unit_test(sparse_inputs_train_like_dense_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
