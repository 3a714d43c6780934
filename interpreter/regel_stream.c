/*
 * The public API's streams of records (include/regel.h): regel_eval_stream,
 * the hot path of `regel eval`, and regel_explain_stream and
 * regel_diff_stream. Each reads JSON Lines from a FILE *, decides every line
 * with the batch module (batch.c, or parallel.c on worker threads) and writes
 * straight to the output FILE *: no result is read back through the API, so
 * the command line pays nothing for being a client of the library.
 */
#include "regel_api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_log.h"
#include "batch.h"
#include "calendar.h"
#include "diff.h"
#include "explain.h"
#include "json_reader.h"
#include "parallel.h"
#include "probe.h"
#include "trace.h"

enum { BLOCK = 1 << 20 };

typedef struct eval_run {
    bt_session *session;
    al_log *log;
    size_t line_no;
    size_t max_line;
    ob_buf out;
    FILE *sink;
    bool rejected;
    regel_status failed;      /* REGEL_OK until something fails */
    pl_pool *pool;            /* jobs > 1: the input goes to worker threads (parallel.h) */
    const regel_eval_options *options;
} eval_run;

static void fail(eval_run *run, regel_status st)
{
    if (run->failed == REGEL_OK)
        run->failed = st;
}

/* A line that is not blank gets exactly one result. `whole` is false for a
 * line past the length limit, of which only the first part is at hand. */
static void decide(eval_run *run, const char *line, size_t len, bool whole)
{
    run->line_no++;
    bt_outcome o;
    if (!whole)
        o = bt_reject_line(run->session, "line too long", &run->out);
    else if (!bt_take_line(run->session, line, &len, run->max_line, &run->out, &o))
        return;
    else
        whole = len <= run->max_line;
    if (run->log) {
        const bt_decision *d = bt_last(run->session);
        /* A line too long to read is not kept either (docs/audit.md). */
        if (!al_append(run->log, run->line_no, line, whole ? len : 0, &run->out, d)) {
            api_message(run->options->on_message, run->options->context, "decision log: %s", al_error(run->log));
            fail(run, REGEL_ERROR_LOG);
        }
    }
    if (o != BT_DECIDED)
        run->rejected = true;
    if (o == BT_FAILED)
        fail(run, REGEL_ERROR_MEMORY);
    if (run->out.len > (1 << 16) && !ob_flush(&run->out, run->sink))
        fail(run, REGEL_ERROR_IO);
}

/* Up to `want` bytes of the input: from its descriptor as they come, or
 * through stdio for a stream that has none (fmemopen, fopencookie). */
static ssize_t read_some(FILE *in, int fd, char *into, size_t want)
{
    if (fd < 0) {
        size_t got = fread(into, 1, want, in);
        return got == 0 && ferror(in) ? -1 : (ssize_t)got;
    }
    ssize_t got;
    do
        got = read(fd, into, want);
    while (got < 0 && errno == EINTR);
    return got;
}

/* The bytes of the longest block decide_stream grows to: a line this long
 * or longer is not held but dropped. The pool holds lines alike. */
static size_t held(size_t max_line)
{
    if (max_line < BLOCK)
        return BLOCK;
    return max_line < SIZE_MAX / 2 - JR_PADDING ? max_line + 1 : SIZE_MAX / 2 - JR_PADDING;
}

static void read_failed(eval_run *run, int fd)
{
    api_message(run->options->on_message, run->options->context, "error reading input: %s",
                fd < 0 ? "read error" : strerror(errno));
    fail(run, REGEL_ERROR_IO);
}

/* With threads: the input is read straight into the pool's chunks, which
 * the pool splits into lines as decide_stream does. */
static void feed_pool(eval_run *run, FILE *in)
{
    int fd = fileno(in);
    for (;;) {
        size_t room;
        char *into = pl_room(run->pool, &room);
        if (!into) {
            fail(run, REGEL_ERROR_MEMORY);
            break;
        }
        ssize_t got = read_some(in, fd, into, room);
        if (got < 0) {
            read_failed(run, fd);
            break;
        }
        if (!pl_fill(run->pool, (size_t)got, run->sink)) {
            fail(run, REGEL_ERROR_IO);
            break;
        }
        if (got == 0)
            break;
    }
}

