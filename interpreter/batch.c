/*
 * One line in, one result line out. Every path, however broken the input,
 * ends in exactly one line: a result or an error record naming the field.
 * The id is echoed whenever the line is a JSON object whose key field is a
 * string, whatever else is wrong with it.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "eval.h"
#include "exact.h"
#include "json_reader.h"
#include "record.h"
#include "trace.h"

/* A run of text of a result line, followed in memory by BT_SLACK readable
 * bytes, so that it can be copied in blocks of sixteen (put). */
typedef struct bt_piece {
    const char *s;
    size_t len;
} bt_piece;

enum { BT_SLACK = 32, BT_INT_ROOM = 20 /* "-9223372036854775808" */ };
/* When every fired rule's piece (,"name") is shorter than this, each is
 * copied in three blocks of sixteen, with no loop, from the rules' pieces
 * packed back to back (bt_frags.rules) with this many bytes of room after the
 * last: the text of the rules fired for a record spans few cache lines, where
 * a slot of this size for each rule took one or two lines a rule. */
enum { BT_RULE_SLOT = 48 };

/* How a result's value is written: the kinds write_result writes itself, and the rest. */
typedef enum { BT_PUT_INT, BT_PUT_BOOL, BT_PUT_ENUM, BT_PUT_OTHER } bt_put;

/* A result of a version: the text before its value (the version's name and
 * date first), and how the value is written. A boolean or an enum has one
 * piece per value, the text before it included, so that it is one copy.
 * Two to a cache line: the type, which only BT_PUT_OTHER needs, is apart. */
typedef struct bt_slot {
    bt_piece before;
    bt_put put;
    union {
        const bt_piece *members; /* BT_PUT_BOOL: false, true; BT_PUT_ENUM: per member, as JSON strings; after `before` */
        const vtype *type;    /* BT_PUT_OTHER: the result's (ir_result.type) */
    };
} bt_slot;

/* The parts of a result line that are the same for every record a version
 * decides, rendered once per session: a line is then the id, the values and
 * the fired rules between copies of these, in room reserved once. */
typedef struct bt_frags {
    bt_piece open;            /* {"key": */
    bt_slot *slots;           /* per result */
    bt_piece fired;           /* ,"fired":[ */
    bt_piece *rules;          /* per rule index: ,"name" */
    bt_piece close[2];        /* after the fired rules, without and with BT_HASH: ]}\n and ],"ruleset_hash":"…"}\n */
    size_t room;              /* a line without the id, the fired rules and values written by tr_write_value */
    size_t rule_room;         /* the longest of `rules`, which lie back to back with BT_RULE_SLOT bytes after the last */
} bt_frags;
struct bt_session {
    const ruleset *rs;
    const ir_program *newest;
    jr_reader *reader;
    arena *arena;
    unsigned flags;
    arena *fixed;              /* what lives as long as the session: rule locations */
    const char ***rule_at;     /* per version, per rule index: "path:line" (BT_TRACE) */
    ev_case c;
    bt_decision last;
    uint64_t max_steps;  /* per record; 0: the evaluator's default */
    rec_index **rec_ix;        /* per version: the record reader's name tables (NULL: read without) */
    bt_frags *frags;           /* per version */
    value *results;            /* the last line's results: room for the most any version has */
};

/* A version's pieces as they are made, back to back, copied into the arena
 * once all are (frags_done), with BT_SLACK bytes after the last: what a line
 * is written from lies in a few cache lines together, where each piece with
 * slack of its own took a line or more. */
typedef struct bt_gather {
    ob_buf text;
    bt_piece **pieces;        /* in the order of their text, which gives each its place */
    size_t count;
} bt_gather;

/* What `tmp` holds since `from`, as the next piece of g (p->s set by frags_done). */
static bool frag(bt_gather *g, ob_buf *tmp, size_t from, bt_piece *p)
{
    if (tmp->failed)
        return false; /* tmp->data may be NULL */
    p->len = tmp->len - from;
    p->s = NULL;
    ob_bytes(&g->text, tmp->data + from, p->len);
    g->pieces[g->count++] = p;
    return true;
}

