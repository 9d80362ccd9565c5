/*
 * test_optim.c: SGD with momentum and Adam against textbook updates computed
 * in double, per-tensor learning-rate scales, clipping by value inside the
 * step, the NaN/Inf report, and bad arguments.
 */
#include "vdl.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define STEPS 3
#define CLIP 0.5
#define TOL (sizeof(vdl_real) == sizeof(float) ? 1e-5 : 1e-12)

/* Two tensors: "a" (5 scalars, lr scale 1) and "b" (4 scalars, lr scale 0.1). */
static void make_params(vdl_params *p)
{
    size_t i;
    vdl_params_init(p);
    assert_int_equal(vdl_params_add(p, "a", vdl_shape1(5)), 0);
    assert_int_equal(vdl_params_add(p, "b", vdl_shape2(2, 2)), 1);
    p->info[1].lr_scale = 0.1;
    for (i = 0; i < p->size; i++)
        p->value[i] = (vdl_real)(0.3 * (double)i - 1);
}

/* Gradient of scalar i at step s: some beyond +-CLIP, some inside. */
static double grad_at(size_t i, int s) { return sin(1.7 * (double)i + 0.9 * s) * (i % 3 == 0 ? 2.5 : 0.4); }

static double clamped(double g, double clip) { return clip > 0 && g > clip ? clip : (clip > 0 && g < -clip ? -clip : g); }

/* The reference: the textbook update (Kingma & Ba algorithm 1 for Adam) in double. */
static void reference(vdl_optim_kind kind, double clip, double *w, size_t n, size_t split)
{
    double m[16] = {0}, v[16] = {0};
    const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, mu = 0.9;
    size_t i;
    int s;
    for (s = 1; s <= STEPS; s++)
        for (i = 0; i < n; i++) {
            const double g = clamped(grad_at(i, s), clip), rate = lr * (i < split ? 1 : 0.1);
            if (kind == VDL_SGD) {
                m[i] = mu * m[i] + g;
                w[i] -= rate * m[i];
            } else {
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                w[i] -= rate * (m[i] / (1 - pow(b1, s))) / (sqrt(v[i] / (1 - pow(b2, s))) + eps);
            }
        }
}

static void check_against_reference(vdl_optim_kind kind, double clip)
{
    vdl_params p;
    vdl_optim opt;
    double want[16];
    size_t i;
    int s;
    make_params(&p);
    for (i = 0; i < p.size; i++)
        want[i] = p.value[i];
    reference(kind, clip, want, p.size, 5);
    assert_int_equal(vdl_optim_init(&opt, kind, 0.01, p.size), VDL_OK);
    opt.momentum = 0.9;
    opt.clip = clip;
    for (s = 1; s <= STEPS; s++) {
        for (i = 0; i < p.size; i++)
            p.grad[i] = (vdl_real)grad_at(i, s);
        assert_int_equal(vdl_optim_step(&opt, &p), VDL_OK);
        assert_int_equal(opt.nonfinite, -1);
        /* the step reads clamped gradients but leaves p.grad as it was */
        for (i = 0; i < p.size; i++)
            assert_true(p.grad[i] == (vdl_real)grad_at(i, s));
    }
    assert_int_equal(opt.step, STEPS);
    for (i = 0; i < p.size; i++)
        if (fabs(p.value[i] - want[i]) > TOL)
            fail_msg("%s clip %g: value %lu is %.9g, want %.9g", kind == VDL_SGD ? "sgd" : "adam", clip,
                     (unsigned long)i, (double)p.value[i], want[i]);
    vdl_optim_free(&opt);
    vdl_params_free(&p);
}

static void sgd_matches_reference(void **state)
{
    (void)state;
    check_against_reference(VDL_SGD, 0);
    check_against_reference(VDL_SGD, CLIP);
}

static void adam_matches_reference(void **state)
{
    (void)state;
    check_against_reference(VDL_ADAM, 0);
    check_against_reference(VDL_ADAM, CLIP);
}

/* Clipping changes the result when a gradient is beyond the bound: the
 * reference tests above would pass if clip were ignored only if no gradient
 * exceeded it, so make sure one does. */
static void clipping_is_exercised(void **state)
{
    double off[16], on[16];
    size_t i;
    int differ = 0;
    (void)state;
    for (i = 0; i < 9; i++)
        off[i] = on[i] = 0;
    reference(VDL_ADAM, 0, off, 9, 5);
    reference(VDL_ADAM, CLIP, on, 9, 5);
    for (i = 0; i < 9; i++)
        differ |= fabs(off[i] - on[i]) > 1e-3;
    assert_true(differ);
}

