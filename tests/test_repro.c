/*
 * test_repro.c: the reproduction's bookkeeping on known numbers: result
 * files round-trip, damaged ones are rejected, and the tables hold the right
 * means, minima and maxima over seeds.
 */
#define _POSIX_C_SOURCE 200809L
#include "vdl_repro.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[64];

static int setup(void **state)
{
    char runs[128];
    (void)state;
    strcpy(dir, "/tmp/vdl-repro-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(runs, sizeof runs, "mkdir '%s/runs'", dir);
    return system(runs);
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static repro_result known(char method, double lambda, int seed)
{
    repro_result r;
    int k;
    memset(&r, 0, sizeof r);
    r.method = method;
    r.lambda = lambda;
    r.seed = seed;
    /* accuracy 0.9 + 0.01 seed + 0.001 method index, so cells are distinguishable */
    r.accuracy = 0.9 + 0.01 * seed + 0.001 * (method - 'a');
    r.mc_accuracy = r.accuracy - 0.005;
    for (k = 0; k < REPRO_PRUNE_STEPS; k++)
        r.prune[k] = r.accuracy - 0.01 * k;
    r.stability = r.prune[0] / r.prune[REPRO_PRUNE_STEPS - 1];
    r.updates = 1000.0 * (method - 'a' + 1);
    r.log_likelihood = -100.0 * seed;
    r.kl = 10;
    r.evidence = r.log_likelihood - lambda * r.kl;
    r.seconds = 1.5;
    return r;
}

static void result_files_round_trip(void **state)
{
    repro_result r = known('d', 0.1, 3), back;
    char path[256], name[64];
    FILE *f;
    (void)state;
    repro_run_name(name, sizeof name, 'd', 0.1, 3);
    assert_string_equal(name, "d-l0.1-s3.csv");
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(repro_result_write(path, &r), VDL_OK);
    assert_int_equal(repro_result_read(path, &back), VDL_OK);
    assert_memory_equal(&r, &back, sizeof r);
    f = fopen(path, "w");
    fputs("method,lambda\nd,0.1\n", f);
    fclose(f);
    assert_int_equal(repro_result_read(path, &back), VDL_EFORMAT);
    assert_non_null(strstr(vdl_error(), path));
}

static void tables_from_known_runs(void **state)
{
    repro_config c;
    repro_summary s;
    char path[256], name[64];
    unsigned char *csv;
    size_t len;
    int m, l, seed;
    (void)state;
    assert_int_equal(repro_config_make(&c, "default", 1), VDL_OK);
    c.seeds = 3;
    c.dense = 0;
    for (m = 0; m < REPRO_METHODS; m++)
        for (l = 0; l < c.n_lambdas; l++)
            for (seed = 1; seed <= c.seeds; seed++) {
                repro_result r = known((char)('a' + m), c.lambdas[l], seed);
                if (m == 1 && l == 2 && seed == 3)
                    continue; /* one missing run */
                repro_run_name(name, sizeof name, r.method, r.lambda, seed);
                snprintf(path, sizeof path, "%s/runs/%s", dir, name);
                assert_int_equal(repro_result_write(path, &r), VDL_OK);
            }
    assert_int_equal(repro_summarize(&c, dir, &s), VDL_OK);
    assert_int_equal(s.missing, 1);
    /* method a at any lambda: seeds 1..3 give 0.91, 0.92, 0.93 */
    assert_int_equal(s.accuracy[0][1].n, 3);
    assert_float_equal(s.accuracy[0][1].mean, 0.92, 1e-12);
    assert_float_equal(s.accuracy[0][1].min, 0.91, 1e-12);
    assert_float_equal(s.accuracy[0][1].max, 0.93, 1e-12);
    /* method b at lambda 10 misses seed 3: mean of 0.911 and 0.921 */
    assert_int_equal(s.accuracy[1][2].n, 2);
    assert_float_equal(s.accuracy[1][2].mean, 0.916, 1e-12);
    /* evidence of f at lambda 100: -100 seed - 1000 */
    assert_float_equal(s.evidence[5][3].mean, -1200, 1e-9);
    assert_float_equal(s.updates[4].mean, 5000, 0);
    assert_float_equal(s.prune[2][0][9].mean, 0.922 - 0.09, 1e-12);
    assert_int_equal(repro_write_tables(&c, &s, dir), VDL_OK);
    snprintf(path, sizeof path, "%s/table1.csv", dir);
    assert_int_equal(vdl_read_file(path, 1 << 20, &csv, &len), VDL_OK);
    csv = vdl_realloc(csv, len + 1);
    csv[len] = '\0';
    assert_non_null(strstr((char *)csv, "a,1,0.92,0.91,0.93,3\n"));
    assert_non_null(strstr((char *)csv, "b,10,0.916,0.911,0.921,2\n"));
    assert_non_null(strstr((char *)csv, "e,all,5000,5000,5000,12\n"));
    vdl_free(csv);
    snprintf(path, sizeof path, "%s/table1.md", dir);
    assert_int_equal(vdl_read_file(path, 1 << 20, &csv, &len), VDL_OK);
    csv = vdl_realloc(csv, len + 1);
    csv[len] = '\0';
    assert_non_null(strstr((char *)csv, "| a: direct | 0.9200 (0.9100 to 0.9300) |"));
    vdl_free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(result_files_round_trip),
        cmocka_unit_test(tables_from_known_runs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
