/*
 * test_ops.c: op forward values against closed forms, numerically hard
 * inputs, and clear errors for bad calls. Runs on the float engine (the
 * build users get); gradients are proven separately in test_gradcheck.
 */
#include "vdl.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static vdl_tape *tape;

static int setup(void **state)
{
    (void)state;
    tape = vdl_tape_new();
    return tape ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vdl_tape_free(tape);
    return 0;
}

static void kl_matches_closed_form(void **state)
{
    /* mu = 0.5, sigma = 0.2, prior s = 1: log(1/0.2) + (0.04 + 0.25)/2 - 0.5 */
    vdl_real mu[3] = {0.5f, -0.5f, 0.5f}, ls[3];
    const double one = log(1 / 0.2) + (0.04 + 0.25) / 2 - 0.5;
    vdl_node *k;
    int i;
    (void)state;
    for (i = 0; i < 3; i++)
        ls[i] = (vdl_real)log(0.2);
    vdl_tape_reset(tape);
    k = vdl_gaussian_kl(tape, vdl_constant(tape, vdl_shape1(3), mu), vdl_constant(tape, vdl_shape1(3), ls), 1.0);
    assert_non_null(k);
    assert_float_equal(k->value[0], 3 * one, 1e-5);
    /* q equal to the prior: zero */
    mu[0] = 0;
    ls[0] = (vdl_real)log(0.316227766);
    k = vdl_gaussian_kl(tape, vdl_constant(tape, vdl_shape1(1), mu), vdl_constant(tape, vdl_shape1(1), ls),
                        0.316227766);
    assert_float_equal(k->value[0], 0.0, 1e-6);
}

static void softmax_ce_is_stable_for_huge_logits(void **state)
{
    vdl_real logits[6] = {1e4f, -1e4f, 0, -1e4f, 1e4f, 1e4f}, labels[2] = {0, 0};
    vdl_real g[6];
    vdl_node *x, *ce;
    int i;
    (void)state;
    vdl_tape_reset(tape);
    memset(g, 0, sizeof g);
    x = vdl_leaf(tape, vdl_shape2(2, 3), logits, g);
    ce = vdl_softmax_ce(tape, x, vdl_constant(tape, vdl_shape1(2), labels));
    assert_non_null(ce);
    /* row 0: label has the max, loss ~0; row 1: label is 2e4 below the max
     * shared by two classes: loss = 2e4 + log 2. Mean over 2 rows. */
    assert_true(isfinite(ce->value[0]));
    assert_float_equal(ce->value[0], (2e4 + log(2.0)) / 2, 1e-1);
    assert_int_equal(vdl_backward(tape, ce), VDL_OK);
    for (i = 0; i < 6; i++)
        assert_true(isfinite(g[i]));
    assert_float_equal(g[0], 0, 1e-6);      /* p = 1 at the label */
    assert_float_equal(g[3], -0.5, 1e-6);   /* (0 - 1) / 2 */
    assert_float_equal(g[4], 0.25, 1e-6);   /* (0.5 - 0) / 2 */
}

static void softmax_ce_known_value(void **state)
{
    vdl_real logits[2] = {0, (vdl_real)log(3.0)}, label = 1;
    vdl_node *ce;
    (void)state;
    vdl_tape_reset(tape);
    ce = vdl_softmax_ce(tape, vdl_constant(tape, vdl_shape2(1, 2), logits), vdl_constant(tape, vdl_shape1(1), &label));
    assert_float_equal(ce->value[0], -log(0.75), 1e-6);
}

