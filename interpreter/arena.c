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
    size_t used;
    _Alignas(16) unsigned char data[];
} arena_block;

struct arena {
    arena_block *head;
    arena_block *first;
    size_t next_size;
};

static arena_malloc_fn arena_hook;
static arena_fault_fn arena_fault;

void arena_set_allocator(arena_malloc_fn fn) { arena_hook = fn; }

void arena_set_fault(arena_fault_fn fn) { arena_fault = fn; }

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
    b->used = 0;
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
    a->next_size = ARENA_FIRST_BLOCK * 2;
    return a;
}

void *arena_alloc(arena *a, size_t size)
{
    if (size > SIZE_MAX - ARENA_ALIGN || (arena_fault && arena_fault()))
        return NULL;
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    arena_block *b = a->head;
    if (b->size - b->used < size) {
        size_t want = size > a->next_size ? size : a->next_size;
        arena_block *nb = block_new(want);
        if (!nb)
            return NULL;
        if (a->next_size < ARENA_MAX_BLOCK)
            a->next_size *= 2;
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
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
    a->first->used = 0;
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
