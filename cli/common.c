/*
 * common.c: what several subcommands do: load MNIST (fetching it when
 * missing), turn training options into configurations, train with progress
 * and checkpoints, and load models.
 */
#define _POSIX_C_SOURCE 200809L /* readlink, on Linux only */
#include "cli.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VDL_SCRIPTS_DIR
#define VDL_SCRIPTS_DIR "scripts"
#endif

#if defined(__linux__)
#include <unistd.h>
#endif

/* fetch-mnist's path: an installed vdl finds it beside itself in
 * <prefix>/share/vdl (found through /proc/self/exe, Linux only, so that
 * `cmake --install --prefix` works); otherwise the source tree's scripts/. */
static void fetch_script(char *path, size_t size)
{
#if defined(__linux__)
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    if (n > 0) {
        exe[n] = 0;
        if ((slash = strrchr(exe, '/')) != NULL) {
            FILE *f;
            *slash = 0;
            snprintf(path, size, "%s/../share/vdl/fetch-mnist", exe);
            if ((f = fopen(path, "r")) != NULL) {
                fclose(f);
                return;
            }
        }
    }
#endif
    snprintf(path, size, "%s/fetch-mnist", VDL_SCRIPTS_DIR);
}

int cli_fetch_mnist(const char *dest, const char *from)
{
    char cmd[8192], script[4200];
    fetch_script(script, sizeof script);
    if (strchr(dest, '\'') || strchr(script, '\'') || (from && strchr(from, '\'')))
        return cli_fail("data", "paths with a single quote are not supported");
    snprintf(cmd, sizeof cmd, "bash '%s' --dest '%s'%s%s%s", script, dest, from ? " --from '" : "",
             from ? from : "", from ? "'" : "");
    return system(cmd) == 0 ? 0 : 1;
}

int cli_load_mnist(const char *cmd, const char *dir, int train, int fetch, vdl_dataset *d)
{
    int rc = vdl_mnist_load(dir, train, d);
    if (rc == VDL_ENOTFOUND && fetch) {
        fprintf(stderr, "vdl %s: MNIST is not in '%s'; fetching it\n", cmd, dir);
        if (cli_fetch_mnist(dir, NULL) != 0)
            return cli_fail(cmd, "could not fetch MNIST into '%s' (see the message above)", dir);
        rc = vdl_mnist_load(dir, train, d);
    }
    if (rc != VDL_OK)
        return cli_fail(cmd, "%s", vdl_error());
    return 0;
}

void train_opts_defaults(train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->model = "direct";
    o->preset = "default";
    o->data = "data/mnist";
    o->format = "table";
    o->lambda = 1;
    o->epochs = -1; /* 25, or a resumed run's own */
    o->batch = 256;
    o->lr = o->momentum = o->clip = o->rank_scale = o->factor_lr = o->lambda_weight = -1; /* from the preset */
    o->draws = -1;
    o->prior_var = 0.1;
    o->hidden = 100;
    o->hyper_hidden = 50;
    o->rank = INT_MIN; /* from the preset; any value given is checked */
    o->anchors = 5;
    o->seed = 1;
}

