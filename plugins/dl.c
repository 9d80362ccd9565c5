/*
 * dl.c: shared objects through POSIX dlopen. The only file of vdl that needs
 * more than C99, so it alone asks for POSIX.
 */
#if !defined(VDL_NO_DLOPEN) && (defined(__unix__) || defined(__APPLE__))
#define VDL_HAVE_DLOPEN 1
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#endif

#include "vdl_dl.h"

#include <stdio.h>
#include <string.h>

#ifdef VDL_HAVE_DLOPEN

void *vdl_dl_open(const char *path)
{
    /* dlopen searches the library path for a name without a '/'; a plugin
     * named on a command line is a file, so look in the current folder. */
    char local[4096];
    int bare = strchr(path, '/') == NULL && snprintf(local, sizeof local, "./%s", path) < (int)sizeof local;
    /* RTLD_NOW: a plugin that needs a symbol the program lacks fails here,
     * with the symbol's name, not at its first call. RTLD_LOCAL: plugins do
     * not see each other's symbols. */
    void *h = dlopen(bare ? local : path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        vdl_set_error(VDL_EIO, "cannot load plugin '%s': %s", path, why ? why : "dlopen failed");
    }
    return h;
}

int vdl_dl_entry(void *handle, vdl_plugin_entry_fn *fn)
{
    void *sym = dlsym(handle, VDL_PLUGIN_ENTRY_NAME);
    if (!sym)
        return vdl_set_error(VDL_ENOTFOUND, "not a vdl plugin: it does not export %s()", VDL_PLUGIN_ENTRY_NAME);
    /* POSIX guarantees this conversion; memcpy keeps ISO C's -Wpedantic quiet. */
    memcpy(fn, &sym, sizeof *fn);
    return VDL_OK;
}

void vdl_dl_close(void *handle)
{
    if (handle)
        dlclose(handle);
}

#else

void *vdl_dl_open(const char *path)
{
    vdl_set_error(VDL_EIO,
                  "cannot load plugin '%s': this vdl was built without shared-object loading "
                  "(no dlopen on this platform, or -DVDL_PLUGINS=OFF); link the plugin's source "
                  "into the program and call vdl_plugin_register() instead",
                  path);
    return NULL;
}

int vdl_dl_entry(void *handle, vdl_plugin_entry_fn *fn)
{
    (void)handle;
    (void)fn;
    return vdl_set_error(VDL_EINVAL, "no shared-object loading in this build");
}

void vdl_dl_close(void *handle) { (void)handle; }

#endif
