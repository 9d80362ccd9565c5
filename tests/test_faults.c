/*
 * test_faults.c: training faults. A NaN or Inf in the loss, a gradient or an
 * update stops the trainer with a message naming the step and the tensor,
 * with the parameters as they were before the step; a checkpoint taken in
 * the middle of an epoch resumes to the same bytes as a run never stopped;
 * a checkpoint does not resume on other data; checkpoints holding NaN or
 * garbage settings, or cut short but with a valid checksum, are refused.
 */
#include "synth.h"
#include "vdl_checkpoint.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define DIM 4
#define CLASSES 3

static void make_data(vdl_dataset *d, int n)
{
    d->n = n;
    d->dim = DIM;
    d->classes = CLASSES;
    d->x = vdl_malloc((size_t)n * DIM * sizeof *d->x);
    d->y = vdl_malloc((size_t)n * sizeof *d->y);
    synth_blobs(n, DIM, CLASSES, 5, d->x, d->y);
}

static vdl_model_config small_model(vdl_model_kind kind)
{
    static const int sizes[3] = {DIM, 8, CLASSES};
    vdl_model_config c = vdl_model_defaults(kind);
    vdl_mlp_arch_make(&c.arch, 3, sizes);
    c.hyper_hidden = 3;
    return c;
}

static vdl_train_config small_train(vdl_model_kind kind)
{
    vdl_train_config tc = vdl_train_defaults(kind);
    tc.batch = 10;
    tc.epochs = 3;
    tc.lr = 1e-2;
    return tc;
}

/* A direct model on 60 points (6 minibatches an epoch), one epoch trained. */
typedef struct fixture {
    vdl_dataset d;
    vdl_model m;
    vdl_trainer tr;
} fixture;

static void start(fixture *f, const vdl_train_config *tc)
{
    vdl_model_config mc = small_model(VDL_MODEL_DIRECT);
    make_data(&f->d, 60);
    assert_int_equal(vdl_model_init(&f->m, &mc, 3), VDL_OK);
    assert_int_equal(vdl_trainer_init(&f->tr, &f->m, &f->d, tc), VDL_OK);
    assert_int_equal(vdl_trainer_epoch(&f->tr, NULL, NULL), VDL_OK);
}

static void finish(fixture *f)
{
    vdl_trainer_free(&f->tr);
    vdl_model_free(&f->m);
    vdl_dataset_free(&f->d);
}

/* The next step must fail with VDL_ENUMERIC, a message holding `needle`,
 * and leave the parameters and the step count as they were. */
static void expect_stop(fixture *f, const char *needle)
{
    size_t bytes = f->m.params.size * sizeof(vdl_real);
    vdl_real *before = vdl_malloc(bytes);
    long step = f->tr.step;
    memcpy(before, f->m.params.value, bytes);
    assert_int_equal(vdl_trainer_step(&f->tr), VDL_ENUMERIC);
    printf("stopped: %s\n", vdl_error());
    assert_non_null(strstr(vdl_error(), "step 7 (epoch 2, minibatch 1 of 6)"));
    assert_non_null(strstr(vdl_error(), needle));
    assert_int_equal(f->tr.step, step);
    if (!strstr(needle, "update"))
        assert_memory_equal(f->m.params.value, before, bytes);
    vdl_free(before);
}

/* Input `column` of every example becomes v, then the next step must stop. */
static void spoil_inputs(int column, vdl_real v, const char *needle)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    fixture f;
    int i;
    start(&f, &tc);
    for (i = 0; i < f.d.n; i++)
        f.d.x[(size_t)i * DIM + column] = v;
    expect_stop(&f, needle);
    finish(&f);
}

static void nan_gradient_names_step_and_tensor(void **state)
{
    (void)state;
    /* a NaN input: every hidden pre-activation is NaN, ReLU turns it into 0,
     * so the loss stays finite, but W1's gradient is NaN * 0 */
    spoil_inputs(0, NAN, "the gradient of tensor 'W1.mu' holds a NaN or Inf");
}

static void nan_parameter_names_the_tensor(void **state)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    fixture f;
    (void)state;
    start(&f, &tc);
    vdl_params_value(&f.m.params, vdl_params_find(&f.m.params, "W2.mu"))[1] = NAN;
    expect_stop(&f, "tensor 'W2.mu' holds a NaN or Inf");
    assert_non_null(strstr(vdl_error(), "the loss is ")); /* nan or -nan, by compiler */
    finish(&f);
}

