/*
 * arena.c: chunked bump allocation with reset (see vdl_arena.h).
 */
#include "vdl_arena.h"

#include <stdint.h>
#include <string.h>

#define ARENA_ALIGN 64
#define ARENA_MIN_CHUNK ((size_t)1 << 20)

struct vdl_arena_chunk {
    vdl_arena_chunk *next; /* older chunk */
    size_t cap, used;
    unsigned char *base;   /* aligned start of usable memory */
};

void vdl_arena_init(vdl_arena *arena) { memset(arena, 0, sizeof *arena); }

static vdl_arena_chunk *chunk_new(size_t cap)
{
    unsigned char *raw = vdl_malloc(sizeof(vdl_arena_chunk) + cap + ARENA_ALIGN);
    vdl_arena_chunk *c = (vdl_arena_chunk *)raw;
    uintptr_t start;
    if (!raw)
        return NULL;
    start = (uintptr_t)(raw + sizeof *c);
    start = (start + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1);
    c->next = NULL;
    c->cap = cap;
    c->used = 0;
    c->base = (unsigned char *)start;
    return c;
}

void *vdl_arena_alloc(vdl_arena *arena, size_t bytes)
{
    vdl_arena_chunk *c = arena->head;
    size_t need = (bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    void *p;
    if (need == 0)
        need = ARENA_ALIGN;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > ARENA_MIN_CHUNK ? need : ARENA_MIN_CHUNK;
        if (c && cap < 2 * c->cap)
            cap = 2 * c->cap;
        c = chunk_new(cap);
        if (!c)
            return NULL;
        c->next = arena->head;
        arena->head = c;
    }
    p = c->base + c->used;
    c->used += need;
    arena->used_total += need;
    if (arena->used_total > arena->high_water)
        arena->high_water = arena->used_total;
    return p;
}

void *vdl_arena_calloc(vdl_arena *arena, size_t bytes)
{
    void *p = vdl_arena_alloc(arena, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void vdl_arena_reset(vdl_arena *arena)
{
    vdl_arena_chunk *c = arena->head;
    if (c && c->next) {
        /* Several chunks: replace them by one that fits the whole step. */
        size_t cap = arena->high_water;
        vdl_arena_free(arena);
        arena->head = chunk_new(cap);
        arena->high_water = cap;
    } else if (c) {
        c->used = 0;
    }
    arena->used_total = 0;
}

void vdl_arena_free(vdl_arena *arena)
{
    vdl_arena_chunk *c = arena->head;
    while (c) {
        vdl_arena_chunk *next = c->next;
        vdl_free(c);
        c = next;
    }
    arena->head = NULL;
    arena->used_total = 0;
}