static void matmul_and_friends_known_values(void **state)
{
    vdl_real a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1}, bias[2] = {10, 20};
    vdl_node *A, *B, *C, *T, *O;
    (void)state;
    vdl_tape_reset(tape);
    A = vdl_constant(tape, vdl_shape2(2, 3), a);
    B = vdl_constant(tape, vdl_shape2(3, 2), b);
    C = vdl_bias_add(tape, vdl_matmul(tape, A, B, 0, 0), vdl_constant(tape, vdl_shape1(2), bias));
    /* [1 2 3; 4 5 6] [1 0; 0 1; 1 1] = [4 5; 10 11] */
    assert_float_equal(C->value[0], 14, 0);
    assert_float_equal(C->value[1], 25, 0);
    assert_float_equal(C->value[2], 20, 0);
    assert_float_equal(C->value[3], 31, 0);
    T = vdl_matmul(tape, A, A, 0, 1); /* A A^T = [14 32; 32 77] */
    assert_float_equal(T->value[1], 32, 0);
    assert_float_equal(T->value[3], 77, 0);
    O = vdl_outer(tape, vdl_constant(tape, vdl_shape1(2), bias), vdl_constant(tape, vdl_shape1(3), a));
    assert_int_equal(O->shape.dim[0], 2);
    assert_int_equal(O->shape.dim[1], 3);
    assert_float_equal(O->value[5], 60, 0);
    assert_float_equal(vdl_mean(tape, A)->value[0], 3.5, 1e-6);
    assert_float_equal(vdl_sum_all(tape, vdl_relu(tape, vdl_scale(tape, A, -1)))->value[0], 0, 0);
    assert_float_equal(vdl_exp(tape, vdl_scale(tape, A, 0))->value[4], 1, 0);
}

static void bad_calls_give_clear_errors(void **state)
{
    vdl_real v[6] = {0}, label = 7;
    vdl_node *a, *b, *bad;
    (void)state;
    vdl_tape_reset(tape);
    a = vdl_constant(tape, vdl_shape2(2, 3), v);
    b = vdl_constant(tape, vdl_shape2(2, 3), v);
    assert_null(vdl_matmul(tape, a, b, 0, 0));
    assert_non_null(strstr(vdl_error(), "inner dimensions"));
    assert_null(vdl_add(tape, a, vdl_constant(tape, vdl_shape2(3, 2), v)));
    assert_non_null(strstr(vdl_error(), "[2x3] and [3x2]"));
    assert_null(vdl_softmax_ce(tape, vdl_constant(tape, vdl_shape2(1, 3), v), vdl_constant(tape, vdl_shape1(1), &label)));
    assert_non_null(strstr(vdl_error(), "not a class"));
    assert_null(vdl_gaussian_kl(tape, a, b, -1));
    assert_non_null(strstr(vdl_error(), "prior sigma"));
    assert_null(vdl_reshape(tape, a, vdl_shape2(4, 2)));
    assert_non_null(strstr(vdl_error(), "cannot view"));
    /* NULL propagates and keeps the first message */
    bad = vdl_matmul(tape, a, b, 0, 0);
    assert_null(vdl_relu(tape, bad));
    assert_non_null(strstr(vdl_error(), "inner dimensions"));
    assert_int_not_equal(vdl_backward(tape, bad), VDL_OK);
    assert_int_not_equal(vdl_backward(tape, a), VDL_OK); /* not a scalar */
    assert_null(vdl_apply_name(tape, "no_such_op", 1, &a, NULL));
    assert_non_null(strstr(vdl_error(), "no_such_op"));
    assert_null(vdl_apply(tape, &vdl_op_add, 1, &a, NULL));
    assert_non_null(strstr(vdl_error(), "takes 2 inputs"));
}

static void gradient_accumulates_through_reuse(void **state)
{
    /* y = sum(x * x + x + x): x feeds three places; dy/dx = 2x + 2 */
    vdl_real x[3] = {1, -2, 0.5f}, g[3] = {0, 0, 0};
    vdl_node *n, *y;
    int i;
    (void)state;
    vdl_tape_reset(tape);
    n = vdl_leaf(tape, vdl_shape1(3), x, g);
    y = vdl_sum_all(tape, vdl_add(tape, vdl_add(tape, vdl_mul(tape, n, n), n), n));
    assert_int_equal(vdl_backward(tape, y), VDL_OK);
    for (i = 0; i < 3; i++)
        assert_float_equal(g[i], 2 * x[i] + 2, 1e-6);
    /* a second backward adds again: gradients accumulate until zeroed */
    assert_int_equal(vdl_backward(tape, y), VDL_OK);
    for (i = 0; i < 3; i++)
        assert_float_equal(g[i], 2 * (2 * x[i] + 2), 1e-6);
    /* seeding the leaf itself adds the seed to the gradient the caller holds */
    {
        const vdl_real seed[3] = {1, 2, 3};
        assert_int_equal(vdl_backward_from(tape, n, seed), VDL_OK);
        for (i = 0; i < 3; i++)
            assert_float_equal(g[i], 2 * (2 * x[i] + 2) + seed[i], 1e-6);
    }
}

