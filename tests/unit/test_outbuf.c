/*
 * Unit tests of the JSON string writer: ob_json_string and ob_json_put must
 * write what the plain byte-by-byte escaper below writes, for strings of every
 * length around the word and block sizes and the writer's pieces, with the
 * bytes that need escaping anywhere in them (the word- and block-wide tests
 * and the overlapping last word or block are where a mistake would hide).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "outbuf.h"

static void reference(ob_buf *b, const unsigned char *s, size_t n)
{
    ob_char(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        char esc[8];
        if (c == '"')
            ob_bytes(b, "\\\"", 2);
        else if (c == '\\')
            ob_bytes(b, "\\\\", 2);
        else if (c == '\n')
            ob_bytes(b, "\\n", 2);
        else if (c == '\t')
            ob_bytes(b, "\\t", 2);
        else if (c == '\r')
            ob_bytes(b, "\\r", 2);
        else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            ob_bytes(b, esc, 6);
        } else
            ob_char(b, (char)c);
    }
    ob_char(b, '"');
}

/* A byte that is plain most of the time, so that runs of plain words occur. */
static unsigned char random_byte(unsigned *seed, unsigned special_share)
{
    static const unsigned char special[] = {'"', '\\', '\n', '\t', '\r', 0, 1, 0x1f, 0x20, 0x7f, 0x80, 0xff};
    *seed = *seed * 1103515245u + 12345u;
    unsigned r = (*seed >> 8) % 1000;
    if (r < special_share)
        return special[r % sizeof special];
    return (unsigned char)('a' + r % 26);
}

static void check(const unsigned char *s, size_t n)
{
    ob_buf want = {0}, got = {0};
    reference(&want, s, n);
    ob_str(&got, "x");
    ob_json_string(&got, (const char *)s, n);
    assert_int_equal(got.len, want.len + 1);
    assert_memory_equal(got.data + 1, want.data, want.len);
    char *room = malloc(OB_JSON_ROOM(n));
    assert_non_null(room);
    char *end = ob_json_put(room, (const char *)s, n);
    assert_int_equal((size_t)(end - room), want.len);
    assert_memory_equal(room, want.data, want.len);
    free(room);
    ob_free(&want);
    ob_free(&got);
}

static void escapes_match_the_bytewise_writer(void **state)
{
    (void)state;
    unsigned seed = 6;
    unsigned char s[9000];
    for (size_t n = 0; n <= 40; n++)
        for (unsigned share = 0; share <= 500; share += 50)
            for (int k = 0; k < 20; k++) {
                for (size_t i = 0; i < n; i++)
                    s[i] = random_byte(&seed, share);
                check(s, n);
            }
    /* Longer than one piece of ob_json_string, with the escapes at its seams. */
    size_t lengths[] = {4095, 4096, 4097, 8191, 8192, 8193, 9000};
    for (size_t k = 0; k < sizeof lengths / sizeof *lengths; k++) {
        for (size_t i = 0; i < lengths[k]; i++)
            s[i] = random_byte(&seed, 20);
        s[4095] = '"';
        s[4096 < lengths[k] ? 4096 : 0] = '\n';
        check(s, lengths[k]);
    }
}

static void every_single_byte(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        unsigned char s[40];
        for (size_t at = 0; at < sizeof s; at++) {
            memset(s, 'a', sizeof s);
            s[at] = (unsigned char)c;
            check(s, sizeof s);
            check(s + at, 1);
            check(s, at + 1);               /* the byte last */
            check(s + at, sizeof s - at);   /* the byte first */
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_match_the_bytewise_writer),
        cmocka_unit_test(every_single_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
