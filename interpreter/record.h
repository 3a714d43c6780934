/*
 * The record reader: checks one JSON record (from json_reader) against the
 * input declaration of a rule version, so that validation rules too are data,
 * and fills the typed input slots the evaluator reads. Unknown fields,
 * duplicate keys, wrong types, out-of-range numbers, impossible dates and
 * unknown enum values are errors naming the path of the offending value.
 */
#ifndef REGEL_RECORD_H
#define REGEL_RECORD_H

#include "arena.h"
#include "json_reader.h"
#include "program.h"
#include "ruleset.h"

typedef struct rec_error {
    const char *field;    /* path like needs[2].kind; NULL when the record is not an object */
    const char *message;
} rec_error;

/* Hash tables of the names a program's records are read by (the fields of its
 * input and of its lists' items, the members of their enums), so that a key
 * is found in one probe rather than by comparing it with every field. Built
 * once per program and afterwards only read: threads may share one. */
typedef struct rec_index rec_index;
/* NULL when out of memory; rec_read_indexed then works without it. newest:
 * the program of the ruleset's newest version, whose names of the selector
 * and the key rec_read_direct looks for. */
rec_index *rec_index_new(arena *a, const ir_program *p, const ir_program *newest);
/* Reads `root` (an object) into a fresh array of input values; false with
 * *err on a bad record. ix: the tables of rec_index_new(p, ...), or NULL for
 * the same result found without them. */
bool rec_read_indexed(const ir_program *p, const rec_index *ix, const jr_value *root, arena *a, value **inputs,
                      rec_error *err);

/* A record read by rec_read_direct. */
typedef struct rec_direct {
    const rs_version *version;   /* the version in force on the selector date, or the newest when none is */
    bool too_early;              /* no version is in force on the selector date */
    value *inputs;
    int32_t day;                 /* the selector date */
    const char *id;              /* the key's text (in the arena), NULL when the record has none */
    size_t id_len;
} rec_direct;

/* Reads line[0..len) (padded for jr_parse) straight into the input slots of
 * the version its selector picks, with ix[i] the tables of version i (made
 * with the newest version's program as newest); a selector date before every
 * version is read by the newest version's declaration, as the general way
 * reads it, and flagged too_early. false when the line is anything but a
 * well-formed record (not JSON, an error of any field, an unreadable
 * selector): the caller then reads it the general way
 * (jr_parse, rec_read_indexed), which says what is wrong. When true, that
 * way would have read the same values. */
bool rec_read_direct(const ruleset *rs, rec_index *const *ix, jr_reader *jr, const char *line, size_t len, arena *a,
                     rec_direct *out);

/* The member named `name` holding a string, or NULL (first occurrence). */
const jr_value *rec_member(const jr_value *object, const char *name);

#endif