/* The pieces of g into the arena, and their texts found there. */
static bool frags_done(arena *a, bt_gather *g)
{
    char *text = g->text.failed ? NULL : arena_alloc(a, g->text.len + BT_SLACK);
    if (!text)
        return false;
    memcpy(text, g->text.data, g->text.len);
    memset(text + g->text.len, 0, BT_SLACK);
    for (size_t i = 0; i < g->count; i++) {
        g->pieces[i]->s = text;
        text += g->pieces[i]->len;
    }
    return true;
}

/* How a value of type t is written. */
static bt_put put_kind(vtype t)
{
    switch (t.kind) {
    case VT_INT:
    case VT_DURATION:
    case VT_WEEKLY:
    case VT_YEARS:
    case VT_MONEY: return BT_PUT_INT;
    case VT_BOOL: return BT_PUT_BOOL;
    case VT_ENUM: return BT_PUT_ENUM;
    default: return BT_PUT_OTHER;
    }
}

/* The pieces of a boolean's or an enum's values, each after the text before
 * it (tmp->data[from..key)); the room of the longest is added to *room. */
static bool choices(bt_gather *g, const ob_buf *tmp, size_t from, size_t key, vtype type, bt_piece *m, size_t *room)
{
    static const char *const bools[] = {"false", "true"};
    bool is_bool = type.kind == VT_BOOL;
    size_t count = is_bool ? 2 : type.en->count, longest = 0;
    ob_buf one = {0};
    bool ok = !tmp->failed;
    for (size_t k = 0; ok && k < count; k++) {
        one.len = 0;
        ob_bytes(&one, tmp->data + from, key - from);
        if (is_bool)
            ob_str(&one, bools[k]);
        else
            ob_json_string(&one, type.en->members[k], strlen(type.en->members[k]));
        ok = frag(g, &one, 0, &m[k]);
        if (ok && m[k].len > longest)
            longest = m[k].len;
    }
    ob_free(&one);
    *room += longest;
    return ok;
}

