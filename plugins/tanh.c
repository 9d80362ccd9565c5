/*
 * tanh.c: the smallest op plugin, y = tanh(x) (the subject of
 * docs/plugins.md). Build it as a shared object against vdl's headers, then
 * `vdl ops --plugin ./tanh.so` and `vdl gradcheck --plugin ./tanh.so`.
 */
#include "vdl.h"
#include "vdl_plugin.h"

#include <math.h>

static int infer(vdl_node *out)
{
    out->shape = out->in[0]->shape; /* elementwise: y has x's shape */
    return VDL_OK;
}

static int forward(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->value[i] = (vdl_real)tanh(out->in[0]->value[i]);
    return VDL_OK;
}

/* dy/dx = 1 - y^2, from the output forward kept. Accumulate (+=). */
static int backward(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->in[0]->grad[i] += out->grad[i] * (1 - out->value[i] * out->value[i]);
    return VDL_OK;
}

/* The gradient checker's cases: a scalar, a vector and a matrix. */
static int example(int index, vdl_example *ex)
{
    const vdl_shape shapes[3] = {vdl_shape0(), vdl_shape1(5), vdl_shape2(3, 4)};
    if (index >= 3)
        return 0;
    ex->shape[0] = shapes[index];
    ex->fill[0] = VDL_FILL_NORMAL;
    return 1;
}

static const vdl_op tanh_op = {"tanh", "y = tanh(x)", 1, 0, infer, forward, backward, example};

static const vdl_op *const ops[] = {&tanh_op};

VDL_PLUGIN("tanh", ops)