static void intermediate_gradients_start_from_zero(void **state)
{
    /* h = x + x feeds two ops: its gradient is the sum of both (2h + 1);
     * z = x * x feeds nothing: its gradient is zero, also when the tape's
     * memory held a gradient of a step before */
    vdl_real x[3] = {1, -2, 0.5f}, g[3];
    vdl_node *xn, *h, *z, *y;
    int i, pass;
    (void)state;
    for (pass = 0; pass < 2; pass++) {
        vdl_tape_reset(tape);
        memset(g, 0, sizeof g);
        xn = vdl_leaf(tape, vdl_shape1(3), x, g);
        h = vdl_add(tape, xn, xn);
        z = vdl_mul(tape, xn, xn);
        y = pass == 0 ? vdl_sum_all(tape, vdl_add(tape, z, z))
                      : vdl_sum_all(tape, vdl_add(tape, vdl_mul(tape, h, h), h));
        assert_int_equal(vdl_backward(tape, y), VDL_OK);
        for (i = 0; i < 3; i++) {
            if (pass == 0) {
                assert_float_equal(z->grad[i], 2, 1e-6);
                continue;
            }
            assert_float_equal(h->grad[i], 2 * h->value[i] + 1, 1e-6);
            assert_float_equal(g[i], 2 * (2 * h->value[i] + 1), 1e-6);
            assert_true(z->grad[i] == 0);
        }
    }
}

/* Add the gradients of a two-input op's inputs to ga and gb (the caller
 * fills them first) for upstream gradient `up` (size values), the inputs
 * holding `va` and `vb`. which: bit 0 input 0 is trainable, bit 1 input 1
 * is; 4: one trainable node is both inputs (its gradient in ga). The op has
 * the same tape position each time, so a sample draws the same noise. */
#define PAIR_N 37
static void pair_grads(const vdl_op *op, int which, const vdl_real *up, vdl_real va[PAIR_N],
                       vdl_real vb[PAIR_N], vdl_real ga[PAIR_N], vdl_real gb[PAIR_N])
{
    const double attr[2] = {0.7, -1.3}; /* the KL's prior sigma; axpby's a and b */
    vdl_node *a, *b, *y;
    vdl_tape_reset(tape);
    if (which == 4) {
        a = b = vdl_leaf(tape, vdl_shape1(PAIR_N), va, ga);
        assert_non_null(vdl_constant(tape, vdl_shape1(PAIR_N), vb)); /* keeps the op's position */
    } else {
        a = which & 1 ? vdl_leaf(tape, vdl_shape1(PAIR_N), va, ga) : vdl_constant(tape, vdl_shape1(PAIR_N), va);
        b = which & 2 ? vdl_leaf(tape, vdl_shape1(PAIR_N), vb, gb) : vdl_constant(tape, vdl_shape1(PAIR_N), vb);
    }
    y = vdl_apply2(tape, op, a, b, op->n_attrs ? attr : NULL);
    assert_non_null(y);
    assert_int_equal(vdl_backward_from(tape, y, up), VDL_OK);
}

/* Gradients start at a value other than 0, so that a backward which assigns
 * instead of adding fails the comparisons. */
static void prefill(vdl_real *g)
{
    int i;
    for (i = 0; i < PAIR_N; i++)
        g[i] = 0.25f;
}

