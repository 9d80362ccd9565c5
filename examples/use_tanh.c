/*
 * use_tanh.c: a program that loads the tanh plugin (path in argv[1]), applies
 * its op by name, backpropagates through it and unloads it (docs/plugins.md).
 * It links the engine statically, so it exports the engine's symbols for the
 * plugin (ENABLE_EXPORTS in CMakeLists.txt; -rdynamic by hand).
 */
#include "vdl.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    vdl_real xs[3] = {-1, 0, 2}, gs[3] = {0, 0, 0};
    vdl_plugin plugin;
    vdl_tape *t;
    vdl_node *x, *y;
    if (argc != 2 || vdl_plugin_load(argv[1], &plugin) != VDL_OK) {
        fprintf(stderr, "%s\n", argc == 2 ? vdl_error() : "usage: use_tanh PLUGIN.so");
        return 1;
    }
    t = vdl_tape_new();
    x = vdl_leaf(t, vdl_shape1(3), xs, gs);
    y = vdl_apply_name(t, "tanh", 1, &x, NULL);
    if (!y || vdl_backward(t, vdl_sum_all(t, y)) != VDL_OK) {
        fprintf(stderr, "%s\n", vdl_error());
        return 1;
    }
    printf("tanh:  %.4f %.4f %.4f\n", y->value[0], y->value[1], y->value[2]);
    printf("dtanh: %.4f %.4f %.4f\n", gs[0], gs[1], gs[2]);
    vdl_tape_free(t);
    return vdl_plugin_unload(&plugin) == VDL_OK ? 0 : 1;
}
