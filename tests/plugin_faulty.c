/*
 * plugin_faulty.c: plugins that must not load, or must fail the gradient
 * check, one per FAULT_* definition (tests/CMakeLists.txt builds each):
 *   FAULT_NO_ENTRY   exports no vdl_plugin_entry
 *   FAULT_UNDEFINED  needs a function the engine does not have
 *   FAULT_NULL_INFO  its entry returns NULL
 *   FAULT_ABI        declares plugin ABI version 99
 *   FAULT_DUPLICATE  a good op, then one named "relu" (a built-in)
 *   FAULT_INVALID    a good op, then one with no backward
 *   FAULT_BROKEN     loads, but its backward is wrong: y = 2x, dy/dx "= 3"
 */
#include "vdl.h"
#include "vdl_plugin.h"

static int infer(vdl_node *out)
{
    out->shape = out->in[0]->shape;
    return VDL_OK;
}

static int forward(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->value[i] = 2 * out->in[0]->value[i];
    return VDL_OK;
}

#ifdef FAULT_UNDEFINED
int vdl_not_in_the_engine(void);
#endif

static int backward(vdl_node *out)
{
    size_t i;
#if defined(FAULT_BROKEN)
    const vdl_real slope = 3;
#else
    const vdl_real slope = 2;
#endif
#ifdef FAULT_UNDEFINED
    if (vdl_not_in_the_engine())
        return VDL_EINVAL;
#endif
    for (i = 0; i < out->size; i++)
        out->in[0]->grad[i] += slope * out->grad[i];
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    if (index >= 3)
        return 0;
    ex->shape[0] = vdl_shape1(index + 2);
    ex->fill[0] = VDL_FILL_NORMAL;
    return 1;
}

#if defined(FAULT_BROKEN)
static const vdl_op broken = {"broken_double", "y = 2x, with a backward that says 3", 1, 0, infer, forward,
                              backward, example};
static const vdl_op *const ops[] = {&broken};
#else
static const vdl_op good = {"faulty_good", "y = 2x", 1, 0, infer, forward, backward, example};
#if defined(FAULT_DUPLICATE)
static const vdl_op second = {"relu", "y = 2x", 1, 0, infer, forward, backward, example};
#else
static const vdl_op second = {"faulty_second", "y = 2x", 1, 0, infer, forward, NULL, example};
#endif
static const vdl_op *const ops[] = {&good, &second};
#endif

#if defined(FAULT_NO_ENTRY)
VDL_PLUGIN_EXPORT const vdl_op *const *faulty_ops(void);
VDL_PLUGIN_EXPORT const vdl_op *const *faulty_ops(void) { return ops; }
#elif defined(FAULT_NULL_INFO)
VDL_PLUGIN_EXPORT const vdl_plugin_info *vdl_plugin_entry(void);
VDL_PLUGIN_EXPORT const vdl_plugin_info *vdl_plugin_entry(void)
{
    (void)ops;
    return NULL;
}
#elif defined(FAULT_ABI)
VDL_PLUGIN_EXPORT const vdl_plugin_info *vdl_plugin_entry(void);
VDL_PLUGIN_EXPORT const vdl_plugin_info *vdl_plugin_entry(void)
{
    static const vdl_plugin_info info = {99, (int)sizeof(vdl_real), "faulty_abi", 2, ops};
    return &info;
}
#else
VDL_PLUGIN("faulty", ops)
#endif
