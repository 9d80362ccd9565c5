/*
 * loader.c: checking a plugin's description and registering its ops all
 * together or not at all. Opening the shared object is dl.c's job.
 */
#include "vdl_dl.h"

#include <stdio.h>
#include <string.h>

static const char *real_name(int size) { return size == 4 ? "float" : size == 8 ? "double" : "an unknown type"; }

static const char *plugin_name(const vdl_plugin_info *info) { return info->name ? info->name : "(unnamed)"; }

/* Names must be new to the registry and to the ops before them in the plugin. */
static int check_names(const vdl_plugin_info *info)
{
    int i, j;
    for (i = 0; i < info->n_ops; i++) {
        const char *name = info->ops[i]->name;
        for (j = 0; j < i; j++)
            if (strcmp(info->ops[j]->name, name) == 0)
                return vdl_set_error(VDL_EINVAL, "plugin '%s' declares op '%s' twice", plugin_name(info),
                                     name);
        if (vdl_op_find(name))
            return vdl_set_error(VDL_EINVAL, "plugin '%s': op '%s' is already registered", plugin_name(info),
                                 name);
    }
    return VDL_OK;
}

int vdl_plugin_validate(const vdl_plugin_info *info)
{
    int i;
    if (!info)
        return vdl_set_error(VDL_EINVAL, "plugin description is NULL");
    /* abi_version is the one field every version has: check it before reading others */
    if (info->abi_version != VDL_PLUGIN_ABI_VERSION)
        return vdl_set_error(VDL_EINVAL,
                             "the plugin was built for plugin ABI version %d; this vdl loads version %d "
                             "(rebuild it against this vdl's vdl_plugin.h)",
                             info->abi_version, VDL_PLUGIN_ABI_VERSION);
    if (info->real_size != (int)sizeof(vdl_real))
        return vdl_set_error(VDL_EINVAL,
                             "plugin '%s' was built with vdl_real = %s; this vdl computes in %s "
                             "(build the plugin %s -DVDL_DOUBLE)",
                             plugin_name(info), real_name(info->real_size), real_name((int)sizeof(vdl_real)),
                             sizeof(vdl_real) == 8 ? "with" : "without");
    if (!info->name || !info->name[0])
        return vdl_set_error(VDL_EINVAL, "plugin description has no name");
    if (info->n_ops < 1 || info->n_ops > VDL_MAX_OPS || !info->ops)
        return vdl_set_error(VDL_EINVAL, "plugin '%s' declares %d ops; it must declare 1 to %d", info->name,
                             info->n_ops, VDL_MAX_OPS);
    for (i = 0; i < info->n_ops; i++) {
        char why[400];
        if (vdl_op_validate(info->ops[i]) == VDL_OK)
            continue;
        snprintf(why, sizeof why, "%s", vdl_error());
        return vdl_set_error(VDL_EINVAL, "plugin '%s', op %d of %d: %s", info->name, i + 1, info->n_ops, why);
    }
    if (check_names(info))
        return VDL_EINVAL;
    if (vdl_op_count() + info->n_ops > VDL_MAX_OPS)
        return vdl_set_error(VDL_EINVAL, "plugin '%s': its %d ops do not fit in the registry (%d of %d used)",
                             info->name, info->n_ops, vdl_op_count(), VDL_MAX_OPS);
    return VDL_OK;
}

int vdl_plugin_register(const vdl_plugin_info *info, vdl_plugin *out)
{
    int i, rc = vdl_plugin_validate(info), before = vdl_op_count();
    for (i = 0; rc == VDL_OK && i < info->n_ops; i++)
        rc = vdl_op_register(info->ops[i]);
    if (rc != VDL_OK) {
        vdl_op_truncate(before); /* validation makes this unreachable; kept as the guarantee */
        return rc;
    }
    if (out) {
        out->handle = NULL;
        out->info = info;
        out->first_op = before;
    }
    return VDL_OK;
}

/* Put "cannot load plugin 'PATH': " before the current message (it is one
 * buffer, so copy the message first). */
static void in_file(int rc, const char *path)
{
    char why[400];
    snprintf(why, sizeof why, "%s", vdl_error());
    vdl_set_error(rc, "cannot load plugin '%s': %s", path, why);
}

int vdl_plugin_load(const char *path, vdl_plugin *out)
{
    vdl_plugin_entry_fn entry;
    vdl_plugin p;
    const vdl_plugin_info *info;
    int rc;
    void *h = vdl_dl_open(path);
    if (!h)
        return VDL_EIO;
    rc = vdl_dl_entry(h, &entry);
    if (rc == VDL_OK) {
        info = entry();
        rc = info ? vdl_plugin_register(info, &p) : vdl_set_error(VDL_EINVAL, "its entry returned NULL");
    }
    if (rc != VDL_OK) {
        in_file(rc, path);
        vdl_dl_close(h);
        return rc;
    }
    p.handle = h;
    if (out)
        *out = p;
    return VDL_OK;
}

int vdl_plugin_unload(vdl_plugin *p)
{
    int i, n = p->info ? p->info->n_ops : 0;
    if (!p->info || vdl_op_count() != p->first_op + n)
        return vdl_set_error(VDL_EINVAL, "plugin '%s' is not the last one registered; unload plugins in "
                             "reverse order", p->info ? plugin_name(p->info) : "(none)");
    for (i = 0; i < n; i++)
        if (vdl_op_at(p->first_op + i) != p->info->ops[i])
            return vdl_set_error(VDL_EINVAL, "plugin '%s': its ops are no longer the last registered",
                                 plugin_name(p->info));
    vdl_op_truncate(p->first_op);
    vdl_dl_close(p->handle);
    memset(p, 0, sizeof *p);
    return VDL_OK;
}
