/*
 * bench_idle.c: is the second core free for 2-thread timings? Times the same
 * 4e8 additions split evenly over 1 and over 2 threads. On an idle machine 2
 * threads take about half as long as 1; when another process or the host
 * holds the second core they take as long or longer. Speed only: nothing here
 * is a test.
 *
 * usage: bench_idle
 */
#include "vdl.h"

#include <stdio.h>

#define ADDITIONS 400000000L

/* Seconds for the additions on `threads` threads. */
static double time_additions(int threads, double *sum)
{
    double start = vdl_now(), s = 0;
    long i;
    vdl_set_threads(threads);
    VDL_OMP(omp parallel for schedule(static) reduction(+ : s))
    for (i = 0; i < ADDITIONS; i++)
        s += (double)(i & 7);
    *sum += s;
    return vdl_now() - start;
}

int main(void)
{
    double sum = 0, one = time_additions(1, &sum), two = time_additions(2, &sum);
    printf("1 thread %.2f s, 2 threads %.2f s: %.2fx%s\n", one, two, one / two,
           sum > 0 && vdl_threads() > 1 ? "" : " (this build runs one thread)");
    return 0;
}
