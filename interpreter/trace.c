/*
 * Writing traces as JSON (format: docs/trace-schema.json). The evaluator
 * records steps only when asked (eval.h); this file turns them into the
 * `trace` array of a result line. Rule locations are worked out once per
 * version (tr_rule_ats), not per record.
 */
#include "trace.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "exact.h"

void tr_write_value(ob_buf *out, vtype t, value v)
{
    char tmp[32];
    switch (t.kind) {
    case VT_BOOL: ob_str(out, v.i ? "true" : "false"); break;
    case VT_DECIMAL: ob_bytes(out, tmp, ex_format_decimal(v.i, tmp)); break;
    case VT_DATE:
        cal_format((cal_day)v.i, tmp);
        ob_char(out, '"');
        ob_bytes(out, tmp, 10);
        ob_char(out, '"');
        break;
    case VT_TEXT: {
        const ev_text *text = v.p;
        ob_json_string(out, text->bytes, text->len);
        break;
    }
    case VT_ENUM: ob_json_string(out, t.en->members[v.i], strlen(t.en->members[v.i])); break;
    default: ob_int(out, v.i); break;
    }
}

const char *tr_at(arena *a, const ruleset *rs, loc at)
{
    unsigned line = 0, col = 0;
    if (at.file)
        src_line_col(at.file, at.start, &line, &col);
    const char *path = rs_rel_path(rs, at.file);
    size_t n = strlen(path) + 16;
    char *s = arena_alloc(a, n);
    if (s)
        snprintf(s, n, "%s:%u", path, line);
    return s;
}

const char **tr_rule_ats(arena *a, const ruleset *rs, const ir_program *p)
{
    const char **ats = arena_calloc(a, p->rule_count ? p->rule_count : 1, sizeof *ats);
    for (size_t i = 0; ats && i < p->rule_count; i++)
        if (!(ats[p->rules[i]->index] = tr_at(a, rs, p->rules[i]->decl->name_at)))
            return NULL;
    return ats;
}

void tr_write_seen_name(ob_buf *out, const ev_seen *s)
{
    if (s->item >= 0) {
        ob_str(out, s->list);
        ob_char(out, '[');
        ob_int(out, s->item);
        ob_str(out, "].");
    }
    ob_str(out, s->name);
}

/* Lists, items and table rows are not values a person reads: the trace shows
 * what was taken from them instead. */
static bool printable(vtype t)
{
    return t.kind != VT_LIST && t.kind != VT_ITEM && t.kind != VT_ROW;
}

static void write_step(ob_buf *out, const ruleset *rs, const ev_step *st, const char *const *rule_at)
{
    const ast_decl *d = st->rule->decl;
    ob_str(out, "{\"rule\":");
    ob_json_string(out, d->name, strlen(d->name));
    ob_str(out, ",\"cites\":");
    ob_json_string(out, d->cite ? d->cite : "", d->cite ? strlen(d->cite) : 0);
    ob_str(out, ",\"at\":");
    const char *at = rule_at[st->rule->index];
    ob_json_string(out, at, strlen(at));
    if (st->item >= 0) {
        ob_str(out, ",\"item\":\"");
        ob_str(out, st->list);
        ob_char(out, '[');
        ob_int(out, st->item);
        ob_str(out, "]\"");
    }
    ob_str(out, st->fired ? ",\"fired\":true,\"values\":{" : ",\"fired\":false,\"values\":{");
    bool first = true;
    for (size_t i = 0; i < st->seen_count; i++) {
        const ev_seen *s = &st->seen[i];
        if (!printable(s->type))
            continue;
        if (!first)
            ob_char(out, ',');
        first = false;
        ob_char(out, '"');
        tr_write_seen_name(out, s);
        ob_str(out, "\":");
        tr_write_value(out, s->type, s->v);
    }
    ob_char(out, '}');
    if (st->lookup_count) {
        ob_str(out, ",\"lookups\":[");
        for (size_t i = 0; i < st->lookup_count; i++) {
            const ev_lookup *l = &st->lookups[i];
            const ir_row *row = l->row >= 0 ? &l->table->rows[l->row] : l->table->otherwise;
            if (i)
                ob_char(out, ',');
            ob_str(out, "{\"table\":");
            ob_json_string(out, l->table->name, strlen(l->table->name));
            ob_str(out, ",\"key\":");
            tr_write_value(out, l->table->key_type, (value){.i = l->key});
            ob_str(out, ",\"row\":");
            if (l->row >= 0)
                ob_int(out, l->row);
            else
                ob_str(out, "\"otherwise\"");
            unsigned line = 0, col = 0;
            src_line_col(row->at.file, row->at.start, &line, &col);
            char where[1024];
            int n = snprintf(where, sizeof where, "%s:%u", rs_rel_path(rs, row->at.file), line);
            ob_str(out, ",\"at\":");
            ob_json_string(out, where, n < (int)sizeof where ? (size_t)n : sizeof where - 1);
            ob_char(out, '}');
        }
        ob_char(out, ']');
    }
    ob_char(out, '}');
}

