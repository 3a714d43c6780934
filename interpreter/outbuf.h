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

typedef struct ob_buf {
    char *data;
    size_t len, cap;
    bool failed;          /* an allocation failed; the contents are incomplete */
} ob_buf;

void ob_free(ob_buf *b);
void ob_bytes(ob_buf *b, const char *s, size_t n);
void ob_str(ob_buf *b, const char *s);
void ob_char(ob_buf *b, char c);
void ob_int(ob_buf *b, int64_t v);
/* A JSON string: quotes, escapes for '"', '\\' and control characters; other bytes as they are (the input was valid UTF-8). */
void ob_json_string(ob_buf *b, const char *s, size_t n);
/* Writes and empties the buffer; false on a write error. */
bool ob_flush(ob_buf *b, FILE *out);

#endif
