/*
 * test_plugin_gradcheck.c: plugin ops under the gradient-check suite of
 * test_gradcheck.c, in double precision. The arguments name every plugin of
 * plugins/ (CMake lists them); each one's NAME_f64.so must pass at 1e-6 on at
 * least 3 cases. A deliberately broken op (tests/plugin_faulty.c,
 * FAULT_BROKEN) fails with a report that says why.
 */
#include "vdl.h"
#include "vdl_plugin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* Load PLUGIN_DIR/name.so, check every op it adds, unload; returns how many
 * failed. `res` gets the last op's result. */
static int check_plugin(const char *name, vdl_gradcheck_result *res)
{
    char file[1024];
    vdl_plugin p;
    int i, failed = 0;
    snprintf(file, sizeof file, "%s/%s.so", PLUGIN_DIR, name);
    assert_int_equal(vdl_plugin_load(file, &p), VDL_OK);
    for (i = 0; i < p.info->n_ops; i++) {
        const vdl_op *op = vdl_op_at(p.first_op + i);
        assert_int_equal(vdl_gradcheck_op(op, 2026, vdl_gradcheck_default_tolerance(), res), VDL_OK);
        printf("%-14s %6d %9ld %12.3g %12.3g  %s %s\n", op->name, res->cases, res->compared, res->max_abs_err,
               res->max_err, res->passed ? "pass" : "FAIL", res->message);
        assert_true(res->cases >= 3);
        assert_true(res->compared >= 3);
        failed += !res->passed;
    }
    assert_int_equal(vdl_plugin_unload(&p), VDL_OK);
    return failed;
}

static int n_plugins;
static char **plugins;

static void every_plugin_passes_in_double(void **state)
{
    vdl_gradcheck_result r;
    char name[256];
    int i;
    (void)state;
    assert_true(sizeof(vdl_real) == sizeof(double));
    assert_true(vdl_gradcheck_default_tolerance() <= 1e-6);
    assert_true(n_plugins >= 2); /* tanh and local_reparam at least */
    for (i = 0; i < n_plugins; i++) {
        snprintf(name, sizeof name, "%s_f64", plugins[i]);
        assert_int_equal(check_plugin(name, &r), 0);
    }
}

static void a_broken_plugin_op_fails_with_a_report(void **state)
{
    vdl_gradcheck_result r;
    (void)state;
    assert_int_equal(check_plugin("faulty_broken_f64", &r), 1);
    /* analytic 3 against numeric 2: relative error 1/3 */
    assert_true(r.max_err > 0.3 && r.max_err < 0.34);
    assert_non_null(strstr(r.message, "op 'broken_double': gradient error"));
    assert_non_null(strstr(r.message, "exceeds tolerance"));
}

static void a_float_plugin_is_refused_by_the_double_engine(void **state)
{
    char file[1024];
    vdl_plugin p;
    (void)state;
    snprintf(file, sizeof file, "%s/tanh.so", PLUGIN_DIR);
    assert_int_equal(vdl_plugin_load(file, &p), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "vdl_real = float; this vdl computes in double"));
    assert_null(vdl_op_find("tanh"));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_plugin_passes_in_double),
        cmocka_unit_test(a_broken_plugin_op_fails_with_a_report),
        cmocka_unit_test(a_float_plugin_is_refused_by_the_double_engine),
    };
    n_plugins = argc - 1;
    plugins = argv + 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
