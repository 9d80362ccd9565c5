/*
 * fuzz_cli_args.c: the command-line parser (cli/args.c) and the training
 * options' checks (train_opts_resolve) on any argument list: the input split
 * at NUL bytes, one argument each (at most 64), parsed as `vdl train`'s
 * options, and each argument also as a lambda list and a format name. The
 * parser must end with exit code 0 or 2 and never keep more positional
 * arguments than allowed; options it accepts must resolve only to settings
 * the trainer takes (positive, finite, in range).
 */
#include "cli.h"
#include "fuzz.h"

#include <math.h>
#include <string.h>

#define MAX_ARGS 64

static void check_resolved(const vdl_model_config *mc, const vdl_train_config *tc)
{
    int i;
    FUZZ_CHECK(tc->epochs >= 1 && tc->batch >= 1 && tc->lambda_draws >= 1);
    FUZZ_CHECK(tc->lr > 0 && isfinite(tc->lr) && tc->lambda > 0 && isfinite(tc->lambda));
    FUZZ_CHECK(tc->prior_sigma > 0 && isfinite(tc->prior_sigma));
    FUZZ_CHECK(tc->clip_value >= 0 && isfinite(tc->clip_value) && tc->momentum >= 0 && tc->momentum < 1);
    FUZZ_CHECK(mc->kind >= VDL_MODEL_DIRECT && mc->kind < VDL_MODEL_KIND_COUNT && mc->hyper_hidden >= 1);
    FUZZ_CHECK(mc->rank_scale >= 0 && isfinite(mc->rank_scale) && mc->factor_lr_scale > 0 &&
               isfinite(mc->factor_lr_scale));
    if (mc->kind == VDL_MODEL_LOWRANK) {
        FUZZ_CHECK(mc->hyper_rank >= 1 && mc->hyper_rank <= VDL_MODEL_MAX_RANK);
        FUZZ_CHECK((mc->multiplicative_means == 0 || mc->multiplicative_means == 1) &&
                   (mc->multiplicative_log_sigmas == 0 || mc->multiplicative_log_sigmas == 1));
        FUZZ_CHECK(mc->lambda_weight >= 0 && mc->lambda_weight <= VDL_MODEL_MAX_LAMBDA_WEIGHT);
    }
    if (mc->kind == VDL_MODEL_PIECEWISE)
        FUZZ_CHECK(mc->anchors >= 2 && mc->anchors <= VDL_MODEL_MAX_ANCHORS);
    for (i = 0; i <= mc->arch.n_layers; i++)
        FUZZ_CHECK(mc->arch.size[i] >= 1);
}

static void parse_train(int argc, char **argv)
{
    train_opts o;
    cli_opt opts[TRAIN_OPTS + 2];
    vdl_model_config mc;
    vdl_train_config tc;
    const char *pos[2];
    int n_pos = -1, code = -1, stop;
    train_cmd_options(&o, opts);
    stop = cli_parse(argc, argv, "train", "[options]", "fuzzing", opts, pos, 2, &n_pos, &code);
    FUZZ_CHECK(n_pos >= 0 && n_pos <= 2 && (code == 0 || code == 2));
    FUZZ_CHECK(stop || code == 0);
    if (stop)
        return;
    if (train_opts_resolve("train", &o, &mc, &tc) == 0)
        check_resolved(&mc, &tc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *argv[MAX_ARGS + 1];
    double list[32];
    size_t at = 0;
    int argc = 1, i, n;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    argv[0] = "train";
    while (at <= size && argc < MAX_ARGS) {
        argv[argc++] = text + at;
        at += strlen(text + at) + 1;
    }
    argv[argc] = NULL;
    parse_train(argc, argv);
    for (i = 1; i < argc; i++) {
        n = cli_parse_list(argv[i], list, 32);
        FUZZ_CHECK(n == -1 || (n >= 1 && n <= 32));
        while (n-- > 0)
            FUZZ_CHECK(isfinite(list[n]));
        n = cli_format(argv[i]);
        FUZZ_CHECK(n == -1 || n == FMT_TABLE || n == FMT_CSV || n == FMT_JSON);
    }
    free(text);
    return 0;
}
