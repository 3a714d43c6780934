/*
 * Unit tests of the arena: alignment, growth past a block, large
 * allocations, reset keeping the first block, overflow checks, a failing
 * allocator hook reported as NULL rather than a crash, the inline fast path
 * at the end of a block, fault injection reaching it, and aligned
 * allocations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"

static void allocations_are_aligned_and_distinct(void **state)
{
    (void)state;
    arena *a = arena_new();
    char *p = arena_alloc(a, 1), *q = arena_alloc(a, 3);
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_int_equal((uintptr_t)q % 16, 0);
    assert_true(q >= p + 16 || p >= q + 16);
    arena_free(a);
}

static void growth_keeps_earlier_allocations(void **state)
{
    (void)state;
    arena *a = arena_new();
    char *first = arena_strndup(a, "first", 5);
    for (int i = 0; i < 10000; i++) {
        int *x = arena_alloc(a, 100);
        assert_non_null(x);
        *x = i;
    }
    char *big = arena_alloc(a, 5 << 20);
    assert_non_null(big);
    memset(big, 1, 5 << 20);
    assert_string_equal(first, "first");
    arena_reset(a);
    char *again = arena_alloc(a, 10);
    assert_non_null(again);
    arena_free(a);
}

static void calloc_zeroes_and_checks_overflow(void **state)
{
    (void)state;
    arena *a = arena_new();
    int *z = arena_calloc(a, 100, sizeof *z);
    for (int i = 0; i < 100; i++)
        assert_int_equal(z[i], 0);
    assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
    assert_null(arena_alloc(a, SIZE_MAX - 3));
    arena_free(a);
}

static int allowed;
static void *limited_malloc(size_t size)
{
    return allowed-- > 0 ? malloc(size) : NULL;
}

static void a_failing_allocator_gives_null(void **state)
{
    (void)state;
    arena_set_allocator(limited_malloc);
    allowed = 0;
    assert_null(arena_new());
    allowed = 2;
    arena *a = arena_new();
    assert_non_null(a);
    assert_non_null(arena_alloc(a, 100));
    assert_null(arena_alloc(a, 1 << 20));
    arena_free(a);
    arena_set_allocator(NULL);
}

/* The inline path bumps within the current block; these sizes land exactly
 * on its end (8192 bytes in the first block), so the next allocation must
 * open a block, and a reset must give the first block's room back. */
static void allocations_fill_a_block_exactly(void **state)
{
    (void)state;
    arena *a = arena_new();
    unsigned char *first = arena_alloc(a, 1);
    unsigned char *p = first;
    for (int i = 1; i < 8192 / 16; i++) {
        unsigned char *q = arena_alloc(a, i % 2 ? 16 : 9);
        assert_ptr_equal(q, p + 16);
        p = q;
    }
    unsigned char *empty = arena_alloc(a, 0);
    assert_non_null(empty);
    unsigned char *next = arena_alloc(a, 1);
    assert_non_null(next);
    assert_int_equal((uintptr_t)next % 16, 0);
    assert_true(next < first || next >= first + 8192);
    arena_reset(a);
    assert_ptr_equal(arena_alloc(a, 32), first);
    arena_free(a);
}

static bool always_fail(void) { return true; }

/* Fault injection reaches allocations that the inline path could serve. */
static void a_fault_hook_sees_every_allocation(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_non_null(arena_alloc(a, 16));
    arena_set_fault(always_fail);
    assert_null(arena_alloc(a, 16));
    assert_null(arena_calloc(a, 2, 8));
    arena_set_fault(NULL);
    assert_non_null(arena_calloc(a, 2, 8));
    arena_free(a);
}

static unsigned hook_calls;
static bool count_and_pass(void)
{
    hook_calls++;
    return false;
}

/* Aligned allocations start at their alignment, lose only the gap before
 * them where they fit in the block (and a line's worth where they do not,
 * at the end of a block), and ask a fault hook once each. */
static void aligned_allocations_lose_only_the_gap(void **state)
{
    (void)state;
    arena *a = arena_new();
    unsigned char *before = arena_alloc(a, 16);
    unsigned char *p = arena_alloc_aligned(a, 100, 64);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 64, 0);
    assert_true(p >= before + 16 && p < before + 16 + 64);
    unsigned char *after = arena_alloc(a, 16);
    assert_ptr_equal(after, p + 112); /* 100, rounded to the arena's 16 */
    memset(p, 0xab, 100);
    for (int i = 0; i < 40; i++) { /* on through the end of the first block */
        unsigned char *q = arena_alloc_aligned(a, 1000, 64);
        assert_non_null(q);
        assert_int_equal((uintptr_t)q % 64, 0);
        memset(q, i, 1000);
    }
    assert_int_equal(p[99], 0xab);
    assert_null(arena_alloc_aligned(a, SIZE_MAX - 10, 64));
    hook_calls = 0;
    arena_set_fault(count_and_pass);
    unsigned char *r = arena_alloc_aligned(a, 24, 64);
    arena_set_fault(NULL);
    assert_non_null(r);
    assert_int_equal((uintptr_t)r % 64, 0);
    assert_int_equal(hook_calls, 1);
    arena_set_fault(always_fail);
    assert_null(arena_alloc_aligned(a, 24, 64));
    arena_set_fault(NULL);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_aligned_and_distinct),
        cmocka_unit_test(growth_keeps_earlier_allocations),
        cmocka_unit_test(calloc_zeroes_and_checks_overflow),
        cmocka_unit_test(a_failing_allocator_gives_null),
        cmocka_unit_test(allocations_fill_a_block_exactly),
        cmocka_unit_test(a_fault_hook_sees_every_allocation),
        cmocka_unit_test(aligned_allocations_lose_only_the_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
