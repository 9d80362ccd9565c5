/*
 * cmd_reproduce.c: `vdl reproduce`: the paper's experiment in one command:
 * every (method, lambda, seed) run, then Tables 1-3 and the figures. Finished
 * runs are kept, so an interrupted reproduction resumes; --shard and --merge
 * spread it over machines; --jobs runs several groups at once.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "vdl_repro.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#define HAVE_POSIX 1
#endif

#define MAX_JOBS 64

typedef struct repro_opts {
    const char *out, *preset, *data, *shard, *lambdas;
    int quick, epochs, seeds, jobs, threads, evidence, merge, no_dense;
} repro_opts;

static int make_dir(const char *path)
{
#ifdef HAVE_POSIX
    char buf[4096];
    size_t i;
    if (strlen(path) >= sizeof buf)
        return cli_fail("reproduce", "path too long: '%s'", path);
    strcpy(buf, path);
    for (i = 1; i <= strlen(path); i++)
        if (buf[i] == '/' || buf[i] == '\0') {
            char keep = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return cli_fail("reproduce", "cannot create folder '%s': %s", buf, strerror(errno));
            buf[i] = keep;
        }
    return 0;
#else
    (void)path;
    return 0; /* the folder must exist */
#endif
}

/* The settings text after its first line (the vdl version and git revision,
 * which may change between a run and its resumption or merge). */
static const char *after_first_line(const char *text, size_t len, size_t *rest)
{
    const char *nl = memchr(text, '\n', len);
    *rest = nl ? len - (size_t)(nl + 1 - text) : 0;
    return nl ? nl + 1 : text + len;
}

/* Write settings.txt, or check that the folder's settings are these (all but
 * the version line must match). */
static int settings(const repro_config *c, const char *dir, int must_exist)
{
    char path[4096];
    unsigned char *old;
    size_t len;
    vdl_wbuf b;
    int rc = 0;
    snprintf(path, sizeof path, "%s/settings.txt", dir);
    vdl_wbuf_init(&b);
    repro_settings(c, &b);
    if (vdl_read_file(path, 1 << 20, &old, &len) == VDL_OK) {
        size_t old_rest, new_rest;
        const char *o_rest = after_first_line((const char *)old, len, &old_rest);
        const char *n_rest = after_first_line((const char *)b.data, b.len, &new_rest);
        if (old_rest != new_rest || memcmp(o_rest, n_rest, old_rest) != 0)
            rc = cli_fail("reproduce", "'%s' holds results of other settings (see its settings.txt); "
                          "use another --out or the same options", dir);
        vdl_free(old);
    } else if (must_exist) {
        rc = cli_fail("reproduce", "'%s' has no settings.txt: not a reproduce folder", dir);
    } else if (vdl_write_file_atomic(path, b.data, b.len) != VDL_OK) {
        rc = cli_fail("reproduce", "%s", vdl_error());
    }
    vdl_wbuf_free(&b);
    return rc;
}

/* Run this slice of this shard's groups in one process. A failed group is
 * reported and the others still run; returns 1 if any failed. */
static int run_slice(const repro_config *c, const repro_opts *o, int shard, int shards, int slice, int slices,
                     const vdl_dataset *train, const vdl_dataset *test)
{
    int g, k = 0, failed = 0;
    for (g = 0; g < repro_groups(c); g++) {
        char method;
        int li, seed;
        if (g % shards != shard)
            continue;
        if (k++ % slices != slice)
            continue;
        if (repro_run_group(c, g, o->out, train, test, 1) != VDL_OK) {
            repro_group_parts(c, g, &method, &li, &seed);
            cli_fail("reproduce", "group %c%s, lambda %g, seed %d failed: %s", method,
                     method == 'c' ? "+d" : method == 'e' ? "+f" : "", li < 0 ? 0 : c->lambdas[li], seed,
                     vdl_error());
            failed = 1;
        }
    }
    return failed;
}

#ifdef HAVE_POSIX
/* Wait for the n jobs in pids; on SIGINT or SIGTERM (caught by
 * cli_interrupt_catch), or at once if stop, send each running job a SIGTERM.
 * Returns 1 if a job failed or could not be waited for. */
static int wait_jobs(pid_t *pids, int n, int stop)
{
    const struct timespec tick = {0, 20000000}; /* 20 ms between looks */
    int j, left = n, failed = 0, passed_on = 0, status;
    pid_t pid;
    while (left > 0) {
        if ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (j = 0; j < n; j++)
                if (pids[j] == pid)
                    pids[j] = 0; /* reaped: its pid may be reused, so never signal it again */
            left--;
            failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        } else if (pid < 0 && errno != EINTR) {
            return 1;
        } else if ((stop || cli_interrupted()) && !passed_on) {
            for (j = 0; j < n; j++)
                if (pids[j] > 0)
                    kill(pids[j], SIGTERM);
            passed_on = 1;
        } else {
            nanosleep(&tick, NULL);
        }
    }
    return failed;
}

/* --jobs J > 1: J processes, each with its share of the threads. A SIGINT or
 * SIGTERM sent to this process alone (a job manager, `kill`, `timeout`) is
 * passed on to the jobs, so none is left running without it; the finished
 * runs stay on disk for the resume. */
