/*
 * Arena allocation. Every compiled ruleset owns one arena and every evaluated
 * record owns another (reset between records), so that error paths never have
 * to free piece by piece: dropping the arena drops everything built in it.
 */
#ifndef REGEL_ARENA_H
#define REGEL_ARENA_H

#include <stdbool.h>
#include <stddef.h>

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
/* Returns NULL when memory is exhausted or the size overflows. */
void *arena_alloc(arena *a, size_t size);
void *arena_calloc(arena *a, size_t count, size_t size);
char *arena_strndup(arena *a, const char *s, size_t len);
/* Frees every block but the first, so a per-record arena settles at its working size. */
void arena_reset(arena *a);
void arena_free(arena *a);

#ifdef __cplusplus
}
#endif

#endif