static bool build_frags(arena *a, bt_frags *f, const rs_version *v)
{
    const ir_program *p = v->program;
    ob_buf tmp = {0};
    char date[11];
    size_t n = p->result_count, members = 0;
    for (size_t i = 0; i < n; i++)
        if (p->results[i].type.kind == VT_ENUM)
            members += p->results[i].type.en->count;
        else if (p->results[i].type.kind == VT_BOOL)
            members += 2;
    f->slots = arena_calloc(a, n ? n : 1, sizeof *f->slots);
    bt_piece *m = arena_alloc(a, (members ? members : 1) * sizeof *m);
    f->rules = arena_alloc(a, (p->rule_count ? p->rule_count : 1) * sizeof *f->rules);
    /* open, fired, two closes, and per result and member */
    bt_gather g = {.pieces = malloc((4 + n + members) * sizeof *g.pieces)};
    bool ok = f->slots && m && f->rules && g.pieces;
    ob_str(&tmp, "{\"");
    ob_str(&tmp, p->key_name);
    ob_str(&tmp, "\":");
    ok = ok && frag(&g, &tmp, 0, &f->open);
    size_t at = tmp.len;
    ob_str(&tmp, ",\"");
    ob_str(&tmp, p->version_name);
    ob_str(&tmp, "\":\"");
    cal_format(p->version, date);
    ob_bytes(&tmp, date, 10);
    ob_char(&tmp, '"');
    for (size_t i = 0; ok && i < n; i++) {
        bt_slot *slot = &f->slots[i];
        ob_str(&tmp, ",\"");
        ob_str(&tmp, p->results[i].name);
        ob_str(&tmp, "\":");
        ok = frag(&g, &tmp, at, &slot->before);
        vtype type = p->results[i].type;
        slot->put = put_kind(type);
        if (slot->put == BT_PUT_OTHER)
            slot->type = &p->results[i].type;
        if (slot->put == BT_PUT_BOOL || slot->put == BT_PUT_ENUM) {
            slot->members = m;
            ok = ok && choices(&g, &tmp, at, tmp.len, type, m, &f->room);
            m += slot->put == BT_PUT_BOOL ? 2 : type.en->count;
        } else
            f->room += slot->before.len + (slot->put == BT_PUT_INT ? BT_INT_ROOM : 0);
        at = tmp.len;
    }
    ob_str(&tmp, ",\"");
    ob_str(&tmp, p->fired_name);
    ob_str(&tmp, "\":[");
    ok = ok && frag(&g, &tmp, at, &f->fired);
    at = tmp.len;
    size_t text_from = at;
    for (size_t i = 0; ok && i < p->rule_count; i++) {
        ob_char(&tmp, ',');
        ob_json_string(&tmp, p->rules[i]->decl->name, strlen(p->rules[i]->decl->name));
        f->rules[p->rules[i]->index].len = tmp.len - at;
        if (tmp.len - at > f->rule_room)
            f->rule_room = tmp.len - at;
        at = tmp.len;
    }
    /* The rules' pieces, back to back in tmp since text_from in the order of
     * p->rules, into a block of their own (see BT_RULE_SLOT). */
    char *text = ok && !tmp.failed ? arena_calloc(a, 1, at - text_from + BT_RULE_SLOT) : NULL;
    ok = text != NULL;
    if (ok) {
        memcpy(text, tmp.data + text_from, at - text_from);
        for (size_t i = 0; i < p->rule_count; i++) {
            bt_piece *r = &f->rules[p->rules[i]->index];
            r->s = text;
            text += r->len;
        }
    }
    ob_str(&tmp, "]}\n");
    ok = ok && frag(&g, &tmp, at, &f->close[0]);
    at = tmp.len;
    ob_str(&tmp, "],\"ruleset_hash\":\"");
    ob_str(&tmp, v->hash);
    ob_str(&tmp, "\"}\n");
    ok = ok && frag(&g, &tmp, at, &f->close[1]);
    ok = ok && frags_done(a, &g);
    f->room += f->fired.len + (f->close[1].len > f->close[0].len ? f->close[1].len : f->close[0].len);
    ob_free(&tmp);
    ob_free(&g.text);
    free(g.pieces);
    return ok;
}

bt_session *bt_session_new(const ruleset *rs, size_t max_depth)
{
    bt_session *s = arena_sys_malloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->rs = rs;
    s->newest = rs->versions[rs->version_count - 1].program;
    s->reader = jr_reader_new(max_depth);
    s->arena = arena_new();
    s->fixed = arena_new();
    if (s->fixed && (s->rec_ix = arena_calloc(s->fixed, rs->version_count, sizeof *s->rec_ix)))
        for (size_t i = 0; i < rs->version_count; i++)
            s->rec_ix[i] = rec_index_new(s->fixed, rs->versions[i].program, s->newest);
    if (s->fixed && (s->frags = arena_calloc(s->fixed, rs->version_count, sizeof *s->frags)))
        for (size_t i = 0; s->frags && i < rs->version_count; i++)
            if (!build_frags(s->fixed, &s->frags[i], &rs->versions[i]))
                s->frags = NULL;
    size_t most = 1;
    for (size_t i = 0; i < rs->version_count; i++)
        if (rs->versions[i].program->result_count > most)
            most = rs->versions[i].program->result_count;
    if (s->fixed)
        s->results = arena_alloc(s->fixed, most * sizeof *s->results);
    if (!s->reader || !s->arena || !s->fixed || !s->frags || !s->results) {
        bt_session_free(s);
        return NULL;
    }
    return s;
}

void bt_session_free(bt_session *s)
{
    if (!s)
        return;
    if (s->reader)
        jr_reader_free(s->reader);
    arena_free(s->arena);
    arena_free(s->fixed);
    free(s);
}

