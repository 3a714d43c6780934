/*
 * Parallel batches (parallel.h). The feeding thread reads the input straight
 * into the chunk it is filling; a full chunk is cut after its last newline
 * (the partial line after it is carried to the next chunk) and queued, and
 * the threads take queued chunks in input order, each splitting its chunk
 * into lines and deciding them into the chunk's own output buffer. The
 * feeder touches no line while feeding: per byte of input it does no more
 * than the read. It writes finished chunks strictly in queue order, so the
 * output does not depend on which thread was faster.
 *
 * -j N starts N - 1 workers, and the feeder decides the oldest queued chunk
 * itself whenever more than SPARE_PER_WORKER chunks a worker wait: so N
 * threads decide on N processors and none waits for another to be scheduled.
 * With N workers besides the feeder, the feeder woke on every finished chunk
 * and took a processor from a worker each time (over a thousand context
 * switches on 200,000 records, and about 10 % more processor time than one
 * thread, against about 5 % now).
 *
 * The chunks live in a ring of jobs * CHUNKS_PER_JOB + 1 slots, numbered by
 * three counters that only grow: `filled` (chunks queued so far; the slot of
 * number `filled` is the one being filled), `taken` (chunks handed to a
 * thread) and `written`. written <= taken <= filled, and a slot is reused only
 * once its chunk is written, which is what bounds memory. Only the counters
 * and the slots' `done` flags are shared, under one mutex; a chunk's text and
 * output belong to the feeder until it is queued, to the thread that takes it
 * until it is done, and to the feeder again until it is written. As at most
 * SPARE_PER_WORKER chunks a worker are left untaken, the oldest chunk of a
 * full ring is always being decided, so the feeder waiting for it to be
 * written always ends.
 *
 * A line is held whole when it is shorter than `hold` bytes, as in the serial
 * reader (regel_stream.c): a slot with no newline in it holds one partial
 * line, and grows for it up to `hold` bytes; past that the rest of the line
 * is read and dropped, and the chunk is marked to begin with an error record
 * for it unless it was blank.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "batch.h"
#include "json_reader.h"
#include "outbuf.h"

/* A chunk is queued once it holds this many bytes of input (about a hundred
 * records): large enough that handing it over costs nothing beside deciding
 * it, small enough that a chunk's text and results stay in the core's cache
 * and that the ring is few pages. Every page of the ring is a page fault the
 * first time round, and 256 KiB chunks made -j 2 take 1,650 more of them than
 * -j 1, which cost more than the second thread gained on 10,000 records.
 * Four chunks per thread may be in flight, and the feeder leaves two per
 * worker queued when it takes one itself, so that a worker does not run dry
 * while the feeder decides. */
enum { CHUNK_BYTES = 64 << 10, CHUNKS_PER_JOB = 4, SPARE_PER_WORKER = 2 };
/* A slot that grew past this for one huge line gives the memory back once written. */
enum { CHUNK_KEEP = 4 << 20 };

typedef struct pl_chunk {
    char *text;               /* whole lines, each ending in '\n', then JR_PADDING spare bytes */
    size_t len, cap;
    uint64_t long_lines;      /* lines too long to hold (and not blank) that come before the text */
    uint64_t lines;           /* lines gone through by the thread that decided the chunk */
    ob_buf out;
    bool rejected, failed;
    bool done;                /* shared: set by the thread that decided it, under the pool's lock */
} pl_chunk;

struct pl_pool {
    pl_options opt;
    const ruleset *rs;
    bt_session *feeder;       /* the calling thread's, for chunks it decides itself */
    pl_chunk *slots;
    size_t slot_count;
    unsigned long long filled, taken, written;
    bool stopping;
    pthread_mutex_t lock;
    pthread_cond_t queued;    /* a chunk was queued, or the pool is stopping */
    pthread_cond_t finished;  /* a chunk is done */
    pthread_t *threads;
    unsigned started;
    bt_session **sessions;    /* the workers', made as they start */
    bool skipping;            /* in a line too long to hold, of which the rest is dropped */
    bool skipped_blank;       /* so far all of that line was blank */
    uint64_t lines;
    bool rejected, failed;
};

