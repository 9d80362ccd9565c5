/*
 * vdl_arena.h: a bump allocator for per-step memory. Everything a forward and
 * backward pass needs (nodes, values, gradients, op scratch) comes from here;
 * vdl_arena_reset() makes it all reusable at once. Chunks are kept across
 * resets and merged into one, so after the first steps a step allocates nothing.
 */
#ifndef VDL_ARENA_H
#define VDL_ARENA_H

#include "vdl_base.h"

typedef struct vdl_arena_chunk vdl_arena_chunk;

typedef struct vdl_arena {
    vdl_arena_chunk *head;   /* chunk currently allocated from */
    size_t used_total;       /* bytes handed out since the last reset */
    size_t high_water;       /* largest used_total seen */
} vdl_arena;

/* Start an empty arena (no memory is taken until the first allocation). */
void vdl_arena_init(vdl_arena *arena);

/* Return `bytes` of 64-byte-aligned memory, or NULL (error set) when out of memory. */
void *vdl_arena_alloc(vdl_arena *arena, size_t bytes);

/* Like vdl_arena_alloc, but zero-filled. */
void *vdl_arena_calloc(vdl_arena *arena, size_t bytes);

/* Make all memory reusable. If more than one chunk was needed, they are
 * replaced by one chunk big enough for the whole step. */
void vdl_arena_reset(vdl_arena *arena);

/* Release all memory. */
void vdl_arena_free(vdl_arena *arena);

#endif
