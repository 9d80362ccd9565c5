/*
 * cmd_generate.c: `vdl generate`: write the classifier a trained hypernet
 * gives for one lambda as a standalone (direct) model file.
 */
#include "cli.h"

#include <stdio.h>

int cmd_generate(int argc, char **argv)
{
    double lambda = 0;
    const char *out = NULL, *pos[1];
    const cli_opt opts[] = {
        {"--lambda", OPT_DOUBLE, &lambda, "L", "the complexity to generate (required; inside the trained range)"},
        {"--out", OPT_STRING, &out, "FILE", "where to write the model (required)"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    vdl_model hyper, direct;
    int n_pos, code, rc;
    if (cli_parse(argc, argv, "generate", "HYPER.vdl --lambda L --out FILE",
                  "Write the classifier that a trained hypernetwork generates for lambda as a\n"
                  "standalone model file (usable by vdl eval, vdl prune, and vdl train --resume\n"
                  "is not needed: it is a plain direct model).",
                  opts, pos, 1, &n_pos, &code))
        return code;
    if (n_pos != 1 || !out)
        return cli_fail("generate", "give a hypernet file, --lambda and --out (see vdl generate --help)"), 2;
    if (cli_load_model("generate", pos[0], &hyper, NULL))
        return 1;
    if (hyper.cfg.kind == VDL_MODEL_DIRECT) {
        vdl_model_free(&hyper);
        return cli_fail("generate", "'%s' is a direct model, not a hypernet", pos[0]), 2;
    }
    rc = vdl_model_generate(&hyper, lambda, &direct);
    vdl_model_free(&hyper);
    if (rc != VDL_OK)
        return cli_fail("generate", "%s", vdl_error()), 2;
    rc = vdl_checkpoint_save(out, &direct, NULL);
    vdl_model_free(&direct);
    if (rc != VDL_OK)
        return cli_fail("generate", "%s", vdl_error());
    printf("wrote %s (lambda %g)\n", out, lambda);
    return 0;
}
