/*
 * test_math.c: the vectorizable exp (vdl_math.h) against libm's exp.
 */
#include "vdl.h"
#include "vdl_math.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void exp_float_within_two_ulp(void **state)
{
    double worst = 0, x;
    (void)state;
    for (x = -87; x <= 88; x += 1.0 / 1024) {
        double want = exp((double)(float)x), got = vdl_exp_float((float)x);
        double err = fabs(got - want) / want;
        worst = err > worst ? err : worst;
    }
    print_message("worst relative error of vdl_exp_float on [-87, 88]: %.3g (FLT_EPSILON %.3g)\n", worst,
                  (double)FLT_EPSILON);
    assert_true(worst < 2 * FLT_EPSILON);
}

static void exp_float_edges(void **state)
{
    float big = vdl_exp_float(1000), tiny = vdl_exp_float(-1000), nan_in = vdl_exp_float((float)NAN);
    (void)state;
    assert_true(isfinite(big) && big > 1e38f);              /* clamped, not Inf */
    assert_true(tiny > 0 && tiny < 1e-37f);                 /* clamped, not 0 */
    assert_true(nan_in != nan_in);                          /* NaN in, NaN out */
    assert_true(vdl_exp_float(0) == 1.0f);
    assert_true(vdl_exp_real(0) == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exp_float_within_two_ulp),
        cmocka_unit_test(exp_float_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
