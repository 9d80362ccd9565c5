/*
 * interrupt.c: Ctrl-C (SIGINT) and SIGTERM while training. The handler only
 * records the signal; the training loop reads it between minibatch steps,
 * saves a resumable checkpoint and stops. Plain C99 <signal.h>.
 */
#include "cli.h"

#include <signal.h>

static volatile sig_atomic_t caught;
static void (*before_int)(int), (*before_term)(int);

static void on_signal(int sig)
{
    caught = sig;
    /* a second one ends the process at once: safe, as checkpoints are written atomically */
    signal(sig, SIG_DFL);
}

/* Catch sig unless it is ignored (nohup, background jobs of a script). */
static void (*catch_one(int sig))(int)
{
    void (*before)(int) = signal(sig, on_signal);
    if (before == SIG_IGN)
        signal(sig, SIG_IGN);
    return before;
}

void cli_interrupt_catch(void)
{
    caught = 0;
    before_int = catch_one(SIGINT);
    before_term = catch_one(SIGTERM);
}

void cli_interrupt_release(void)
{
    if (before_int != SIG_ERR)
        signal(SIGINT, before_int);
    if (before_term != SIG_ERR)
        signal(SIGTERM, before_term);
}

int cli_interrupted(void) { return caught; }