static int run_job_processes(const repro_config *c, const repro_opts *o, int shard, int shards,
                             const vdl_dataset *train, const vdl_dataset *test)
{
    const int per = (o->threads > 0 ? o->threads : vdl_threads()) / o->jobs;
    void (*before_chld)(int) = signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap them for us */
    sigset_t stops, before;
    pid_t pids[MAX_JOBS];
    int n, failed = 0, sig;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    fflush(NULL);
    cli_interrupt_catch();
    for (n = 0; n < o->jobs && !cli_interrupted(); n++) {
        /* a signal during the fork waits until each process has its own handlers */
        sigprocmask(SIG_BLOCK, &stops, &before);
        pids[n] = fork();
        if (pids[n] == 0) {
            cli_interrupt_release(); /* a job stops at once; its finished runs are on disk */
            sigprocmask(SIG_SETMASK, &before, NULL);
            vdl_set_threads(per > 0 ? per : 1);
            _exit(run_slice(c, o, shard, shards, n, o->jobs, train, test));
        }
        sigprocmask(SIG_SETMASK, &before, NULL);
        if (pids[n] < 0) {
            cli_fail("reproduce", "cannot start job %d: %s", n + 1, strerror(errno));
            failed = 1; /* and the started jobs are stopped */
            break;
        }
    }
    failed |= wait_jobs(pids, n, failed);
    sig = cli_interrupted();
    cli_interrupt_release();
    if (before_chld != SIG_ERR)
        signal(SIGCHLD, before_chld);
    if (sig)
        return cli_fail("reproduce", "%s; the finished runs are kept in %s/runs: run the same command to go on",
                        sig == SIGINT ? "interrupted" : "stopped by a signal", o->out),
               128 + sig;
    return failed ? cli_fail("reproduce", "a job failed, or could not be started (see the message above)") : 0;
}
#endif

/* --jobs J: J processes, or this one. */
static int run_jobs(const repro_config *c, const repro_opts *o, int shard, int shards, const vdl_dataset *train,
                    const vdl_dataset *test)
{
#ifdef HAVE_POSIX
    if (o->jobs > 1)
        return run_job_processes(c, o, shard, shards, train, test);
#endif
    return run_slice(c, o, shard, shards, 0, 1, train, test);
}

/* Copy the run files of every merged folder that the output lacks. */
static int merge(const repro_config *c, const char *out, const char **dirs, int n)
{
    static const char methods[] = "abcdef";
    char name[64], from[4096], to[4096];
    int d, m, l, s, h;
    for (d = 0; d < n; d++) {
        if (settings(c, dirs[d], 1))
            return 1;
        for (s = 1; s <= c->seeds; s++)
            for (m = 0; m < REPRO_METHODS + 2; m++)
                for (l = 0; l < (m < REPRO_METHODS ? c->n_lambdas : 1); l++) {
                    unsigned char *data;
                    size_t len;
                    if (m < REPRO_METHODS)
                        repro_run_name(name, sizeof name, methods[m], c->lambdas[l], s);
                    else
                        snprintf(name, sizeof name, "dense-%c-s%d.csv", m == REPRO_METHODS ? 'c' : 'e', s);
                    snprintf(from, sizeof from, "%s/runs/%s", dirs[d], name);
                    snprintf(to, sizeof to, "%s/runs/%s", out, name);
                    if (vdl_read_file(to, 1 << 20, &data, &len) == VDL_OK) {
                        vdl_free(data);
                        continue;
                    }
                    if (vdl_read_file(from, 1 << 20, &data, &len) != VDL_OK)
                        continue;
                    h = vdl_write_file_atomic(to, data, len);
                    vdl_free(data);
                    if (h != VDL_OK)
                        return cli_fail("reproduce", "%s", vdl_error());
                }
    }
    return 0;
}

