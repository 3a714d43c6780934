/*
 * Output buffer and JSON string escaping.
 */
#include "outbuf.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static bool reserve(ob_buf *b, size_t n)
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
    if (reserve(b, n)) {
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

void ob_json_string(ob_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ob_char(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        /* Eight bytes at a time while none needs escaping: ids are mostly plain. */
        uint64_t word;
        while (i + 8 <= n && (memcpy(&word, s + i, 8), word_plain(word)))
            i += 8;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        ob_bytes(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': ob_bytes(b, "\\\"", 2); break;
        case '\\': ob_bytes(b, "\\\\", 2); break;
        case '\n': ob_bytes(b, "\\n", 2); break;
        case '\t': ob_bytes(b, "\\t", 2); break;
        case '\r': ob_bytes(b, "\\r", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ob_bytes(b, u, 6);
        }
        }
    }
    ob_bytes(b, s + run, n - run);
    ob_char(b, '"');
}

bool ob_flush(ob_buf *b, FILE *out)
{
    bool ok = !b->len || fwrite(b->data, 1, b->len, out) == b->len;
    b->len = 0;
    return ok;
}