typedef struct pl_worker {
    pl_pool *pool;
    bt_session *session;
} pl_worker;

unsigned pl_default_jobs(void)
{
    long n = 0;
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
#endif
    if (n < 1)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static bool reject_long(bt_session *s, pl_chunk *c)
{
    c->lines++;
    c->rejected = true;
    return bt_reject_line(s, "line too long", &c->out) != BT_FAILED && !c->out.failed;
}

/* Splits a chunk into lines and decides each, exactly as the serial path in
 * regel_stream.c does: a line it would not have held (o->hold bytes or more)
 * gets an error record unless it is blank, and is not counted when it is. */
static void decide_chunk(const pl_options *o, bt_session *s, pl_chunk *c)
{
    for (uint64_t i = 0; i < c->long_lines; i++)
        if (!reject_long(s, c)) {
            c->failed = true;
            return;
        }
    const char *at = c->text, *end = c->text + c->len;
    while (at < end) {
        const char *nl = memchr(at, '\n', (size_t)(end - at)); /* the text ends with one */
        size_t len = (size_t)(nl - at);
        const char *line = at;
        at = nl + 1;
        if (len >= o->hold) {
            if (!bt_blank(line, len) && !reject_long(s, c)) {
                c->failed = true;
                break;
            }
            continue;
        }
        c->lines++;
        bt_outcome r;
        if (!bt_take_line(s, line, &len, o->max_line, &c->out, &r))
            continue;
        if (r != BT_DECIDED)
            c->rejected = true;
        if (r == BT_FAILED || c->out.failed) {
            /* As the serial path, stop at the first record that ran out of memory. */
            c->failed = true;
            break;
        }
    }
}

static void *work(void *arg)
{
    pl_worker *w = arg;
    pl_pool *p = w->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stopping && p->taken == p->filled)
            pthread_cond_wait(&p->queued, &p->lock);
        if (p->taken == p->filled)
            break; /* stopping, and nothing left */
        pl_chunk *c = &p->slots[p->taken++ % p->slot_count];
        pthread_mutex_unlock(&p->lock);
        decide_chunk(&p->opt, w->session, c);
        pthread_mutex_lock(&p->lock);
        c->done = true;
        pthread_cond_broadcast(&p->finished);
    }
    pthread_mutex_unlock(&p->lock);
    free(w);
    return NULL;
}

static void stop(pl_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->queued);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->started; i++)
        pthread_join(p->threads[i], NULL);
    p->started = 0;
}

void pl_free(pl_pool *p)
{
    if (!p)
        return;
    stop(p);
    for (unsigned i = 0; p->sessions && i < p->opt.jobs; i++)
        bt_session_free(p->sessions[i]);
    for (size_t i = 0; p->slots && i < p->slot_count; i++) {
        free(p->slots[i].text);
        ob_free(&p->slots[i].out);
    }
    free(p->slots);
    free(p->sessions);
    free(p->threads);
    pthread_cond_destroy(&p->queued);
    pthread_cond_destroy(&p->finished);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

pl_pool *pl_new(const ruleset *rs, const pl_options *o, bt_session *feeder)
{
    if (o->jobs < 1 || !feeder)
        return NULL;
    pl_pool *p = arena_sys_malloc(sizeof *p);
    if (!p)
        return NULL;
    memset(p, 0, sizeof *p);
    p->opt = *o;
    p->rs = rs;
    p->feeder = feeder;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->queued, NULL);
    pthread_cond_init(&p->finished, NULL);
    p->slot_count = (size_t)o->jobs * CHUNKS_PER_JOB + 1;
    p->slots = calloc(p->slot_count, sizeof *p->slots);
    p->sessions = calloc(o->jobs, sizeof *p->sessions);
    p->threads = calloc(o->jobs, sizeof *p->threads);
    if (!p->slots || !p->sessions || !p->threads) {
        pl_free(p);
        return NULL;
    }
    return p;
}

