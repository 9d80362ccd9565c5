/*
 * test_gradcheck.c: every registered op's backward against central
 * differences, in double precision. Iterates the registry, so an op added
 * later is covered with no change here; an op without example cases fails.
 */
#include "vdl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static void every_registered_op_passes(void **state)
{
    const double tol = vdl_gradcheck_default_tolerance();
    int i, failures = 0;
    (void)state;
    assert_true(sizeof(vdl_real) == sizeof(double));
    assert_true(vdl_op_count() >= 14);
    printf("%-12s %6s %9s %12s %12s  %s\n", "op", "cases", "compared", "max abs err", "max err", "result");
    for (i = 0; i < vdl_op_count(); i++) {
        const vdl_op *op = vdl_op_at(i);
        vdl_gradcheck_result r;
        assert_int_equal(vdl_gradcheck_op(op, 2026, tol, &r), VDL_OK);
        printf("%-12s %6d %9ld %12.3g %12.3g  %s %s\n", op->name, r.cases, r.compared,
               r.max_abs_err, r.max_err, r.passed ? "pass" : "FAIL", r.message);
        /* every op must be exercised on several cases, not just accepted */
        assert_true(r.cases >= 3);
        assert_true(r.compared >= 3);
        failures += !r.passed;
    }
    assert_int_equal(failures, 0);
}

/* A broken op: forward y = 2x but backward claims dy/dx = 3. */
static int broken_infer(vdl_node *out)
{
    out->shape = out->in[0]->shape;
    return VDL_OK;
}
static int broken_forward(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->value[i] = 2 * out->in[0]->value[i];
    return VDL_OK;
}
static int broken_backward(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->in[0]->grad[i] += 3 * out->grad[i];
    return VDL_OK;
}
/* Overwrites instead of accumulating: correct values, wrong contract. */
static int overwriting_backward(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->in[0]->grad[i] = 2 * out->grad[i];
    return VDL_OK;
}
static int one_case(int index, vdl_example *ex)
{
    if (index >= 3)
        return 0;
    ex->shape[0] = vdl_shape1(index + 2);
    ex->fill[0] = VDL_FILL_NORMAL;
    return 1;
}

static void broken_ops_fail(void **state)
{
    vdl_op wrong = {"wrong_grad", "y = 2x", 1, 0, broken_infer, broken_forward, broken_backward, one_case};
    vdl_op overwrite = {"overwrite", "y = 2x", 1, 0, broken_infer, broken_forward, overwriting_backward, one_case};
    vdl_op no_check = {"no_check", "y = 2x", 1, 0, broken_infer, broken_forward, overwriting_backward, NULL};
    vdl_gradcheck_result r;
    (void)state;
    assert_int_equal(vdl_gradcheck_op(&wrong, 1, 1e-6, &r), VDL_OK);
    assert_false(r.passed);
    assert_true(r.max_err > 0.1);
    assert_int_equal(vdl_gradcheck_op(&overwrite, 1, 1e-6, &r), VDL_OK);
    assert_false(r.passed);
    assert_int_equal(vdl_gradcheck_op(&no_check, 1, 1e-6, &r), VDL_OK);
    assert_false(r.passed);
    assert_non_null(strstr(r.message, "no example"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_registered_op_passes),
        cmocka_unit_test(broken_ops_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