/* Splits the input into lines; each line is followed in the block by at least
 * JR_PADDING spare bytes. The block grows to hold the longest line up to the
 * length limit; the rest of a longer line is read and dropped (only whether
 * it was blank is kept), so memory stays bounded whatever the input. */
static void decide_stream(eval_run *run, FILE *in)
{
    size_t cap = BLOCK, len = 0;
    bool skipping = false, skipped_blank = true; /* in a line too long to hold */
    int fd = fileno(in);
    char *buf = malloc(cap + JR_PADDING);
    if (!buf) {
        fail(run, REGEL_ERROR_MEMORY);
        return;
    }
    for (;;) {
        /* read(), not fread(): from a pipe, decide (and log) what has come
         * so far instead of waiting for a whole block. */
        ssize_t got = read_some(in, fd, buf + len, cap - len);
        bool eof = got == 0;
        if (got < 0) {
            read_failed(run, fd);
            break;
        }
        len += (size_t)got;
        size_t start = 0;
        char *nl;
        if (skipping) {
            nl = memchr(buf, '\n', len);
            size_t end = nl ? (size_t)(nl - buf) : len;
            skipped_blank = skipped_blank && bt_blank(buf, end);
            if (nl || eof) {
                skipping = false;
                if (!skipped_blank) /* a blank line gets no result, however long */
                    decide(run, buf, 0, false);
            }
            start = nl ? end + 1 : len;
        }
        while (!run->failed && (nl = memchr(buf + start, '\n', len - start))) {
            size_t end = (size_t)(nl - buf);
            decide(run, buf + start, end - start, true);
            start = end + 1;
        }
        if (eof) {
            if (start < len && !run->failed)
                decide(run, buf + start, len - start, true); /* a last line without a newline */
            break;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap && cap > run->max_line) {
            /* The line is longer than allowed: drop what is held and the rest of it. */
            skipping = true;
            skipped_blank = bt_blank(buf, len);
            len = 0;
        } else if (len == cap) {
            /* One line fills the block: grow it, up to what the longest allowed line needs. */
            size_t want = cap <= SIZE_MAX / 2 - JR_PADDING ? cap * 2 : SIZE_MAX / 2 - JR_PADDING;
            if (want > run->max_line + 1)
                want = run->max_line + 1;
            char *bigger = realloc(buf, want + JR_PADDING);
            if (!bigger) {
                fail(run, REGEL_ERROR_MEMORY);
                break;
            }
            buf = bigger;
            cap = want;
        }
        if (run->failed)
            break;
    }
    free(buf);
}

unsigned regel_default_jobs(void) { return pl_default_jobs(); }