void tr_write_trace(ob_buf *out, const ruleset *rs, const ev_case *c, const char *const *rule_at)
{
    ob_char(out, '[');
    for (const ev_step *st = c->steps; st; st = st->next) {
        if (st != c->steps)
            ob_char(out, ',');
        write_step(out, rs, st, rule_at);
    }
    ob_char(out, ']');
}

/* ---- The compact trace ---- */

enum { TR_FORMAT = 1, TR_FIRED = 1, TR_ITEM = 2, TR_LOOKUPS = 4, TR_THROUGH_ITEM = 0x80 };

typedef enum { SYM_RULE, SYM_NAME, SYM_MEMBER, SYM_TABLE, SYM_ROW, SYM_OTHERWISE } sym_kind;

typedef struct sym_slot {
    const void *key;
    sym_kind kind;
    uint32_t id;
} sym_slot;

struct tr_symbols {
    const ruleset *rs;
    sym_slot *slots;          /* open addressing, keyed by (pointer, kind) */
    size_t slot_count, used;
    unsigned shift;           /* 64 - log2(slot_count) */
    char **texts;
    size_t text_count, text_cap;
};

tr_symbols *tr_symbols_new(const ruleset *rs)
{
    tr_symbols *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rs = rs;
    s->slot_count = 1024;
    s->shift = 64 - 10;
    s->slots = calloc(s->slot_count, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    return s;
}

void tr_symbols_free(tr_symbols *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->text_count; i++)
        free(s->texts[i]);
    free(s->texts);
    free(s->slots);
    free(s);
}

size_t tr_symbol_count(const tr_symbols *s)
{
    return s->text_count;
}

const char *tr_symbol_text(const tr_symbols *s, size_t id)
{
    return id < s->text_count ? s->texts[id] : NULL;
}

/* Fibonacci hashing: the multiply spreads the pointer's bits upwards, and the
 * top bits choose the slot. */
static inline size_t slot_of(const tr_symbols *s, const void *key, sym_kind kind)
{
    uint64_t h = ((uint64_t)(uintptr_t)key + (uint64_t)kind) * 0x9E3779B97F4A7C15u;
    size_t i = (size_t)(h >> s->shift);
    while (s->slots[i].key && (s->slots[i].key != key || s->slots[i].kind != kind))
        i = (i + 1) & (s->slot_count - 1);
    return i;
}

static bool grow_slots(tr_symbols *s)
{
    sym_slot *old = s->slots;
    size_t old_count = s->slot_count;
    s->slots = calloc(old_count * 2, sizeof *s->slots);
    if (!s->slots) {
        s->slots = old;
        return false;
    }
    s->slot_count = old_count * 2;
    s->shift--;
    for (size_t i = 0; i < old_count; i++)
        if (old[i].key)
            s->slots[slot_of(s, old[i].key, old[i].kind)] = old[i];
    free(old);
    return true;
}

