/*
 * main.c: the `vdl` command: dispatch to a subcommand.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand commands[] = {
    {"demo", cmd_demo, "fetch MNIST if needed, train a linear hypernet briefly, print accuracy and pruning"},
    {"train", cmd_train, "train a direct model or a hypernet (checkpoints, --resume)"},
    {"eval", cmd_eval, "accuracy, Monte Carlo accuracy, likelihood, KL and evidence of a model"},
    {"prune", cmd_prune, "pruning curves by signal-to-noise, and stability"},
    {"generate", cmd_generate, "write a hypernet's classifier for one lambda as a model file"},
    {"reproduce", cmd_reproduce, "the paper's experiment: Tables 1-3 and the figures (--quick, --shard, --jobs)"},
    {"ops", cmd_ops, "list the registered ops"},
    {"gradcheck", cmd_gradcheck, "check ops' gradients against finite differences"},
    {"data", cmd_data, "fetch or verify MNIST"},
};

static void usage(FILE *f)
{
    size_t i;
    fprintf(f, "usage: vdl COMMAND [options]   (vdl COMMAND --help for each)\n\n"
               "vdl %s: variational deep learning with complexity control.\n\ncommands:\n", VDL_VERSION);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    size_t i;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return cli_close_stdout(0);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vdl %s\n", VDL_VERSION);
        return cli_close_stdout(0);
    }
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return cli_close_stdout(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "vdl: unknown command '%s' (see vdl --help)\n", argv[1]);
    return 2;
}
