/*
 * The JSON reader: one line of JSON Lines in, a small generic tree out,
 * allocated in the caller's arena. It checks JSON syntax only (and UTF-8);
 * what the record must contain is the record reader's business (record.c).
 * Numbers are kept as the exact token written, so the caller converts them
 * exactly; object members keep their document order and their duplicates.
 */
#ifndef REGEL_JSON_READER_H
#define REGEL_JSON_READER_H

#include <stddef.h>

#include "arena.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { JR_NULL, JR_FALSE, JR_TRUE, JR_NUMBER, JR_STRING, JR_ARRAY, JR_OBJECT } jr_kind;

typedef struct jr_value jr_value;

typedef struct jr_member {
    const char *key;      /* unescaped, NUL-terminated (may hold \u0000: use key_len) */
    size_t key_len;
    jr_value *value;
} jr_member;

struct jr_value {
    jr_kind kind;
    const char *text;     /* JR_NUMBER: the token as written; JR_STRING: unescaped UTF-8 */
    size_t len;
    size_t count;         /* JR_ARRAY: items; JR_OBJECT: members */
    jr_value *items;
    jr_member *members;   /* in document order, duplicates kept */
};

/* Bytes that must be readable after the end of a line (simdjson reads ahead). */
enum { JR_PADDING = 64 };

typedef struct jr_reader jr_reader;

typedef enum { JR_OK = 0, JR_NOT_JSON, JR_TOO_DEEP, JR_NO_MEMORY } jr_status;

/* A reader owns a parser that is reused from line to line. NULL when out of memory. */
jr_reader *jr_reader_new(size_t max_depth);
void jr_reader_free(jr_reader *r);
/* Parses line[0..len); line[len..len+JR_PADDING) must be readable. */
jr_status jr_parse(jr_reader *r, const char *line, size_t len, arena *a, jr_value **out);

#ifdef __cplusplus
}
#endif

#endif