/* Starts the jobs - 1 workers, when the first chunk is queued: an input of
 * one chunk is decided by the feeder, which saves starting threads and making
 * their sessions (about a millisecond, most of the time it takes to decide
 * one record). Workers that memory or threads run short for are not started;
 * if none is, the feeder decides every chunk itself. */
static void start(pl_pool *p)
{
    for (unsigned i = 0; i + 1 < p->opt.jobs; i++) {
        bt_session *s = p->sessions[i] = bt_session_new(p->rs, p->opt.max_depth);
        if (!s || !bt_session_set(s, p->opt.flags))
            return;
        bt_session_limit(s, p->opt.max_steps);
        pl_worker *w = malloc(sizeof *w);
        if (!w)
            return;
        *w = (pl_worker){p, s};
        if (pthread_create(&p->threads[i], NULL, work, w) != 0) {
            free(w);
            return;
        }
        p->started++;
    }
}

/* The feeder decides the oldest queued chunk itself when more than `spare`
 * are waiting. false when no chunk was taken. */
static bool take(pl_pool *p, unsigned long long spare)
{
    pthread_mutex_lock(&p->lock);
    bool take = p->filled - p->taken > spare;
    pl_chunk *c = &p->slots[p->taken % p->slot_count];
    if (take)
        p->taken++;
    pthread_mutex_unlock(&p->lock);
    if (!take)
        return false;
    decide_chunk(&p->opt, p->feeder, c);
    pthread_mutex_lock(&p->lock);
    c->done = true;
    pthread_mutex_unlock(&p->lock);
    return true;
}

/* Writes the oldest chunk if it is done (or, with `wait`, once it is). false on a write error. */
static bool write_oldest(pl_pool *p, FILE *sink, bool wait, bool *wrote)
{
    *wrote = false;
    pl_chunk *c = &p->slots[p->written % p->slot_count];
    pthread_mutex_lock(&p->lock);
    while (wait && p->written < p->filled && !c->done)
        pthread_cond_wait(&p->finished, &p->lock);
    bool ready = p->written < p->filled && c->done;
    pthread_mutex_unlock(&p->lock);
    if (!ready)
        return true;
    bool ok = true;
    if (!p->failed) {
        /* Nothing after a chunk that ran out of memory is written, as the serial path stops there. */
        ok = !c->out.failed && ob_flush(&c->out, sink);
        p->lines += c->lines;
        p->rejected |= c->rejected;
        p->failed |= c->failed;
    }
    c->out.len = 0;
    c->len = 0;
    c->long_lines = c->lines = 0;
    c->rejected = c->failed = c->done = false;
    if (c->cap > CHUNK_KEEP) {
        free(c->text);
        c->text = NULL;
        c->cap = 0;
    }
    if (c->out.cap > CHUNK_KEEP)
        ob_free(&c->out);
    pthread_mutex_lock(&p->lock);
    p->written++;
    pthread_mutex_unlock(&p->lock);
    *wrote = true;
    return ok;
}

/* Queues the slot being filled; `last`: no chunk follows this one. */
static bool queue_chunk(pl_pool *p, FILE *sink, bool last)
{
    if (!p->started && !p->filled && !last)
        start(p);
    pthread_mutex_lock(&p->lock);
    p->filled++;
    pthread_cond_signal(&p->queued);
    pthread_mutex_unlock(&p->lock);
    while (take(p, p->started * SPARE_PER_WORKER))
        ;
    bool wrote = true, ok = true;
    while (ok && wrote && p->written < p->filled)
        ok = write_oldest(p, sink, false, &wrote);
    return ok && !p->failed;
}

