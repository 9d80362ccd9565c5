/*
 * test_plugin_static.c: plugin descriptions registered from memory (what a
 * program does with a plugin linked into it, on any platform), all or
 * nothing; and vdl_plugin_load without dlopen: this test is linked with
 * plugins/dl.c built as on a platform without it (VDL_NO_DLOPEN).
 */
#include "vdl.h"
#include "vdl_plugin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static int infer(vdl_node *out)
{
    out->shape = out->in[0]->shape;
    return VDL_OK;
}

static int copy(vdl_node *out)
{
    memcpy(out->value, out->in[0]->value, out->size * sizeof(vdl_real));
    return VDL_OK;
}

static int pass_back(vdl_node *out)
{
    size_t i;
    for (i = 0; i < out->size; i++)
        out->in[0]->grad[i] += out->grad[i];
    return VDL_OK;
}

static const vdl_op first = {"static_first", "y = x", 1, 0, infer, copy, pass_back, NULL};
static const vdl_op second = {"static_second", "y = x", 1, 0, infer, copy, pass_back, NULL};
static const vdl_op no_forward = {"static_no_forward", "y = x", 1, 0, infer, NULL, pass_back, NULL};
static const vdl_op bad_name = {"bad name", "y = x", 1, 0, infer, copy, pass_back, NULL};
static const vdl_op dup_builtin = {"matmul", "y = x", 1, 0, infer, copy, pass_back, NULL};

/* Registering `info` fails with `pattern` in the message; nothing changes. */
static void refused(const vdl_plugin_info *info, const char *pattern)
{
    const int before = vdl_op_count();
    assert_int_equal(vdl_plugin_validate(info), VDL_EINVAL);
    assert_int_equal(vdl_plugin_register(info, NULL), VDL_EINVAL);
    printf("  -> %s\n", vdl_error());
    assert_non_null(strstr(vdl_error(), pattern));
    assert_int_equal(vdl_op_count(), before);
    assert_null(vdl_op_find("static_first"));
}

static void all_or_nothing(void **state)
{
    const vdl_op *good[2] = {&first, &second}, *twice[2] = {&first, &first};
    const vdl_op *invalid[2] = {&first, &no_forward}, *named[2] = {&first, &bad_name};
    const vdl_op *builtin[2] = {&first, &dup_builtin};
    vdl_plugin_info info = {VDL_PLUGIN_ABI_VERSION, (int)sizeof(vdl_real), "mem", 2, good};
    vdl_plugin p;
    const int before = vdl_op_count();
    (void)state;
    refused(NULL, "NULL");
    info.abi_version = 2;
    refused(&info, "plugin ABI version 2; this vdl loads version 1");
    info.abi_version = VDL_PLUGIN_ABI_VERSION;
    info.real_size = sizeof(vdl_real) == 4 ? 8 : 4;
    refused(&info, "was built with vdl_real");
    info.real_size = (int)sizeof(vdl_real);
    info.name = "";
    refused(&info, "has no name");
    info.name = "mem";
    info.n_ops = 0;
    refused(&info, "declares 0 ops");
    info.n_ops = 2;
    info.ops = twice;
    refused(&info, "declares op 'static_first' twice");
    info.ops = invalid;
    refused(&info, "op 2 of 2: op 'static_no_forward'");
    info.ops = named;
    refused(&info, "op 2 of 2: op name must be");
    info.ops = builtin;
    refused(&info, "op 'matmul' is already registered");

    info.ops = good;
    assert_int_equal(vdl_plugin_register(&info, &p), VDL_OK);
    assert_int_equal(vdl_op_count(), before + 2);
    assert_ptr_equal(vdl_op_at(p.first_op + 1), &second);
    assert_null(p.handle);
    assert_int_equal(vdl_plugin_unload(&p), VDL_OK);
    assert_int_equal(vdl_op_count(), before);
}

/* A plugin with more ops than the registry has room for. */
static void a_full_registry_refuses_the_whole_plugin(void **state)
{
    const vdl_op *many[VDL_MAX_OPS];
    vdl_op ops[VDL_MAX_OPS];
    char names[VDL_MAX_OPS][16];
    vdl_plugin_info info = {VDL_PLUGIN_ABI_VERSION, (int)sizeof(vdl_real), "many", 0, many};
    int i;
    (void)state;
    for (i = 0; i < VDL_MAX_OPS; i++) {
        ops[i] = first;
        sprintf(names[i], "many_%d", i);
        ops[i].name = names[i];
        many[i] = &ops[i];
    }
    info.n_ops = VDL_MAX_OPS - vdl_op_count() + 1;
    refused(&info, "do not fit in the registry");
    assert_null(vdl_op_find("many_0"));
    info.n_ops--;
    assert_int_equal(vdl_plugin_register(&info, NULL), VDL_OK);
    assert_int_equal(vdl_op_count(), VDL_MAX_OPS);
    vdl_op_truncate(0);
}

static void loading_without_dlopen_says_so(void **state)
{
    const int before = vdl_op_count();
    vdl_plugin p;
    (void)state;
    assert_int_equal(vdl_plugin_load("anything.so", &p), VDL_EIO);
    printf("  -> %s\n", vdl_error());
    assert_non_null(strstr(vdl_error(), "cannot load plugin 'anything.so'"));
    assert_non_null(strstr(vdl_error(), "built without shared-object loading"));
    assert_int_equal(vdl_op_count(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_or_nothing),
        cmocka_unit_test(a_full_registry_refuses_the_whole_plugin),
        cmocka_unit_test(loading_without_dlopen_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
