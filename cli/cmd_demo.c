/*
 * cmd_demo.c: `vdl demo`, the README's main job: fetch MNIST if missing,
 * train the linear hypernet for a few epochs, then show what one hypernet
 * gives at four complexities: accuracy and pruning curves.
 */
#include "cli.h"

#include <stdio.h>

int cmd_demo(int argc, char **argv)
{
    static const double lambdas[4] = {0.1, 1, 10, 100};
    train_opts o;
    cli_opt opts[TRAIN_OPTS + 1];
    vdl_model_config mc;
    vdl_train_config tc;
    vdl_model m;
    vdl_dataset train, test;
    const char *pos[1];
    double start = vdl_now();
    int n_pos, code, rc;
    train_opts_defaults(&o);
    o.model = "linear";
    o.epochs = 3;
    o.out = "demo.vdl";
    train_opts_table(&o, opts);
    opts[TRAIN_OPTS].name = NULL;
    cli_set_help(opts, "--model", "direct, linear, lowrank or piecewise (default linear)");
    cli_set_help(opts, "--epochs", "epochs (default 3)");
    cli_set_help(opts, "--out", "checkpoint written after every epoch (default demo.vdl)");
    cli_set_help(opts, "--resume", "not for the demo (use vdl train --resume)");
    if (cli_parse(argc, argv, "demo", "[options]",
                  "Fetch MNIST if it is missing, train a linear hypernetwork over lambda in\n"
                  "[0.1, 100] for a few epochs, and print the test accuracy and the pruning curve\n"
                  "of the classifiers it generates at lambda = 0.1, 1, 10 and 100.",
                  opts, pos, 0, &n_pos, &code))
        return code;
    if (o.resume)
        return cli_fail("demo", "the demo always starts afresh; use vdl train --resume"), 2;
    if (train_opts_resolve("demo", &o, &mc, &tc))
        return 2;
    if (cli_load_mnist("demo", o.data, 1, 1, &train))
        return 1;
    if (cli_load_mnist("demo", o.data, 0, 0, &test)) {
        vdl_dataset_free(&train);
        return 1;
    }
    if (vdl_model_init(&m, &mc, tc.seed) != VDL_OK) {
        vdl_dataset_free(&train);
        vdl_dataset_free(&test);
        return cli_fail("demo", "%s", vdl_error());
    }
    printf("training a %s model on %d MNIST images for %d epochs (%s%d thread%s)\n",
           vdl_model_kind_name(mc.kind), train.n, tc.epochs, o.threads == 0 && vdl_threads() > 1 ? "up to " : "",
           vdl_threads(), vdl_threads() > 1 ? "s" : "");
    fflush(stdout); /* before the progress lines on stderr */
    rc = cli_train_model("demo", &m, &train, &tc, NULL, o.out, o.quiet, o.threads);
    if (rc == 0)
        rc = cli_report_accuracy("demo", &m, tc.lambda, o.data, FMT_TABLE);
    if (rc == 0)
        rc = cli_report_pruning("demo", &m, lambdas, mc.kind == VDL_MODEL_DIRECT ? 1 : 4, &test, 0, 10, FMT_TABLE);
    if (rc == 0)
        printf("done in %.0f s; the model is in %s (try: vdl eval %s)\n", vdl_now() - start, o.out, o.out);
    vdl_model_free(&m);
    vdl_dataset_free(&train);
    vdl_dataset_free(&test);
    return rc;
}
