/*
 * Fuzz target: deciding case records against the shipped LSS ruleset. The
 * input is split into lines as `regel eval` splits its input (a trailing CR
 * dropped, blank lines skipped) and every line is decided with
 * bt_decide_line. Whatever the bytes, each line must give exactly one result
 * line, and that line must itself be a JSON object (read back with the JSON
 * reader), never a crash, a sanitizer report or a leak. Each line is decided
 * twice, by a session that reads records straight from the JSON walk and by
 * one that reads them the general way (BT_GENERAL_READER): the direct reader
 * must hand every line it cannot read exactly as the general one would to
 * that one, so the two results must be the same bytes. And where the direct
 * reader reads a line, the general one must read the same values from it
 * (record.h), field by field and item by item: a value misread that no
 * result shows (a field only some rule reads) is caught too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "eval.h"
#include "json_reader.h"
#include "record.h"

#ifndef REGEL_LSS_DIR
#error "REGEL_LSS_DIR must name the shipped ruleset"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ruleset *rs;
static bt_session *session;
static bt_session *general; /* the same session, reading every line the general way */
static jr_reader *reread;
static arena *reread_arena;
static rec_index **direct_ix; /* per version, as a session makes them */
static arena *values_arena;

static void quiet(void *ctx, const diag *d)
{
    (void)ctx;
    diag_print(stderr, d, false);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    diag_sink sink = {.fn = quiet};
    rs = rs_load(REGEL_LSS_DIR, &sink);
    if (!rs)
        abort();
    session = bt_session_new(rs, 64);
    general = bt_session_new(rs, 64);
    reread = jr_reader_new(JR_DEPTH_CAP);
    reread_arena = arena_new();
    if (!session || !general || !bt_session_set(general, BT_GENERAL_READER) || !reread || !reread_arena)
        abort();
    values_arena = arena_new();
    direct_ix = values_arena ? arena_calloc(values_arena, rs->version_count, sizeof *direct_ix) : NULL;
    if (!direct_ix)
        abort();
    for (size_t i = 0; i < rs->version_count; i++)
        if (!(direct_ix[i] = rec_index_new(values_arena, rs->versions[i].program,
                                           rs->versions[rs->version_count - 1].program)))
            abort();
    return 0;
}

static bool same_values(const ir_record *r, const value *x, const value *y)
{
    for (size_t k = 0; k < r->field_count; k++) {
        vtype t = r->fields[k].type;
        if (t.kind == VT_TEXT) {
            const ev_text *a = x[k].p, *b = y[k].p;
            if ((a == NULL) != (b == NULL) || (a && (a->len != b->len || memcmp(a->bytes, b->bytes, a->len))))
                return false;
        } else if (t.kind == VT_LIST) {
            const ev_list *a = x[k].p, *b = y[k].p;
            if ((a == NULL) != (b == NULL) || (a && a->count != b->count))
                return false;
            for (size_t i = 0; a && i < a->count; i++)
                if (!same_values(t.rec, a->items[i].fields, b->items[i].fields))
                    return false;
        } else if (x[k].i != y[k].i)
            return false;
    }
    return true;
}

/* A line the direct reader reads, the general one reads alike. */
static void check_direct_values(const char *line, size_t len)
{
    arena_reset(reread_arena);
    rec_direct d;
    if (!rec_read_direct(rs, direct_ix, reread, line, len, reread_arena, &d))
        return;
    jr_value *root = NULL;
    value *inputs = NULL;
    rec_error err;
    const ir_program *p = d.version->program;
    if (jr_parse(reread, line, len, reread_arena, &root) != JR_OK ||
        !rec_read_indexed(p, NULL, root, reread_arena, &inputs, &err) || !same_values(&p->input, d.inputs, inputs))
        abort();
}

/* Exactly one line, and it is a JSON object. */
static void check_result(const ob_buf *out, size_t from)
{
    if (out->failed || out->len <= from || out->data[out->len - 1] != '\n')
        abort();
    const char *line = out->data + from;
    size_t len = out->len - from - 1;
    if (memchr(line, '\n', len))
        abort();
    char *padded = malloc(len + JR_PADDING);
    if (!padded)
        abort();
    memcpy(padded, line, len);
    memset(padded + len, ' ', JR_PADDING);
    arena_reset(reread_arena);
    jr_value *root = NULL;
    if (jr_parse(reread, padded, len, reread_arena, &root) != JR_OK || root->kind != JR_OBJECT)
        abort();
    free(padded);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The line lives in its own allocation with exactly JR_PADDING bytes after
     * it, so AddressSanitizer catches a read one byte further. */
    size_t start = 0;
    ob_buf out = {0}, out_general = {0};
    while (start <= size) {
        const uint8_t *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        size_t len = end - start;
        if (len && data[start + len - 1] == '\r')
            len--;
        char *line = malloc(len + JR_PADDING);
        if (!line)
            abort();
        memcpy(line, data + start, len);
        memset(line + len, '\n', JR_PADDING); /* content of the padding must not matter */
        if (!bt_blank(line, len)) {
            size_t before = out.len;
            if (bt_decide_line(session, line, len, &out) == BT_FAILED)
                abort(); /* memory does not run out here */
            check_result(&out, before);
            if (bt_decide_line(general, line, len, &out_general) == BT_FAILED)
                abort();
            if (out_general.len != out.len || memcmp(out_general.data, out.data, out.len) != 0)
                abort(); /* the direct reader and the general one disagree */
            check_direct_values(line, len);
        }
        free(line);
        if (!nl)
            break;
        start = end + 1;
    }
    ob_free(&out);
    ob_free(&out_general);
    return 0;
}