/* The JSON a symbol stands for, made once, the first time it is used. */
static char *sym_text(const tr_symbols *s, const void *key, sym_kind kind)
{
    ob_buf b = {0};
    switch (kind) {
    case SYM_RULE: {
        const ir_rule *r = key;
        const ast_decl *d = r->decl;
        unsigned line = 0, col = 0;
        src_line_col(d->name_at.file, d->name_at.start, &line, &col);
        char at[1024];
        int n = snprintf(at, sizeof at, "%s:%u", rs_rel_path(s->rs, d->name_at.file), line);
        ob_str(&b, "{\"rule\":");
        ob_json_string(&b, d->name, strlen(d->name));
        ob_str(&b, ",\"cites\":");
        ob_json_string(&b, d->cite ? d->cite : "", d->cite ? strlen(d->cite) : 0);
        ob_str(&b, ",\"at\":");
        ob_json_string(&b, at, n < (int)sizeof at ? (size_t)n : sizeof at - 1);
        break;
    }
    case SYM_NAME: {
        /* A name inside quotes: escaped, without the quotes. */
        const char *name = key;
        ob_json_string(&b, name, strlen(name));
        if (b.len >= 2) {
            memmove(b.data, b.data + 1, b.len - 2);
            b.len -= 2;
        }
        break;
    }
    case SYM_MEMBER: ob_json_string(&b, key, strlen(key)); break;
    case SYM_TABLE: {
        const ir_table *t = key;
        ob_str(&b, "{\"table\":");
        ob_json_string(&b, t->name, strlen(t->name));
        ob_str(&b, ",\"key\":");
        break;
    }
    case SYM_ROW:
    case SYM_OTHERWISE: {
        const ir_row *row = key;
        unsigned line = 0, col = 0;
        src_line_col(row->at.file, row->at.start, &line, &col);
        char at[1024];
        int n = snprintf(at, sizeof at, "%s:%u", rs_rel_path(s->rs, row->at.file), line);
        ob_str(&b, ",\"row\":");
        if (kind == SYM_ROW)
            ob_int(&b, 0); /* replaced below: the index is not known from the row alone */
        else
            ob_str(&b, "\"otherwise\"");
        ob_str(&b, ",\"at\":");
        ob_json_string(&b, at, n < (int)sizeof at ? (size_t)n : sizeof at - 1);
        ob_char(&b, '}');
        break;
    }
    }
    ob_char(&b, '\0');
    if (b.failed) {
        ob_free(&b);
        return NULL;
    }
    return b.data;
}

/* A symbol seen for the first time: its text is made and it is numbered. */
__attribute__((noinline)) static bool new_sym(tr_symbols *s, size_t i, const void *key, sym_kind kind, long row,
                                              uint64_t *id)
{
    if ((s->used + 1) * 2 > s->slot_count) {
        if (!grow_slots(s))
            return false;
        i = slot_of(s, key, kind);
    }
    char *text = sym_text(s, key, kind);
    if (text && kind == SYM_ROW) {
        /* ,"row":0,"at":... -> ,"row":N,"at":... */
        char num[24];
        int n = snprintf(num, sizeof num, "%ld", row);
        size_t len = strlen(text);
        char *with = malloc(len + (size_t)n);
        if (with) {
            memcpy(with, text, 7);
            memcpy(with + 7, num, (size_t)n);
            memcpy(with + 7 + n, text + 8, len - 8 + 1);
        }
        free(text);
        text = with;
    }
    if (!text)
        return false;
    if (s->text_count == s->text_cap) {
        size_t ncap = s->text_cap ? s->text_cap * 2 : 256;
        char **bigger = realloc(s->texts, ncap * sizeof *bigger);
        if (!bigger) {
            free(text);
            return false;
        }
        s->texts = bigger;
        s->text_cap = ncap;
    }
    s->texts[s->text_count] = text;
    s->slots[i] = (sym_slot){key, kind, (uint32_t)s->text_count};
    s->used++;
    *id = s->text_count++;
    return true;
}

/* The number of (key, kind); a row's symbol also needs its index, `row`. Called
 * a few hundred times per decision, so the lookup stays small enough to inline. */
static inline bool sym(tr_symbols *s, const void *key, sym_kind kind, long row, uint64_t *id)
{
    size_t i = slot_of(s, key, kind);
    if (s->slots[i].key) {
        *id = s->slots[i].id;
        return true;
    }
    return new_sym(s, i, key, kind, row, id);
}

