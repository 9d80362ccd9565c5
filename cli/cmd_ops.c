/*
 * cmd_ops.c: `vdl ops` lists the registered ops; `vdl gradcheck` proves
 * their backward against finite differences (the test suite's check).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_ops(int argc, char **argv)
{
    const char *pos[1];
    const cli_opt opts[] = {{NULL, OPT_FLAG, NULL, NULL, NULL}};
    int n_pos, code, i;
    if (cli_parse(argc, argv, "ops", "", "List the registered ops: name, inputs, attributes, what it computes.",
                  opts, pos, 0, &n_pos, &code))
        return code;
    printf("%-12s %6s %5s  %s\n", "op", "inputs", "attrs", "computes");
    for (i = 0; i < vdl_op_count(); i++) {
        const vdl_op *op = vdl_op_at(i);
        printf("%-12s %6d %5d  %s\n", op->name, op->n_inputs, op->n_attrs, op->math ? op->math : "");
    }
    return 0;
}

int cmd_gradcheck(int argc, char **argv)
{
    double tol = vdl_gradcheck_default_tolerance();
    int seed = 2026, n_pos, code, i, failed = 0, checked = 0;
    const char *pos[VDL_MAX_OPS];
    const cli_opt opts[] = {
        {"--tol", OPT_DOUBLE, &tol, "T", "largest allowed scaled error (default: 2e-2 for float builds)"},
        {"--seed", OPT_INT, &seed, "S", "seed of the random inputs (default 2026)"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    if (cli_parse(argc, argv, "gradcheck", "[OP...] [options]",
                  "Check every registered op's backward (or the ones named) against 4-point\n"
                  "central differences on each op's example cases. The vdl binary computes in\n"
                  "float, so the default tolerance is loose; the test suite runs the same check\n"
                  "in double precision at 1e-6.",
                  opts, pos, VDL_MAX_OPS, &n_pos, &code))
        return code;
    for (i = 0; i < n_pos; i++)
        if (!vdl_op_find(pos[i]))
            return cli_fail("gradcheck", "%s (see vdl ops)", vdl_error()), 2;
    printf("%-12s %6s %9s %12s %12s  %s\n", "op", "cases", "compared", "max abs err", "max err", "result");
    for (i = 0; i < vdl_op_count(); i++) {
        const vdl_op *op = vdl_op_at(i);
        vdl_gradcheck_result r;
        int k, wanted = n_pos == 0;
        for (k = 0; k < n_pos; k++)
            wanted |= strcmp(pos[k], op->name) == 0;
        if (!wanted)
            continue;
        if (vdl_gradcheck_op(op, (uint64_t)seed, tol, &r) != VDL_OK)
            return cli_fail("gradcheck", "%s", vdl_error());
        printf("%-12s %6d %9ld %12.3g %12.3g  %s%s%s\n", op->name, r.cases, r.compared, r.max_abs_err,
               r.max_err, r.passed ? "pass" : "FAIL", r.message[0] ? ": " : "", r.message);
        failed += !r.passed;
        checked++;
    }
    printf("%d passed, %d failed\n", checked - failed, failed);
    return failed ? 1 : 0;
}
