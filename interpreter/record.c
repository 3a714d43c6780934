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

typedef struct rec_names {
    const void *owner;        /* the ir_record or ir_enum whose names these are */
    const char **names;
    size_t *lens;
    uint64_t (*words)[2];     /* per name: its first and last eight bytes (name_words) */
    int32_t *slots;           /* open addressing: an index into names, or -1 */
    size_t mask;
} rec_names;

struct rec_index {
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

/* Two words that, with the length, tell names of at most 16 bytes apart
 * exactly: the first and last eight bytes, or for shorter names the first and
 * last four or two (overlapping), so a probe compares two words and the
 * length rather than calling memcmp. */
static inline void name_words(const char *s, size_t n, uint64_t w[2])
{
    uint32_t h4, t4;
    uint16_t h2, t2;
    w[1] = 0;
    if (n >= 8) {
        memcpy(&w[0], s, 8);
        memcpy(&w[1], s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(&h4, s, 4);
        memcpy(&t4, s + n - 4, 4);
        w[0] = (uint64_t)h4 << 32 | t4;
    } else if (n >= 2) {
        memcpy(&h2, s, 2);
        memcpy(&t2, s + n - 2, 2);
        w[0] = (uint64_t)h2 << 16 | t2;
    } else
        w[0] = n ? (unsigned char)s[0] : 0;
}

static inline size_t name_hash(const uint64_t w[2], size_t n)
{
    uint64_t h = (w[0] ^ (w[1] >> 7) ^ (w[1] << 29) ^ n) * 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 40);
}

static const rec_names *names_of(const reader *r, const void *owner)
{
    for (size_t i = 0; r->ix && i < r->ix->count; i++)
        if (r->ix->tables[i].owner == owner)
            return &r->ix->tables[i];
    return NULL;
}

/* The index of the name key[0..n) in t, or -1. */
static inline long names_find(const rec_names *t, const char *key, size_t n)
{
    uint64_t w[2];
    name_words(key, n, w);
    for (size_t i = name_hash(w, n) & t->mask;; i = (i + 1) & t->mask) {
        int32_t s = t->slots[i];
        if (s < 0)
            return -1;
        if (t->words[s][0] == w[0] && t->words[s][1] == w[1] && t->lens[s] == n &&
            (n <= 16 || memcmp(t->names[s] + 8, key + 8, n - 16) == 0))
            return s;
    }
}

static bool index_add(arena *a, rec_index *ix, const void *owner, const char **names, size_t count)
{
    for (size_t i = 0; i < ix->count; i++)
        if (ix->tables[i].owner == owner)
            return true;
    if (count > INT32_MAX / 4)
        return false;
    if (ix->count == ix->cap) {
        size_t ncap = ix->cap ? ix->cap * 2 : 8;
        rec_names *t = arena_alloc(a, ncap * sizeof *t);
        if (!t)
            return false;
        if (ix->count)
            memcpy(t, ix->tables, ix->count * sizeof *t);
        ix->tables = t;
        ix->cap = ncap;
    }
    size_t size = 8;
    while (size < 2 * count)
        size *= 2;
    rec_names t = {owner, names, arena_alloc(a, (count ? count : 1) * sizeof(size_t)),
                   arena_alloc(a, (count ? count : 1) * sizeof(uint64_t[2])), arena_alloc(a, size * sizeof(int32_t)),
                   size - 1};
    if (!t.lens || !t.words || !t.slots)
        return false;
    memset(t.slots, 0xff, size * sizeof(int32_t));
    for (size_t k = 0; k < count; k++) {
        t.lens[k] = strlen(names[k]);
        name_words(names[k], t.lens[k], t.words[k]);
        if (names_find(&t, names[k], t.lens[k]) >= 0)
            continue; /* a name declared twice: the first one is found, as by the linear search */
        size_t i = name_hash(t.words[k], t.lens[k]) & t.mask;
        while (t.slots[i] >= 0)
            i = (i + 1) & t.mask;
        t.slots[i] = (int32_t)k;
    }
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
    if (!index_add(a, ix, rec, names, rec->field_count))
        return false;
    for (size_t f = 0; f < rec->field_count; f++) {
        const vtype *t = &rec->fields[f].type;
        if (t->kind == VT_ENUM && !index_add(a, ix, t->en, t->en->members, t->en->count))
            return false;
        if (t->kind == VT_LIST && t->rec && !index_record(a, ix, t->rec))
            return false;
    }
    return true;
}

rec_index *rec_index_new(arena *a, const ir_program *p)
{
    rec_index *ix = arena_alloc(a, sizeof *ix);
    if (!ix)
        return NULL;
    *ix = (rec_index){0};
    return index_record(a, ix, &p->input) ? ix : NULL;
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

bool rec_read(const ir_program *p, const jr_value *root, arena *a, value **inputs, rec_error *err)
{
    return rec_read_indexed(p, NULL, root, a, inputs, err);
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

/* ---- the direct reader: from the JSON walk straight into the slots
 *
 * For a record that is well-formed in every respect (the case of almost every
 * line of a caseload) reading it into a generic tree first, and then the tree
 * into slots, costs twice over. The direct reader walks the line (jr_walk)
 * with the declaration of the version in force at hand and fills the slots as
 * the values pass; the version is known before the first field is read, as
 * the walk peeks at the selector first. It gives up at the first thing that is
 * not as it should be (any error, an unknown or duplicate key, a missing
 * field, no version in force), leaving the line to the general path (jr_parse,
 * rec_read_indexed), which then reports exactly what it always reports: the
 * direct reader accepts a line only when the general path would accept it,
 * and converts every value with the same read_value. */

enum { DIRECT_DEPTH = 8 }; /* records nested deeper go the general way */

typedef struct frame {
    const ir_record *rec;
    const rec_names *names;
    value *slots;            /* an object: its record's fields */
    uint64_t seen;           /* an object: fields met, one bit each (at most 64 fields) */
    size_t field;            /* an object: the field whose value comes next */
    ev_list *list;           /* an array: the list being filled, else NULL */
    size_t cap;              /* an array: items allocated */
} frame;

typedef struct direct {
    reader r;
    rec_error err;
    const ruleset *rs;
    rec_index *const *ix;
    const rs_version *version;
    cal_day day;
    frame stack[DIRECT_DEPTH];
    size_t depth;
    value *inputs;           /* the root's slots, once the root is closed */
    uint64_t root_seen;
} direct;

/* A fresh object frame for a record whose slots are `slots`. */
static bool push_object(direct *d, const ir_record *rec, value *slots)
{
    if (d->depth == DIRECT_DEPTH || rec->field_count > 64 || !slots)
        return false;
    const rec_names *names = names_of(&d->r, rec);
    if (!names)
        return false;
    d->stack[d->depth++] = (frame){.rec = rec, .names = names, .slots = slots};
    return true;
}

static bool direct_peek(void *ctx, const char *text, size_t len)
{
    direct *d = ctx;
    if (!cal_parse(text, len, &d->day) || !(d->version = rs_pick(d->rs, (int32_t)d->day)))
        return false;
    d->r.ix = d->ix[d->version - d->rs->versions];
    return d->r.ix != NULL;
}

static bool direct_open(void *ctx, jr_kind kind)
{
    direct *d = ctx;
    if (d->depth == 0) {
        const ir_record *rec = &d->version->program->input;
        return push_object(d, rec, arena_calloc(d->r.a, rec->field_count ? rec->field_count : 1, sizeof(value)));
    }
    frame *top = &d->stack[d->depth - 1];
    if (top->list) {
        /* An item of a list: as read_value allocates it. */
        if (kind != JR_OBJECT)
            return false;
        ev_list *list = top->list;
        if (list->count == top->cap) {
            size_t ncap = top->cap * 2;
            ev_item *items = arena_alloc(d->r.a, ncap * sizeof *items);
            if (!items)
                return false;
            memcpy(items, list->items, list->count * sizeof *items);
            list->items = items;
            top->cap = ncap;
        }
        /* The item's fields, attributes and their states in one block. */
        const ir_record *rec = top->rec;
        size_t nf = rec->field_count ? rec->field_count : 1, na = rec->attr_count ? rec->attr_count : 1;
        value *block = arena_calloc(d->r.a, nf + na + (na + sizeof(value) - 1) / sizeof(value), sizeof(value));
        if (!block)
            return false;
        ev_item *item = &list->items[list->count++];
        *item = (ev_item){block, block + nf, (unsigned char *)(block + nf + na)};
        return push_object(d, rec, item->fields);
    }
    const ir_field *f = &top->rec->fields[top->field];
    if (kind != JR_ARRAY || f->type.kind != VT_LIST || !f->type.rec || d->depth == DIRECT_DEPTH)
        return false;
    ev_list *list = arena_alloc(d->r.a, sizeof *list);
    enum { FIRST_ITEMS = 4 };
    ev_item *items = arena_calloc(d->r.a, FIRST_ITEMS, sizeof *items);
    if (!list || !items)
        return false;
    *list = (ev_list){0, items};
    top->slots[top->field].p = list;
    d->stack[d->depth++] = (frame){.rec = f->type.rec, .list = list, .cap = FIRST_ITEMS};
    return true;
}

static bool direct_close(void *ctx, jr_kind kind)
{
    direct *d = ctx;
    frame *top = &d->stack[--d->depth];
    if (kind == JR_ARRAY)
        return true;
    for (size_t f = 0; f < top->rec->field_count; f++) {
        if (top->seen >> f & 1)
            continue;
        if (top->rec->fields[f].required)
            return false;
        top->slots[f] = top->rec->fields[f].fallback;
    }
    if (d->depth == 0) {
        d->inputs = top->slots;
        d->root_seen = top->seen;
    }
    return true;
}

static bool direct_key(void *ctx, const char *key, size_t len)
{
    direct *d = ctx;
    frame *top = &d->stack[d->depth - 1];
    long f = names_find(top->names, key, len);
    if (f < 0 || (top->seen >> f & 1))
        return false;
    top->seen |= (uint64_t)1 << f;
    top->field = (size_t)f;
    return true;
}

static bool direct_scalar(void *ctx, jr_kind kind, const char *text, size_t len)
{
    direct *d = ctx;
    frame *top = &d->stack[d->depth - 1];
    if (top->list)
        return false;
    const ir_field *f = &top->rec->fields[top->field];
    value *out = &top->slots[top->field];
    switch (f->type.kind) {
    case VT_LIST: return false;
    case VT_DATE: {
        cal_day day;
        if (kind != JR_STRING || !cal_parse(text, len, &day) || (f->has_range && (day < f->low || day > f->high)))
            return false;
        out->i = day;
        return true;
    }
    case VT_BOOL:
        /* What read_value does with a boolean, without the detour. */
        out->i = kind == JR_TRUE;
        return kind == JR_TRUE || kind == JR_FALSE;
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY:
        /* A number token of at most 18 digits and nothing else (the walk has
         * checked the JSON grammar, so no leading zeros) is its own value;
         * anything else (a sign, a fraction, an exponent) goes to read_value. */
        if (kind == JR_NUMBER && len <= 18) {
            int64_t n = 0;
            size_t i = 0;
            while (i < len && text[i] >= '0' && text[i] <= '9')
                n = n * 10 + (text[i++] - '0');
            if (i == len) {
                out->i = n;
                return !f->has_range || (n >= f->low && n <= f->high);
            }
        }
        break;
    default: break;
    }
    jr_value v = {.kind = kind, .text = text, .len = len};
    return read_value(&d->r, f, &v, NULL, out);
}

static const jr_handler direct_handler = {direct_peek, direct_open, direct_close, direct_key, direct_scalar};

bool rec_read_direct(const ruleset *rs, rec_index *const *ix, jr_reader *jr, const char *line, size_t len, arena *a,
                     rec_direct *out)
{
    const ir_program *newest = rs->versions[rs->version_count - 1].program;
    direct d = {.r = {a, NULL, NULL}, .rs = rs, .ix = ix};
    d.r.err = &d.err;
    if (jr_walk(jr, line, len, newest->input.fields[newest->selector].name, &direct_handler, &d) != JR_OK)
        return false;
    /* The key echoed is the member named as the newest version names it, as
     * batch.c finds it in a tree; only a text field is read as a string. */
    const ir_program *p = d.version->program;
    const rec_names *names = names_of(&d.r, &p->input);
    long k = names_find(names, newest->key_name, strlen(newest->key_name));
    out->id = NULL;
    out->id_len = 0;
    if (k >= 0 && (d.root_seen >> k & 1)) {
        if (p->input.fields[k].type.kind != VT_TEXT)
            return false;
        const ev_text *t = d.inputs[k].p;
        out->id = t->bytes;
        out->id_len = t->len;
    }
    out->version = d.version;
    out->inputs = d.inputs;
    out->day = (int32_t)d.day;
    return true;
}
