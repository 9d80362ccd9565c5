/*
 * test_rng.c: the counter-based RNG and the reparam op's samples:
 * moments within statistical bounds, and the same draws for the same key.
 */
#include "vdl.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define N 100000

static void reparam_sample_moments(void **state)
{
    static vdl_real mu[N], ls[N];
    vdl_tape *t = vdl_tape_new();
    vdl_node *w;
    double mean = 0, var = 0, m3 = 0;
    int i;
    (void)state;
    for (i = 0; i < N; i++) {
        mu[i] = 1.5f;
        ls[i] = (vdl_real)log(0.5);
    }
    vdl_tape_set_rng(t, 7, 3);
    w = vdl_reparam(t, vdl_constant(t, vdl_shape1(N), mu), vdl_constant(t, vdl_shape1(N), ls));
    assert_non_null(w);
    for (i = 0; i < N; i++)
        mean += w->value[i];
    mean /= N;
    for (i = 0; i < N; i++) {
        double d = w->value[i] - mean;
        var += d * d;
        m3 += d * d * d;
    }
    var /= N - 1;
    m3 /= N;
    /* sd of the sample mean is 0.5/sqrt(N) = 0.0016: 5 sd bound; the sample
     * variance of a normal has sd sigma^2 sqrt(2/N) = 0.0011: 5 sd bound. */
    assert_true(fabs(mean - 1.5) < 5 * 0.5 / sqrt(N));
    assert_true(fabs(var - 0.25) < 5 * 0.25 * sqrt(2.0 / N));
    assert_true(fabs(m3) < 5 * sqrt(15.0 / N) * 0.125); /* skewness ~ 0 */
    vdl_tape_free(t);
}

static void same_key_same_draws(void **state)
{
    static vdl_real a[1000], b[1000], c[1000];
    vdl_real mu[1000], ls[1000];
    vdl_tape *t = vdl_tape_new();
    vdl_node *w;
    (void)state;
    memset(mu, 0, sizeof mu);
    memset(ls, 0, sizeof ls);
    vdl_tape_set_rng(t, 42, 1);
    w = vdl_reparam(t, vdl_constant(t, vdl_shape1(1000), mu), vdl_constant(t, vdl_shape1(1000), ls));
    memcpy(a, w->value, sizeof a);
    vdl_tape_reset(t);
    vdl_tape_set_rng(t, 42, 1);
    w = vdl_reparam(t, vdl_constant(t, vdl_shape1(1000), mu), vdl_constant(t, vdl_shape1(1000), ls));
    memcpy(b, w->value, sizeof b);
    assert_memory_equal(a, b, sizeof a);
    vdl_tape_reset(t);
    vdl_tape_set_rng(t, 42, 2); /* next step: new draws */
    w = vdl_reparam(t, vdl_constant(t, vdl_shape1(1000), mu), vdl_constant(t, vdl_shape1(1000), ls));
    memcpy(c, w->value, sizeof c);
    assert_memory_not_equal(a, c, sizeof a);
    vdl_tape_free(t);
}

static void draws_depend_only_on_the_counter(void **state)
{
    vdl_real all[101], one[1];
    vdl_rng r;
    double u;
    int i;
    (void)state;
    vdl_rng_normals(9, 4, all, 101);
    vdl_rng_normals(9, 4, one, 1);
    assert_true(all[0] == one[0]); /* a prefix does not depend on how many are drawn */
    vdl_rng_init(&r, 9, 4);
    for (i = 0; i < 10; i++)
        assert_true(vdl_rng_next(&r) == vdl_rng_bits(9, 4, (uint64_t)i));
    for (i = 0; i < 1000; i++) {
        u = vdl_rng_uniform(&r);
        assert_true(u >= 0 && u < 1);
        assert_true(vdl_rng_below(&r, 7) < 7);
    }
    assert_true(vdl_rng_bits(1, 0, 0) != vdl_rng_bits(2, 0, 0));
    assert_true(vdl_rng_bits(1, 0, 0) != vdl_rng_bits(1, 1, 0));
}

static void any_range_of_normals_matches_the_whole(void **state)
{
    /* 5000 draws span several of vdl_rng_normals's parallel tasks; ranges
     * start and end inside and on the edges of 16-draw blocks, and nothing
     * past a range is written */
    static vdl_real all[5000], part[5001];
    static const size_t ranges[][2] = {{0, 5000}, {0, 1}, {3, 10}, {5, 11}, {16, 16}, {17, 40}, {1023, 2},
                                       {1024, 1}, {4990, 10}, {7, 4993}, {5, 0}, {0, 0}};
    size_t r, i;
    (void)state;
    vdl_rng_normals(9, 4, all, 5000);
    for (r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        const size_t first = ranges[r][0], n = ranges[r][1];
        for (i = 0; i <= n; i++)
            part[i] = 99;
        vdl_rng_normals_at(9, 4, first, part, n);
        assert_memory_equal(part, all + first, n * sizeof *part);
        assert_true(part[n] == 99);
    }
}

/* P(|Z| > z) for a standard normal Z. */
static double two_sided_tail(double z) { return erfc(z / sqrt(2.0)); }

static void normals_look_normal(void **state)
{
    enum { M = 1 << 20 };
    static vdl_real x[M];
    static const double cut[4] = {1, 2, 3, 4};
    double mean = 0, var = 0, m3 = 0, m4 = 0, lag = 0, halves = 0;
    long beyond[4] = {0, 0, 0, 0};
    int i, c;
    (void)state;
    vdl_rng_normals(123, 5, x, M);
    for (i = 0; i < M; i++) {
        double v = x[i];
        assert_true(fabs(v) < 5.8);
        mean += v;
        var += v * v;
        m3 += v * v * v;
        m4 += v * v * v * v;
        if (i + 1 < M)
            lag += v * x[i + 1];
        if (i % 16 < 8)
            halves += v * x[i + 8]; /* the cosine and sine halves of one pair */
        for (c = 0; c < 4; c++)
            beyond[c] += fabs(v) > cut[c];
    }
    mean /= M;
    var /= M;
    m3 /= M;
    m4 /= M;
    /* 5-sd bounds: sd of the mean 1/sqrt(M), of E[x^2] sqrt(2/M), of E[x^3]
     * sqrt(15/M), of E[x^4] sqrt(96/M), of a lag product 1/sqrt(M) */
    assert_true(fabs(mean) < 5 / sqrt(M));
    assert_true(fabs(var - 1) < 5 * sqrt(2.0 / M));
    assert_true(fabs(m3) < 5 * sqrt(15.0 / M));
    assert_true(fabs(m4 - 3) < 5 * sqrt(96.0 / M));
    assert_true(fabs(lag / M) < 5 / sqrt(M));
    assert_true(fabs(halves / (M / 2)) < 5 / sqrt(M / 2));
    for (c = 0; c < 4; c++) { /* binomial counts of the tails */
        double p = two_sided_tail(cut[c]), want = p * M;
        assert_true(fabs(beyond[c] - want) < 5 * sqrt(want * (1 - p)) + 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reparam_sample_moments),
        cmocka_unit_test(same_key_same_draws),
        cmocka_unit_test(draws_depend_only_on_the_counter),
        cmocka_unit_test(any_range_of_normals_matches_the_whole),
        cmocka_unit_test(normals_look_normal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