bool bt_session_set(bt_session *s, unsigned flags)
{
    s->flags = flags;
    if (!(flags & BT_TRACE) || s->rule_at)
        return true;
    if (!s->fixed && !(s->fixed = arena_new()))
        return false;
    s->rule_at = arena_calloc(s->fixed, s->rs->version_count, sizeof *s->rule_at);
    for (size_t i = 0; s->rule_at && i < s->rs->version_count; i++)
        if (!(s->rule_at[i] = tr_rule_ats(s->fixed, s->rs, s->rs->versions[i].program)))
            s->rule_at = NULL;
    return s->rule_at != NULL;
}

void bt_session_limit(bt_session *s, uint64_t max_steps)
{
    s->max_steps = max_steps;
}

const bt_decision *bt_last(const bt_session *s)
{
    return &s->last;
}

static void write_id(ob_buf *out, const ir_program *p, const jr_value *id)
{
    ob_char(out, '"');
    ob_str(out, p->key_name);
    ob_str(out, "\":");
    if (id && id->kind == JR_STRING)
        ob_json_string(out, id->text, id->len);
    else
        ob_str(out, "null");
}

static bt_outcome write_error(ob_buf *out, const ir_program *p, const jr_value *id, const char *field, const char *message)
{
    ob_char(out, '{');
    write_id(out, p, id);
    ob_str(out, ",\"");
    ob_str(out, p->error_name);
    ob_str(out, "\":{\"");
    ob_str(out, p->error_field_name);
    ob_str(out, "\":");
    if (field)
        ob_json_string(out, field, strlen(field));
    else
        ob_str(out, "null");
    ob_str(out, ",\"");
    ob_str(out, p->error_message_name);
    ob_str(out, "\":");
    ob_json_string(out, message, strlen(message));
    ob_str(out, "}}\n");
    return BT_REJECTED;
}

/* Copies a piece in blocks of sixteen bytes, at least two: the last block
 * reads into the piece's slack and writes past its end into room the caller
 * reserved, which the next piece overwrites. Most pieces take the two. */
static inline char *put(char *w, bt_piece p)
{
    memcpy(w, p.s, 16);
    memcpy(w + 16, p.s + 16, 16);
    for (size_t i = 32; i < p.len; i += 16)
        memcpy(w + i, p.s + i, 16);
    return w + p.len;
}

/* A whole number, at most BT_INT_ROOM bytes: its digits counted first, then
 * written in place from the last, two per division. (Writing them into a
 * buffer and copying that in one piece read sixteen bytes just stored a
 * byte or two at a time, which stalled the processor on every number.) Most
 * numbers in results are a single digit (zero minutes, a count), written at
 * once. */