static void infinite_inputs_are_named(void **state)
{
    (void)state;
    spoil_inputs(1, INFINITY, "the minibatch's inputs hold a NaN or Inf");
}

/* On the sparse-input path (three inputs in four one value), an Inf entry
 * and an Inf background are named as the inputs' too: the check reads the
 * minibatch's sparse form, as there are no dense rows. */
static void infinite_sparse_inputs_are_named(void **state)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    vdl_model_config mc = small_model(VDL_MODEL_DIRECT);
    int inf_background, i, c;
    (void)state;
    for (inf_background = 0; inf_background < 2; inf_background++) {
        fixture f;
        make_data(&f.d, 60);
        for (i = 0; i < f.d.n; i++)
            for (c = 1; c < DIM; c++)
                f.d.x[(size_t)i * DIM + c] = inf_background ? INFINITY : (vdl_real)-0.5;
        f.d.x[(size_t)7 * DIM + 2] = inf_background ? 1 : INFINITY; /* an entry off the background */
        assert_int_equal(vdl_model_init(&f.m, &mc, 3), VDL_OK);
        assert_int_equal(vdl_trainer_init(&f.tr, &f.m, &f.d, &tc), VDL_OK);
        assert_true(f.tr.inputs.all.rows != 0);
        assert_true(isfinite(f.tr.inputs.all.background) != inf_background);
        assert_int_equal(vdl_trainer_epoch(&f.tr, NULL, NULL), VDL_ENUMERIC);
        printf("stopped: %s\n", vdl_error());
        assert_non_null(strstr(vdl_error(), "the minibatch's inputs hold a NaN or Inf"));
        finish(&f);
    }
}

static void overflowing_update_is_named(void **state)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    fixture f;
    (void)state;
    assert_true(sizeof(vdl_real) == sizeof(float));
    tc.optim = VDL_SGD;
    start(&f, &tc);
    f.tr.opt.lr = 1e39; /* finite as a double, Inf as a float step */
    expect_stop(&f, "the update made tensor 'W1.mu' NaN or Inf (learning rate too high?)");
    finish(&f);
}

/* Saved after `steps` steps, loaded and run to the end, a run gives the same
 * parameters, optimizer state and step as one never interrupted. */
static void resume_mid_epoch_is_exact(void **state)
{
    static const long stops[4] = {1, 4, 6, 13};
    int kind, s;
    (void)state;
    for (kind = 0; kind < 3; kind++)
        for (s = 0; s < 4; s++) {
            vdl_model_config mc = small_model((vdl_model_kind)kind);
            vdl_train_config tc = small_train((vdl_model_kind)kind);
            vdl_dataset d;
            vdl_model full, part, back;
            vdl_trainer a, b;
            vdl_train_state st;
            vdl_wbuf w;
            make_data(&d, 55); /* 6 minibatches, the last one short */
            assert_int_equal(vdl_model_init(&full, &mc, 9), VDL_OK);
            assert_int_equal(vdl_trainer_init(&a, &full, &d, &tc), VDL_OK);
            while (a.epoch < tc.epochs)
                assert_int_equal(vdl_trainer_epoch(&a, NULL, NULL), VDL_OK);
            assert_int_equal(vdl_model_init(&part, &mc, 9), VDL_OK);
            assert_int_equal(vdl_trainer_init(&b, &part, &d, &tc), VDL_OK);
            while (b.step < stops[s])
                assert_int_equal(vdl_trainer_step(&b), VDL_OK);
            vdl_wbuf_init(&w);
            vdl_checkpoint_encode(&w, &part, &b);
            vdl_trainer_free(&b);
            assert_int_equal(vdl_checkpoint_parse(w.data, w.len, "mid-epoch", &back, &st), VDL_OK);
            assert_int_equal(st.step, stops[s]);
            assert_int_equal(vdl_trainer_init(&b, &back, &d, &st.cfg), VDL_OK);
            assert_int_equal(vdl_trainer_restore(&b, &st), VDL_OK);
            while (b.epoch < tc.epochs)
                assert_int_equal(vdl_trainer_epoch(&b, NULL, NULL), VDL_OK);
            assert_int_equal(b.step, a.step);
            assert_memory_equal(back.params.value, full.params.value, full.params.size * sizeof(vdl_real));
            assert_memory_equal(b.opt.m, a.opt.m, a.opt.size * sizeof(vdl_real));
            vdl_trainer_free(&a);
            vdl_trainer_free(&b);
            vdl_train_state_free(&st);
            vdl_wbuf_free(&w);
            vdl_model_free(&back);
            vdl_model_free(&part);
            vdl_model_free(&full);
            vdl_dataset_free(&d);
        }
}

