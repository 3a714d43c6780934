/*
 * A bump allocator over a chain of blocks. Blocks grow geometrically up to a
 * cap; an allocation larger than the cap gets a block of its own.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_FIRST_BLOCK = 8192, ARENA_MAX_BLOCK = 1 << 20, ARENA_ALIGN = 16 };

typedef struct arena_block {
    struct arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
} arena_block;

/* The head block's free room is `room` (arena.h); the blocks behind it are full. */
struct arena {
    arena_room room;
    arena_block *head;
    arena_block *first;
    size_t next_size;
};

static arena_malloc_fn arena_hook;
static arena_fault_fn arena_fault;
bool arena_fault_armed;

void arena_set_allocator(arena_malloc_fn fn) { arena_hook = fn; }

void arena_set_fault(arena_fault_fn fn)
{
    arena_fault = fn;
    arena_fault_armed = fn != NULL;
}

void *arena_sys_malloc(size_t size) { return arena_hook ? arena_hook(size) : malloc(size); }

static arena_block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(arena_block))
        return NULL;
    arena_block *b = arena_sys_malloc(sizeof(arena_block) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    return b;
}

arena *arena_new(void)
{
    arena *a = arena_sys_malloc(sizeof *a);
    if (!a)
        return NULL;
    a->first = a->head = block_new(ARENA_FIRST_BLOCK);
    if (!a->first) {
        free(a);
        return NULL;
    }
    a->room = (arena_room){a->first->data, ARENA_FIRST_BLOCK};
    a->next_size = ARENA_FIRST_BLOCK * 2;
    return a;
}

void *arena_alloc_slow(arena *a, size_t size)
{
    if (size > SIZE_MAX - ARENA_ALIGN || (arena_fault && arena_fault()))
        return NULL;
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (a->room.left < size) {
        size_t want = size > a->next_size ? size : a->next_size;
        arena_block *nb = block_new(want);
        if (!nb)
            return NULL;
        if (a->next_size < ARENA_MAX_BLOCK)
            a->next_size *= 2;
        nb->next = a->head;
        a->head = nb;
        a->room = (arena_room){nb->data, want};
    }
    void *p = a->room.at;
    a->room.at += size;
    a->room.left -= size;
    return p;
}

void *arena_alloc_aligned(arena *a, size_t size, size_t align)
{
    size_t gap = -(uintptr_t)a->room.at & (align - 1);
    /* With a fault hook set, always the one path, which asks it once. */
    if (!arena_fault_armed && size <= a->room.left && gap <= a->room.left - size) {
        a->room.at += gap;
        a->room.left -= gap;
        return arena_alloc(a, size);
    }
    if (size > SIZE_MAX - (align - 1))
        return NULL;
    unsigned char *raw = arena_alloc(a, size + align - 1);
    return raw ? raw + (-(uintptr_t)raw & (align - 1)) : NULL;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void arena_reset(arena *a)
{
    arena_block *b = a->head;
    while (b != a->first) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = a->first;
    a->room = (arena_room){a->first->data, a->first->size};
    a->next_size = ARENA_FIRST_BLOCK * 2;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}
