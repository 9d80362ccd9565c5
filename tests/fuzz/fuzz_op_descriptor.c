/*
 * fuzz_op_descriptor.c: op and plugin descriptor validation and registration
 * (core/registry.c, plugins/loader.c) on descriptors built from the input.
 * Each record is
 *   flags (1 byte): bit 0-3 infer, forward, backward, example present;
 *                   bit 4 name is NULL; bit 5 register the previous
 *                   descriptor again (bits 6 and 7 of the first record's
 *                   flags: the plugin's ABI version and real size are wrong)
 *   n_inputs, n_attrs (1 signed byte each), name length L (1 byte), L name bytes
 * Up to 160 descriptors (more than the registry holds) are registered one by
 * one, then, after vdl_op_truncate, all together as one plugin
 * (vdl_plugin_register). The verdicts of vdl_op_validate and
 * vdl_plugin_validate must match the documented rules, checked here
 * independently; registration must add exactly the valid, new ops while there
 * is room, and a plugin all of its ops or none; vdl_op_truncate must restore
 * the built-in registry.
 */
#include "fuzz.h"
#include "vdl.h"
#include "vdl_plugin.h"

#include <string.h>

#define RECORDS 160

static int infer(vdl_node *out) { (void)out; return VDL_OK; }
static int forward(vdl_node *out) { (void)out; return VDL_OK; }
static int backward(vdl_node *out) { (void)out; return VDL_OK; }
static int example(int index, vdl_example *ex) { (void)index; (void)ex; return 0; }

static vdl_op ops[RECORDS];
static char names[RECORDS][256];

/* The documented rules (core/vdl_op.h, docs/design.md), written again. */
static int should_be_valid(const vdl_op *op)
{
    size_t i, n;
    if (!op->name || !op->infer || !op->forward || !op->backward)
        return 0;
    n = strlen(op->name);
    for (i = 0; i < n; i++) {
        char c = op->name[i];
        if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return n >= 1 && n <= VDL_OP_NAME_MAX && op->n_inputs >= 1 && op->n_inputs <= VDL_MAX_INPUTS &&
           op->n_attrs >= 0 && op->n_attrs <= VDL_MAX_ATTRS;
}

/* Register one descriptor and check what the registry did. */
static void try_register(const vdl_op *op)
{
    int before = vdl_op_count(), valid = should_be_valid(op), rc;
    const vdl_op *same = valid ? vdl_op_find(op->name) : NULL;
    FUZZ_CHECK((vdl_op_validate(op) == VDL_OK) == valid);
    rc = vdl_op_register(op);
    if (valid && !same && before < VDL_MAX_OPS) {
        FUZZ_CHECK(rc == VDL_OK && vdl_op_count() == before + 1);
        FUZZ_CHECK(vdl_op_find(op->name) == op && vdl_op_at(before) == op);
    } else {
        FUZZ_CHECK(rc == VDL_EINVAL && vdl_op_count() == before && vdl_error()[0] != '\0');
        FUZZ_CHECK(!same || vdl_op_find(op->name) == same);
    }
}

/* The plugin rules (plugins/vdl_plugin.h), written again, for a registry
 * holding only the built-in ops. */
static int plugin_should_be_valid(const vdl_plugin_info *info)
{
    int i, j;
    if (info->abi_version != VDL_PLUGIN_ABI_VERSION || info->real_size != (int)sizeof(vdl_real) ||
        info->n_ops < 1 || info->n_ops + vdl_op_count() > VDL_MAX_OPS)
        return 0;
    for (i = 0; i < info->n_ops; i++) {
        if (!should_be_valid(info->ops[i]) || vdl_op_find(info->ops[i]->name))
            return 0;
        for (j = 0; j < i; j++)
            if (strcmp(info->ops[i]->name, info->ops[j]->name) == 0)
                return 0;
    }
    return 1;
}

/* The k descriptors as one plugin: registered whole or not at all. */
static void try_plugin(const uint8_t *data, size_t size, int k)
{
    const vdl_op *list[RECORDS];
    vdl_plugin_info info;
    vdl_plugin p;
    int before = vdl_op_count(), valid, rc, i;
    for (i = 0; i < k; i++)
        list[i] = &ops[i];
    info.abi_version = size && data[0] & 64 ? VDL_PLUGIN_ABI_VERSION + 1 : VDL_PLUGIN_ABI_VERSION;
    info.real_size = size && data[0] & 128 ? 12 - (int)sizeof(vdl_real) : (int)sizeof(vdl_real);
    info.name = "fuzzed";
    info.n_ops = k;
    info.ops = list;
    valid = plugin_should_be_valid(&info);
    FUZZ_CHECK((vdl_plugin_validate(&info) == VDL_OK) == valid);
    rc = vdl_plugin_register(&info, &p);
    FUZZ_CHECK((rc == VDL_OK) == valid);
    FUZZ_CHECK(vdl_op_count() == before + (valid ? k : 0));
    for (i = 0; valid && i < k; i++)
        FUZZ_CHECK(vdl_op_find(ops[i].name) == &ops[i] && vdl_op_at(before + i) == &ops[i]);
    FUZZ_CHECK(valid || vdl_error()[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const vdl_op *builtin[VDL_MAX_OPS];
    int n_builtin = vdl_op_count(), i, k = 0;
    size_t at = 0;
    for (i = 0; i < n_builtin; i++)
        builtin[i] = vdl_op_at(i);
    FUZZ_CHECK(vdl_op_validate(NULL) == VDL_EINVAL);
    while (k < RECORDS && at + 4 <= size) {
        unsigned flags = data[at];
        size_t len = data[at + 3];
        vdl_op *op = &ops[k];
        if (flags & 32 && k > 0) {
            try_register(&ops[k - 1]);
            at += 1;
            continue;
        }
        if (len > size - at - 4)
            len = size - at - 4;
        memcpy(names[k], data + at + 4, len);
        names[k][len] = '\0';
        memset(op, 0, sizeof *op);
        op->name = flags & 16 ? NULL : names[k];
        op->math = "fuzzed";
        op->n_inputs = (signed char)data[at + 1];
        op->n_attrs = (signed char)data[at + 2];
        op->infer = flags & 1 ? infer : NULL;
        op->forward = flags & 2 ? forward : NULL;
        op->backward = flags & 4 ? backward : NULL;
        op->example = flags & 8 ? example : NULL;
        try_register(op);
        at += 4 + len;
        k++;
    }
    vdl_op_truncate(0);
    FUZZ_CHECK(vdl_op_count() == n_builtin);
    try_plugin(data, size, k);
    vdl_op_truncate(0);
    FUZZ_CHECK(vdl_op_count() == n_builtin);
    for (i = 0; i < n_builtin; i++)
        FUZZ_CHECK(vdl_op_at(i) == builtin[i] && vdl_op_find(builtin[i]->name) == builtin[i]);
    return 0;
}
