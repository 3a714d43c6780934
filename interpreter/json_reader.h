/*
 * The JSON reader: one line of JSON Lines in, a small generic tree out,
 * allocated in the caller's arena (jr_parse), or the same line walked without
 * a tree for a reader that knows what it expects (jr_walk). It checks JSON
 * syntax only (and UTF-8);
 * what the record must contain is the record reader's business (record.c).
 * Numbers are kept as the exact token written, so the caller converts them
 * exactly; object members keep their document order and their duplicates,
 * so the caller can report a duplicate key.
 */
#ifndef REGEL_JSON_READER_H
#define REGEL_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { JR_NULL, JR_FALSE, JR_TRUE, JR_NUMBER, JR_STRING, JR_ARRAY, JR_OBJECT } jr_kind;

typedef struct jr_value jr_value;

typedef struct jr_member {
    const char *key;      /* unescaped, NUL-terminated; may hold \u0000, so use key_len */
    size_t key_len;
    jr_value *value;
} jr_member;

struct jr_value {
    jr_kind kind;
    /* JR_NUMBER: the token as written, already checked against the JSON number
     * grammar but not converted (1e400 and 30-digit integers come through).
     * JR_STRING: the unescaped UTF-8, NUL-terminated; may hold \u0000, so use len.
     * NULL for the other kinds. */
    const char *text;
    size_t len;
    size_t count;         /* JR_ARRAY: items; JR_OBJECT: members */
    jr_value *items;      /* JR_ARRAY */
    jr_member *members;   /* JR_OBJECT: in document order, duplicates kept */
};

/* Bytes that must be readable after the end of a line (simdjson reads ahead).
 * Their content does not matter. */
enum { JR_PADDING = 64 };

/* The walk recurses once per nesting level, so a larger max_depth is lowered to this. */
enum { JR_DEPTH_CAP = 1024 };

typedef struct jr_reader jr_reader;

typedef enum { JR_OK = 0, JR_NOT_JSON, JR_TOO_DEEP, JR_NO_MEMORY, JR_STOPPED } jr_status;

/* A reader owns a parser that is reused from line to line. Objects and arrays
 * may nest max_depth deep (a root object is depth 1). NULL when out of memory. */
jr_reader *jr_reader_new(size_t max_depth);
void jr_reader_free(jr_reader *r);

/* Parses line[0..len), one line without its newline (a trailing \r is the
 * caller's to strip); line[len..len+JR_PADDING) must be readable. On JR_OK *out
 * is the root, of any kind. JR_NOT_JSON for any syntax error or invalid UTF-8,
 * JR_TOO_DEEP past max_depth, JR_NO_MEMORY when the arena or the parser cannot
 * grow (including a line beyond simdjson's 4 GiB limit). The tree lives in the
 * arena; it does not point into the line or the reader. */
jr_status jr_parse(jr_reader *r, const char *line, size_t len, arena *a, jr_value **out);

/* Walking a line without building a tree, for a reader that knows what it
 * expects (record.c reads case records straight into typed slots this way).
 * The walk reports what it meets in document order; any callback may return
 * false to stop it there. The strings handed over (keys and string values,
 * unescaped, not NUL-terminated, possibly holding \u0000) live in the reader
 * until the next walk or parse. Every token is checked exactly as jr_parse
 * checks it, so a walk that reaches the end has seen a line jr_parse accepts. */
typedef struct jr_handler {
    /* With a peek_key: the string value of the first member of the root object
     * whose key is written exactly so (no escapes). Called once, before any
     * other callback; when there is no such member, or it is not a string,
     * or the line breaks down before it, the walk stops without a call. */
    bool (*peek)(void *ctx, const char *text, size_t len);
    bool (*open)(void *ctx, jr_kind kind);   /* JR_OBJECT or JR_ARRAY */
    bool (*close)(void *ctx, jr_kind kind);
    bool (*key)(void *ctx, const char *key, size_t len);  /* an object member's; its value follows */
    /* JR_STRING (unescaped), JR_NUMBER (the token as written), JR_TRUE, JR_FALSE, JR_NULL. */
    bool (*scalar)(void *ctx, jr_kind kind, const char *text, size_t len);
} jr_handler;

/* Walks line[0..len) (padded as for jr_parse) whose root must be an object.
 * JR_OK when the whole line was walked and is JSON; JR_STOPPED when a callback
 * returned false or the root is not an object; otherwise as jr_parse. */
jr_status jr_walk(jr_reader *r, const char *line, size_t len, const char *peek_key, const jr_handler *h, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
