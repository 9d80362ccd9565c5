/*
 * vdl_plugin.h: op plugins, shared objects that add ops at run time.
 *
 * A plugin exports one function, vdl_plugin_entry(), that describes it: the
 * plugin ABI version and the vdl_real it was built for, its name and its op
 * descriptors. The loader checks everything before it registers anything, so
 * a plugin's ops are registered all together or not at all. A plugin does not
 * link the engine: it uses the engine's functions from the program that loads
 * it. See docs/plugins.md for a tutorial.
 */
#ifndef VDL_PLUGIN_H
#define VDL_PLUGIN_H

#include "vdl_op.h"

/* Raised whenever vdl_plugin_info, vdl_op, vdl_example or vdl_node change in a
 * way a built plugin would notice. */
#define VDL_PLUGIN_ABI_VERSION 1

/* What a plugin says about itself. abi_version is the first field in every
 * version of this struct, so a loader can always read it. */
typedef struct vdl_plugin_info {
    int abi_version;          /* VDL_PLUGIN_ABI_VERSION the plugin was built with */
    int real_size;            /* sizeof(vdl_real) it was built with: 4 or 8 */
    const char *name;         /* for messages, e.g. "tanh" */
    int n_ops;                /* 1 .. VDL_MAX_OPS */
    const vdl_op *const *ops; /* n_ops descriptors, alive while the plugin is loaded */
} vdl_plugin_info;

/* The symbol every plugin exports, and its type. */
#define VDL_PLUGIN_ENTRY_NAME "vdl_plugin_entry"
typedef const vdl_plugin_info *(*vdl_plugin_entry_fn)(void);

#if defined(_WIN32)
#define VDL_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define VDL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define VDL_PLUGIN_EXPORT
#endif

/* In a plugin's source, after its descriptors: defines vdl_plugin_entry()
 * for the plugin named NAME (a string) whose ops are the array OPS of
 * `const vdl_op *`. It records VDL_PLUGIN_ABI_VERSION and sizeof(vdl_real). */
#define VDL_PLUGIN(NAME, OPS)                                                                    \
    VDL_PLUGIN_EXPORT const vdl_plugin_info *vdl_plugin_entry(void);                              \
    VDL_PLUGIN_EXPORT const vdl_plugin_info *vdl_plugin_entry(void)                               \
    {                                                                                             \
        static const vdl_plugin_info info = {VDL_PLUGIN_ABI_VERSION, (int)sizeof(vdl_real), NAME, \
                                             (int)(sizeof OPS / sizeof OPS[0]), OPS};             \
        return &info;                                                                             \
    }

/* A loaded plugin. */
typedef struct vdl_plugin {
    void *handle;                 /* the shared object (NULL for vdl_plugin_register) */
    const vdl_plugin_info *info;  /* what it declared */
    int first_op;                 /* registry index of its first op (vdl_op_at) */
} vdl_plugin;

/* Check a plugin description without registering anything: the ABI version,
 * the real size, the op count, every descriptor (vdl_op_validate), names
 * repeated within the plugin or already registered, and room in the
 * registry. VDL_OK, or VDL_EINVAL with a message naming the plugin. */
int vdl_plugin_validate(const vdl_plugin_info *info);

/* Validate, then register every op of `info` (all or none). For plugins
 * linked into the program; works on every platform. `out` may be NULL. */
int vdl_plugin_register(const vdl_plugin_info *info, vdl_plugin *out);

/* Open the shared object at `path` (a file: a name without '/' is looked for
 * in the current folder, not in the library path), call its vdl_plugin_entry() and register
 * its ops (all or none). On any failure (no such file, not loadable, no
 * entry symbol, wrong ABI version or real type, an invalid or duplicate op)
 * the object is closed, the registry is unchanged, and the error names the
 * file. Where the platform has no dlopen, or vdl was configured with
 * -DVDL_PLUGINS=OFF, it fails with a message saying so. `out` may be NULL:
 * the plugin then stays loaded for the life of the process. */
int vdl_plugin_load(const char *path, vdl_plugin *out);

/* Drop a plugin's ops from the registry and close its shared object. Only the
 * most recently registered plugin can go (VDL_EINVAL otherwise), and no tape
 * may still hold nodes of its ops. */
int vdl_plugin_unload(vdl_plugin *p);

#endif
