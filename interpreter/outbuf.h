/*
 * A growable output buffer with JSON writers. Results are built here and
 * written in large blocks, so a batch makes one write call per many records.
 */
#ifndef REGEL_OUTBUF_H
#define REGEL_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct ob_buf {
    char *data;
    size_t len, cap;
    bool failed;          /* an allocation failed; the contents are incomplete */
} ob_buf;

void ob_free(ob_buf *b);
/* The buffer grown, then the bytes appended (or nothing, once an allocation has failed). */
void ob_bytes_grow(ob_buf *b, const char *s, size_t n);

/* Inline: a result line is some forty small pieces, and a call for each cost
 * more than copying them. */
static inline void ob_bytes(ob_buf *b, const char *s, size_t n)
{
    if (b->cap - b->len >= n && !b->failed) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    } else
        ob_bytes_grow(b, s, n);
}

static inline void ob_char(ob_buf *b, char c)
{
    if (b->cap - b->len >= 1 && !b->failed)
        b->data[b->len++] = c;
    else
        ob_bytes_grow(b, &c, 1);
}

/* Room for n more bytes at b->data + b->len, for writers that fill it through
 * a pointer (ob_json_put) and then set b->len; false once an allocation has
 * failed. */
bool ob_reserve_grow(ob_buf *b, size_t n);

static inline bool ob_reserve(ob_buf *b, size_t n)
{
    return (b->cap - b->len >= n && !b->failed) || ob_reserve_grow(b, n);
}

void ob_str(ob_buf *b, const char *s);
void ob_int(ob_buf *b, int64_t v);
/* A JSON string: quotes, escapes for '"', '\\' and control characters; other bytes as they are (the input was valid UTF-8). */
void ob_json_string(ob_buf *b, const char *s, size_t n);
/* The same written at w, which has room for OB_JSON_ROOM(n) bytes; returns the end. */
#define OB_JSON_ROOM(n) (6 * (n) + 2)
char *ob_json_put(char *w, const char *s, size_t n);
/* Writes and empties the buffer; false on a write error. */
bool ob_flush(ob_buf *b, FILE *out);

#endif
