/*
 * test_thread_tuner.c: the thread tuner on simulated step times: it keeps
 * the faster of all threads and one, ignores the first step after a switch,
 * follows a machine whose load changes, and leaves one thread alone.
 */
#include "vdl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Seconds a step takes with one thread and with more, and how long the
 * first step after a change of thread count takes on top. */
typedef struct machine {
    double one, many, switch_cost;
} machine;

/* Run `steps` steps from time *now; returns the tuner's thread count after. */
static int run(vdl_thread_tuner *t, const machine *m, int steps, double *now)
{
    int i, last = t->threads;
    for (i = 0; i < steps; i++) {
        *now += (t->threads > 1 ? m->many : m->one) + (t->threads != last ? m->switch_cost : 0);
        last = t->threads;
        vdl_thread_tuner_step(t, *now);
    }
    return t->threads;
}

static void keeps_all_threads_when_faster(void **state)
{
    const machine idle = {0.002, 0.0011, 0.5};
    vdl_thread_tuner t;
    double now = 0;
    (void)state;
    vdl_thread_tuner_init(&t, 2);
    assert_int_equal(t.threads, 2);
    assert_int_equal(run(&t, &idle, 200, &now), 2);
    assert_int_equal(t.phase, 2);
    /* the slow first step after each switch is not part of the timing */
    assert_true(t.per_step[0] > 0.0010 && t.per_step[0] < 0.0012);
    assert_true(t.per_step[1] > 0.0019 && t.per_step[1] < 0.0021);
}

static void drops_to_one_thread_on_a_busy_machine(void **state)
{
    const machine busy = {0.002, 0.040, 0};
    vdl_thread_tuner t;
    double now = 0;
    (void)state;
    vdl_thread_tuner_init(&t, 2);
    assert_int_equal(run(&t, &busy, 200, &now), 1);
    assert_int_equal(t.phase, 2);
    /* it times for at least VDL_TUNER_STEPS steps and VDL_TUNER_SECONDS */
    assert_true(t.per_step[0] > 0.039 && t.per_step[0] < 0.041);
}

static void follows_the_load_when_it_changes(void **state)
{
    const machine busy = {0.002, 0.040, 0}, idle = {0.002, 0.0011, 0};
    vdl_thread_tuner t;
    double now = 0, settled;
    (void)state;
    vdl_thread_tuner_init(&t, 2);
    assert_int_equal(run(&t, &busy, 200, &now), 1);
    settled = now;
    /* the other process ends: nothing changes before the recheck ... */
    while (now < settled + VDL_TUNER_RECHECK - 1)
        assert_int_equal(run(&t, &idle, 1, &now), 1);
    /* ... and after it the tuner uses both threads again */
    assert_int_equal(run(&t, &idle, 1000, &now), 2);
    assert_int_equal(t.phase, 2);
    /* and goes back to one when the machine is busy again */
    run(&t, &busy, (int)(VDL_TUNER_RECHECK / busy.one), &now);
    assert_int_equal(run(&t, &busy, 200, &now), 1);
}

static void one_thread_is_left_alone(void **state)
{
    const machine m = {0.002, 0.001, 0};
    vdl_thread_tuner t;
    double now = 0;
    (void)state;
    vdl_thread_tuner_init(&t, 1);
    assert_int_equal(run(&t, &m, 100000, &now), 1);
    vdl_thread_tuner_init(&t, 0);
    assert_int_equal(run(&t, &m, 100, &now), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_all_threads_when_faster),
        cmocka_unit_test(drops_to_one_thread_on_a_busy_machine),
        cmocka_unit_test(follows_the_load_when_it_changes),
        cmocka_unit_test(one_thread_is_left_alone),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vdl_set_threads(0);
    return rc;
}
