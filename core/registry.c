/*
 * registry.c: ops by name. The built-in table (ops/builtin.c) is registered on
 * first use; users and plugins add more with vdl_op_register().
 */
#include "vdl_op.h"

#include <string.h>

/* Defined in ops/builtin.c: the one table that lists the built-in ops. */
extern const vdl_op *const vdl_builtin_ops[];
extern const int vdl_builtin_op_count;
extern const vdl_op *const vdl_builtin_sparse_readers[];
extern const int vdl_builtin_sparse_reader_count;

static const vdl_op *registry[VDL_MAX_OPS];
static int registered;
static int builtins_loaded;

static int name_ok(const char *name)
{
    size_t i, n;
    if (!name || !name[0])
        return 0;
    n = strlen(name);
    if (n > VDL_OP_NAME_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

int vdl_op_validate(const vdl_op *op)
{
    if (!op)
        return vdl_set_error(VDL_EINVAL, "op descriptor is NULL");
    if (!name_ok(op->name))
        return vdl_set_error(VDL_EINVAL,
                             "op name must be 1-%d characters of [A-Za-z0-9_]", VDL_OP_NAME_MAX);
    if (op->n_inputs < 1 || op->n_inputs > VDL_MAX_INPUTS)
        return vdl_set_error(VDL_EINVAL, "op '%s': n_inputs %d is not in 1..%d", op->name,
                             op->n_inputs, VDL_MAX_INPUTS);
    if (op->n_attrs < 0 || op->n_attrs > VDL_MAX_ATTRS)
        return vdl_set_error(VDL_EINVAL, "op '%s': n_attrs %d is not in 0..%d", op->name,
                             op->n_attrs, VDL_MAX_ATTRS);
    if (!op->infer || !op->forward || !op->backward)
        return vdl_set_error(VDL_EINVAL, "op '%s': infer, forward and backward are required",
                             op->name);
    return VDL_OK;
}

static const vdl_op *lookup(const char *name)
{
    int i;
    for (i = 0; i < registered; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

static int add(const vdl_op *op)
{
    int rc = vdl_op_validate(op);
    if (rc)
        return rc;
    if (lookup(op->name))
        return vdl_set_error(VDL_EINVAL, "op '%s' is already registered", op->name);
    if (registered == VDL_MAX_OPS)
        return vdl_set_error(VDL_EINVAL, "op registry is full (%d ops)", VDL_MAX_OPS);
    registry[registered++] = op;
    return VDL_OK;
}

static void load_builtins(void)
{
    int i;
    if (builtins_loaded)
        return;
    builtins_loaded = 1;
    for (i = 0; i < vdl_builtin_op_count; i++)
        add(vdl_builtin_ops[i]);
}

int vdl_op_register(const vdl_op *op)
{
    load_builtins();
    return add(op);
}

const vdl_op *vdl_op_find(const char *name)
{
    const vdl_op *op;
    load_builtins();
    op = name ? lookup(name) : NULL;
    if (!op)
        vdl_set_error(VDL_ENOTFOUND, "no op named '%s' is registered", name ? name : "(null)");
    return op;
}

int vdl_op_count(void)
{
    load_builtins();
    return registered;
}

int vdl_op_reads_sparse(const vdl_op *op, int input)
{
    int i;
    for (i = 0; input == 0 && i < vdl_builtin_sparse_reader_count; i++)
        if (vdl_builtin_sparse_readers[i] == op)
            return 1;
    return 0;
}

const vdl_op *vdl_op_at(int i)
{
    load_builtins();
    return (i >= 0 && i < registered) ? registry[i] : NULL;
}

void vdl_op_truncate(int count)
{
    load_builtins();
    if (count < vdl_builtin_op_count)
        count = vdl_builtin_op_count;
    if (count < registered)
        registered = count;
}
