/*
 * test_plugins.c: loading op plugins into the float engine: the two example
 * plugins load, compute and unload; every way a plugin can be wrong gives a
 * clear error and leaves the registry as it was. PLUGIN_DIR (set by CMake)
 * holds the built plugins.
 */
#include "vdl.h"
#include "vdl_plugin.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static const char *path(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s.so", PLUGIN_DIR, name);
    return buf;
}

static void tanh_loads_computes_and_unloads(void **state)
{
    vdl_plugin p;
    vdl_real x[3] = {-1, 0, 0.5f}, g[3] = {0, 0, 0};
    vdl_tape *t = vdl_tape_new();
    vdl_node *in, *y;
    const int before = vdl_op_count();
    int i;
    (void)state;
    assert_int_equal(vdl_plugin_load(path("tanh"), &p), VDL_OK);
    assert_string_equal(p.info->name, "tanh");
    assert_int_equal(vdl_op_count(), before + 1);
    assert_int_equal(p.first_op, before);
    assert_non_null(vdl_op_find("tanh"));
    in = vdl_leaf(t, vdl_shape1(3), x, g);
    y = vdl_apply_name(t, "tanh", 1, &in, NULL);
    assert_non_null(y);
    assert_int_equal(vdl_backward(t, vdl_sum_all(t, y)), VDL_OK);
    for (i = 0; i < 3; i++) {
        assert_float_equal(y->value[i], tanh(x[i]), 1e-6);
        assert_float_equal(g[i], 1 - tanh(x[i]) * tanh(x[i]), 1e-6);
    }
    vdl_tape_free(t);
    assert_int_equal(vdl_plugin_unload(&p), VDL_OK);
    assert_int_equal(vdl_op_count(), before);
    assert_null(vdl_op_find("tanh"));
}

/* Its draws have mean X mu and variance X^2 sigma^2, independently per example. */
static void local_reparam_samples_the_right_distribution(void **state)
{
    enum { DRAWS = 4000 };
    vdl_plugin p;
    vdl_real x[2 * 3] = {1, -2, 0.5f, 0, 1, 1}, mu[3 * 2] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};
    vdl_real ls[3 * 2] = {-1, -0.5f, 0, -2, -1, -0.3f};
    double sum[4] = {0}, sq[4] = {0}, cross = 0;
    vdl_tape *t = vdl_tape_new();
    int d, j, i, k;
    (void)state;
    assert_int_equal(vdl_plugin_load(path("local_reparam"), &p), VDL_OK);
    for (d = 0; d < DRAWS; d++) {
        vdl_node *in[3], *b;
        vdl_tape_reset(t);
        vdl_tape_set_rng(t, 7, (uint64_t)d);
        in[0] = vdl_constant(t, vdl_shape2(2, 3), x);
        in[1] = vdl_constant(t, vdl_shape2(3, 2), mu);
        in[2] = vdl_constant(t, vdl_shape2(3, 2), ls);
        b = vdl_apply_name(t, "local_reparam", 3, in, NULL);
        assert_non_null(b);
        assert_int_equal(b->shape.dim[0], 2);
        assert_int_equal(b->shape.dim[1], 2);
        for (j = 0; j < 4; j++) {
            sum[j] += b->value[j];
            sq[j] += (double)b->value[j] * b->value[j];
        }
        cross += (double)b->value[0] * b->value[2]; /* two examples, same unit */
    }
    for (i = 0; i < 2; i++)
        for (j = 0; j < 2; j++) {
            double mean = 0, var = 0, m = sum[2 * i + j] / DRAWS;
            for (k = 0; k < 3; k++) {
                mean += x[3 * i + k] * mu[2 * k + j];
                var += x[3 * i + k] * x[3 * i + k] * exp(2 * ls[2 * k + j]);
            }
            /* within 4 standard errors of the mean and of the variance */
            assert_true(fabs(m - mean) < 4 * sqrt(var / DRAWS));
            assert_true(fabs(sq[2 * i + j] / DRAWS - m * m - var) < 4 * var * sqrt(2.0 / DRAWS));
        }
    /* independent noise per example: covariance near 0 (not sigma-correlated) */
    assert_true(fabs(cross / DRAWS - sum[0] / DRAWS * sum[2] / DRAWS) < 0.1);
    vdl_tape_free(t);
    assert_int_equal(vdl_plugin_unload(&p), VDL_OK);
}

/* Loading `name` fails with `pattern` (and the file's path) in the message,
 * and the registry is exactly as before. */
static void refused(const char *name, const char *pattern)
{
    const int before = vdl_op_count();
    const vdl_op *last = vdl_op_at(before - 1);
    vdl_plugin p;
    assert_int_not_equal(vdl_plugin_load(path(name), &p), VDL_OK);
    printf("  %-18s -> %s\n", name, vdl_error());
    assert_non_null(strstr(vdl_error(), pattern));
    assert_non_null(strstr(vdl_error(), path(name)));
    assert_int_equal(vdl_op_count(), before);
    assert_ptr_equal(vdl_op_at(before - 1), last);
    assert_null(vdl_op_find("faulty_good"));
}

static void bad_plugins_are_refused_and_change_nothing(void **state)
{
    (void)state;
    refused("no_such_plugin", "cannot open");
    refused("faulty_no_entry", "does not export vdl_plugin_entry");
    refused("faulty_undefined", "vdl_not_in_the_engine");
    refused("faulty_null_info", "returned NULL");
    refused("faulty_abi", "plugin ABI version 99; this vdl loads version 1");
    refused("tanh_f64", "vdl_real = double; this vdl computes in float");
    refused("faulty_duplicate", "op 'relu' is already registered");
    refused("faulty_invalid", "op 2 of 2: op 'faulty_second': infer, forward and backward are required");
}

static void the_same_plugin_twice_is_a_duplicate(void **state)
{
    vdl_plugin p;
    (void)state;
    assert_int_equal(vdl_plugin_load(path("tanh"), &p), VDL_OK);
    refused("tanh", "op 'tanh' is already registered");
    assert_non_null(vdl_op_find("tanh"));
    assert_int_equal(vdl_plugin_unload(&p), VDL_OK);
}

static void plugins_unload_in_reverse_order(void **state)
{
    vdl_plugin a, b;
    (void)state;
    assert_int_equal(vdl_plugin_load(path("tanh"), &a), VDL_OK);
    assert_int_equal(vdl_plugin_load(path("local_reparam"), &b), VDL_OK);
    assert_int_equal(vdl_plugin_unload(&a), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "reverse order"));
    assert_non_null(vdl_op_find("tanh"));
    assert_int_equal(vdl_plugin_unload(&b), VDL_OK);
    assert_int_equal(vdl_plugin_unload(&a), VDL_OK);
    assert_null(vdl_op_find("tanh"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tanh_loads_computes_and_unloads),
        cmocka_unit_test(local_reparam_samples_the_right_distribution),
        cmocka_unit_test(bad_plugins_are_refused_and_change_nothing),
        cmocka_unit_test(the_same_plugin_twice_is_a_duplicate),
        cmocka_unit_test(plugins_unload_in_reverse_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
