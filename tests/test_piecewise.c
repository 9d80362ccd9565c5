/*
 * test_piecewise.c: the piecewise-linear ("kernel") hypernet, in double
 * precision: it passes through its anchors, interpolates linearly between
 * them, trains only the two anchors around lambda, equals the linear hypernet
 * with two anchors, and keeps its anchor count through a checkpoint. (Its
 * whole-model gradients, shapes and resume are checked with every other kind
 * in test_models.c.)
 */
#define _POSIX_C_SOURCE 200809L
#include "vdl_checkpoint.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static vdl_model_config tiny(vdl_model_kind kind, int anchors)
{
    static const int sizes[3] = {5, 4, 3};
    vdl_model_config c = vdl_model_defaults(kind);
    vdl_mlp_arch_make(&c.arch, 3, sizes);
    c.anchors = anchors;
    return c;
}

/* A model with every parameter random, so no two anchors agree. */
static void init_random(vdl_model *m, const vdl_model_config *c)
{
    vdl_rng rng;
    size_t i;
    assert_int_equal(vdl_model_init(m, c, 1), VDL_OK);
    vdl_rng_init(&rng, 5, 5);
    for (i = 0; i < m->params.size; i++)
        m->params.value[i] = (vdl_real)vdl_rng_normal(&rng);
}

/* lambda whose encoding is t */
static double lambda_at(const vdl_model_config *c, double t)
{
    return exp(log(c->lambda_min) + t * (log(c->lambda_max) - log(c->lambda_min)));
}

static void passes_through_anchors_and_interpolates(void **state)
{
    const int n = 4;
    vdl_model_config c = tiny(VDL_MODEL_PIECEWISE, n);
    vdl_model m;
    vdl_tape *t = vdl_tape_new();
    vdl_vnodes v;
    int j, k, p;
    size_t i;
    (void)state;
    init_random(&m, &c);
    for (j = 0; j < n; j++) {
        assert_int_equal(vdl_model_vnodes(t, &m, lambda_at(&c, j / 3.0), &v), VDL_OK);
        for (k = 0; k < vdl_mlp_tensors(&c.arch); k++)
            for (p = 0; p < 2; p++) {
                const vdl_node *got = p ? v.log_sigma[k] : v.mu[k];
                const vdl_real *anchor = vdl_params_value(&m.params, n * (2 * k + p) + j);
                for (i = 0; i < got->size; i++)
                    assert_float_equal(got->value[i], anchor[i], 1e-9);
            }
        vdl_tape_reset(t);
    }
    /* a quarter of the way from anchor 1 to anchor 2 */
    assert_int_equal(vdl_model_vnodes(t, &m, lambda_at(&c, 1.25 / 3), &v), VDL_OK);
    for (i = 0; i < v.mu[0]->size; i++)
        assert_float_equal(v.mu[0]->value[i],
                           0.75 * vdl_params_value(&m.params, 1)[i] + 0.25 * vdl_params_value(&m.params, 2)[i],
                           1e-9);
    vdl_tape_free(t);
    vdl_model_free(&m);
}

static void only_the_two_surrounding_anchors_learn(void **state)
{
    const int n = 4;
    vdl_model_config c = tiny(VDL_MODEL_PIECEWISE, n);
    vdl_model m;
    vdl_tape *t = vdl_tape_new();
    vdl_vnodes v;
    vdl_node *kl;
    int j, k;
    (void)state;
    init_random(&m, &c);
    vdl_params_zero_grad(&m.params);
    assert_int_equal(vdl_model_vnodes(t, &m, lambda_at(&c, 0.5), &v), VDL_OK); /* between anchors 1 and 2 */
    kl = vdl_mlp_kl(t, &c.arch, &v, 0.3);
    assert_int_equal(vdl_backward(t, kl), VDL_OK);
    for (k = 0; k < 2 * vdl_mlp_tensors(&c.arch); k++)
        for (j = 0; j < n; j++) {
            const int i = n * k + j;
            double norm = 0;
            size_t e;
            for (e = 0; e < m.params.info[i].size; e++)
                norm += fabs(m.params.grad[m.params.info[i].offset + e]);
            if (j == 1 || j == 2)
                assert_true(norm > 0);
            else
                assert_true(norm == 0);
        }
    vdl_tape_free(t);
    vdl_model_free(&m);
}