static void resume_on_other_data_is_refused(void **state)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    vdl_dataset other;
    vdl_model back;
    vdl_train_state st;
    vdl_trainer tr;
    vdl_wbuf w;
    fixture f;
    (void)state;
    start(&f, &tc);
    assert_int_equal(vdl_trainer_step(&f.tr), VDL_OK); /* step 7: 1 into epoch 2 of 6 */
    vdl_wbuf_init(&w);
    vdl_checkpoint_encode(&w, &f.m, &f.tr);
    assert_int_equal(vdl_checkpoint_parse(w.data, w.len, NULL, &back, &st), VDL_OK);
    make_data(&other, 200); /* 20 minibatches: step 7 would be inside epoch 1 */
    assert_int_equal(vdl_trainer_init(&tr, &back, &other, &st.cfg), VDL_OK);
    assert_int_equal(vdl_trainer_restore(&tr, &st), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "other data"));
    vdl_trainer_free(&tr);
    vdl_dataset_free(&other);
    vdl_train_state_free(&st);
    vdl_model_free(&back);
    vdl_wbuf_free(&w);
    finish(&f);
}

/* Encode with one value or setting spoiled; the parse must refuse it. */
static void refuse(fixture *f, const char *what)
{
    vdl_model back;
    vdl_train_state st;
    vdl_wbuf w;
    vdl_wbuf_init(&w);
    vdl_checkpoint_encode(&w, &f->m, &f->tr);
    assert_int_equal(vdl_checkpoint_parse(w.data, w.len, "spoiled.vdl", &back, &st), VDL_EFORMAT);
    printf("%s: %s\n", what, vdl_error());
    assert_non_null(strstr(vdl_error(), "spoiled.vdl"));
    assert_int_equal(back.params.count, 0);
    assert_false(st.present);
    vdl_wbuf_free(&w);
}

static void spoiled_checkpoints_are_refused(void **state)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    fixture f;
    vdl_real keep;
    double lr;
    (void)state;
    start(&f, &tc);
    keep = f.m.params.value[3];
    f.m.params.value[3] = INFINITY;
    refuse(&f, "Inf parameter");
    f.m.params.value[3] = keep;
    f.tr.opt.m[2] = NAN;
    refuse(&f, "NaN moment");
    f.tr.opt.m[2] = 0;
    lr = f.tr.cfg.lr;
    f.tr.cfg.lr = -1;
    refuse(&f, "negative learning rate");
    f.tr.cfg.lr = lr;
    f.tr.cfg.batch = 0;
    refuse(&f, "batch 0");
    finish(&f);
}

/* Every prefix of a checkpoint (with and without training state), given a
 * valid checksum, is refused: the checksum is not what catches a missing
 * field. The fuzzer found a file missing its last flag accepted. */
static void short_files_with_a_valid_checksum_are_refused(void **state)
{
    vdl_train_config tc = small_train(VDL_MODEL_DIRECT);
    vdl_model back;
    vdl_wbuf w;
    fixture f;
    size_t cut, i;
    int with_state;
    (void)state;
    start(&f, &tc);
    for (with_state = 0; with_state < 2; with_state++) {
        vdl_wbuf_init(&w);
        vdl_checkpoint_encode(&w, &f.m, with_state ? &f.tr : NULL);
        for (cut = 8; cut < w.len - 8; cut++) {
            unsigned char *sealed = vdl_malloc(cut + 8);
            uint64_t h = vdl_fnv1a(w.data, cut);
            memcpy(sealed, w.data, cut);
            for (i = 0; i < 8; i++)
                sealed[cut + i] = (unsigned char)(h >> (8 * i));
            assert_int_equal(vdl_checkpoint_parse(sealed, cut + 8, "short.vdl", &back, NULL), VDL_EFORMAT);
            vdl_free(sealed);
        }
        vdl_wbuf_free(&w);
    }
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nan_gradient_names_step_and_tensor),
        cmocka_unit_test(nan_parameter_names_the_tensor),
        cmocka_unit_test(infinite_inputs_are_named),
        cmocka_unit_test(infinite_sparse_inputs_are_named),
        cmocka_unit_test(overflowing_update_is_named),
        cmocka_unit_test(resume_mid_epoch_is_exact),
        cmocka_unit_test(resume_on_other_data_is_refused),
        cmocka_unit_test(spoiled_checkpoints_are_refused),
        cmocka_unit_test(short_files_with_a_valid_checksum_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
