/*
 * Reading one case record into typed input slots, driven entirely by the
 * rule version's input declaration: field names, types, ranges, defaults and
 * the allowed values of enums all come from the rule files. Fields are
 * checked in document order, then missing required fields in declaration
 * order, so a record with several problems reports the first one met.
 */
#include "record.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "eval.h"
#include "exact.h"

enum { NAME_WORDS = 3 }; /* name_words */

/* How the direct reader reads a field's value: the kinds of most values a
 * record holds have their own case, the rest go to direct_rare. */
typedef enum { RK_RARE, RK_BOOL, RK_DIGITS, RK_DATE, RK_ENUM, RK_TEXT, RK_LIST } rec_kind;

/* A slot of a name table: what a probe compares, and the name's index.
 * One cache line, on a line of its own: the direct reader probes some thirty
 * slots a record, which the rules evaluated between two records push out of
 * the cache, and every line a slot spans is one more miss. */
typedef struct rec_slot {
    _Alignas(64) uint64_t words[NAME_WORDS];
    uint32_t len;             /* names are far shorter (index_add); UINT32_MAX in an empty slot */
    int32_t index;            /* into the names, or -1 for an empty slot */
    /* In a record's table, what the direct reader needs of most fields
     * named, so that it has it from the slot it probed: the field's bit
     * (1 << index; 0 past 64 fields, which no direct read meets), its range
     * (the int64 extremes when it has none) and how its value is read. */
    uint64_t bit;
    int64_t low, high;
    rec_kind kind;
} rec_slot;

/* A table of names. What the direct reader reads of it comes first, in one
 * cache line (the tables are aligned to one), for the same reason as a slot
 * is one. */
typedef struct rec_names {
    _Alignas(64) rec_slot *slots; /* open addressing */
    uint64_t mul;             /* name_hash's multiplier */
    unsigned shift;           /* 64 less the bits of an index into the slots */
    /* The direct reader's, for a record's table (NULL rec for an enum's): */
    uint32_t item_fields, item_attrs; /* rec's field_count and attr_count, at least 1: a list item's values */
    const struct rec_names **sub;  /* per field: the table of its enum or of its list's items, else NULL */
    uint64_t required;        /* the fields that must be present, one bit each (the first 64) */
    uint64_t fills;           /* the fields whose default is not all zero bits, one bit each */
    value *defaults;          /* per field, its default */
    /* Read by the direct reader seldom or never: */
    const void *owner;        /* the ir_record or ir_enum whose names these are */
    const char **names;
    size_t mask;
    const ir_record *rec;
} rec_names;

/* What rec_read_direct reads comes first, in one cache line (the index is
 * aligned to one), for the same reason as a name slot is one. */
struct rec_index {
    /* For rec_read_direct: the table of the input, its count of values (at
     * least 1), the key's field in it (or -1) and whether that is a text,
     * and the selector's name, the key and the selector as the newest version
     * names them, which is how batch.c finds them in a tree. */
    _Alignas(64) const rec_names *input;
    size_t input_values;
    long key_field;
    bool key_text;
    /* Every name is written in JSON as it is (no quote, backslash or control
     * character) and no record has more than 64 fields, so the direct reader
     * can match keys and enum values as written, one bit a field. */
    bool direct;
    size_t selector_len;
    uint64_t selector_words[NAME_WORDS];
    const char *selector;
    rec_names *tables;
    size_t count, cap;
};

typedef struct reader {
    arena *a;
    rec_error *err;
    const rec_index *ix;
} reader;

/* Where a value sits in the record, as a chain from the value up to the root.
 * The text of a path ("needs[2].kind") is built only when it names an error:
 * formatting it for every field read cost more than reading the field. */
typedef struct path {
    const struct path *up;    /* NULL at the top level */
    const char *key;          /* a member's key (as far as its first NUL), or NULL for an array index */
    size_t index;
} path;

static size_t digits(size_t n)
{
    size_t d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Writes the path's text ending at `end` (exclusive); returns where it starts. */
static char *write_path(const path *p, char *end)
{
    if (p->key) {
        size_t n = strlen(p->key);
        end -= n;
        memcpy(end, p->key, n);
        if (p->up)
            *--end = '.';
    } else {
        *--end = ']';
        size_t i = p->index;
        do {
            *--end = (char)('0' + i % 10);
            i /= 10;
        } while (i);
        *--end = '[';
    }
    return p->up ? write_path(p->up, end) : end;
}

static const char *path_text(reader *r, const path *p)
{
    if (!p)
        return NULL;
    if (p->key && !p->up)
        return p->key;
    size_t n = 1;
    for (const path *q = p; q; q = q->up)
        n += q->key ? strlen(q->key) + (q->up ? 1 : 0) : digits(q->index) + 2;
    char *s = arena_alloc(r->a, n);
    if (!s)
        return NULL;
    s[n - 1] = '\0';
    write_path(p, s + n - 1);
    return s;
}

static bool fail(reader *r, const path *at, const char *message)
{
    r->err->field = path_text(r, at);
    /* A path that memory cannot hold is not cut short: the record fails. */
    r->err->message = at && !r->err->field ? "out of memory" : message;
    return false;
}

/* name (NUL-terminated) equals key[0..n) (which may hold NUL bytes); no strlen of either. */
static bool name_is(const char *name, const char *key, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] != key[i] || !name[i])
            return false;
    return name[n] == '\0';
}

/* ---- the name tables of rec_index */

/* Three words that, with the length, tell names of at most 24 bytes apart
 * exactly: the name's first 24 bytes followed by zeros, so that a probe
 * compares words and the length rather than calling memcmp; a longer name's
 * bytes past 24 are compared apart (same_tail). */
static inline void name_words(const char *s, size_t n, uint64_t w[NAME_WORDS])
{
    char b[8 * NAME_WORDS] = {0};
    memcpy(b, s, n < sizeof b ? n : sizeof b);
    memcpy(w, b, sizeof b);
}

