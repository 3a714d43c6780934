/*
 * Arena allocation. Every compiled ruleset owns one arena and every evaluated
 * record owns another (reset between records), so that error paths never have
 * to free piece by piece: dropping the arena drops everything built in it.
 */
#ifndef REGEL_ARENA_H
#define REGEL_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct arena arena;

/* Allocation hook, so tests can fail the Nth allocation. NULL restores malloc. */
typedef void *(*arena_malloc_fn)(size_t size);
void arena_set_allocator(arena_malloc_fn fn);
void *arena_sys_malloc(size_t size);
/* Fault injection for tests: while set, arena_alloc asks it first and fails,
 * as if memory had run out, when it returns true. The allocator hook sees
 * only the blocks an arena opens, one per few thousand allocations; this
 * reaches the failure path of every allocation site. NULL turns it off. */
typedef bool (*arena_fault_fn)(void);
void arena_set_fault(arena_fault_fn fn);

arena *arena_new(void);

/* The free room of an arena's current block; every arena begins with it, so
 * that an allocation that fits is a bump in the caller (a record makes some
 * twenty, and the call cost more than the bump). `left` is a multiple of the
 * alignment, 16. */
typedef struct arena_room {
    unsigned char *at;
    size_t left;
} arena_room;
/* True while a fault hook is set: every allocation then takes the slow path,
 * which asks the hook. */
extern bool arena_fault_armed;
void *arena_alloc_slow(arena *a, size_t size);

/* Returns NULL when memory is exhausted or the size overflows. */
static inline void *arena_alloc(arena *a, size_t size)
{
    arena_room *r = (arena_room *)a;
    if (size > r->left || arena_fault_armed)
        return arena_alloc_slow(a, size);
    size = (size + 15) & ~(size_t)15; /* still within `left`, a multiple of 16 */
    r->at += size;
    r->left -= size;
    return r->at - size;
}

/* arena_alloc of memory that starts at a multiple of align (a power of two
 * above the arena's own alignment, 16): where it fits in the current block,
 * only the gap before it is lost. One allocation for a fault hook. */
void *arena_alloc_aligned(arena *a, size_t size, size_t align);

static inline void *arena_calloc(arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(a, count * size);
    return p ? memset(p, 0, count * size) : NULL;
}
char *arena_strndup(arena *a, const char *s, size_t len);

/* Frees every block but the first, so a per-record arena settles at its working size. */
void arena_reset(arena *a);
void arena_free(arena *a);

#ifdef __cplusplus
}
#endif

#endif
