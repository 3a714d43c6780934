/*
 * The JSON reader: one line of JSON Lines in, a small generic tree out,
 * allocated in the caller's arena (jr_parse), or the positions of its tokens
 * for a reader that knows what it expects (jr_index). It checks JSON
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
#include <stdint.h>

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

typedef enum { JR_OK = 0, JR_NOT_JSON, JR_TOO_DEEP, JR_NO_MEMORY } jr_status;

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

/* The structure of a line as simdjson's first stage finds it, for a reader
 * that knows what it expects and checks the grammar itself (record.c reads
 * well-formed case records straight into typed slots this way). at[] holds,
 * in order, the offset of every structural character ({ } [ ] : ,) and of
 * the first byte of every other token that follows one of them or a blank (a
 * string's opening quote, a number, true); at[count] and at[count + 1] are
 * len. A token runs to the next offset, less blanks, so whatever is glued to
 * it is part of it (12"b" is one token). What stage 1 has checked holds for
 * the whole line: it is valid UTF-8, every string is closed and holds no
 * unescaped control character. Nothing else is: a reader that accepts a line
 * must have checked its grammar and every token itself (numbers with
 * jr_number). A string token written "text", with no quote or backslash in
 * text, is that text. */
typedef struct jr_tokens {
    const uint32_t *at;   /* lives in the reader until the next jr_index */
    size_t count;
    size_t max_depth;     /* the reader's, as jr_parse applies it */
} jr_tokens;

/* Indexes line[0..len) (padded as for jr_parse). JR_NOT_JSON when stage 1
 * rejects the line or finds no token; JR_NO_MEMORY when the index cannot
 * grow, or for a line longer than JR_INDEX_MAX bytes (so that the index stays
 * small beside the parser, which must hold any line): a reader
 * of such a line reads it with jr_parse. */
enum { JR_INDEX_MAX = 1 << 20 };
jr_status jr_index(jr_reader *r, const char *line, size_t len, jr_tokens *out);

/* A string token of the line last indexed that holds an escape, unescaped as
 * jr_parse unescapes strings: body is the byte after its opening quote, dst
 * has room for the token's length plus JR_UNESCAPE_SLACK (the unescaper
 * writes whole blocks). False for an escape JSON does not allow (a lone
 * surrogate, \x); *len is then unset. */
enum { JR_UNESCAPE_SLACK = 64 };
bool jr_unescape(const jr_reader *r, const char *body, char *dst, size_t *len);

/* Whether t[0..n) is a number as JSON writes it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
bool jr_number(const char *t, size_t n);

#ifdef __cplusplus
}
#endif

#endif