void train_opts_table(train_opts *o, cli_opt *t)
{
    const cli_opt table[TRAIN_OPTS] = {
        {"--model", OPT_STRING, &o->model, "KIND", "direct, linear, lowrank or piecewise (default direct)"},
        {"--lambda", OPT_DOUBLE, &o->lambda, "L", "complexity for direct training (default 1)"},
        {"--epochs", OPT_INT, &o->epochs, "N", "epochs in all, counting resumed ones (default 25, or the resumed run's)"},
        {"--batch", OPT_INT, &o->batch, "B", "minibatch size (default 256)"},
        {"--preset", OPT_STRING, &o->preset, "P", "default (Adam) or paper (SGD); see docs/models.md"},
        {"--optim", OPT_STRING, &o->optim, "O", "adam or sgd (default: the preset's)"},
        {"--lr", OPT_DOUBLE, &o->lr, "R", "learning rate (default: Adam 5e-4, SGD 0.01)"},
        {"--momentum", OPT_DOUBLE, &o->momentum, "M", "SGD momentum (default 0)"},
        {"--clip", OPT_DOUBLE, &o->clip, "C", "clip gradients to +-C, 0 = off (default 1)"},
        {"--prior-var", OPT_DOUBLE, &o->prior_var, "V", "prior variance s_p^2 (default 0.1)"},
        {"--draws", OPT_INT, &o->draws, "K", "hypernets: lambda draws per minibatch (lowrank 1, others 5)"},
        {"--hidden", OPT_INT, &o->hidden, "H", "classifier hidden units (default 100)"},
        {"--hyper-hidden", OPT_INT, &o->hyper_hidden, "H", "low-rank hypernet hidden units (default 50)"},
        {"--rank", OPT_INT, &o->rank, "R", "low-rank: rank of each matrix's correction (default 1, eq. 6)"},
        {"--mean-correction", OPT_STRING, &o->mean_correction, "M",
         "low-rank: multiplicative (default) or additive (eq. 6, the paper preset)"},
        {"--sigma-correction", OPT_STRING, &o->sigma_correction, "M",
         "low-rank: the same for the log sigmas (default multiplicative)"},
        {"--lambda-weight", OPT_DOUBLE, &o->lambda_weight, "P",
         "low-rank: weigh each draw's loss by lambda^-P (default 0.5; 0 = eq. 8, paper preset)"},
        {"--rank-scale", OPT_DOUBLE, &o->rank_scale, "S", "low-rank: factor on the low-rank term (default 1)"},
        {"--factor-lr", OPT_DOUBLE, &o->factor_lr, "F", "low-rank: lr multiplier of the log-sigma factors (default 0.05, paper 0.02)"},
        {"--anchors", OPT_INT, &o->anchors, "N", "piecewise: anchor models over lambda (default 5)"},
        {"--seed", OPT_INT, &o->seed, "S", "random seed (default 1)"},
        {"--data", OPT_STRING, &o->data, "DIR", "MNIST folder (default data/mnist; fetched if missing)"},
        {"--out", OPT_STRING, &o->out, "FILE", "checkpoint written after every epoch"},
        {"--resume", OPT_STRING, &o->resume, "FILE", "continue training from a checkpoint"},
        {"--threads", OPT_INT, &o->threads, "N", "threads (default 0: all cores, or one while that is faster)"},
        {"--quiet", OPT_FLAG, &o->quiet, NULL, "no progress output"},
    };
    memcpy(t, table, sizeof table);
}

/* NULL (not given) or one of the two names of a low-rank correction */
static int correction_ok(const char *name)
{
    return !name || strcmp(name, "multiplicative") == 0 || strcmp(name, "additive") == 0;
}