static void pair_ops_same_gradients_on_every_path(void **state)
{
    /* reparam, gaussian_kl and axpby take one pass when both inputs are
     * trainable and other code for one: each gradient must be the same bytes
     * on every path, also for one node as both inputs (what the two one-input
     * paths add to one buffer in turn) */
    const vdl_op *ops[3] = {&vdl_op_reparam, &vdl_op_gaussian_kl, &vdl_op_axpby};
    vdl_real up[PAIR_N], va[PAIR_N], vb[PAIR_N], both_a[PAIR_N], both_b[PAIR_N], ga[PAIR_N], gb[PAIR_N];
    int o, i;
    (void)state;
    for (i = 0; i < PAIR_N; i++) {
        up[i] = (vdl_real)(0.3 * i - 4);
        va[i] = (vdl_real)(0.1 * i - 1.55);
        vb[i] = (vdl_real)(0.05 * i - 1.0);
    }
    for (o = 0; o < 3; o++) {
        prefill(both_a);
        prefill(both_b);
        pair_grads(ops[o], 3, up, va, vb, both_a, both_b);
        for (i = 0; i < PAIR_N; i++) /* backward added something */
            assert_true(both_a[i] != 0.25f && both_b[i] != 0.25f);
        prefill(ga);
        pair_grads(ops[o], 1, up, va, vb, ga, gb);
        assert_memory_equal(ga, both_a, sizeof ga);
        prefill(gb);
        pair_grads(ops[o], 2, up, va, vb, ga, gb);
        assert_memory_equal(gb, both_b, sizeof gb);
        prefill(both_a);
        pair_grads(ops[o], 1, up, va, va, both_a, gb);
        pair_grads(ops[o], 2, up, va, va, ga, both_a);
        prefill(ga);
        pair_grads(ops[o], 4, up, va, va, ga, gb);
        assert_memory_equal(ga, both_a, sizeof ga);
    }
}

static int ok_infer(vdl_node *out)
{
    out->shape = out->in[0]->shape;
    return VDL_OK;
}
static int ok_pass(vdl_node *out)
{
    (void)out;
    return VDL_OK;
}

static void registry_rejects_bad_descriptors(void **state)
{
    static const vdl_op dup = {"matmul", "", 1, 0, ok_infer, ok_pass, ok_pass, NULL};
    static const vdl_op bad_name = {"has space", "", 1, 0, ok_infer, ok_pass, ok_pass, NULL};
    static const vdl_op no_fwd = {"nofwd", "", 1, 0, ok_infer, NULL, ok_pass, NULL};
    static const vdl_op arity = {"arity", "", 9, 0, ok_infer, ok_pass, ok_pass, NULL};
    static const vdl_op good = {"test_identity", "", 1, 0, ok_infer, ok_pass, ok_pass, NULL};
    int before = vdl_op_count();
    (void)state;
    assert_int_equal(vdl_op_register(&dup), VDL_EINVAL);
    assert_non_null(strstr(vdl_error(), "already registered"));
    assert_int_equal(vdl_op_register(&bad_name), VDL_EINVAL);
    assert_int_equal(vdl_op_register(&no_fwd), VDL_EINVAL);
    assert_int_equal(vdl_op_register(NULL), VDL_EINVAL);
    assert_int_equal(vdl_op_register(&arity), VDL_EINVAL);
    assert_int_equal(vdl_op_count(), before);
    assert_int_equal(vdl_op_register(&good), VDL_OK);
    assert_ptr_equal(vdl_op_find("test_identity"), &good);
    vdl_op_truncate(before);
    assert_null(vdl_op_find("test_identity"));
    assert_int_equal(vdl_op_count(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kl_matches_closed_form),
        cmocka_unit_test(softmax_ce_is_stable_for_huge_logits),
        cmocka_unit_test(softmax_ce_known_value),
        cmocka_unit_test(matmul_and_friends_known_values),
        cmocka_unit_test(bad_calls_give_clear_errors),
        cmocka_unit_test(gradient_accumulates_through_reuse),
        cmocka_unit_test(intermediate_gradients_start_from_zero),
        cmocka_unit_test(pair_ops_same_gradients_on_every_path),
        cmocka_unit_test(registry_rejects_bad_descriptors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
