/*
 * vdl_dl.h: opening shared objects, the one platform-specific piece of the
 * plugin loader (not public API). Built without dlopen (VDL_NO_DLOPEN, or a
 * platform other than Unix and macOS), every call fails with a message that
 * says so.
 */
#ifndef VDL_DL_H
#define VDL_DL_H

#include "vdl_plugin.h"

/* Open the shared object at `path`: a handle, or NULL (error set). */
void *vdl_dl_open(const char *path);

/* The entry function of an open plugin: VDL_OK, or VDL_ENOTFOUND (error set)
 * when the object does not export vdl_plugin_entry. */
int vdl_dl_entry(void *handle, vdl_plugin_entry_fn *fn);

/* Close a handle from vdl_dl_open (NULL is ignored). */
void vdl_dl_close(void *handle);

#endif