regel_status regel_eval_stream(const regel_ruleset *rs, FILE *in, FILE *out, const regel_eval_options *options,
                               regel_eval_stats *stats)
{
    if (stats)
        *stats = (regel_eval_stats){0, 0};
    regel_eval_options given;
    const regel_eval_options *o = &given;
    if (!rs || !in || !out || !api_options(&given, sizeof given, options) ||
        o->limits.max_depth > REGEL_MAX_DEPTH_CAP ||
        (o->log && o->log->rs != rs))
        return REGEL_ERROR_ARGUMENT;
    size_t max_depth = o->limits.max_depth ? o->limits.max_depth : API_DEFAULT_MAX_DEPTH;
    eval_run run = {.sink = out,
                    .max_line = o->limits.max_record_bytes ? o->limits.max_record_bytes : API_DEFAULT_MAX_RECORD_BYTES,
                    .log = o->log ? o->log->log : NULL,
                    .options = o};
    bool trace = o->flags & REGEL_EVAL_TRACE;
    run.session = bt_session_new(rs->rs, max_depth);
    if (run.session)
        bt_session_limit(run.session, o->limits.max_steps);
    unsigned flags = BT_HASH | (trace ? BT_TRACE : 0) | (run.log ? BT_RECORD : 0);
    if (!run.session || !bt_session_set(run.session, flags))
        fail(&run, REGEL_ERROR_MEMORY);
    if (o->jobs > 1 && !run.log && !run.failed) {
        /* Without a pool (memory ran out), the lines are decided here, one by one. */
        pl_options po = {.jobs = o->jobs, .max_depth = max_depth, .max_line = run.max_line,
                         .hold = held(run.max_line), .flags = flags, .max_steps = o->limits.max_steps};
        run.pool = pl_new(rs->rs, &po, run.session);
    }
    if (!run.failed && run.pool)
        feed_pool(&run, in);
    else if (!run.failed)
        decide_stream(&run, in);
    if (run.pool) {
        if (!pl_finish(run.pool, run.sink))
            fail(&run, REGEL_ERROR_IO);
        run.line_no = pl_lines(run.pool);
        if (pl_failed(run.pool))
            fail(&run, REGEL_ERROR_MEMORY);
        if (pl_rejected(run.pool))
            run.rejected = true;
        pl_free(run.pool);
    }
    if (!ob_flush(&run.out, run.sink) || fflush(run.sink) != 0)
        fail(&run, REGEL_ERROR_IO);
    ob_free(&run.out);
    bt_session_free(run.session);
    if (stats)
        *stats = (regel_eval_stats){run.line_no, run.rejected};
    return run.failed;
}

/* ---- explanations */

/* Lines of a stream for the slower commands, each copied with the JR_PADDING
 * spare bytes the JSON reader reads ahead into; blank lines are skipped. */
typedef struct line_reader {
    FILE *in;
    char *line, *padded;
    size_t cap, padded_cap;
} line_reader;

/* The next line that is not blank, without its newline; false at the end of
 * the input (ferror tells a read error) or, with *no_memory, when memory ran out. */
