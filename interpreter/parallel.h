/*
 * Parallel batches: a JSON Lines input is read straight into chunks of
 * 64 KiB, each cut after a line's newline; each chunk is split into lines
 * and decided by one of N threads, the one that feeds the pool and N - 1
 * workers (each with its own bt_session, so nothing mutable is shared
 * but the queue), and the chunks' results are written in input order by the
 * feeding thread. The output is byte for byte what one session deciding the
 * lines in order would write, whatever N, and memory stays bounded: at most a
 * fixed number of chunks per thread are in flight.
 */
#ifndef REGEL_PARALLEL_H
#define REGEL_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "ruleset.h"

typedef struct pl_pool pl_pool;

typedef struct pl_options {
    unsigned jobs;            /* threads that decide, the calling one included; at least 1 */
    size_t max_depth;         /* bt_session_new */
    unsigned flags;           /* bt_session_set (BT_*) */
    uint64_t max_steps;       /* bt_session_limit; 0 keeps the default */
    size_t max_line;          /* a longer line gets an error record, as in the serial path */
    size_t hold;              /* a line of this many bytes or more (before its newline) is not held:
                               * only whether it is blank is kept, as the serial reader does */
} pl_options;

/* The number of processors this process may run on (at least 1). */
unsigned pl_default_jobs(void);

/* A pool whose workers start when a second chunk of input comes: an input
 * of one chunk is decided by the calling thread alone. It decides its share
 * with `feeder`, a session set as o->flags say. NULL when memory ran out. */
pl_pool *pl_new(const ruleset *rs, const pl_options *o, bt_session *feeder);
/* Where the next bytes of input are to be read, straight into the chunk
 * being filled, and how many at most (at least one). NULL when memory ran out. */
char *pl_room(pl_pool *p, size_t *room);
/* Takes the `got` bytes read at pl_room's place; 0 is the end of the input,
 * after which only pl_finish may come. A full chunk is queued, and the
 * calling thread decides a queued chunk itself while enough others wait;
 * writes the results of finished chunks to `sink` as they come,
 * in order. false when memory ran out or a write failed. */
bool pl_fill(pl_pool *p, size_t got, FILE *sink);
/* Decides what is left and writes every remaining result. false as above. */
bool pl_finish(pl_pool *p, FILE *sink);
/* After pl_finish: some line got an error record (rejected), or memory ran
 * out while deciding one (failed). */
bool pl_rejected(const pl_pool *p);
bool pl_failed(const pl_pool *p);
/* After pl_finish: the input lines read, blank ones included, as the serial
 * path counts them (a blank line too long to hold is not counted). */
uint64_t pl_lines(const pl_pool *p);
/* Stops the workers and frees everything; results not yet written are lost. */
void pl_free(pl_pool *p);

#endif