/* Room for n more bytes at out->data + out->len (ob_buf grows only by writing). */
static bool reserve(ob_buf *out, size_t n)
{
    static const char zeros[1024];
    if (out->cap - out->len >= n)
        return true;
    size_t len = out->len;
    while (n > 0 && !out->failed) {
        size_t k = n < sizeof zeros ? n : sizeof zeros;
        ob_bytes(out, zeros, k);
        n -= k;
    }
    out->len = len;
    return !out->failed;
}

static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
    while (v > 0x7f) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

static unsigned char *put_signed(unsigned char *p, int64_t v)
{
    return put_varint(p, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* The most a step can take, for reserve(): varints are at most 10 bytes. */
static size_t step_bound(const ev_step *st)
{
    size_t n = 48 + st->seen_count * 42 + st->lookup_count * 42;
    for (size_t i = 0; i < st->seen_count; i++)
        if (st->seen[i].type.kind == VT_TEXT)
            n += ((const ev_text *)st->seen[i].v.p)->len;
    return n;
}

static inline unsigned char *put_value(unsigned char *p, tr_symbols *s, vtype t, value v, unsigned tag_bits, bool *ok)
{
    *p++ = (unsigned char)(t.kind | tag_bits);
    switch (t.kind) {
    case VT_ENUM: {
        uint64_t id = 0;
        *ok = *ok && sym(s, t.en->members[v.i], SYM_MEMBER, 0, &id);
        return put_varint(p, id);
    }
    case VT_TEXT: {
        const ev_text *text = v.p;
        p = put_varint(p, text->len);
        memcpy(p, text->bytes, text->len);
        return p + text->len;
    }
    default: return put_signed(p, v.i);
    }
}

bool tr_encode(ob_buf *out, tr_symbols *s, const ev_case *c)
{
    uint64_t id = 0;
    bool ok = reserve(out, 11);
    if (!ok)
        return false;
    unsigned char *p = (unsigned char *)out->data + out->len;
    *p++ = TR_FORMAT;
    p = put_varint(p, c->step_count);
    out->len = (size_t)((char *)p - out->data);
    for (const ev_step *st = c->steps; ok && st; st = st->next) {
        if (!reserve(out, step_bound(st)))
            return false;
        p = (unsigned char *)out->data + out->len;
        ok = sym(s, st->rule, SYM_RULE, 0, &id);
        p = put_varint(p, id);
        *p++ = (unsigned char)((st->fired ? TR_FIRED : 0) | (st->item >= 0 ? TR_ITEM : 0) | (st->lookup_count ? TR_LOOKUPS : 0));
        if (st->item >= 0) {
            ok = ok && sym(s, st->list, SYM_NAME, 0, &id);
            p = put_varint(p, id);
            p = put_varint(p, (uint64_t)st->item);
        }
        size_t shown = 0;
        for (size_t i = 0; i < st->seen_count; i++)
            shown += printable(st->seen[i].type);
        p = put_varint(p, shown);
        for (size_t i = 0; i < st->seen_count; i++) {
            const ev_seen *v = &st->seen[i];
            if (!printable(v->type))
                continue;
            ok = ok && sym(s, v->name, SYM_NAME, 0, &id);
            p = put_varint(p, id);
            p = put_value(p, s, v->type, v->v, v->item >= 0 ? TR_THROUGH_ITEM : 0, &ok);
            if (v->item >= 0) {
                ok = ok && sym(s, v->list, SYM_NAME, 0, &id);
                p = put_varint(p, id);
                p = put_varint(p, (uint64_t)v->item);
            }
        }
        if (st->lookup_count) {
            p = put_varint(p, st->lookup_count);
            for (size_t i = 0; i < st->lookup_count; i++) {
                const ev_lookup *l = &st->lookups[i];
                ok = ok && sym(s, l->table, SYM_TABLE, 0, &id);
                p = put_varint(p, id);
                p = put_value(p, s, l->table->key_type, (value){.i = l->key}, 0, &ok);
                const ir_row *row = l->row >= 0 ? &l->table->rows[l->row] : l->table->otherwise;
                ok = ok && sym(s, row, l->row >= 0 ? SYM_ROW : SYM_OTHERWISE, l->row, &id);
                p = put_varint(p, id);
            }
        }
        out->len = (size_t)((char *)p - out->data);
    }
    return ok && !out->failed;
}

typedef struct reader {
    const unsigned char *p, *end;
    bool bad;
} reader;

static uint64_t get_varint(reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        unsigned char b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

static int64_t get_signed(reader *r)
{
    uint64_t u = get_varint(r);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static unsigned get_byte(reader *r)
{
    if (r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

static bool put_sym(ob_buf *out, reader *r, tr_symbol_fn text, void *ctx)
{
    size_t len = 0;
    const char *t = text(ctx, get_varint(r), &len);
    if (!t || r->bad)
        return r->bad = true, false;
    tr_put(out, t, len);
    return true;
}

static void get_value(ob_buf *out, reader *r, unsigned kind, tr_symbol_fn text, void *ctx)
{
    switch (kind) {
    case VT_ENUM: put_sym(out, r, text, ctx); break;
    case VT_TEXT: {
        uint64_t n = get_varint(r);
        if (r->bad || n > (uint64_t)(r->end - r->p)) {
            r->bad = true;
            return;
        }
        ob_json_string(out, (const char *)r->p, (size_t)n);
        r->p += n;
        break;
    }
    case VT_INT:
    case VT_DECIMAL:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY:
    case VT_DATE:
    case VT_BOOL: tr_write_value(out, (vtype){.kind = (vt_kind)kind}, (value){.i = get_signed(r)}); break;
    default: r->bad = true; break;
    }
}

bool tr_decode(ob_buf *out, const unsigned char *blob, size_t len, tr_symbol_fn text, void *ctx)
{
    reader r = {blob, blob + len, false};
    if (get_byte(&r) != TR_FORMAT)
        return false;
    uint64_t steps = get_varint(&r);
    ob_char(out, '[');
    for (uint64_t k = 0; k < steps && !r.bad; k++) {
        if (k)
            ob_char(out, ',');
        if (!put_sym(out, &r, text, ctx))
            break;
        unsigned flags = get_byte(&r);
        if (flags & TR_ITEM) {
            ob_str(out, ",\"item\":\"");
            put_sym(out, &r, text, ctx);
            ob_char(out, '[');
            ob_int(out, (int64_t)get_varint(&r));
            ob_str(out, "]\"");
        }
        ob_str(out, flags & TR_FIRED ? ",\"fired\":true,\"values\":{" : ",\"fired\":false,\"values\":{");
        uint64_t seen = get_varint(&r);
        for (uint64_t i = 0; i < seen && !r.bad; i++) {
            if (i)
                ob_char(out, ',');
            size_t name_len = 0;
            const char *name = text(ctx, get_varint(&r), &name_len);
            unsigned tag = get_byte(&r);
            if (!name || r.bad) {
                r.bad = true;
                break;
            }
            /* The value comes before the item in the blob, the name after it in the JSON. */
            ob_buf value_text = {0};
            get_value(&value_text, &r, tag & 0x7f, text, ctx);
            ob_char(out, '"');
            if (tag & TR_THROUGH_ITEM) {
                put_sym(out, &r, text, ctx);
                ob_char(out, '[');
                ob_int(out, (int64_t)get_varint(&r));
                ob_str(out, "].");
            }
            tr_put(out, name, name_len);
            ob_str(out, "\":");
            tr_put(out, value_text.data ? value_text.data : "", value_text.len);
            if (value_text.failed)
                r.bad = true;
            ob_free(&value_text);
        }
        ob_char(out, '}');
        if (flags & TR_LOOKUPS) {
            uint64_t n = get_varint(&r);
            ob_str(out, ",\"lookups\":[");
            for (uint64_t i = 0; i < n && !r.bad; i++) {
                if (i)
                    ob_char(out, ',');
                put_sym(out, &r, text, ctx);
                get_value(out, &r, get_byte(&r) & 0x7f, text, ctx);
                put_sym(out, &r, text, ctx);
            }
            ob_char(out, ']');
        }
        ob_char(out, '}');
    }
    ob_char(out, ']');
    return !r.bad && r.p == r.end && !out->failed;
}