static void two_anchors_are_the_linear_hypernet(void **state)
{
    vdl_model_config cp = tiny(VDL_MODEL_PIECEWISE, 2), cl = tiny(VDL_MODEL_LINEAR, 0);
    vdl_model pw, lin;
    vdl_tape *t = vdl_tape_new(), *u = vdl_tape_new();
    vdl_vnodes a, b;
    int i, k;
    size_t e;
    (void)state;
    init_random(&lin, &cl);
    assert_int_equal(vdl_model_init(&pw, &cp, 1), VDL_OK);
    /* linear: B2 (weight t) then B3 (weight 1 - t); piecewise: A0 (t = 0) then A1 */
    for (i = 0; i < lin.params.count; i += 2) {
        size_t bytes = lin.params.info[i].size * sizeof(vdl_real);
        memcpy(vdl_params_value(&pw.params, i), vdl_params_value(&lin.params, i + 1), bytes);
        memcpy(vdl_params_value(&pw.params, i + 1), vdl_params_value(&lin.params, i), bytes);
    }
    assert_int_equal(vdl_model_vnodes(t, &pw, 3.7, &a), VDL_OK);
    assert_int_equal(vdl_model_vnodes(u, &lin, 3.7, &b), VDL_OK);
    for (k = 0; k < vdl_mlp_tensors(&cp.arch); k++)
        for (e = 0; e < a.mu[k]->size; e++) {
            assert_float_equal(a.mu[k]->value[e], b.mu[k]->value[e], 1e-12);
            assert_float_equal(a.log_sigma[k]->value[e], b.log_sigma[k]->value[e], 1e-12);
        }
    vdl_tape_free(t);
    vdl_tape_free(u);
    vdl_model_free(&pw);
    vdl_model_free(&lin);
}

static void anchor_count_is_checked_and_saved(void **state)
{
    vdl_model_config c = tiny(VDL_MODEL_PIECEWISE, 1);
    vdl_model m, back;
    char dir[] = "/tmp/vdl_pw_XXXXXX", path[64];
    (void)state;
    assert_int_equal(vdl_model_init(&m, &c, 1), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "needs 2 to 64 anchors, got 1"));
    c.anchors = VDL_MODEL_MAX_ANCHORS + 1;
    assert_int_equal(vdl_model_init(&m, &c, 1), VDL_EINVAL);
    c.anchors = 3;
    init_random(&m, &c);
    assert_int_equal(m.params.count, 3 * 2 * vdl_mlp_tensors(&c.arch));
    assert_string_equal(m.params.info[2].name, "W1.mu.A2");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pw.vdl", dir);
    assert_int_equal(vdl_checkpoint_save(path, &m, NULL), VDL_OK);
    assert_int_equal(vdl_checkpoint_load(path, &back, NULL), VDL_OK);
    assert_int_equal(back.cfg.kind, VDL_MODEL_PIECEWISE);
    assert_int_equal(back.cfg.anchors, 3);
    assert_memory_equal(back.params.value, m.params.value, m.params.size * sizeof(vdl_real));
    assert_string_equal(vdl_model_kind_name(VDL_MODEL_PIECEWISE), "piecewise");
    assert_int_equal(vdl_model_kind_parse("piecewise"), VDL_MODEL_PIECEWISE);
    remove(path);
    rmdir(dir);
    vdl_model_free(&back);
    vdl_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passes_through_anchors_and_interpolates),
        cmocka_unit_test(only_the_two_surrounding_anchors_learn),
        cmocka_unit_test(two_anchors_are_the_linear_hypernet),
        cmocka_unit_test(anchor_count_is_checked_and_saved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