int train_opts_resolve(const char *cmd, const train_opts *o, vdl_model_config *mc, vdl_train_config *tc)
{
    int kind = vdl_model_kind_parse(o->model), sizes[3];
    int paper;
    if (kind < 0)
        return cli_fail(cmd, "unknown model '%s' (use direct, linear, lowrank or piecewise)", o->model);
    if (strcmp(o->preset, "default") != 0 && strcmp(o->preset, "paper") != 0)
        return cli_fail(cmd, "unknown preset '%s' (use default or paper)", o->preset);
    paper = strcmp(o->preset, "paper") == 0;
    *mc = paper ? vdl_model_paper((vdl_model_kind)kind) : vdl_model_defaults((vdl_model_kind)kind);
    *tc = paper ? vdl_train_paper((vdl_model_kind)kind) : vdl_train_defaults((vdl_model_kind)kind);
    if (!(o->lambda > 0))
        return cli_fail(cmd, "--lambda must be > 0, got %g", o->lambda);
    if (o->epochs < 1 && o->epochs != -1)
        return cli_fail(cmd, "--epochs must be >= 1, got %d", o->epochs);
    if (o->batch < 1)
        return cli_fail(cmd, "--batch must be >= 1, got %d", o->batch);
    if (!(o->prior_var > 0))
        return cli_fail(cmd, "--prior-var must be > 0, got %g", o->prior_var);
    if (o->hidden < 1 || o->hyper_hidden < 1)
        return cli_fail(cmd, "--hidden and --hyper-hidden must be >= 1");
    if (o->rank != INT_MIN && (o->rank < 1 || o->rank > VDL_MODEL_MAX_RANK))
        return cli_fail(cmd, "--rank must be in 1..%d, got %d", VDL_MODEL_MAX_RANK, o->rank);
    if (!correction_ok(o->mean_correction))
        return cli_fail(cmd, "unknown --mean-correction '%s' (use multiplicative or additive)", o->mean_correction);
    if (!correction_ok(o->sigma_correction))
        return cli_fail(cmd, "unknown --sigma-correction '%s' (use multiplicative or additive)", o->sigma_correction);
    if (o->lambda_weight != -1 && !(o->lambda_weight >= 0 && o->lambda_weight <= VDL_MODEL_MAX_LAMBDA_WEIGHT))
        return cli_fail(cmd, "--lambda-weight must be in 0..%d, got %g", VDL_MODEL_MAX_LAMBDA_WEIGHT, o->lambda_weight);
    if (o->anchors < 2 || o->anchors > VDL_MODEL_MAX_ANCHORS)
        return cli_fail(cmd, "--anchors must be in 2..%d, got %d", VDL_MODEL_MAX_ANCHORS, o->anchors);
    if (o->draws == 0 || o->draws < -1)
        return cli_fail(cmd, "--draws must be >= 1, got %d", o->draws);
    if (o->optim) {
        /* another optimizer than the preset's brings its own lr and momentum */
        vdl_train_config alt;
        if (strcmp(o->optim, "adam") == 0)
            alt = vdl_train_defaults((vdl_model_kind)kind);
        else if (strcmp(o->optim, "sgd") == 0)
            alt = vdl_train_paper((vdl_model_kind)kind);
        else
            return cli_fail(cmd, "unknown optimizer '%s' (use adam or sgd)", o->optim);
        if (alt.optim != tc->optim) {
            tc->optim = alt.optim;
            tc->lr = alt.lr;
            tc->momentum = alt.momentum;
        }
    }
    if (o->lr >= 0) {
        if (!(o->lr > 0))
            return cli_fail(cmd, "--lr must be > 0, got %g", o->lr);
        tc->lr = o->lr;
    }
    if (o->momentum >= 0)
        tc->momentum = o->momentum;
    if (o->clip >= 0)
        tc->clip_value = o->clip;
    if (o->draws > 0)
        tc->lambda_draws = o->draws;
    if (o->rank_scale >= 0)
        mc->rank_scale = o->rank_scale;
    if (o->factor_lr > 0)
        mc->factor_lr_scale = o->factor_lr;
    sizes[0] = 784;
    sizes[1] = o->hidden;
    sizes[2] = 10;
    vdl_mlp_arch_make(&mc->arch, 3, sizes);
    mc->hyper_hidden = o->hyper_hidden;
    if (mc->kind == VDL_MODEL_LOWRANK) {
        if (o->rank > 0)
            mc->hyper_rank = o->rank;
        if (o->mean_correction)
            mc->multiplicative_means = strcmp(o->mean_correction, "multiplicative") == 0;
        if (o->sigma_correction)
            mc->multiplicative_log_sigmas = strcmp(o->sigma_correction, "multiplicative") == 0;
        if (o->lambda_weight >= 0)
            mc->lambda_weight = o->lambda_weight;
    }
    if (mc->kind == VDL_MODEL_PIECEWISE)
        mc->anchors = o->anchors;
    if (o->epochs > 0)
        tc->epochs = o->epochs;
    tc->batch = o->batch;
    tc->lambda = o->lambda;
    tc->prior_sigma = sqrt(o->prior_var);
    tc->seed = (uint64_t)o->seed;
    if (vdl_train_config_check(tc, 0) != VDL_OK)
        return cli_fail(cmd, "%s", vdl_error());
    return cli_set_threads(cmd, o->threads);
}

/* After an interruption: save where training stands and say how to go on. */
static int save_interrupted(const char *cmd, const vdl_model *m, const vdl_trainer *tr, const char *out, int sig)
{
    const char *name = sig == SIGINT ? "interrupted" : "stopped by a signal";
    if (!out)
        return cli_fail(cmd, "%s at step %ld; nothing saved", name, tr->step), 128 + sig;
    if (vdl_checkpoint_save(out, m, tr) != VDL_OK)
        return cli_fail(cmd, "%s at step %ld, and the checkpoint could not be saved: %s", name, tr->step,
                        vdl_error());
    cli_fail(cmd, "%s after step %ld (%ld of %ld minibatches into epoch %d); saved '%s': continue with vdl train --resume %s",
             name, tr->step, vdl_trainer_position(tr), vdl_trainer_batches(tr), tr->epoch + 1, out, out);
    return 128 + sig;
}

