/*
 * alloc.c: counted heap allocation. Every allocation in the library goes
 * through here so "no malloc per training step" is a number a test can read.
 */
#include "vdl_base.h"

#include <stdlib.h>

static unsigned long alloc_count;

static void *counted(void *ptr, size_t bytes)
{
    if (ptr == NULL && bytes > 0) {
        vdl_set_error(VDL_ENOMEM, "out of memory allocating %lu bytes",
                      (unsigned long)bytes);
        return NULL;
    }
    alloc_count++;
    return ptr;
}

void *vdl_malloc(size_t bytes) { return counted(malloc(bytes ? bytes : 1), bytes); }

void *vdl_calloc(size_t count, size_t bytes)
{
    return counted(calloc(count ? count : 1, bytes ? bytes : 1), count * bytes);
}

void *vdl_realloc(void *ptr, size_t bytes)
{
    return counted(realloc(ptr, bytes ? bytes : 1), bytes);
}

void vdl_free(void *ptr) { free(ptr); }

unsigned long vdl_alloc_count(void) { return alloc_count; }