/* name_words of s[0..n) where 24 bytes from s can be read whatever n is (a
 * key in a padded line): each word masked by the bytes of its own that are
 * the key's, from a run of ones and zeros, so that nothing branches on the
 * length, which changes from key to key in no order the processor foresees. */
static inline void padded_words(const char *s, size_t n, uint64_t w[NAME_WORDS])
{
    _Alignas(64) static const unsigned char ones[16 * NAME_WORDS] = { /* one cache line */
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const unsigned char *mask = ones + 8 * NAME_WORDS - (n < 8 * NAME_WORDS ? n : 8 * NAME_WORDS);
    for (int j = 0; j < NAME_WORDS; j++) {
        uint64_t bytes, ones_of_key;
        memcpy(&bytes, s + 8 * j, 8);
        memcpy(&ones_of_key, mask + 8 * j, 8);
        w[j] = bytes & ones_of_key;
    }
}

/* A hash of a name of length n whose name_words are w. */
static inline size_t name_hash(const rec_names *t, size_t n, const uint64_t w[NAME_WORDS])
{
    uint64_t sum = w[0] + w[1] + w[2] + n;
    /* The top bits of the product, which every bit of the sum reaches. */
    return (size_t)((sum * t->mul) >> t->shift);
}

/* Whether the name words and length of a slot are w and n. */
static inline bool same_words(const uint64_t a[NAME_WORDS], uint32_t alen, const uint64_t w[NAME_WORDS], size_t n)
{
    return ((a[0] ^ w[0]) | (a[1] ^ w[1]) | (a[2] ^ w[2]) | (alen ^ n)) == 0;
}

static const rec_names *table_of(const rec_index *ix, const void *owner)
{
    for (size_t i = 0; i < ix->count; i++)
        if (ix->tables[i].owner == owner)
            return &ix->tables[i];
    return NULL;
}

static const rec_names *names_of(const reader *r, const void *owner)
{
    return r->ix ? table_of(r->ix, owner) : NULL;
}

/* a[24..n) equals b[24..n), for n > 24: a word at a time, the last one
 * overlapping the ones before, as the names compared are short. Apart, since
 * inlined it kept registers from every probe. */
static __attribute__((noinline)) bool same_tail(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    for (size_t k = 8 * NAME_WORDS; k + 8 < n; k += 8) {
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y)
            return false;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

/* The slot of the name key[0..n), whose name_words are w, in t; an empty
 * slot (index -1) when it is not there. */
static inline const rec_slot *names_probe(const rec_names *t, const char *key, size_t n,
                                          const uint64_t w[NAME_WORDS])
{
    for (size_t i = name_hash(t, n, w);; i = (i + 1) & t->mask) {
        const rec_slot *s = &t->slots[i];
        if (same_words(s->words, s->len, w, n) && (n <= 24 || same_tail(t->names[s->index], key, n)))
            return s;
        if (s->index < 0)
            return s;
    }
}

/* The index of the name key[0..n) in t, or -1. */
static inline long names_find(const rec_names *t, const char *key, size_t n)
{
    uint64_t w[NAME_WORDS];
    name_words(key, n, w);
    return names_probe(t, key, n, w)->index;
}

/* names_probe for a key in a padded line. */
static inline const rec_slot *names_find_padded(const rec_names *t, const char *key, size_t n)
{
    uint64_t w[NAME_WORDS];
    padded_words(key, n, w);
    return names_probe(t, key, n, w);
}

static rec_kind reader_kind(vt_kind k)
{
    switch (k) {
    case VT_BOOL: return RK_BOOL;
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY: return RK_DIGITS;
    case VT_DATE: return RK_DATE;
    case VT_ENUM: return RK_ENUM;
    case VT_TEXT: return RK_TEXT;
    case VT_LIST: return RK_LIST;
    default: return RK_RARE;
    }
}

/* Places the names in t's slots by its multiplier; how many of them another
 * name keeps from the slot their hash names. rec as for index_add. */
static size_t index_fill(rec_names *t, const ir_record *rec, const char **names, size_t count)
{
    for (size_t i = 0; i <= t->mask; i++)
        t->slots[i] = (rec_slot){{0, 0, 0}, UINT32_MAX, -1, 0, 0, 0, RK_RARE};
    size_t displaced = 0;
    for (size_t k = 0; k < count; k++) {
        size_t n = strlen(names[k]);
        if (names_find(t, names[k], n) >= 0)
            continue; /* a name declared twice: the first one is found, as by the linear search */
        rec_slot s = {{0, 0, 0}, (uint32_t)n, (int32_t)k, 0, INT64_MIN, INT64_MAX, RK_RARE};
        if (rec) {
            const ir_field *f = &rec->fields[k];
            s.bit = k < 64 ? (uint64_t)1 << k : 0;
            s.kind = reader_kind(f->type.kind);
            if (f->has_range) {
                s.low = f->low;
                s.high = f->high;
            }
        }
        name_words(names[k], n, s.words);
        size_t i = name_hash(t, n, s.words);
        displaced += t->slots[i].index >= 0;
        while (t->slots[i].index >= 0)
            i = (i + 1) & t->mask;
        t->slots[i] = s;
    }
    return displaced;
}

/* rec: the record whose fields are named, or NULL for an enum's members. */
static bool index_add(arena *a, rec_index *ix, const void *owner, const ir_record *rec, const char **names,
                      size_t count)
{
    for (size_t i = 0; i < ix->count; i++)
        if (ix->tables[i].owner == owner)
            return true;
    if (count > INT32_MAX / 4)
        return false;
    for (size_t k = 0; k < count; k++)
        if (strlen(names[k]) >= UINT32_MAX)
            return false;
    if (ix->count == ix->cap) {
        size_t ncap = ix->cap ? ix->cap * 2 : 8;
        rec_names *t = arena_alloc_aligned(a, ncap * sizeof *t, _Alignof(rec_names));
        if (!t)
            return false;
        if (ix->count)
            memcpy(t, ix->tables, ix->count * sizeof *t);
        ix->tables = t;
        ix->cap = ncap;
    }
    /* At most a quarter full, so that most look-ups take one probe. */
    size_t size = 8;
    unsigned shift = 61;
    while (size < 4 * count) {
        size *= 2;
        shift--;
    }
    rec_names t = {.slots = arena_alloc_aligned(a, size * sizeof(rec_slot), _Alignof(rec_slot)),
                   .mul = 0x9E3779B97F4A7C15u,
                   .shift = shift,
                   .owner = owner,
                   .names = names,
                   .mask = size - 1,
                   .rec = rec};
    if (!t.slots)
        return false;
    /* For a table of a few names, other multipliers are tried until each
     * name has its own slot, where the direct reader looks first
     * (find_name); whatever the last one tried, every name is found. */
    enum { FILL_TRIES = 64, FILL_NAMES = 64 };
    for (int k = 1; index_fill(&t, rec, names, count) && count <= FILL_NAMES && k < FILL_TRIES; k++)
        t.mul += 0x6A09E667F3BCC908u; /* still odd */
    ix->tables[ix->count++] = t;
    return true;
}

static bool index_record(arena *a, rec_index *ix, const ir_record *rec)
{
    for (size_t i = 0; i < ix->count; i++)
        if (ix->tables[i].owner == rec)
            return true;
    const char **names = arena_alloc(a, (rec->field_count ? rec->field_count : 1) * sizeof *names);
    if (!names)
        return false;
    for (size_t f = 0; f < rec->field_count; f++)
        names[f] = rec->fields[f].name;
    if (!index_add(a, ix, rec, rec, names, rec->field_count))
        return false;
    for (size_t f = 0; f < rec->field_count; f++) {
        const vtype *t = &rec->fields[f].type;
        if (t->kind == VT_ENUM && !index_add(a, ix, t->en, NULL, t->en->members, t->en->count))
            return false;
        if (t->kind == VT_LIST && t->rec && !index_record(a, ix, t->rec))
            return false;
    }
    return true;
}

/* Whether a name is written in a JSON string as it is. */
static bool plain_name(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

/* The direct reader's part of a record's table, once every table is made
 * (the array of tables moves while it grows). */
static bool index_direct(arena *a, rec_index *ix, rec_names *t)
{
    const ir_record *rec = t->rec;
    t->sub = arena_calloc(a, rec->field_count ? rec->field_count : 1, sizeof *t->sub);
    t->defaults = arena_alloc(a, (rec->field_count ? rec->field_count : 1) * sizeof *t->defaults);
    if (!t->sub || !t->defaults)
        return false;
    if (rec->field_count > 64 || rec->attr_count >= UINT32_MAX)
        ix->direct = false;
    t->item_fields = rec->field_count ? (uint32_t)rec->field_count : 1;
    t->item_attrs = rec->attr_count ? (uint32_t)rec->attr_count : 1;
    static const value zero;
    for (size_t f = 0; f < rec->field_count && f < 64; f++) {
        const ir_field *fd = &rec->fields[f];
        if (fd->type.kind == VT_ENUM)
            t->sub[f] = table_of(ix, fd->type.en);
        else if (fd->type.kind == VT_LIST && fd->type.rec)
            t->sub[f] = table_of(ix, fd->type.rec);
        if (fd->required)
            t->required |= (uint64_t)1 << f;
        t->defaults[f] = fd->fallback;
        if (memcmp(&fd->fallback, &zero, sizeof zero) != 0)
            t->fills |= (uint64_t)1 << f;
    }
    return true;
}

rec_index *rec_index_new(arena *a, const ir_program *p, const ir_program *newest)
{
    rec_index *ix = arena_alloc_aligned(a, sizeof *ix, _Alignof(rec_index));
    if (!ix)
        return NULL;
    *ix = (rec_index){0};
    if (!index_record(a, ix, &p->input))
        return NULL;
    ix->direct = true;
    for (size_t i = 0; i < ix->count; i++) {
        rec_names *t = &ix->tables[i];
        for (size_t k = 0; k <= t->mask; k++)
            if (t->slots[k].index >= 0 && !plain_name(t->names[t->slots[k].index]))
                ix->direct = false;
    }
    for (size_t i = 0; i < ix->count; i++)
        if (ix->tables[i].rec && !index_direct(a, ix, &ix->tables[i]))
            return NULL;
    ix->input = table_of(ix, &p->input);
    ix->input_values = p->input.field_count ? p->input.field_count : 1;
    ix->key_field = names_find(ix->input, newest->key_name, strlen(newest->key_name));
    ix->key_text = ix->key_field >= 0 && p->input.fields[ix->key_field].type.kind == VT_TEXT;
    ix->selector = newest->input.fields[newest->selector].name;
    ix->selector_len = strlen(ix->selector);
    name_words(ix->selector, ix->selector_len, ix->selector_words);
    return ix;
}

static bool read_object(reader *r, const ir_record *rec, const jr_value *obj, const path *at, value *slots);

static const char *expected(vtype t)
{
    switch (t.kind) {
    case VT_BOOL: return "expected a boolean";
    case VT_DECIMAL: return "expected a number";
    case VT_DATE: return "expected a date string YYYY-MM-DD";
    case VT_TEXT:
    case VT_ENUM: return "expected a string";
    case VT_LIST: return "expected an array";
    default: return "expected an integer";
    }
}

static bool read_value(reader *r, const ir_field *f, const jr_value *v, const path *at, value *out)
{
    switch (f->type.kind) {
    case VT_BOOL:
        if (v->kind != JR_TRUE && v->kind != JR_FALSE)
            return fail(r, at, expected(f->type));
        out->i = v->kind == JR_TRUE;
        return true;
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY: {
        if (v->kind != JR_NUMBER)
            return fail(r, at, expected(f->type));
        int64_t lo = f->has_range ? f->low : INT64_MIN, hi = f->has_range ? f->high : INT64_MAX;
        switch (ex_parse_int(v->text, v->len, lo, hi, &out->i)) {
        case EX_OK: return true;
        case EX_OUT_OF_RANGE: return fail(r, at, "out of range");
        default: return fail(r, at, expected(f->type));
        }
    }
    case VT_DECIMAL:
        if (v->kind != JR_NUMBER)
            return fail(r, at, expected(f->type));
        if (ex_parse_decimal(v->text, v->len, &out->i) != EX_OK ||
            (f->has_range && (out->i < f->low || out->i > f->high)))
            return fail(r, at, "out of range");
        return true;
    case VT_DATE:
        if (v->kind != JR_STRING)
            return fail(r, at, expected(f->type));
        {
            cal_day day;
            if (!cal_parse(v->text, v->len, &day))
                return fail(r, at, "not a valid date");
            if (f->has_range && (day < f->low || day > f->high))
                return fail(r, at, "out of range");
            out->i = day;
        }
        return true;
    case VT_TEXT: {
        if (v->kind != JR_STRING)
            return fail(r, at, expected(f->type));
        ev_text *t = arena_alloc(r->a, sizeof *t + v->len + 1);
        if (!t)
            return fail(r, NULL, "out of memory");
        t->len = v->len;
        memcpy(t->bytes, v->text, v->len);
        t->bytes[v->len] = '\0';
        out->p = t;
        return true;
    }
    case VT_ENUM:
        if (v->kind != JR_STRING)
            return fail(r, at, expected(f->type));
        {
            const rec_names *t = names_of(r, f->type.en);
            long i = t ? names_find(t, v->text, v->len) : -1;
            for (size_t k = 0; !t && k < f->type.en->count; k++)
                if (name_is(f->type.en->members[k], v->text, v->len))
                    i = (long)k;
            if (i >= 0) {
                out->i = i;
                return true;
            }
        }
        {
            size_t n = strlen(f->name) + 10;
            char *msg = arena_alloc(r->a, n);
            if (msg)
                snprintf(msg, n, "unknown %s", f->name);
            return fail(r, at, msg ? msg : "unknown value");
        }
    case VT_LIST: {
        if (v->kind != JR_ARRAY)
            return fail(r, at, expected(f->type));
        const ir_record *rec = f->type.rec;
        ev_list *list = arena_alloc(r->a, sizeof *list);
        ev_item *items = arena_calloc(r->a, v->count ? v->count : 1, sizeof *items);
        if (!list || !items)
            return fail(r, NULL, "out of memory");
        list->count = v->count;
        list->items = items;
        for (size_t i = 0; i < v->count; i++) {
            path ipath = {at, NULL, i};
            if (v->items[i].kind != JR_OBJECT)
                return fail(r, &ipath, "expected an object");
            items[i].fields = arena_calloc(r->a, rec->field_count ? rec->field_count : 1, sizeof *items[i].fields);
            items[i].attrs = arena_calloc(r->a, rec->attr_count ? rec->attr_count : 1, sizeof *items[i].attrs);
            items[i].state = arena_calloc(r->a, rec->attr_count ? rec->attr_count : 1, 1);
            if (!items[i].fields || !items[i].attrs || !items[i].state)
                return fail(r, NULL, "out of memory");
            if (!read_object(r, rec, &v->items[i], &ipath, items[i].fields))
                return false;
        }
        out->p = list;
        return true;
    }
    default:
        return fail(r, at, "this field's type cannot be read from a record");
    }
}

static bool read_object(reader *r, const ir_record *rec, const jr_value *obj, const path *at, value *slots)
{
    unsigned char seen_small[64];
    unsigned char *seen = rec->field_count <= sizeof seen_small ? seen_small : arena_calloc(r->a, rec->field_count, 1);
    if (!seen)
        return fail(r, NULL, "out of memory");
    memset(seen, 0, rec->field_count);
    const rec_names *names = names_of(r, rec);
    /* Without the index, members usually come in the declared order, so the search starts after the last field found. */
    size_t hint = 0;
    for (size_t m = 0; m < obj->count; m++) {
        const jr_member *mem = &obj->members[m];
        size_t f = rec->field_count;
        if (names) {
            long i = names_find(names, mem->key, mem->key_len);
            if (i >= 0)
                f = (size_t)i;
        } else {
            for (size_t k = 0; k < rec->field_count; k++) {
                size_t i = hint + k < rec->field_count ? hint + k : hint + k - rec->field_count;
                if (name_is(rec->fields[i].name, mem->key, mem->key_len)) {
                    f = i;
                    break;
                }
            }
        }
        path fpath = {at, mem->key, 0};
        if (f == rec->field_count) {
            /* A duplicate of an unknown key is still first of all unknown. */
            return fail(r, &fpath, "unknown field");
        }
        if (seen[f])
            return fail(r, &fpath, "duplicate key");
        seen[f] = 1;
        hint = f + 1 < rec->field_count ? f + 1 : 0;
        if (!read_value(r, &rec->fields[f], mem->value, &fpath, &slots[f]))
            return false;
    }
    for (size_t f = 0; f < rec->field_count; f++) {
        if (seen[f])
            continue;
        if (rec->fields[f].required) {
            path missing = {at, rec->fields[f].name, 0};
            return fail(r, &missing, "missing required field");
        }
        slots[f] = rec->fields[f].fallback;
    }
    return true;
}

bool rec_read_indexed(const ir_program *p, const rec_index *ix, const jr_value *root, arena *a, value **inputs,
                      rec_error *err)
{
    reader r = {a, err, ix};
    if (root->kind != JR_OBJECT)
        return fail(&r, NULL, "not a JSON object");
    value *slots = arena_calloc(a, p->input.field_count ? p->input.field_count : 1, sizeof *slots);
    if (!slots)
        return fail(&r, NULL, "out of memory");
    if (!read_object(&r, &p->input, root, NULL, slots))
        return false;
    *inputs = slots;
    return true;
}

const jr_value *rec_member(const jr_value *object, const char *name)
{
    if (!object || object->kind != JR_OBJECT)
        return NULL;
    for (size_t m = 0; m < object->count; m++)
        if (name_is(name, object->members[m].key, object->members[m].key_len))
            return object->members[m].value;
    return NULL;
}

/* ---- the direct reader: from stage 1's tokens straight into the slots
 *
 * For a record that is well-formed in every respect (the case of almost every
 * line of a caseload) reading it into a generic tree first, and then the tree
 * into slots, costs twice over; so does a generic walk that asks every token
 * what it is. The direct reader takes the positions of the line's tokens from
 * simdjson's first stage (jr_index) and walks them with the declaration of
 * the version in force at hand (the newest, as on the general path, when the
 * selector date is before every version), reading each value as its field's
 * type wants it and checking the JSON grammar as it goes: it accepts only a
 * line that is JSON by the grammar of the standard, which jr_parse accepts as
 * well. The version is known before the first field is read, as a scan over
 * the root's members finds the selector first. Keys and enum values are matched as
 * written against names that JSON writes as they are (rec_index.direct), so
 * a match is a string without escapes; a key, an enum value or a text that
 * holds an escape is unescaped by the parser's own string reader
 * (jr_unescape). The reader gives up at the first thing that is not as it
 * should be (a bad escape, any error, an unknown or duplicate key, null, a
 * missing field), leaving the line to the general path (jr_parse, rec_read_indexed),
 * which then reports exactly what it always reports: the direct reader
 * accepts a line only when the general path would accept it, and converts
 * every value as read_value does (anything but plain digits, dates, booleans,
 * enums and text with read_value itself). */

enum { DIRECT_DEPTH = 8 }; /* records nested deeper go the general way */

typedef struct direct {
    reader r;                 /* for read_value */
    rec_error err;
    const jr_reader *jr;      /* for jr_unescape */
    const char *line;
    const uint32_t *root;     /* the root object's opening token */
    const uint32_t *end;      /* one past the last token */
    size_t max_depth;
    size_t depth;             /* of the object being read (the root is 1); kept by direct_list */
    uint64_t seen;            /* the fields met in the object read last */
    const uint32_t *selector; /* the selector's value, and the date it holds */
    cal_day day;
} direct;

static inline bool blank(char c)
{
    return (unsigned char)c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

/* The end of the token at p: where the next one starts, less blanks (a token
 * never starts with one). */
static inline const char *token_end(const char *line, const uint32_t *p)
{
    const char *e = line + p[1];
    while (blank(e[-1]))
        e--;
    return e;
}

/* The bytes between the quotes of the string token at p. They are the string
 * itself only when they hold no quote and no backslash, which the caller
 * still has to see to (a name that matches holds neither). */
static inline bool string_token(const char *line, const uint32_t *p, const char **s, size_t *n)
{
    const char *b = line + *p, *e = line + p[1];
    if (*b != '"')
        return false;
    /* Most strings end right where the next token starts. */
    if (e[-1] != '"' || e - b < 2) {
        e = token_end(line, p);
        if (e - b < 2 || e[-1] != '"')
            return false;
    }
    *s = b + 1;
    *n = (size_t)(e - b - 2);
    return true;
}

/* Whether the eight bytes at s hold no quote and no backslash, with the
 * exact test for a zero byte in a word. */
static inline bool word_plain(const char *s)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    return !(((q - ones) & ~q & highs) | ((b - ones) & ~b & highs));
}

/* Whether s[0..n) holds no quote and no backslash: eight bytes at a time,
 * the last eight overlapping the ones before. */
static bool no_escape(const char *s, size_t n)
{
    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            if (s[i] == '"' || s[i] == '\\')
                return false;
        return true;
    }
    for (size_t i = 0; i + 8 < n; i += 8)
        if (!word_plain(s + i))
            return false;
    return word_plain(s + n - 8);
}

enum { ESCAPED_NAME_MAX = 256 }; /* longer keys and enum values with an escape go the general way */

/* find_name for a token that is not in the slot its hash names: in another
 * slot, or unescaped, if it holds an escape. Apart, so that the common case
 * carries no buffer. */
static __attribute__((noinline)) const rec_slot *find_slow(const direct *d, const rec_names *t, const char *s,
                                                           size_t n)
{
    char buf[ESCAPED_NAME_MAX + JR_UNESCAPE_SLACK];
    size_t len;
    uint64_t w[NAME_WORDS];
    const rec_slot *slot = names_find_padded(t, s, n);
    if (slot->index >= 0)
        return slot;
    if (no_escape(s, n) || n > ESCAPED_NAME_MAX || !jr_unescape(d->jr, s, buf, &len))
        return NULL;
    name_words(buf, len, w);
    slot = names_probe(t, buf, len, w);
    return slot->index >= 0 ? slot : NULL;
}

/* The slot in t of the name written s[0..n) in a string token of the line,
 * or NULL. Names hold no quote or backslash, so a token that matches as
 * written is that name; one that holds an escape is unescaped first. Most
 * names are in the slot their hash names (index_add), where an empty slot
 * matches nothing. */
static inline const rec_slot *find_name(const direct *d, const rec_names *t, const char *s, size_t n)
{
    uint64_t w[NAME_WORDS];
    padded_words(s, n, w);
    const rec_slot *slot = &t->slots[name_hash(t, n, w)];
    if (same_words(slot->words, slot->len, w, n) && (n <= 24 || same_tail(t->names[slot->index], s, n)))
        return slot;
    return find_slow(d, t, s, n);
}

/* A number token that is not plain digits, read as read_value reads it. */
static bool direct_number(direct *d, const ir_field *f, const char *text, size_t n, value *out)
{
    jr_value v = {.kind = JR_NUMBER, .text = text, .len = n};
    return jr_number(text, n) && read_value(&d->r, f, &v, NULL, out);
}

static const uint32_t *direct_object(direct *d, const rec_names *t, const uint32_t *p, value *slots);

/* list := '[' ( object ( ',' object )* )? ']', the list at p; allocated as
 * read_value allocates it. The token after it, or NULL. Apart: inlined in
 * direct_object, which it calls in turn, it cost the readers of every value
 * registers and branches. */
static __attribute__((noinline)) const uint32_t *direct_list(direct *d, const rec_names *items, const uint32_t *p,
                                                             value *out)
{
    /* The tests that fail only on a line the general path takes are made
     * one branch each where they can be, with no short circuit: the
     * processor foresees a branch by the ones before it, which after a
     * record's values are in no order it has seen often, and every branch
     * apart is one more to mispredict. */
    size_t depth = d->depth + 1;
    if ((d->line[*p] != '[') | (depth > d->max_depth) | (depth + 1 >= DIRECT_DEPTH) | (p + 1 == d->end))
        return NULL;
    p++;
    enum { FIRST_ITEMS = 4 };
    size_t cap = FIRST_ITEMS;
    /* The list and room for its first items in one block (both are pointers and sizes). */
    ev_list *list = arena_alloc(d->r.a, sizeof *list + cap * sizeof(ev_item));
    if (!list)
        return NULL;
    *list = (ev_list){0, (ev_item *)(list + 1)};
    if (d->line[*p] != ']') {
        /* An item's fields, attributes and their states in one block; the
         * blocks of the items the list has room for are zeroed together. */
        size_t nf = items->item_fields, na = items->item_attrs;
        size_t block_values = nf + na + (na + sizeof(value) - 1) / sizeof(value);
        value *blocks = arena_calloc(d->r.a, cap, block_values * sizeof(value));
        /* The items are objects one deeper than the list. */
        if (!blocks | (depth + 1 > d->max_depth))
            return NULL;
        d->depth = depth + 1;
        for (;;) {
            if (d->line[*p] != '{')
                return NULL;
            if (list->count == cap) {
                ev_item *more = arena_alloc(d->r.a, 2 * cap * sizeof *more);
                if (!more || !(blocks = arena_calloc(d->r.a, cap, block_values * sizeof(value))))
                    return NULL;
                memcpy(more, list->items, list->count * sizeof *more);
                list->items = more;
                cap *= 2;
            }
            value *block = blocks;
            blocks += block_values;
            ev_item *item = &list->items[list->count++];
            *item = (ev_item){block, block + nf, (unsigned char *)(block + nf + na)};
            if (!(p = direct_object(d, items, p, item->fields)) || p == d->end)
                return NULL;
            char c = d->line[*p];
            if (c == ']')
                break;
            if ((c != ',') | (p + 1 == d->end))
                return NULL;
            p++;
        }
    }
    out->p = list;
    d->depth = depth - 1;
    return p + 1;
}

/* The value of the n (1 to 8) bytes at v as decimal digits, or -1 when one
 * of them is not a digit; eight bytes from v can be read. A word at a time,
 * with no branch on the length: numbers in records have one to five digits,
 * in no order the processor can foresee. */
static inline int64_t short_digits(const char *v, size_t n)
{
    static const char zeros[16] = "00000000";
    const uint64_t ones = 0x0101010101010101u;
    uint64_t bytes, fill;
    memcpy(&bytes, v, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    bytes = __builtin_bswap64(bytes);
#endif
    /* The first digit in byte 8 - n (counting from the least significant),
     * '0's before it: eight digits that have the same value. */
    memcpy(&fill, zeros + n, 8);
    bytes = bytes << (8 * (8 - n)) | fill;
    /* Every byte from 0x30 to 0x39: its high half 3, and still so with 6 added. */
    if (((bytes & ones * 0xf0) ^ ones * 0x30) | (((bytes + ones * 6) & ones * 0xf0) ^ ones * 0x30))
        return -1;
    bytes -= ones * '0';
    /* Pairs of digits, then fours, then all eight, the more significant in the lower bytes. */
    bytes = (bytes * 10 + (bytes >> 8)) & 0x00ff00ff00ff00ffu;
    bytes = (bytes * 100 + (bytes >> 16)) & 0x0000ffff0000ffffu;
    bytes = (bytes * 10000 + (bytes >> 32)) & 0xffffffffu;
    return (int64_t)bytes;
}

/* The numbers that are not plain digits and the values of the kinds a
 * record holds fewer of, apart from the readers of the common kinds so that
 * these keep their registers. */
static __attribute__((noinline)) const uint32_t *direct_rare(direct *d, const rec_names *t, const rec_slot *slot,
                                                             const uint32_t *p, value *out)
{
    const ir_field *fd = &t->rec->fields[slot->index];
    const char *v = d->line + *p;
    switch (fd->type.kind) {
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY:
    case VT_DECIMAL:
        if (!direct_number(d, fd, v, (size_t)(token_end(d->line, p) - v), out))
            return NULL;
        return p + 1;
    default:
        return NULL;
    }
}

/* A text at p, into out; the token after it, or NULL. Apart, as direct_rare. */
static __attribute__((noinline)) const uint32_t *direct_text(direct *d, const uint32_t *p, value *out)
{
    const char *s;
    size_t n;
    if (!string_token(d->line, p, &s, &n))
        return NULL;
    ev_text *x;
    if (no_escape(s, n)) {
        if (!(x = arena_alloc(d->r.a, sizeof *x + n + 1)))
            return NULL;
        memcpy(x->bytes, s, n);
        x->len = n;
    } else if (!(x = arena_alloc(d->r.a, sizeof *x + n + JR_UNESCAPE_SLACK)) ||
               !jr_unescape(d->jr, s, x->bytes, &x->len)) {
        return NULL;
    }
    x->bytes[x->len] = '\0';
    out->p = x;
    return p + 1;
}

/* The readers of the common kinds of value: the value at p of the field in
 * slot, into out; the token after it, or NULL. */

static inline const uint32_t *direct_bool(const char *line, const uint32_t *p, value *out)
{
    /* The token's bytes, masked to its length, against the word true or
     * false of that length: no branch on which of the two it is, which
     * records do not let the processor foresee. */
    static const char words[2][8] = {"true", "false"};
    static const unsigned char masks[2][8] = {{0xff, 0xff, 0xff, 0xff}, {0xff, 0xff, 0xff, 0xff, 0xff}};
    const char *v = line + *p;
    size_t n = (size_t)(token_end(line, p) - v) - 4; /* 0 for true, 1 for false */
    if (n > 1)
        return NULL;
    uint64_t bytes, word, mask;
    memcpy(&bytes, v, 8);
    memcpy(&word, words[n], 8);
    memcpy(&mask, masks[n], 8);
    if ((bytes & mask) != word)
        return NULL;
    out->i = n == 0;
    return p + 1;
}

static inline const uint32_t *direct_digits(direct *d, const char *line, const rec_names *t, const rec_slot *slot,
                                            const uint32_t *p, value *out)
{
    const char *v = line + *p;
    size_t n = (size_t)(token_end(line, p) - v);
    /* At most 18 digits with no leading zero (which JSON forbids) are their
     * own value; anything else (a sign, a fraction, an exponent) goes to read_value. */
    if ((n > 18) | ((*v == '0') & (n != 1)))
        return direct_rare(d, t, slot, p, out);
    int64_t x = 0;
    if (n - 1 < 8) {
        if ((x = short_digits(v, n)) < 0)
            return direct_rare(d, t, slot, p, out);
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned digit = (unsigned char)v[i] - 48u;
            if (digit > 9)
                return direct_rare(d, t, slot, p, out);
            x = x * 10 + digit;
        }
    }
    if (x < slot->low || x > slot->high)
        return NULL;
    out->i = x;
    return p + 1;
}

static inline const uint32_t *direct_date(direct *d, const char *line, const rec_slot *slot, const uint32_t *p,
                                          value *out)
{
    /* Only digits and dashes make a date, so the string has no escapes.
     * The selector's was read to pick the version. */
    const char *s;
    size_t n;
    cal_day day = d->day;
    if ((p != d->selector && (!string_token(line, p, &s, &n) || !cal_parse(s, n, &day))) || day < slot->low ||
        day > slot->high)
        return NULL;
    out->i = day;
    return p + 1;
}

static inline const uint32_t *direct_enum(direct *d, const char *line, const rec_names *t, const rec_slot *slot,
                                          const uint32_t *p, value *out)
{
    const char *s;
    size_t n;
    const rec_slot *member;
    const rec_names *members = t->sub[slot->index];
    if (!string_token(line, p, &s, &n) || !members || !(member = find_name(d, members, s, n)))
        return NULL;
    out->i = member->index;
    return p + 1;
}

/* The slot of the key of the member at p when its closing quote is not
 * right before the colon, or NULL: apart, as keys are seldom written so. */
static __attribute__((noinline)) const rec_slot *spaced_key(const direct *d, const rec_names *t, const uint32_t *p)
{
    const char *key;
    size_t n;
    if (!string_token(d->line, p, &key, &n) || d->line[p[1]] != ':')
        return NULL;
    return find_name(d, t, key, n);
}

/* The slot of the key of the member at p in t, or NULL. */
static inline const rec_slot *member_slot(const direct *d, const rec_names *t, const uint32_t *p)
{
    const char *key = d->line + p[0], *colon = d->line + p[1];
    uint16_t quote_colon, ends;
    memcpy(&quote_colon, "\":", 2);
    memcpy(&ends, colon - 1, 2);
    if (*key == '"' && ends == quote_colon && colon - key >= 2)
        return find_name(d, t, key + 1, (size_t)(colon - key - 2));
    return spaced_key(d, t, p);
}

/* object := '{' ( member ( ',' member )* )? '}', member := string ':' value;
 * the object at p, into the slots of t's record.
 * The token after it, or NULL.
 *
 * The line's last token is a '}' (rec_read_direct), so the token after any
 * other one is there to read: a member's key, colon and value, each checked
 * to be no '}', and the token after a scalar value need no test against the
 * end. Only where a container ends may that be the end. */
static const uint32_t *direct_object(direct *d, const rec_names *t, const uint32_t *p, value *slots)
{
    const char *const line = d->line;
    uint64_t seen = 0;
    const rec_slot *slot;
    value *out;
    char c;
#if defined(__GNUC__) && !defined(REGEL_SWITCH_DISPATCH)
    /* Threaded: the reader of each kind of value ends in a jump of its own
     * to the reader of the next member's value, which the processor predicts
     * from the kind just read (after a field's kind comes most often one
     * kind), where one jump or one switch for all mispredicts far more
     * often, members coming in no fixed order. */
    static const void *const kinds[] = {[RK_RARE] = &&rare, [RK_BOOL] = &&boolean, [RK_DIGITS] = &&digits,
                                        [RK_DATE] = &&date, [RK_ENUM] = &&enumeration, [RK_TEXT] = &&text,
                                        [RK_LIST] = &&list};
#define DISPATCH goto *kinds[slot->kind]
#else
#define DISPATCH goto dispatch
#endif
    /* The member at p: its key's slot, then its value's reader. */
#define MEMBER                                                                                                         \
    do {                                                                                                               \
        if (!(slot = member_slot(d, t, p)) || (seen & slot->bit))                                                     \
            return NULL;                                                                                               \
        seen |= slot->bit;                                                                                             \
        out = &slots[slot->index];                                                                                     \
        p += 2;                                                                                                        \
        DISPATCH;                                                                                                      \
    } while (0)
    /* After a value: the next member, or the end of the object. */
#define NEXT(read)                                                                                                     \
    do {                                                                                                               \
        if (!(p = (read)))                                                                                             \
            return NULL;                                                                                               \
        if ((c = line[*p]) != ',')                                                                                     \
            goto close;                                                                                                \
        p++;                                                                                                           \
        MEMBER;                                                                                                        \
    } while (0)
    /* The slots start zeroed, so only defaults of other bits are written,
     * all of them before the members are read: a member overwrites its own,
     * and a loop over the fields missing would end after a number of rounds
     * that changes from object to object. */
    for (uint64_t fills = t->fills; fills; fills &= fills - 1) {
        unsigned f = (unsigned)__builtin_ctzll(fills);
        slots[f] = t->defaults[f];
    }
    if (line[*++p] == '}')
        goto closed;
    MEMBER;
#if !defined(__GNUC__) || defined(REGEL_SWITCH_DISPATCH)
dispatch:
    switch (slot->kind) {
    case RK_BOOL: goto boolean;
    case RK_DIGITS: goto digits;
    case RK_DATE: goto date;
    case RK_ENUM: goto enumeration;
    case RK_TEXT: goto text;
    case RK_LIST: goto list;
    default: goto rare;
    }
#endif
boolean: NEXT(direct_bool(line, p, out));
digits: NEXT(direct_digits(d, line, t, slot, p, out));
date: NEXT(direct_date(d, line, slot, p, out));
enumeration: NEXT(direct_enum(d, line, t, slot, p, out));
text: NEXT(direct_text(d, p, out));
list: NEXT(t->sub[slot->index] ? direct_list(d, t->sub[slot->index], p, out) : NULL);
rare: NEXT(direct_rare(d, t, slot, p, out));
#undef NEXT
#undef MEMBER
#undef DISPATCH
close:
    if (c != '}')
        return NULL;
closed:
    if (t->required & ~seen)
        return NULL;
    d->seen = seen;
    return p + 1;
}

/* The value token of the first member of the root object (at d->root)
 * whose key is written exactly as ix's selector, right before its colon, or
 * NULL: a scan over the root's members that steps over containers without
 * reading them. Other keys are told apart by their length alone, as the walk
 * checks every member anyway; a selector written otherwise (with a blank
 * before its colon) leaves the line to the general path. */
static const uint32_t *find_member(const direct *d, const rec_index *ix)
{
    const char *line = d->line;
    const uint32_t *p = d->root + 1;
    size_t n = ix->selector_len;
    while (d->end - p >= 4) {
        const char *key = line + p[0];
        if (p[1] - p[0] == n + 2 && *key == '"' && key[n + 1] == '"' && line[p[1]] == ':') {
            uint64_t w[NAME_WORDS];
            padded_words(key + 1, n, w);
            if (same_words(ix->selector_words, (uint32_t)n, w, n) && (n <= 24 || same_tail(ix->selector, key + 1, n)))
                return p + 2;
        }
        p += 2;
        char c = line[*p];
        if (c == '{' || c == '[') {
            for (size_t open = 1; open;) {
                if (++p == d->end)
                    return NULL;
                c = line[*p];
                if (c == '{' || c == '[')
                    open++;
                else if (c == '}' || c == ']')
                    open--;
            }
        }
        if (++p == d->end || line[*p] != ',')
            return NULL;
        p++;
    }
    return NULL;
}

bool rec_read_direct(const ruleset *rs, rec_index *const *ix, jr_reader *jr, const char *line, size_t len, arena *a,
                     rec_direct *out)
{
    jr_tokens tokens;
    const rec_index *newest = ix[rs->version_count - 1];
    if (!newest || jr_index(jr, line, len, &tokens) != JR_OK || line[tokens.at[0]] != '{' ||
        line[tokens.at[tokens.count - 1]] != '}' || tokens.max_depth < 1)
        return false;
    /* Set member by member: an initializer would zero the whole of it first. */
    direct d;
    d.r.a = a;
    d.r.err = &d.err;
    d.r.ix = NULL;
    d.jr = jr;
    d.line = line;
    d.root = tokens.at;
    d.end = tokens.at + tokens.count;
    d.max_depth = tokens.max_depth;
    d.depth = 1;
    d.seen = 0;
    const char *s;
    size_t n;
    d.selector = find_member(&d, newest);
    if (!d.selector || !string_token(d.line, d.selector, &s, &n) || !cal_parse(s, n, &d.day))
        return false;
    const rs_version *version = rs_pick(rs, (int32_t)d.day);
    out->too_early = !version;
    if (!version)
        version = &rs->versions[rs->version_count - 1];
    const rec_index *vix = ix[version - rs->versions];
    if (!vix || !vix->direct)
        return false;
    d.r.ix = vix;
    value *slots = arena_calloc(a, vix->input_values, sizeof *slots);
    if (!slots || direct_object(&d, vix->input, d.root, slots) != d.end)
        return false;
    /* Only a text field is read as the key's string. */
    long k = vix->key_field;
    out->id = NULL;
    out->id_len = 0;
    if (k >= 0 && (d.seen >> k & 1)) {
        if (!vix->key_text)
            return false;
        const ev_text *t = slots[k].p;
        out->id = t->bytes;
        out->id_len = t->len;
    }
    out->version = version;
    out->inputs = slots;
    out->day = (int32_t)d.day;
    return true;
}
