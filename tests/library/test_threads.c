/*
 * One compiled ruleset, many threads: each thread has its own session and
 * decides every record, with its trace, starting at a different record, and
 * every result line must equal the one a single thread wrote. Usage:
 *     test_library_threads RULESET CASES.jsonl...
 */
#define _POSIX_C_SOURCE 200809L

#include <regel.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 8, ROUNDS = 3 };

static const regel_ruleset *rules;
static char **records, **expected;
static size_t record_count;

typedef struct worker {
    size_t first;
    size_t mismatches;
    int failed;
} worker;

static char *decide(regel_session *s, const char *record)
{
    regel_result *r;
    if (regel_eval(s, record, strlen(record), &r) != REGEL_OK)
        return NULL;
    char *line = strdup(regel_result_line(r, NULL));
    regel_result_free(r);
    return line;
}

static void *work(void *arg)
{
    worker *w = arg;
    regel_session *s;
    if (regel_session_new(rules, &s) != REGEL_OK || regel_session_set_trace(s, 1) != REGEL_OK) {
        w->failed = 1;
        return NULL;
    }
    for (size_t round = 0; round < ROUNDS; round++)
        for (size_t k = 0; k < record_count; k++) {
            size_t i = (w->first + k) % record_count;
            char *line = decide(s, records[i]);
            if (!line)
                w->failed = 1;
            else if (strcmp(line, expected[i]) != 0)
                w->mismatches++;
            free(line);
        }
    regel_session_free(s);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_library_threads RULESET CASES.jsonl...\n");
        return 2;
    }
    regel_ruleset *rs;
    if (regel_ruleset_load(argv[1], NULL, NULL, &rs) != REGEL_OK) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    rules = rs;
    size_t cap = 0;
    for (int a = 2; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            fprintf(stderr, "cannot read %s\n", argv[a]);
            return 1;
        }
        char *line = NULL;
        size_t n = 0;
        ssize_t len;
        while ((len = getline(&line, &n, f)) > 0) {
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            if (len == 0)
                continue;
            if (record_count == cap) {
                cap = cap ? cap * 2 : 256;
                records = realloc(records, cap * sizeof *records);
                if (!records)
                    return 1;
            }
            records[record_count++] = strdup(line);
        }
        free(line);
        fclose(f);
    }
    /* The reference: one thread, in order. */
    expected = calloc(record_count, sizeof *expected);
    regel_session *s;
    if (!expected || regel_session_new(rules, &s) != REGEL_OK || regel_session_set_trace(s, 1) != REGEL_OK)
        return 1;
    size_t rejected = 0;
    for (size_t i = 0; i < record_count; i++) {
        if (!(expected[i] = decide(s, records[i])))
            return 1;
        rejected += strstr(expected[i], "\"error\"") != NULL;
    }
    regel_session_free(s);

    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (size_t t = 0; t < THREADS; t++) {
        workers[t] = (worker){.first = t * record_count / THREADS};
        if (pthread_create(&threads[t], NULL, work, &workers[t]) != 0)
            return 1;
    }
    int status = 0;
    for (size_t t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        if (workers[t].failed || workers[t].mismatches) {
            fprintf(stderr, "thread %zu: %s, %zu results differ from the single-threaded run\n", t,
                    workers[t].failed ? "failed" : "ran", workers[t].mismatches);
            status = 1;
        }
    }
    if (status == 0)
        printf("%d threads x %d rounds x %zu records (%zu error records) agree with one thread\n", THREADS, ROUNDS,
               record_count, rejected);
    for (size_t i = 0; i < record_count; i++) {
        free(records[i]);
        free(expected[i]);
    }
    free(records);
    free(expected);
    regel_ruleset_free(rs);
    return status;
}