/* Room for n bytes in a slot's text (and JR_PADDING spare bytes after them). */
static bool reserve_text(pl_chunk *c, size_t n)
{
    if (c->cap >= n)
        return true;
    size_t cap = c->cap ? c->cap : CHUNK_BYTES;
    while (cap < n) {
        if (cap > (SIZE_MAX - JR_PADDING) / 2)
            return false;
        cap *= 2;
    }
    char *t = realloc(c->text, cap + JR_PADDING);
    if (!t)
        return false;
    c->text = t;
    c->cap = cap;
    return true;
}

char *pl_room(pl_pool *p, size_t *room)
{
    pl_chunk *c = &p->slots[p->filled % p->slot_count];
    if (!reserve_text(c, c->len + 1))
        return NULL;
    *room = c->cap - c->len;
    return c->text + c->len;
}

/* The slot being filled is full. Its whole lines are queued and the partial
 * line after them is carried to the next slot; a slot that is one partial
 * line grows for it, up to `hold` bytes, past which the line is dropped. */
static bool full(pl_pool *p, pl_chunk *c, FILE *sink)
{
    char *nl = memrchr(c->text, '\n', c->len);
    if (!nl) {
        if (c->len >= p->opt.hold) {
            p->skipping = true;
            p->skipped_blank = bt_blank(c->text, c->len);
            c->len = 0;
            return true;
        }
        size_t cap = c->cap * 2 < p->opt.hold ? c->cap * 2 : p->opt.hold;
        char *t = realloc(c->text, cap + JR_PADDING);
        if (!t)
            return false;
        c->text = t;
        c->cap = cap;
        return true;
    }
    /* The next slot is taken until its chunk is written. */
    bool ok = true, wrote;
    while (ok && p->filled + 1 - p->written >= p->slot_count)
        ok = write_oldest(p, sink, true, &wrote);
    pl_chunk *next = &p->slots[(p->filled + 1) % p->slot_count];
    size_t keep = (size_t)(nl + 1 - c->text), tail = c->len - keep;
    if (!ok || !reserve_text(next, tail + 1))
        return false;
    memcpy(next->text, c->text + keep, tail);
    next->len = tail;
    c->len = keep;
    return queue_chunk(p, sink, false);
}

bool pl_fill(pl_pool *p, size_t got, FILE *sink)
{
    pl_chunk *c = &p->slots[p->filled % p->slot_count];
    bool eof = got == 0;
    if (p->skipping) {
        /* What is read goes to the front of the slot, which holds nothing else. */
        char *nl = memchr(c->text, '\n', got);
        size_t end = nl ? (size_t)(nl - c->text) : got;
        p->skipped_blank = p->skipped_blank && bt_blank(c->text, end);
        if (!nl && !eof)
            return true;
        p->skipping = false;
        if (!p->skipped_blank) /* a blank line gets no result, however long */
            c->long_lines++;
        if (nl) {
            got -= end + 1;
            memmove(c->text, nl + 1, got);
        }
    }
    c->len += got;
    if (eof) {
        if (c->len && c->text[c->len - 1] != '\n')
            c->text[c->len++] = '\n'; /* a last line without one; there is room, as the slot is not full */
        return true;
    }
    return c->len < c->cap || full(p, c, sink);
}

bool pl_finish(pl_pool *p, FILE *sink)
{
    bool ok = true, wrote;
    pl_chunk *c = &p->slots[p->filled % p->slot_count];
    if (c->len || c->long_lines)
        ok = queue_chunk(p, sink, true);
    while (take(p, 0))
        ;
    while (ok && p->written < p->filled)
        ok = write_oldest(p, sink, true, &wrote);
    stop(p);
    return ok && !p->failed;
}

bool pl_rejected(const pl_pool *p)
{
    return p->rejected;
}

bool pl_failed(const pl_pool *p)
{
    return p->failed;
}

uint64_t pl_lines(const pl_pool *p)
{
    return p->lines;
}
