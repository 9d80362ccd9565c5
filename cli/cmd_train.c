/*
 * cmd_train.c: `vdl train`: train a direct model or a hypernet on MNIST,
 * checkpointing every epoch; --resume continues a run exactly.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

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
    train_opts_defaults(&o);
    train_opts_table(&o, opts);
    opts[TRAIN_OPTS].name = "--format";
    opts[TRAIN_OPTS].kind = OPT_STRING;
    opts[TRAIN_OPTS].dest = &o.format;
    opts[TRAIN_OPTS].metavar = "F";
    opts[TRAIN_OPTS].help = "results as table, csv or json (default table)";
    memset(&opts[TRAIN_OPTS + 1], 0, sizeof opts[0]);
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
        vdl_set_threads(o.threads);
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
        rc = cli_train_model("train", &m, &train, &tc, o.resume ? &st : NULL, o.out, o.quiet);
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
