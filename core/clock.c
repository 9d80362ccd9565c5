/*
 * clock.c: a monotonic wall clock for progress displays and run timings.
 */
#define _POSIX_C_SOURCE 200809L
#include "vdl_base.h"

#include <time.h>

double vdl_now(void)
{
#if defined(CLOCK_MONOTONIC)
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
#else
    return (double)clock() / CLOCKS_PER_SEC; /* processor time: the best C99 offers */
#endif
}
