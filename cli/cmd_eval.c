/*
 * cmd_eval.c: `vdl eval` (accuracy, Monte Carlo accuracy, likelihood, KL and
 * evidence) and `vdl prune` (pruning curves and stability) of a model file.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_LAMBDAS 32

typedef struct eval_opts {
    const char *lambdas, *data, *format;
    double prior_var;
    int mc, evidence, steps, global, threads;
} eval_opts;

/* The lambdas to evaluate: given, or the model's own (direct), or the four
 * of the paper (hypernet). Returns the count, or 0 after printing an error. */
static int pick_lambdas(const char *cmd, const char *list, const vdl_model *m, const vdl_train_state *st,
                        double *out)
{
    static const double paper[4] = {0.1, 1, 10, 100};
    int i, n;
    if (list) {
        n = cli_parse_list(list, out, MAX_LAMBDAS);
        if (n < 0)
            return cli_fail(cmd, "--lambda takes numbers separated by commas, got '%s'", list), 0;
        for (i = 0; i < n; i++)
            if (!vdl_model_lambda_ok(m, out[i]))
                return cli_fail(cmd, "%s", vdl_error()), 0;
        return n;
    }
    if (m->cfg.kind == VDL_MODEL_DIRECT) {
        out[0] = st->present ? st->cfg.lambda : 1;
        return 1;
    }
    memcpy(out, paper, sizeof paper);
    return 4;
}