static bool next_line(line_reader *r, const char **line, size_t *len, bool *no_memory)
{
    ssize_t got;
    *no_memory = false;
    while ((got = getline(&r->line, &r->cap, r->in)) > 0) {
        size_t n = (size_t)got;
        while (n && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
            n--;
        if (bt_blank(r->line, n))
            continue;
        if (n + JR_PADDING > r->padded_cap) {
            char *bigger = realloc(r->padded, (n + JR_PADDING) * 2);
            if (!bigger) {
                *no_memory = true;
                return false;
            }
            r->padded = bigger;
            r->padded_cap = (n + JR_PADDING) * 2;
        }
        memcpy(r->padded, r->line, n);
        memset(r->padded + n, ' ', JR_PADDING);
        *line = r->padded;
        *len = n;
        return true;
    }
    return false;
}

static void line_reader_free(line_reader *r)
{
    free(r->line);
    free(r->padded);
}

regel_status regel_explain_stream(const regel_ruleset *rs, FILE *in, FILE *out, const regel_explain_options *options,
                                  regel_explain_stats *stats)
{
    if (stats)
        *stats = (regel_explain_stats){0, 0};
    regel_explain_options given;
    const regel_explain_options *o = &given;
    if (!rs || !in || !out || !api_options(&given, sizeof given, options))
        return REGEL_ERROR_ARGUMENT;
    const char *lang = o->lang ? o->lang : "sv";
    if (strcmp(lang, "sv") != 0 && strcmp(lang, "en") != 0)
        return REGEL_ERROR_ARGUMENT;
    bool sv = strcmp(lang, "sv") == 0;
    bt_session *session = bt_session_new(rs->rs, API_DEFAULT_MAX_DEPTH);
    regel_status status = REGEL_OK;
    size_t explained = 0;
    bool rejected = false, no_memory = false;
    line_reader lines = {.in = in};
    const char *line;
    size_t len;
    ob_buf result = {0}, text = {0};
    if (!session || !bt_session_set(session, BT_HASH | BT_TRACE))
        status = REGEL_ERROR_MEMORY;
    while (status == REGEL_OK && next_line(&lines, &line, &len, &no_memory)) {
        result.len = 0;
        bt_outcome outcome = bt_decide_line(session, line, len, &result);
        const bt_decision *d = bt_last(session);
        if (o->key && (!d->id || d->id_len != strlen(o->key) || memcmp(d->id, o->key, d->id_len) != 0))
            continue;
        explained++;
        if (outcome == BT_DECIDED)
            xp_explain(&text, rs->rs, d, lang);
        else {
            ob_str(&text, sv ? "Ärende " : "Case ");
            if (d->id)
                tr_put(&text, d->id, d->id_len);
            ob_str(&text, sv ? ": kunde inte avgöras: " : ": could not be decided: ");
            tr_put(&text, result.data, result.len);
            ob_char(&text, '\n');
            rejected = true;
        }
        if (outcome == BT_FAILED || result.failed)
            status = REGEL_ERROR_MEMORY;
        if (!ob_flush(&text, out))
            status = REGEL_ERROR_IO;
    }
    if (no_memory && status == REGEL_OK)
        status = REGEL_ERROR_MEMORY;
    line_reader_free(&lines);
    ob_free(&result);
    ob_free(&text);
    bt_session_free(session);
    if (stats)
        *stats = (regel_explain_stats){explained, rejected};
    return status;
}

/* ---- comparisons */

/* `rs` as it is, or pinned to its version in force on `date` (the view and
 * the slot hold the pinned copy). */
static regel_status pin(const ruleset *rs, const char *date, ruleset *view, rs_version *slot, const ruleset **out)
{
    *out = rs;
    if (!date)
        return REGEL_OK;
    cal_day day;
    if (!cal_parse(date, strlen(date), &day))
        return REGEL_ERROR_ARGUMENT;
    const rs_version *v = rs_pick(rs, day);
    if (!v)
        return REGEL_ERROR_NOT_FOUND;
    pb_pin(rs, v, view, slot);
    *out = view;
    return REGEL_OK;
}

regel_status regel_diff_stream(const regel_ruleset *old_rules, const regel_ruleset *new_rules, FILE *in, FILE *out,
                               FILE *summary, const regel_diff_options *options, regel_diff_stats *stats)
{
    if (stats)
        *stats = (regel_diff_stats){0, 0};
    regel_diff_options given;
    const regel_diff_options *o = &given;
    if (!old_rules || !new_rules || !in || !out || !api_options(&given, sizeof given, options))
        return REGEL_ERROR_ARGUMENT;
    ruleset views[2];
    rs_version slots[2];
    const ruleset *side[2];
    regel_status status = pin(old_rules->rs, o->as_of_old, &views[0], &slots[0], &side[0]);
    if (status == REGEL_OK)
        status = pin(new_rules->rs, o->as_of_new, &views[1], &slots[1], &side[1]);
    if (status != REGEL_OK)
        return status;
    df_session *s = df_new(side[0], side[1]);
    if (!s)
        return REGEL_ERROR_MEMORY;
    line_reader lines = {.in = in};
    const char *line;
    size_t len;
    bool no_memory = false;
    ob_buf diffs = {0};
    while (status == REGEL_OK && next_line(&lines, &line, &len, &no_memory)) {
        if (!df_line(s, line, len, &diffs))
            status = REGEL_ERROR_MEMORY;
        else if (diffs.len > (1 << 16) && !ob_flush(&diffs, out))
            status = REGEL_ERROR_IO;
    }
    if (no_memory && status == REGEL_OK)
        status = REGEL_ERROR_MEMORY;
    if (ferror(in)) {
        api_message(o->on_message, o->context, "error reading input: %s", strerror(errno));
        status = REGEL_ERROR_IO;
    }
    if ((!ob_flush(&diffs, out) || fflush(out) != 0) && status == REGEL_OK)
        status = REGEL_ERROR_IO;
    ob_free(&diffs);
    line_reader_free(&lines);
    if (status == REGEL_OK && summary) {
        ob_buf text = {0};
        df_summary(s, &text);
        ob_flush(&text, summary);
        ob_free(&text);
    }
    if (stats)
        *stats = (regel_diff_stats){df_compared(s), df_changed(s)};
    df_free(s);
    return status;
}