int cli_train_model(const char *cmd, vdl_model *m, const vdl_dataset *train, const vdl_train_config *tc,
                    const vdl_train_state *resume, const char *out, int quiet, int threads)
{
    vdl_trainer tr;
    vdl_thread_tuner tuner;
    cli_progress p;
    long saved = -1; /* step of the last checkpoint this run wrote */
    int rc = vdl_trainer_init(&tr, m, train, tc), sig;
    if (rc == VDL_OK && resume && (rc = vdl_trainer_restore(&tr, resume)) != VDL_OK)
        vdl_trainer_free(&tr);
    if (rc != VDL_OK)
        return cli_fail(cmd, "%s", vdl_error());
    progress_init(&p, vdl_model_kind_name(m->cfg.kind), &tr, tc->epochs, quiet);
    vdl_thread_tuner_init(&tuner, threads == 0 ? vdl_threads() : 1);
    cli_interrupt_catch();
    while (rc == VDL_OK && tr.epoch < tc->epochs && !cli_interrupted()) {
        int epoch = tr.epoch;
        long b = vdl_trainer_position(&tr) + 1;
        if ((rc = vdl_trainer_step(&tr)) != VDL_OK)
            break;
        vdl_thread_tuner_step(&tuner, vdl_now());
        progress_batch(&p, &tr, b, vdl_trainer_batches(&tr));
        if (tr.epoch > epoch) {
            progress_epoch(&p, &tr);
            if (out && (rc = vdl_checkpoint_save(out, m, &tr)) == VDL_OK)
                saved = tr.step;
        }
    }
    sig = rc == VDL_OK ? cli_interrupted() : 0;
    cli_interrupt_release();
    if (p.tty && !quiet && (rc != VDL_OK || sig))
        fputc('\n', stderr);
    if (sig)
        rc = save_interrupted(cmd, m, &tr, out, sig);
    else if (rc == VDL_ENUMERIC && saved >= 0)
        rc = cli_fail(cmd, "%s; training stopped, '%s' keeps the last good checkpoint (step %ld)", vdl_error(), out,
                      saved);
    else if (rc == VDL_ENUMERIC)
        rc = cli_fail(cmd, "%s; training stopped, nothing saved%s%s%s", vdl_error(), out ? " ('" : "",
                      out ? out : "", out ? "' is as it was)" : "");
    else if (rc != VDL_OK)
        rc = cli_fail(cmd, "%s", vdl_error());
    vdl_trainer_free(&tr);
    return rc;
}

int cli_load_model(const char *cmd, const char *path, vdl_model *m, vdl_train_state *st)
{
    if (vdl_checkpoint_load(path, m, st) != VDL_OK)
        return cli_fail(cmd, "%s", vdl_error());
    return 0;
}

int cli_direct_at(const char *cmd, const vdl_model *m, double lambda, vdl_model *out)
{
    int rc;
    if (m->cfg.kind == VDL_MODEL_DIRECT) {
        rc = vdl_model_alloc(out, &m->cfg);
        rc = rc ? rc : vdl_params_copy(&out->params, &m->params);
    } else {
        rc = vdl_model_generate(m, lambda, out);
    }
    return rc == VDL_OK ? 0 : cli_fail(cmd, "%s", vdl_error());
}

int cli_report_accuracy(const char *cmd, const vdl_model *m, double lambda, const char *data, out_format fmt)
{
    static const double paper[4] = {0.1, 1, 10, 100};
    static const char *head[3] = {"lambda", "accuracy", "mc_accuracy"};
    vdl_dataset test;
    cli_table t;
    int i, n = m->cfg.kind == VDL_MODEL_DIRECT ? 1 : 4, rc = 0;
    if (cli_load_mnist(cmd, data, 0, 0, &test))
        return 1;
    table_init(&t, "test accuracy (at the posterior means; Monte Carlo mean of 10 draws)", 3, head);
    for (i = 0; rc == 0 && i < n; i++) {
        double l = n == 1 ? lambda : paper[i], v[2];
        char label[32];
        vdl_model direct;
        if ((rc = cli_direct_at(cmd, m, l, &direct)) != 0)
            break;
        if (vdl_eval_accuracy(&direct, &test, &v[0]) || vdl_eval_mc_accuracy(&direct, &test, 10, 1, &v[1]))
            rc = cli_fail(cmd, "%s", vdl_error());
        vdl_model_free(&direct);
        snprintf(label, sizeof label, "%g", l);
        table_row(&t, label, "%.4f", v, 2);
    }
    if (rc == 0)
        table_print(&t, fmt);
    vdl_dataset_free(&test);
    return rc;
}