static void reports_nonfinite_values(void **state)
{
    vdl_params p;
    vdl_optim opt;
    (void)state;
    make_params(&p);
    assert_int_equal(vdl_optim_init(&opt, VDL_SGD, 1.0, p.size), VDL_OK);
    memset(p.grad, 0, p.size * sizeof *p.grad);
    p.grad[7] = (vdl_real)HUGE_VAL; /* in tensor "b" */
    assert_int_equal(vdl_optim_step(&opt, &p), VDL_ENUMERIC);
    assert_int_equal(opt.nonfinite, 1);
    assert_non_null(strstr(vdl_error(), "'b'"));
    assert_true(isinf(p.value[7])); /* applied all the same */
    /* with the poisoned velocity cleared, a clean step clears the report */
    p.value[7] = 0;
    p.grad[7] = 0;
    memset(opt.m, 0, p.size * sizeof *opt.m);
    assert_int_equal(vdl_optim_step(&opt, &p), VDL_OK);
    assert_int_equal(opt.nonfinite, -1);
    vdl_optim_free(&opt);
    vdl_params_free(&p);
}

/* On two and three threads, with a tensor long enough to be split among them
 * and short ones dealt out whole: every tensor is updated as on one thread,
 * and the tensor reported is the first that went NaN or Inf, whichever
 * thread found it. */
static void threads_update_alike(void **state)
{
    const int shapes[4] = {5, 3 * VDL_PAR_MIN, 7, 11};
    vdl_params p[3];
    vdl_optim opt[3];
    int r, i;
    (void)state;
    for (r = 0; r < 3; r++) {
        vdl_params_init(&p[r]);
        for (i = 0; i < 4; i++) {
            char name[8];
            snprintf(name, sizeof name, "t%d", i);
            assert_true(vdl_params_add(&p[r], name, vdl_shape1(shapes[i])) == i);
        }
        vdl_rng_normals(21, 1, p[r].value, p[r].size);
        vdl_rng_normals(21, 2, p[r].grad, p[r].size);
        assert_int_equal(vdl_optim_init(&opt[r], VDL_ADAM, 0.01, p[r].size), VDL_OK);
        vdl_set_threads(r + 1);
        assert_int_equal(vdl_optim_step(&opt[r], &p[r]), VDL_OK);
        p[r].grad[p[r].info[3].offset + 4] = NAN;   /* t3: dealt whole to the last thread */
        p[r].grad[p[r].info[1].offset + 100] = NAN; /* t1: in the first thread's share */
        assert_int_equal(vdl_optim_step(&opt[r], &p[r]), VDL_ENUMERIC);
        assert_int_equal(opt[r].nonfinite, 1);
        assert_non_null(strstr(vdl_error(), "'t1'"));
        vdl_set_threads(0);
    }
    for (r = 1; r < 3; r++) {
        assert_memory_equal(p[0].value, p[r].value, p[0].size * sizeof *p[0].value);
        assert_memory_equal(opt[0].v, opt[r].v, p[0].size * sizeof *opt[0].v);
    }
    for (r = 0; r < 3; r++) {
        vdl_optim_free(&opt[r]);
        vdl_params_free(&p[r]);
    }
}

static void rejects_bad_arguments(void **state)
{
    vdl_params p;
    vdl_optim opt;
    (void)state;
    assert_int_equal(vdl_optim_init(&opt, VDL_ADAM, 0, 4), VDL_EINVAL);
    assert_int_equal(vdl_optim_init(&opt, VDL_ADAM, NAN, 4), VDL_EINVAL);
    assert_int_equal(vdl_optim_init(&opt, (vdl_optim_kind)7, 0.1, 4), VDL_EINVAL);
    make_params(&p);
    assert_int_equal(vdl_optim_init(&opt, VDL_ADAM, 0.1, p.size + 1), VDL_OK);
    assert_int_equal(vdl_optim_step(&opt, &p), VDL_EINVAL);
    assert_int_equal(opt.step, 0);
    vdl_optim_free(&opt);
    vdl_params_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sgd_matches_reference),     cmocka_unit_test(adam_matches_reference),
        cmocka_unit_test(clipping_is_exercised),     cmocka_unit_test(reports_nonfinite_values),
        cmocka_unit_test(rejects_bad_arguments),     cmocka_unit_test(threads_update_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
