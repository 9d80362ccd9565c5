/*
 * progress.c: a progress bar with rate and ETA on a terminal, plain log
 * lines otherwise (logs and CI output stay readable).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#define HAVE_ISATTY 1
#endif

void progress_init(cli_progress *p, const char *what, const vdl_trainer *tr, int epochs, int quiet)
{
    p->what = what;
    p->first_step = tr->step;
    p->quiet = quiet;
    p->epochs = epochs;
#ifdef HAVE_ISATTY
    p->tty = isatty(fileno(stderr));
#else
    p->tty = 0;
#endif
    p->start = p->last_draw = vdl_now();
}

void progress_batch(void *ctx, const vdl_trainer *tr, long b, long n)
{
    cli_progress *p = ctx;
    double now = vdl_now(), elapsed, rate, eta;
    long done, total;
    int filled, i;
    if (p->quiet || !p->tty || (now - p->last_draw < 0.1 && b < n))
        return;
    p->last_draw = now;
    done = tr->step - p->first_step; /* minibatches in this run */
    total = (long)p->epochs * n - p->first_step;
    elapsed = now - p->start;
    rate = elapsed > 0 ? done / elapsed : 0;
    eta = rate > 0 ? (total - done) / rate : 0;
    filled = (int)(30.0 * done / (total ? total : 1));
    fprintf(stderr, "\r%s epoch %ld/%d [", p->what, (tr->step - 1) / n + 1, p->epochs);
    for (i = 0; i < 30; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %5.1f batch/s  ETA %4.0fs  loss %.4f ", rate, eta, tr->loss);
    fflush(stderr);
}

void progress_epoch(cli_progress *p, const vdl_trainer *tr)
{
    if (p->quiet)
        return;
    if (p->tty)
        fputc('\n', stderr);
    else
        fprintf(stderr, "%s epoch %d/%d: loss %.4f (cross-entropy %.4f, KL %.1f), %.1fs\n", p->what,
                tr->epoch, p->epochs, tr->loss, tr->ce, tr->kl, vdl_now() - p->start);
}
