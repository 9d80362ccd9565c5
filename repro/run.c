/*
 * run.c: running one work group of the experiment: train, fine-tune,
 * evaluate, and write each run's result file. Finished runs (their file
 * exists) are skipped, and a hypernet's checkpoint is resumed, so an
 * interrupted reproduction continues where it stopped.
 */
#include "vdl_checkpoint.h"
#include "vdl_repro.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct group_ctx {
    const repro_config *c;
    const char *dir;
    const vdl_dataset *train, *test;
    int verbose;
} group_ctx;

static void run_path(const group_ctx *g, char *buf, size_t len, char method, double lambda, int seed)
{
    char name[64];
    repro_run_name(name, sizeof name, method, lambda, seed);
    snprintf(buf, len, "%s/runs/%s", g->dir, name);
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* A vdl_progress_fn that lets the tuner ctx pick the threads. */
static void tune(void *ctx, const vdl_trainer *tr, long b, long n)
{
    (void)tr;
    (void)b;
    (void)n;
    vdl_thread_tuner_step(ctx, vdl_now());
}

/* Train m up to `epochs` with tc (resuming st if given, saving to ckpt after
 * every epoch if given); *steps receives the optimizer steps of the whole run. */
static int train(const group_ctx *g, vdl_model *m, vdl_train_config tc, int epochs,
                 const vdl_train_state *st, const char *ckpt, long *steps)
{
    vdl_trainer tr;
    vdl_thread_tuner tuner;
    int rc;
    tc.epochs = epochs;
    if ((rc = vdl_trainer_init(&tr, m, g->train, &tc)) != VDL_OK)
        return rc;
    if (st && (rc = vdl_trainer_restore(&tr, st)) != VDL_OK) {
        vdl_trainer_free(&tr);
        return rc;
    }
    vdl_thread_tuner_init(&tuner, g->c->tune_threads ? vdl_threads() : 1);
    while (rc == VDL_OK && tr.epoch < epochs) {
        rc = vdl_trainer_epoch(&tr, tune, &tuner);
        if (rc == VDL_OK && ckpt)
            rc = vdl_checkpoint_save(ckpt, m, &tr);
    }
    *steps = tr.step;
    vdl_trainer_free(&tr);
    return rc;
}

/* Measure a direct model at lambda and write the run's file. */
static int evaluate(const group_ctx *g, const vdl_model *d, char method, double lambda, int seed,
                    double updates, double start)
{
    static const double frac[REPRO_PRUNE_STEPS] = {0, .1, .2, .3, .4, .5, .6, .7, .8, .9};
    const vdl_train_config *tc = &g->c->train[VDL_MODEL_DIRECT];
    repro_result r;
    vdl_evidence ev;
    char path[4096];
    int rc;
    memset(&r, 0, sizeof r);
    r.method = method;
    r.lambda = lambda;
    r.seed = seed;
    r.updates = updates;
    rc = vdl_eval_accuracy(d, g->test, &r.accuracy);
    rc = rc ? rc : vdl_eval_mc_accuracy(d, g->test, g->c->mc_samples, (uint64_t)seed, &r.mc_accuracy);
    rc = rc ? rc : vdl_pruning_curve(d, g->test, frac, REPRO_PRUNE_STEPS, 1, r.prune);
    rc = rc ? rc : vdl_eval_evidence(d, g->train, lambda, tc->prior_sigma, g->c->evidence_samples,
                                     (uint64_t)seed, &ev);
    if (rc)
        return rc;
    r.stability = r.prune[0] / r.prune[REPRO_PRUNE_STEPS - 1];
    r.log_likelihood = ev.log_likelihood;
    r.kl = ev.kl;
    r.evidence = ev.evidence;
    r.seconds = vdl_now() - start;
    run_path(g, path, sizeof path, method, lambda, seed);
    if (g->verbose)
        fprintf(stderr, "  %c lambda %-5g seed %d: accuracy %.4f, stability %.3f, evidence %.0f (%.0f s)\n",
                method, lambda, seed, r.accuracy, r.stability, r.evidence, r.seconds);
    return repro_result_write(path, &r);
}

/* a or b: a direct model trained at lambda for `epochs`. */
static int direct_run(const group_ctx *g, char method, int li, int seed)
{
    const double lambda = g->c->lambdas[li], start = vdl_now();
    const int epochs = method == 'a' ? g->c->epochs : 1;
    vdl_train_config tc = g->c->train[VDL_MODEL_DIRECT];
    vdl_model m;
    char path[4096];
    long steps = 0;
    int rc;
    run_path(g, path, sizeof path, method, lambda, seed);
    if (file_exists(path))
        return VDL_OK;
    tc.lambda = lambda;
    tc.seed = (uint64_t)seed;
    if ((rc = vdl_model_init(&m, &g->c->model[VDL_MODEL_DIRECT], (uint64_t)seed)) != VDL_OK)
        return rc;
    rc = train(g, &m, tc, epochs, NULL, NULL, &steps);
    if (rc == VDL_OK)
        rc = evaluate(g, &m, method, lambda, seed, (double)steps * (double)m.params.size, start);
    vdl_model_free(&m);
    return rc;
}

/* The hypernet of group (method, seed): loaded from its checkpoint, trained
 * (or its training resumed) to the full epochs. *steps: its optimizer steps. */
static int hypernet(const group_ctx *g, vdl_model_kind kind, char method, int seed, vdl_model *h, long *steps)
{
    vdl_train_config tc = g->c->train[kind];
    vdl_train_state st;
    char ckpt[4096];
    int rc;
    snprintf(ckpt, sizeof ckpt, "%s/runs/%c-s%d.vdl", g->dir, method, seed);
    tc.seed = (uint64_t)seed;
    if (file_exists(ckpt)) {
        if ((rc = vdl_checkpoint_load(ckpt, h, &st)) != VDL_OK)
            return rc;
        *steps = st.step;
        rc = st.epoch < g->c->epochs ? train(g, h, st.cfg, g->c->epochs, &st, ckpt, steps) : VDL_OK;
        vdl_train_state_free(&st);
    } else {
        if ((rc = vdl_model_init(h, &g->c->model[kind], (uint64_t)seed)) != VDL_OK)
            return rc;
        rc = train(g, h, tc, g->c->epochs, NULL, ckpt, steps);
    }
    if (g->verbose && rc == VDL_OK)
        fprintf(stderr, "  %c seed %d: hypernet trained (%ld steps)\n", method, seed, *steps);
    return rc;
}

/* Figure 3's data: the hypernet's test accuracy over the dense lambda grid. */
static int dense_curve(const group_ctx *g, const vdl_model *h, char method, int seed)
{
    char path[4096], line[64];
    vdl_wbuf b;
    int i, rc = VDL_OK;
    snprintf(path, sizeof path, "%s/runs/dense-%c-s%d.csv", g->dir, method, seed);
    if (file_exists(path))
        return VDL_OK;
    vdl_wbuf_init(&b);
    vdl_wbuf_bytes(&b, "lambda,accuracy\n", 16);
    for (i = 0; rc == VDL_OK && i < REPRO_DENSE; i++) {
        double lambda = repro_dense_lambda(i), acc = 0;
        vdl_model d;
        rc = vdl_model_generate(h, lambda, &d);
        rc = rc ? rc : vdl_eval_accuracy(&d, g->test, &acc);
        vdl_model_free(&d);
        snprintf(line, sizeof line, "%.17g,%.17g\n", lambda, acc);
        vdl_wbuf_bytes(&b, line, strlen(line));
    }
    if (rc == VDL_OK)
        rc = b.failed ? VDL_ENOMEM : vdl_write_file_atomic(path, b.data, b.len);
    vdl_wbuf_free(&b);
    return rc;
}

/* c+d or e+f for one seed: the hypernet, its models at every lambda, and
 * those models fine-tuned for one epoch. */
static int hyper_group(const group_ctx *g, char method, int seed)
{
    const vdl_model_kind kind = method == 'c' ? VDL_MODEL_LOWRANK : VDL_MODEL_LINEAR;
    const char tuned = (char)(method + 1);
    vdl_model h;
    long hyper_steps = 0;
    int li, rc, todo = 0;
    char path[4096];
    for (li = 0; li < g->c->n_lambdas; li++) {
        run_path(g, path, sizeof path, method, g->c->lambdas[li], seed);
        todo += !file_exists(path);
        run_path(g, path, sizeof path, tuned, g->c->lambdas[li], seed);
        todo += !file_exists(path);
    }
    snprintf(path, sizeof path, "%s/runs/dense-%c-s%d.csv", g->dir, method, seed);
    todo += g->c->dense && !file_exists(path);
    if (!todo)
        return VDL_OK;
    if ((rc = hypernet(g, kind, method, seed, &h, &hyper_steps)) != VDL_OK)
        return rc;
    for (li = 0; rc == VDL_OK && li < g->c->n_lambdas; li++) {
        const double lambda = g->c->lambdas[li], hyper_updates = (double)hyper_steps * (double)h.params.size;
        double start = vdl_now();
        vdl_model d;
        vdl_train_config tc = g->c->train[VDL_MODEL_DIRECT];
        long steps = 0;
        run_path(g, path, sizeof path, method, lambda, seed);
        if (!file_exists(path)) {
            rc = vdl_model_generate(&h, lambda, &d);
            rc = rc ? rc : evaluate(g, &d, method, lambda, seed, hyper_updates, start);
            vdl_model_free(&d);
        }
        run_path(g, path, sizeof path, tuned, lambda, seed);
        if (rc == VDL_OK && !file_exists(path)) {
            start = vdl_now();
            tc.lambda = lambda;
            tc.seed = (uint64_t)seed;
            rc = vdl_model_generate(&h, lambda, &d);
            rc = rc ? rc : train(g, &d, tc, 1, NULL, NULL, &steps);
            rc = rc ? rc : evaluate(g, &d, tuned, lambda, seed, hyper_updates + (double)steps * (double)d.params.size, start);
            vdl_model_free(&d);
        }
    }
    if (rc == VDL_OK && g->c->dense)
        rc = dense_curve(g, &h, method, seed);
    vdl_model_free(&h);
    return rc;
}

double repro_dense_lambda(int i)
{
    /* REPRO_DENSE log-spaced values from 0.1 to 100 */
    return pow(10.0, -1.0 + 3.0 * i / (REPRO_DENSE - 1));
}

int repro_run_group(const repro_config *c, int g, const char *dir, const vdl_dataset *train,
                    const vdl_dataset *test, int verbose)
{
    group_ctx ctx;
    char method;
    int li, seed;
    ctx.c = c;
    ctx.dir = dir;
    ctx.train = train;
    ctx.test = test;
    ctx.verbose = verbose;
    repro_group_parts(c, g, &method, &li, &seed);
    if (method == 'c' || method == 'e')
        return hyper_group(&ctx, method, seed);
    return direct_run(&ctx, method, li, seed);
}
