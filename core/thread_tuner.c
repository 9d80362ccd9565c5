/*
 * thread_tuner.c: all threads or one, whichever is faster now (see
 * vdl_parallel.h).
 */
#include "vdl_parallel.h"

enum { TIMING_MAX = 0, TIMING_ONE = 1, SETTLED = 2 };

/* Run the next steps with n threads; the first of them is not timed (a new
 * thread team starts in it). */
static void use(vdl_thread_tuner *t, int phase, int n)
{
    t->phase = phase;
    t->threads = n;
    t->steps = -1;
    vdl_set_threads(n);
}

void vdl_thread_tuner_init(vdl_thread_tuner *t, int max)
{
    t->max = max;
    t->threads = max > 1 ? max : 1;
    t->phase = SETTLED;
    t->begin = t->per_step[0] = t->per_step[1] = 0;
    t->recheck_at = 0;
    if (max > 1)
        use(t, TIMING_MAX, max);
}

void vdl_thread_tuner_step(vdl_thread_tuner *t, double now)
{
    if (t->max <= 1)
        return;
    if (t->phase == SETTLED) {
        if (now >= t->recheck_at)
            use(t, TIMING_MAX, t->max);
        return;
    }
    if (t->steps++ < 0) {
        t->begin = now;
        return;
    }
    if (t->steps < VDL_TUNER_STEPS || now - t->begin < VDL_TUNER_SECONDS)
        return;
    t->per_step[t->phase] = (now - t->begin) / t->steps;
    if (t->phase == TIMING_MAX) {
        use(t, TIMING_ONE, 1);
        return;
    }
    use(t, SETTLED, t->per_step[TIMING_MAX] < t->per_step[TIMING_ONE] ? t->max : 1);
    t->recheck_at = now + VDL_TUNER_RECHECK;
}
