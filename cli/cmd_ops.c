/*
 * cmd_ops.c: `vdl ops` lists the registered ops; `vdl gradcheck` proves
 * their backward against finite differences (the test suite's check). Both
 * take --plugin P.so to load an op plugin first.
 */
#include "cli.h"
#include "vdl_plugin.h"

#include <stdio.h>
#include <string.h>

/* Load the plugin at `path` (if not NULL); the ops to show by default are
 * then the plugin's, else all. Prints errors; returns 0 on success. */
static int load_plugin(const char *cmd, const char *path, int *first, int *count)
{
    vdl_plugin p;
    *first = 0;
    *count = vdl_op_count();
    if (!path)
        return 0;
    if (vdl_plugin_load(path, &p) != VDL_OK)
        return cli_fail(cmd, "%s", vdl_error());
    *first = p.first_op;
    *count = p.info->n_ops;
    printf("plugin '%s' (%s): %d op%s\n", p.info->name, path, p.info->n_ops, p.info->n_ops == 1 ? "" : "s");
    return 0;
}

/* Width of the "op" column for ops first..first+count-1. */
static int name_width(int first, int count)
{
    int i, w = 12;
    for (i = first; i < first + count; i++)
        if ((int)strlen(vdl_op_at(i)->name) > w)
            w = (int)strlen(vdl_op_at(i)->name);
    return w;
}

int cmd_ops(int argc, char **argv)
{
    const char *pos[1], *plugin = NULL;
    const cli_opt opts[] = {
        {"--plugin", OPT_STRING, &plugin, "P.so", "load an op plugin first and list only its ops"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    int n_pos, code, i, first, count, w;
    if (cli_parse(argc, argv, "ops", "[--plugin P.so]",
                  "List the registered ops: name, inputs, attributes, what it computes.", opts, pos, 0, &n_pos,
                  &code))
        return code;
    if (load_plugin("ops", plugin, &first, &count))
        return 1;
    w = name_width(first, count);
    printf("%-*s %6s %5s  %s\n", w, "op", "inputs", "attrs", "computes");
    for (i = first; i < first + count; i++) {
        const vdl_op *op = vdl_op_at(i);
        printf("%-*s %6d %5d  %s\n", w, op->name, op->n_inputs, op->n_attrs, op->math ? op->math : "");
    }
    return 0;
}

int cmd_gradcheck(int argc, char **argv)
{
    double tol = vdl_gradcheck_default_tolerance();
    int seed = 2026, n_pos, code, i, failed = 0, checked = 0, first, count, w;
    const char *pos[VDL_MAX_OPS], *plugin = NULL;
    const cli_opt opts[] = {
        {"--plugin", OPT_STRING, &plugin, "P.so", "load an op plugin first; without OP, check only its ops"},
        {"--tol", OPT_DOUBLE, &tol, "T", "largest allowed relative error (default: 2e-2 for float builds)"},
        {"--seed", OPT_INT, &seed, "S", "seed of the random inputs (default 2026)"},
        {NULL, OPT_FLAG, NULL, NULL, NULL},
    };
    if (cli_parse(argc, argv, "gradcheck", "[OP...] [options]",
                  "Check every registered op's backward (or the ones named, or a plugin's) against\n"
                  "4-point central differences on each op's example cases, and print each op's\n"
                  "largest absolute error and relative error |analytic - numeric| / max(|analytic|,\n"
                  "|numeric|, 1e-2). The vdl binary computes in float, so the default tolerance is\n"
                  "loose; the test suite runs the same check in double precision at 1e-6. Exits 1\n"
                  "if any op fails.",
                  opts, pos, VDL_MAX_OPS, &n_pos, &code))
        return code;
    if (load_plugin("gradcheck", plugin, &first, &count))
        return 1;
    for (i = 0; i < n_pos; i++)
        if (!vdl_op_find(pos[i]))
            return cli_fail("gradcheck", "%s (see vdl ops)", vdl_error()), 2;
    if (n_pos) { /* named ops: search the whole registry */
        first = 0;
        count = vdl_op_count();
    }
    w = name_width(first, count);
    printf("%-*s %6s %9s %12s %12s  %s\n", w, "op", "cases", "compared", "max abs err", "max rel err", "result");
    for (i = first; i < first + count; i++) {
        const vdl_op *op = vdl_op_at(i);
        vdl_gradcheck_result r;
        int k, wanted = n_pos == 0;
        for (k = 0; k < n_pos; k++)
            wanted |= strcmp(pos[k], op->name) == 0;
        if (!wanted)
            continue;
        if (vdl_gradcheck_op(op, (uint64_t)seed, tol, &r) != VDL_OK)
            return cli_fail("gradcheck", "%s", vdl_error());
        printf("%-*s %6d %9ld %12.3g %12.3g  %s%s%s\n", w, op->name, r.cases, r.compared, r.max_abs_err,
               r.max_err, r.passed ? "pass" : "FAIL", r.message[0] ? ": " : "", r.message);
        failed += !r.passed;
        checked++;
    }
    printf("%d passed, %d failed\n", checked - failed, failed);
    return failed ? 1 : 0;
}