static inline char *put_int(char *w, int64_t v)
{
    if ((uint64_t)v < 10) {
        *w = (char)('0' + v);
        return w + 1;
    }
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    static const uint64_t tens[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
                                    1000000000000000u, 10000000000000000u, 100000000000000000u,
                                    1000000000000000000u, 10000000000000000000u};
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        *w++ = '-';
    /* 1233 / 4096 is just over log10(2): t is the number of digits or one less. */
    size_t t = (size_t)(64 - __builtin_clzll(u)) * 1233 >> 12;
    size_t n = t + 1 - (u < tens[t]);
    char *end = w + n, *d = end;
    while (u >= 100) {
        d -= 2;
        memcpy(d, pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10)
        memcpy(d - 2, pairs + 2 * u, 2);
    else
        d[-1] = (char)('0' + u);
    return end;
}

static void write_result(bt_session *s, ob_buf *out, const rs_version *v, const jr_value *id, const ev_case *c,
                         const value *results)
{
    const ir_program *p = v->program;
    const bt_frags *f = &s->frags[v - s->rs->versions];
    size_t id_len = id ? id->len : 4;
    /* Sizes of what is in memory: the sums cannot overflow. */
    size_t room = f->room + OB_JSON_ROOM(id_len) + c->fired_count * f->rule_room + BT_RULE_SLOT + BT_SLACK;
    if (!ob_reserve(out, room))
        return;
    char *w = out->data + out->len;
    w = put(w, f->open);
    if (id)
        w = ob_json_put(w, id->text, id->len);
    else {
        memcpy(w, "null", 4);
        w += 4;
    }
    /* Locals, so that the stores through `w`, which may alias anything, do
     * not make each turn of the loops load them again. */
    const bt_slot *slots = f->slots;
    const bt_piece *rules = f->rules;
    const size_t *fired = c->fired;
    size_t result_count = p->result_count, fired_count = c->fired_count;
    for (size_t i = 0; i < result_count; i++) {
        const bt_slot *slot = &slots[i];
        switch (slot->put) {
        case BT_PUT_INT: w = put_int(put(w, slot->before), results[i].i); break;
        case BT_PUT_BOOL: w = put(w, slot->members[results[i].i != 0]); break;
        case BT_PUT_ENUM: w = put(w, slot->members[results[i].i]); break;
        case BT_PUT_OTHER:
            /* Of a length not known in advance: written the general way, then the room taken again. */
            w = put(w, slot->before);
            out->len = (size_t)(w - out->data);
            tr_write_value(out, *slot->type, results[i]);
            if (!ob_reserve(out, room))
                return;
            w = out->data + out->len;
            break;
        }
    }
    w = put(w, f->fired);
    if (fired_count) {
        bt_piece first = rules[fired[0]];
        w = put(w, (bt_piece){first.s + 1, first.len - 1}); /* without its comma */
    }
    if (f->rule_room < BT_RULE_SLOT)
        for (size_t i = 1; i < fired_count; i++) {
            bt_piece r = rules[fired[i]];
            memcpy(w, r.s, 16);
            memcpy(w + 16, r.s + 16, 16);
            memcpy(w + 32, r.s + 32, 16);
            w += r.len;
        }
    else
        for (size_t i = 1; i < fired_count; i++)
            w = put(w, rules[fired[i]]);
    w = put(w, f->close[(s->flags & BT_HASH) != 0]);
    out->len = (size_t)(w - out->data);
    if (s->flags & BT_TRACE) {
        /* The trace goes between the close's `]` or hash and its `}\n`. */
        out->len -= 2;
        s->last.trace_start = out->len;
        ob_str(out, ",\"trace_schema\":\"" TR_SCHEMA "\",\"trace\":");
        tr_write_trace(out, s->rs, c, s->rule_at[v - s->rs->versions]);
        s->last.trace_end = out->len;
        ob_str(out, "}\n");
    }
}

bt_outcome bt_reject_line(bt_session *s, const char *message, ob_buf *out)
{
    s->last = (bt_decision){.outcome = BT_REJECTED, .line_start = out->len};
    write_error(out, s->newest, NULL, NULL, message);
    s->last.line_end = s->last.trace_start = s->last.trace_end = out->len;
    return BT_REJECTED;
}

static bt_outcome decide_line(bt_session *s, const char *line, size_t len, ob_buf *out);

/* Copied rather than written as a compound literal, which GCC clears with a
 * `rep stos`, whose start-up costs more than the few stores of a copy. */
static const bt_decision bt_none;

bt_outcome bt_decide_line(bt_session *s, const char *line, size_t len, ob_buf *out)
{
    s->last = bt_none;
    s->last.line_start = out->len;
    bt_outcome o = decide_line(s, line, len, out);
    s->last.outcome = o;
    s->last.line_end = out->len;
    if (s->last.trace_end <= s->last.trace_start)
        s->last.trace_start = s->last.trace_end = s->last.line_end;
    return o;
}

/* Reads the line the general way: a tree, the version picked from it, the
 * record read from the tree. Every error record about the input comes from
 * here. BT_DECIDED when the record was read. */
static bt_outcome read_general(bt_session *s, const char *line, size_t len, ob_buf *out, const rs_version **version,
                               jr_value *id_out, bool *too_early, value **inputs)
{
    const ir_program *p = s->newest;
    jr_value *root = NULL;
    switch (jr_parse(s->reader, line, len, s->arena, &root)) {
    case JR_OK: break;
    case JR_TOO_DEEP: return write_error(out, p, NULL, NULL, "not JSON: nested too deeply");
    case JR_NO_MEMORY: write_error(out, p, NULL, NULL, "out of memory"); return BT_FAILED;
    default: return write_error(out, p, NULL, NULL, "not JSON");
    }
    if (root->kind != JR_OBJECT)
        return write_error(out, p, NULL, NULL, "not a JSON object");
    const jr_value *id = rec_member(root, p->key_name);
    if (id && id->kind == JR_STRING) {
        s->last.id = id->text;
        s->last.id_len = id->len;
        *id_out = *id;
    }
    /* Pick the version by the selector date when it can be read; otherwise the
     * newest version's declaration reports what is wrong with the record. */
    const jr_value *sel = rec_member(root, p->input.fields[p->selector].name);
    cal_day day = 0;
    if (sel && sel->kind == JR_STRING && cal_parse(sel->text, sel->len, &day)) {
        s->last.has_day = true;
        s->last.day = (int32_t)day;
        const rs_version *v = rs_pick(s->rs, day);
        if (v) {
            p = v->program;
            *version = v;
        } else
            *too_early = true;
    }
    s->last.version = *version;
    rec_error err = {0};
    if (!rec_read_indexed(p, s->rec_ix ? s->rec_ix[*version - s->rs->versions] : NULL, root, s->arena, inputs, &err)) {
        write_error(out, p, id_out->kind == JR_STRING ? id_out : NULL, err.field, err.message);
        return strcmp(err.message, "out of memory") == 0 ? BT_FAILED : BT_REJECTED;
    }
    return BT_DECIDED;
}

static bt_outcome decide_line(bt_session *s, const char *line, size_t len, ob_buf *out)
{
    const rs_version *version = &s->rs->versions[s->rs->version_count - 1];
    arena_reset(s->arena);
    value *inputs = NULL;
    jr_value key = {.kind = JR_NULL};
    bool too_early = false;
    rec_direct direct;
    if (s->rec_ix && !(s->flags & BT_GENERAL_READER) && rec_read_direct(s->rs, s->rec_ix, s->reader, line, len, s->arena, &direct)) {
        version = direct.version;
        too_early = direct.too_early;
        inputs = direct.inputs;
        s->last.version = version;
        s->last.has_day = true;
        s->last.day = direct.day;
        if (direct.id) {
            key = (jr_value){.kind = JR_STRING, .text = direct.id, .len = direct.id_len};
            s->last.id = direct.id;
            s->last.id_len = direct.id_len;
        }
    } else {
        arena_reset(s->arena);
        bt_outcome o = read_general(s, line, len, out, &version, &key, &too_early, &inputs);
        if (o != BT_DECIDED)
            return o;
    }
    const ir_program *p = version->program;
    const jr_value *id = key.kind == JR_STRING ? &key : NULL;
    ev_case *c = &s->c;
    value *results = s->results;
    if (!ev_begin(c, p, s->arena, inputs)) {
        write_error(out, p, id, NULL, "out of memory");
        return BT_FAILED;
    }
    if (s->max_steps)
        c->max_steps = s->max_steps;
    const ir_check *failed = ev_failed_check(c);
    if (failed) /* a limit reached while checking is not the check's verdict */
        return write_error(out, p, id, c->over_limit ? NULL : failed->field, c->over_limit ? c->error : failed->message);
    if (too_early)
        return write_error(out, p, id, p->input.fields[p->selector].name, "before the oldest rule version");
    c->tracing = (s->flags & (BT_TRACE | BT_RECORD)) != 0;
    if (!ev_decide(c, results)) {
        write_error(out, p, id, NULL, c->error);
        return strcmp(c->error, "out of memory") == 0 ? BT_FAILED : BT_REJECTED;
    }
    s->last.c = c;
    s->last.results = results;
    write_result(s, out, version, id, c, results);
    return BT_DECIDED;
}
