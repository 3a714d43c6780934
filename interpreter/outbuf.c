/*
 * Output buffer and JSON string escaping.
 */
#include "outbuf.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

bool ob_reserve_grow(ob_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= n)
        return true;
    size_t ncap = b->cap ? b->cap : 65536;
    while (ncap - b->len < n) {
        if (ncap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        ncap *= 2;
    }
    char *d = arena_sys_malloc(ncap);
    if (!d) {
        b->failed = true;
        return false;
    }
    if (b->len)
        memcpy(d, b->data, b->len);
    free(b->data);
    b->data = d;
    b->cap = ncap;
    return true;
}

void ob_free(ob_buf *b)
{
    free(b->data);
    *b = (ob_buf){0};
}

void ob_bytes_grow(ob_buf *b, const char *s, size_t n)
{
    if (ob_reserve_grow(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

void ob_str(ob_buf *b, const char *s)
{
    ob_bytes(b, s, strlen(s));
}

void ob_int(ob_buf *b, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    ob_bytes(b, tmp, (size_t)n);
}

/* Whether none of the eight bytes of x needs escaping: none below 0x20, none a
 * quote or a backslash. Each test is the exact "some byte is zero / below n"
 * test on a word (a borrow can only mark bytes above one that really is). */
static inline bool word_plain(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t hit = ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
    return (hit & highs) == 0;
}

/* Whether none of sixteen bytes needs escaping, in the compiler's generic
 * vectors (SSE2 on x86-64, which every such processor has, NEON on arm64):
 * half the instructions a byte of two word_plain tests take. */
typedef unsigned char ob_v16 __attribute__((vector_size(16)));

static inline bool block_plain(ob_v16 x)
{
    ob_v16 hit = (ob_v16)((x < 0x20) | (x == '"') | (x == '\\'));
    uint64_t half[2];
    memcpy(half, &hit, 16);
    return (half[0] | half[1]) == 0;
}

/* The escape of a byte that needs one, at w; returns the end. */
static inline char *escape(char *w, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    *w++ = '\\';
    switch (c) {
    case '"': *w++ = '"'; break;
    case '\\': *w++ = '\\'; break;
    case '\n': *w++ = 'n'; break;
    case '\t': *w++ = 't'; break;
    case '\r': *w++ = 'r'; break;
    default:
        memcpy(w, "u00", 3);
        w[3] = hex[c >> 4];
        w[4] = hex[c & 15];
        w += 5;
    }
    return w;
}

static inline bool plain(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

/* json_chars for a string shorter than sixteen bytes: eight bytes at a time,
 * and the last few of a string of at least eight taken as its last word,
 * overlapping bytes already copied (as json_chars does with blocks). Apart,
 * so that json_chars does not hold the word tests' constants. */
static char *json_short(char *w, const char *s, size_t n)
{
    size_t i = 0;
    uint64_t word;
    for (;;) {
        while (i + 8 <= n && (memcpy(&word, s + i, 8), word_plain(word))) {
            memcpy(w, &word, 8);
            w += 8;
            i += 8;
        }
        if (i == n)
            return w;
        if (n >= 8 && i + 8 > n && (memcpy(&word, s + n - 8, 8), word_plain(word))) {
            memcpy(w - (i + 8 - n), &word, 8);
            return w + (n - i);
        }
        unsigned char c = (unsigned char)s[i++];
        w = plain(c) ? (*w = (char)c, w + 1) : escape(w, c);
    }
}

/* The escaped bytes of s at w (room for 6 * n). Plain runs are copied
 * sixteen bytes at a time; the last few bytes are taken as the string's last
 * sixteen, overlapping bytes already copied, which is exact because an
 * overlapped byte was plain and so copied as itself. */
static char *json_chars(char *w, const char *s, size_t n)
{
    if (n < 16)
        return json_short(w, s, n);
    size_t i = 0;
    ob_v16 block;
    for (;;) {
        while (i + 16 <= n && (memcpy(&block, s + i, 16), block_plain(block))) {
            memcpy(w, &block, 16);
            w += 16;
            i += 16;
        }
        if (i == n)
            return w;
        if (i + 16 > n && (memcpy(&block, s + n - 16, 16), block_plain(block))) {
            memcpy(w - (i + 16 - n), &block, 16);
            return w + (n - i);
        }
        unsigned char c = (unsigned char)s[i++];
        w = plain(c) ? (*w = (char)c, w + 1) : escape(w, c);
    }
}

char *ob_json_put(char *w, const char *s, size_t n)
{
    *w++ = '"';
    w = json_chars(w, s, n);
    *w++ = '"';
    return w;
}

/* In pieces, so that a long text never needs room for six times its length at once. */
void ob_json_string(ob_buf *b, const char *s, size_t n)
{
    enum { PIECE = 4096 };
    ob_char(b, '"');
    while (n) {
        size_t k = n < PIECE ? n : PIECE;
        if (!ob_reserve(b, 6 * k))
            return;
        b->len = (size_t)(json_chars(b->data + b->len, s, k) - b->data);
        s += k;
        n -= k;
    }
    ob_char(b, '"');
}

bool ob_flush(ob_buf *b, FILE *out)
{
    bool ok = !b->len || fwrite(b->data, 1, b->len, out) == b->len;
    b->len = 0;
    return ok;
}
