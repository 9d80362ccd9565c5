/*
 * cmd_train.c: `vdl train`: train a direct model or a hypernet on MNIST,
 * checkpointing every epoch; --resume continues a run exactly.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Options that shape a run: its checkpoint holds them, so a resumed run
 * refuses them rather than silently ignoring them. */
static const char *const run_options[] = {
    "--model", "--lambda", "--batch", "--preset", "--optim", "--lr", "--momentum", "--clip", "--prior-var",
    "--draws", "--hidden", "--hyper-hidden", "--rank", "--mean-correction", "--sigma-correction", "--lambda-weight",
    "--rank-scale", "--factor-lr", "--anchors", "--seed", NULL,
};

/* The first run-shaping option given, or NULL. */
static const char *run_option_given(int argc, char **argv, const cli_opt *opts)
{
    int i;
    for (i = 0; run_options[i]; i++)
        if (cli_given(argc, argv, opts, run_options[i]))
            return run_options[i];
    return NULL;
}

void train_cmd_options(train_opts *o, cli_opt *opts)
{
    train_opts_defaults(o);
    train_opts_table(o, opts);
    opts[TRAIN_OPTS].name = "--format";
    opts[TRAIN_OPTS].kind = OPT_STRING;
    opts[TRAIN_OPTS].dest = &o->format;
    opts[TRAIN_OPTS].metavar = "F";
    opts[TRAIN_OPTS].help = "results as table, csv or json (default table)";
    memset(&opts[TRAIN_OPTS + 1], 0, sizeof opts[0]);
}

int cmd_train(int argc, char **argv)
{
    train_opts o;
    cli_opt opts[TRAIN_OPTS + 2];
    vdl_model_config mc;
    vdl_train_config tc;
    vdl_train_state st;
    vdl_model m;
    vdl_dataset train;
    const char *pos[1];
    char default_out[64];
    int n_pos, code, rc, fmt;
    train_cmd_options(&o, opts);
    if (cli_parse(argc, argv, "train", "[options]",
                  "Train the variational MLP directly at one lambda, or a linear, low-rank or\n"
                  "piecewise hypernetwork over lambda in [0.1, 100], on MNIST. Writes a checkpoint after\n"
                  "every epoch and prints the test accuracy at the end.",
                  opts, pos, 0, &n_pos, &code))
        return code;
    if ((fmt = cli_format(o.format)) < 0)
        return cli_fail("train", "unknown format '%s' (use table, csv or json)", o.format);
    if (o.epochs < 1 && o.epochs != -1)
        return cli_fail("train", "--epochs must be >= 1, got %d", o.epochs), 2;
    memset(&st, 0, sizeof st);
    if (o.resume && run_option_given(argc, argv, opts))
        return cli_fail("train", "%s cannot change a resumed run (its settings are in '%s'); with --resume give only "
                        "--epochs, --data, --out, --threads, --quiet or --format",
                        run_option_given(argc, argv, opts), o.resume), 2;
    if (o.resume) {
        if (cli_load_model("train", o.resume, &m, &st))
            return 1;
        if (!st.present) {
            vdl_model_free(&m);
            return cli_fail("train", "'%s' holds a model but no training state to resume", o.resume);
        }
        tc = st.cfg;
        if (o.epochs > 0)
            tc.epochs = o.epochs; /* a resumed run may be extended */
        if (cli_set_threads("train", o.threads)) {
            vdl_train_state_free(&st);
            vdl_model_free(&m);
            return 2;
        }
        if (!o.out)
            o.out = o.resume;
    } else {
        if (train_opts_resolve("train", &o, &mc, &tc))
            return 2;
        if (vdl_model_init(&m, &mc, tc.seed) != VDL_OK)
            return cli_fail("train", "%s", vdl_error());
        if (!o.out) {
            snprintf(default_out, sizeof default_out, "%s.vdl", o.model);
            o.out = default_out;
        }
    }
    rc = cli_load_mnist("train", o.data, 1, 1, &train);
    if (rc == 0) {
        rc = cli_train_model("train", &m, &train, &tc, o.resume ? &st : NULL, o.out, o.quiet, o.threads);
        vdl_dataset_free(&train);
    }
    if (rc == 0 && !o.quiet)
        fprintf(stderr, "saved %s\n", o.out);
    if (rc == 0)
        rc = cli_report_accuracy("train", &m, tc.lambda, o.data, (out_format)fmt);
    vdl_train_state_free(&st);
    vdl_model_free(&m);
    return rc;
}
