/*
 * gradcheck.c: finite-difference checking of op backward functions.
 */
#include "vdl_gradcheck.h"
#include "vdl_rng.h"
#include "vdl_tape.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_PER_INPUT 64
#define PREFILL 0.5 /* grads start here: backward must add, not overwrite */

double vdl_gradcheck_default_tolerance(void) { return sizeof(vdl_real) == sizeof(double) ? 1e-6 : 2e-2; }

typedef struct gc_case {
    const vdl_op *op;
    vdl_example ex;
    vdl_real *value[VDL_MAX_INPUTS];
    vdl_real *grad[VDL_MAX_INPUTS]; /* NULL for label inputs */
    vdl_real *proj;                 /* r, the output projection */
    vdl_tape *tape;
} gc_case;

static void fill_input(vdl_real *x, size_t n, const vdl_example *ex, int i, vdl_rng *rng)
{
    size_t j;
    for (j = 0; j < n; j++) {
        double v = vdl_rng_normal(rng);
        if (ex->fill[i] == VDL_FILL_AWAY_FROM_ZERO && fabs(v) < 0.1)
            v = v < 0 ? v - 0.1 : v + 0.1;
        else if (ex->fill[i] == VDL_FILL_LABELS)
            v = (double)vdl_rng_below(rng, (uint64_t)(ex->classes[i] > 0 ? ex->classes[i] : 1));
        x[j] = (vdl_real)v;
    }
}

/* Run the op on the current input values; returns the output node or NULL. */
static vdl_node *run(gc_case *c)
{
    vdl_node *in[VDL_MAX_INPUTS];
    int i;
    vdl_tape_reset(c->tape);
    vdl_tape_set_rng(c->tape, 12345, 0);
    for (i = 0; i < c->op->n_inputs; i++)
        in[i] = vdl_leaf(c->tape, c->ex.shape[i], c->value[i], c->grad[i]);
    return vdl_apply(c->tape, c->op, c->op->n_inputs, in, c->ex.attr);
}

/* sum(r * y) at the current inputs; NaN if the op rejects them (so the
 * comparison fails instead of reading a 0). */
static double projected(gc_case *c)
{
    vdl_node *y = run(c);
    double s = 0;
    size_t j;
    if (!y)
        return NAN;
    for (j = 0; j < y->size; j++)
        s += (double)c->proj[j] * y->value[j];
    return s;
}

static void free_case(gc_case *c)
{
    int i;
    for (i = 0; i < VDL_MAX_INPUTS; i++) {
        vdl_free(c->value[i]);
        vdl_free(c->grad[i]);
    }
    vdl_free(c->proj);
    vdl_tape_free(c->tape);
}

/* Mark the check failed with the first reason given; returns VDL_OK (the
 * check itself ran). */
static int fail(vdl_gradcheck_result *res, const char *fmt, ...)
{
    va_list ap;
    res->passed = 0;
    if (!res->message[0]) {
        va_start(ap, fmt);
        vsnprintf(res->message, sizeof res->message, fmt, ap);
        va_end(ap);
    }
    return VDL_OK;
}

/* Compare analytic and numeric derivatives of one input of one case. */
static void compare_input(gc_case *c, int i, vdl_rng *rng, vdl_gradcheck_result *res)
{
    const double h = sizeof(vdl_real) == sizeof(double) ? 1e-3 : 1e-2;
    size_t n = vdl_shape_size(&c->ex.shape[i]), k, count = n < MAX_PER_INPUT ? n : MAX_PER_INPUT;
    for (k = 0; k < count; k++) {
        size_t j = n <= MAX_PER_INPUT ? k : (size_t)vdl_rng_below(rng, n);
        vdl_real x0 = c->value[i][j];
        double f[4], num, ana = (double)c->grad[i][j] - PREFILL, err, abs_err;
        static const double offs[4] = {2, 1, -1, -2};
        int s;
        for (s = 0; s < 4; s++) {
            c->value[i][j] = (vdl_real)(x0 + offs[s] * h);
            f[s] = projected(c);
        }
        c->value[i][j] = x0;
        num = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
        abs_err = fabs(ana - num);
        err = abs_err / fmax(1e-2, fmax(fabs(ana), fabs(num)));
        if (!(err <= res->max_err)) /* also catches NaN */
            res->max_err = isnan(err) ? INFINITY : err;
        if (abs_err > res->max_abs_err || isnan(abs_err))
            res->max_abs_err = isnan(abs_err) ? INFINITY : abs_err;
        res->compared++;
    }
}

static int check_case(const vdl_op *op, int index, uint64_t seed, vdl_gradcheck_result *res)
{
    gc_case c;
    vdl_rng rng;
    vdl_node *y;
    int i, rc = VDL_OK;
    memset(&c, 0, sizeof c);
    c.op = op;
    if (!op->example(index, &c.ex))
        return -1; /* no more cases */
    vdl_rng_init(&rng, seed, (uint64_t)index);
    c.tape = vdl_tape_new();
    if (!c.tape)
        return VDL_ENOMEM;
    for (i = 0; i < op->n_inputs; i++) {
        size_t n = vdl_shape_size(&c.ex.shape[i]), j;
        c.value[i] = vdl_malloc(n * sizeof(vdl_real));
        if (c.ex.fill[i] != VDL_FILL_LABELS)
            c.grad[i] = vdl_malloc(n * sizeof(vdl_real));
        if (!c.value[i] || (c.ex.fill[i] != VDL_FILL_LABELS && !c.grad[i])) {
            free_case(&c);
            return VDL_ENOMEM;
        }
        fill_input(c.value[i], n, &c.ex, i, &rng);
        for (j = 0; c.grad[i] && j < n; j++)
            c.grad[i][j] = PREFILL;
    }
    y = run(&c);
    if (!y) {
        free_case(&c);
        return fail(res, "op '%s': example %d was rejected: %s", op->name, index, vdl_error());
    }
    c.proj = vdl_malloc(y->size * sizeof(vdl_real));
    if (!c.proj) {
        free_case(&c);
        return VDL_ENOMEM;
    }
    for (i = 0; i < (int)y->size; i++)
        c.proj[i] = (vdl_real)vdl_rng_normal(&rng);
    rc = vdl_backward_from(c.tape, y, c.proj);
    if (rc != VDL_OK) {
        free_case(&c);
        return fail(res, "op '%s': backward of example %d failed: %s", op->name, index, vdl_error());
    }
    /* The numeric passes below run forward only, so the analytic gradients stay. */
    for (i = 0; i < op->n_inputs; i++)
        if (c.grad[i])
            compare_input(&c, i, &rng, res);
    res->cases++;
    free_case(&c);
    return rc;
}

int vdl_gradcheck_op(const vdl_op *op, uint64_t seed, double tolerance, vdl_gradcheck_result *res)
{
    int index, rc;
    memset(res, 0, sizeof *res);
    res->tolerance = tolerance;
    res->passed = 1;
    if (vdl_op_validate(op) != VDL_OK)
        return fail(res, "%s", vdl_error());
    if (!op->example)
        return fail(res, "op '%s' has no example cases, so it cannot be checked", op->name);
    for (index = 0;; index++) {
        rc = check_case(op, index, seed, res);
        if (rc < 0)
            break;
        if (rc != VDL_OK)
            return rc;
    }
    if (res->cases == 0)
        return fail(res, "op '%s' gave no example cases", op->name);
    if (!(res->max_err <= tolerance))
        return fail(res, "op '%s': gradient error %.3g exceeds tolerance %.3g", op->name,
                    res->max_err, tolerance);
    return VDL_OK;
}
