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

typedef struct rec_error {
    const char *field;    /* path like needs[2].kind; NULL when the record is not an object */
    const char *message;
} rec_error;

/* Reads `root` (an object) into a fresh array of input values. false with *err on a bad record. */
bool rec_read(const ir_program *p, const jr_value *root, arena *a, value **inputs, rec_error *err);

/* The member named `name` holding a string, or NULL (first occurrence). */
const jr_value *rec_member(const jr_value *object, const char *name);

#endif