/* Parse, load the model, pick lambdas and apply threads: shared by both commands. */
static int open_model(int argc, char **argv, const char *cmd, const char *about, eval_opts *o,
                      const cli_opt *opts, vdl_model *m, double *lambdas, int *n, int *fmt, int *code)
{
    vdl_train_state st;
    const char *pos[1];
    int n_pos;
    if (cli_parse(argc, argv, cmd, "MODEL.vdl [options]", about, opts, pos, 1, &n_pos, code))
        return 1;
    *code = 2;
    if (n_pos != 1)
        return cli_fail(cmd, "give one model file (see vdl %s --help)", cmd);
    if ((*fmt = cli_format(o->format)) < 0)
        return cli_fail(cmd, "unknown format '%s' (use table, csv or json)", o->format);
    if (!(o->prior_var > 0) && o->prior_var != -1)
        return cli_fail(cmd, "--prior-var must be > 0");
    if (cli_set_threads(cmd, o->threads))
        return 1;
    *code = 1;
    if (cli_load_model(cmd, pos[0], m, &st))
        return 1;
    if (o->prior_var == -1) /* not given: the one the model was trained with */
        o->prior_var = st.present ? st.cfg.prior_sigma * st.cfg.prior_sigma : 0.1;
    *n = pick_lambdas(cmd, o->lambdas, m, &st, lambdas);
    vdl_train_state_free(&st);
    if (*n == 0) {
        vdl_model_free(m);
        *code = 2;
        return 1;
    }
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    static const char *head[6] = {"lambda", "accuracy", "mc_accuracy", "log_likelihood", "kl", "evidence"};
    eval_opts o = {NULL, "data/mnist", "table", -1, 10, 3, 10, 0, 0};
    const cli_opt opts[] = {
        {"--lambda", OPT_STRING, &o.lambdas, "L[,L...]", "lambdas (default: the model's, or 0.1,1,10,100 for a hypernet)"},
        {"--mc", OPT_INT, &o.mc, "S", "weight draws for the Monte Carlo accuracy (default 10)"},
        {"--evidence", OPT_INT, &o.evidence, "S", "draws for E_q log p(D|w) on the training set, 0 = skip (default 3)"},
        {"--prior-var", OPT_DOUBLE, &o.prior_var, "V", "prior variance for the KL (default: the model's, else 0.1)"},
        {"--data", OPT_STRING, &o.data, "DIR", "MNIST folder (default data/mnist)"},
        {"--format", OPT_STRING, &o.format, "F", "table, csv or json (default table)"},
        {"--threads", OPT_INT, &o.threads, "N", "threads (default: all cores)"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    double lambdas[MAX_LAMBDAS];
    vdl_dataset test, train;
    vdl_model m;
    cli_table t;
    int n = 0, fmt = 0, code, i, rc = 0;
    if (open_model(argc, argv, "eval",
                   "Test accuracy at the posterior means and by Monte Carlo over weight draws, and\n"
                   "the generalized evidence E_q log p(D|w) - lambda KL on the training set,\n"
                   "with the likelihood and the KL reported separately.",
                   &o, opts, &m, lambdas, &n, &fmt, &code))
        return code;
    if (o.mc < 1 || o.evidence < 0) {
        vdl_model_free(&m);
        return cli_fail("eval", "--mc must be >= 1 and --evidence >= 0");
    }
    memset(&train, 0, sizeof train);
    if (cli_load_mnist("eval", o.data, 0, 0, &test) ||
        (o.evidence && cli_load_mnist("eval", o.data, 1, 0, &train))) {
        vdl_model_free(&m);
        vdl_dataset_free(&test);
        return 1;
    }
    table_init(&t, NULL, 6, head);
    for (i = 0; rc == 0 && i < n; i++) {
        double v[5] = {NAN, NAN, NAN, NAN, NAN};
        char label[32];
        vdl_model d;
        vdl_evidence ev;
        if ((rc = cli_direct_at("eval", &m, lambdas[i], &d)) != 0)
            break;
        if (vdl_eval_accuracy(&d, &test, &v[0]) || vdl_eval_mc_accuracy(&d, &test, o.mc, 1, &v[1]) ||
            (o.evidence && vdl_eval_evidence(&d, &train, lambdas[i], sqrt(o.prior_var), o.evidence, 1, &ev)))
            rc = cli_fail("eval", "%s", vdl_error());
        else if (o.evidence) {
            v[2] = ev.log_likelihood;
            v[3] = ev.kl;
            v[4] = ev.evidence;
        }
        vdl_model_free(&d);
        snprintf(label, sizeof label, "%g", lambdas[i]);
        table_row(&t, label, "%.6g", v, 5);
    }
    if (rc == 0)
        table_print(&t, (out_format)fmt);
    vdl_dataset_free(&test);
    vdl_dataset_free(&train);
    vdl_model_free(&m);
    return rc;
}

int cli_report_pruning(const char *cmd, const vdl_model *m, const double *lambdas, int n,
                       const vdl_dataset *test, int global, int steps, out_format fmt)
{
    static char names[TABLE_MAX_COLS][16];
    const char *head[TABLE_MAX_COLS];
    double frac[TABLE_MAX_COLS];
    cli_table t;
    int i, k, rc = 0;
    /* steps fractions 0, 1/steps, ... up to 90% (the stability's end point) */
    head[0] = "lambda";
    for (k = 0; k < steps; k++) {
        frac[k] = 0.9 * k / (steps - 1);
        snprintf(names[k], sizeof names[k], "%g%%", 100 * frac[k]);
        head[k + 1] = names[k];
    }
    head[steps + 1] = "stability";
    table_init(&t, global ? "test accuracy by % of weights removed (global ranking)"
                          : "test accuracy by % of weights removed (per-layer ranking)", steps + 2, head);
    for (i = 0; rc == 0 && i < n; i++) {
        double acc[TABLE_MAX_COLS];
        char label[32];
        vdl_model d;
        if ((rc = cli_direct_at(cmd, m, lambdas[i], &d)) != 0)
            break;
        if (vdl_pruning_curve(&d, test, frac, steps, !global, acc) != VDL_OK)
            rc = cli_fail(cmd, "%s", vdl_error());
        acc[steps] = acc[0] / acc[steps - 1];
        vdl_model_free(&d);
        snprintf(label, sizeof label, "%g", lambdas[i]);
        table_row(&t, label, "%.4f", acc, steps + 1);
    }
    if (rc == 0)
        table_print(&t, fmt);
    return rc;
}

int cmd_prune(int argc, char **argv)
{
    eval_opts o = {NULL, "data/mnist", "table", 0.1, 10, 0, 10, 0, 0};
    const cli_opt opts[] = {
        {"--lambda", OPT_STRING, &o.lambdas, "L[,L...]", "lambdas (default: the model's, or 0.1,1,10,100 for a hypernet)"},
        {"--global", OPT_FLAG, &o.global, NULL, "rank all weights together (default: per layer, as the authors)"},
        {"--steps", OPT_INT, &o.steps, "N", "fractions removed: N from 0% to 90% (default 10: 0, 10, ..., 90%)"},
        {"--data", OPT_STRING, &o.data, "DIR", "MNIST folder (default data/mnist)"},
        {"--format", OPT_STRING, &o.format, "F", "table, csv or json (default table)"},
        {"--threads", OPT_INT, &o.threads, "N", "threads (default: all cores)"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    double lambdas[MAX_LAMBDAS];
    vdl_dataset test;
    vdl_model m;
    int n = 0, fmt = 0, code, rc;
    if (open_model(argc, argv, "prune",
                   "Pruning curves: the test accuracy after zeroing the means of the 0%, 10%, ...,\n"
                   "90% of weights with the lowest |mu|/sigma, and the stability\n"
                   "S = accuracy(0%) / accuracy(90%).",
                   &o, opts, &m, lambdas, &n, &fmt, &code))
        return code;
    if (cli_load_mnist("prune", o.data, 0, 0, &test)) {
        vdl_model_free(&m);
        return 1;
    }
    if (o.steps < 2 || o.steps > TABLE_MAX_COLS - 2) {
        vdl_model_free(&m);
        vdl_dataset_free(&test);
        return cli_fail("prune", "--steps must be in 2..%d", TABLE_MAX_COLS - 2), 2;
    }
    rc = cli_report_pruning("prune", &m, lambdas, n, &test, o.global, o.steps, (out_format)fmt);
    vdl_dataset_free(&test);
    vdl_model_free(&m);
    return rc;
}