int cmd_reproduce(int argc, char **argv)
{
    repro_opts o = {NULL, "default", "data/mnist", "1/1", NULL, 0, 0, 0, 1, 0, -1, 0, 0};
    const cli_opt opts[] = {
        {"--out", OPT_STRING, &o.out, "DIR", "results folder (default results/reproduce, or results/quick)"},
        {"--quick", OPT_FLAG, &o.quick, NULL, "a small labelled version: 2 epochs, 2 seeds (a few minutes)"},
        {"--preset", OPT_STRING, &o.preset, "P", "default (Adam) or paper (SGD)"},
        {"--epochs", OPT_INT, &o.epochs, "N", "epochs of a, c and e (default 25; quick 2)"},
        {"--seeds", OPT_INT, &o.seeds, "S", "seeds 1..S (default 5; quick 2)"},
        {"--lambda", OPT_STRING, &o.lambdas, "L[,L...]", "the lambda grid (default 0.1,1,10,100)"},
        {"--evidence", OPT_INT, &o.evidence, "S", "Monte Carlo draws for the evidence (default 3; quick 1)"},
        {"--no-dense", OPT_FLAG, &o.no_dense, NULL, "skip the dense lambda grid of figure 3"},
        {"--jobs", OPT_INT, &o.jobs, "J", "run J work groups at once (processes, 1..64; default 1)"},
        {"--shard", OPT_STRING, &o.shard, "I/N", "run only the I-th of N slices of the work (default 1/1)"},
        {"--merge", OPT_FLAG, &o.merge, NULL, "combine the shard folders given as arguments into --out"},
        {"--data", OPT_STRING, &o.data, "DIR", "MNIST folder (default data/mnist; fetched if missing)"},
        {"--threads", OPT_INT, &o.threads, "N", "threads in all (default 0: all cores, a job using one while that is faster)"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    const char *pos[64];
    repro_config c;
    repro_summary s;
    vdl_dataset train, test;
    int n_pos, code, shard = 1, shards = 1, rc = 0, n;
    if (cli_parse(argc, argv, "reproduce", "[options] | --merge SHARD_DIR... --out DIR [options]",
                  "Reproduce the paper's experiment: methods a-f at every lambda and seed, then\n"
                  "Tables 1-3 (Markdown and CSV), figure1.svg (pruning curves, six panels),\n"
                  "figure2.svg (accuracy vs lambda) and figure3.svg (hypernets over a dense lambda\n"
                  "grid). Finished runs are kept: rerunning resumes. Use the same options for\n"
                  "--merge as for the shards.",
                  opts, pos, 64, &n_pos, &code))
        return code;
    if (repro_config_make(&c, o.preset, o.quick) != VDL_OK)
        return cli_fail("reproduce", "%s", vdl_error()), 2;
    if (o.epochs)
        c.epochs = o.epochs;
    if (o.seeds)
        c.seeds = o.seeds;
    if (o.evidence >= 0)
        c.evidence_samples = o.evidence;
    c.dense = !o.no_dense;
    c.tune_threads = o.threads == 0;
    if (o.lambdas) {
        n = cli_parse_list(o.lambdas, c.lambdas, REPRO_MAX_LAMBDAS);
        if (n < 0)
            return cli_fail("reproduce", "--lambda takes numbers in [0.1, 100] separated by commas"), 2;
        c.n_lambdas = n;
        for (n = 0; n < c.n_lambdas; n++)
            if (!(c.lambdas[n] >= 0.1 && c.lambdas[n] <= 100))
                return cli_fail("reproduce", "lambda %g is outside the hypernets' range [0.1, 100]", c.lambdas[n]), 2;
    }
    if (c.epochs < 1 || c.seeds < 1 || c.seeds > REPRO_MAX_SEEDS || c.evidence_samples < 1 || o.jobs < 1 ||
        o.jobs > MAX_JOBS)
        return cli_fail("reproduce", "need epochs >= 1, seeds in 1..%d, evidence >= 1, jobs in 1..%d",
                        REPRO_MAX_SEEDS, MAX_JOBS), 2;
    if (sscanf(o.shard, "%d/%d", &shard, &shards) != 2 || shards < 1 || shard < 1 || shard > shards)
        return cli_fail("reproduce", "--shard takes I/N with 1 <= I <= N, got '%s'", o.shard), 2;
    if (o.merge != (n_pos > 0))
        return cli_fail("reproduce", o.merge ? "--merge needs the shard folders as arguments"
                                             : "unexpected argument '%s'", pos[0]), 2;
    if (!o.out)
        o.out = o.quick ? "results/quick" : "results/reproduce";
    if (cli_set_threads("reproduce", o.threads))
        return 2;
    if (make_dir(o.out) || settings(&c, o.out, 0))
        return 1;
    {
        char runs[4096];
        snprintf(runs, sizeof runs, "%s/runs", o.out);
        if (make_dir(runs))
            return 1;
    }
    if (o.merge) {
        rc = merge(&c, o.out, pos, n_pos);
    } else {
        if (cli_load_mnist("reproduce", o.data, 1, 1, &train))
            return 1;
        if (cli_load_mnist("reproduce", o.data, 0, 0, &test)) {
            vdl_dataset_free(&train);
            return 1;
        }
        fprintf(stderr, "reproduce%s: %d epochs, %d seeds, preset %s, shard %d/%d, %d job(s), results in %s\n",
                o.quick ? " (QUICK: a small version, not the paper's setting)" : "", c.epochs, c.seeds,
                c.preset, shard, shards, o.jobs, o.out);
        rc = run_jobs(&c, &o, shard - 1, shards, &train, &test);
        vdl_dataset_free(&train);
        vdl_dataset_free(&test);
    }
    if (rc)
        return rc;
    repro_summarize(&c, o.out, &s);
    if (repro_write_tables(&c, &s, o.out) != VDL_OK || repro_write_figures(&s, o.out) != VDL_OK)
        return cli_fail("reproduce", "%s", vdl_error());
    printf("results in %s: table1.md to table4.md (and .csv), figure1.svg, figure2.svg, figure3.svg\n",
           o.out);
    if (s.missing)
        printf("%d run files are still missing (other shards, or an interrupted run): the tables are partial\n",
               s.missing);
    return 0;
}
