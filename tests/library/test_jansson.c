/*
 * Records given as jansson objects (regel_eval_jansson, inline in regel.h
 * when <jansson.h> comes first) decide exactly as the same records given as
 * text. Usage: test_library_jansson RULESET CASES.jsonl
 */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <regel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_library_jansson RULESET CASES.jsonl\n");
        return 2;
    }
    regel_ruleset *rs;
    regel_session *s;
    if (regel_ruleset_load(argv[1], NULL, NULL, &rs) != REGEL_OK || regel_session_new(rs, &s) != REGEL_OK)
        return 1;
    FILE *f = fopen(argv[2], "r");
    if (!f)
        return 1;
    char *line = NULL;
    size_t cap = 0, count = 0, failures = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        json_error_t error;
        json_t *record = json_loads(line, 0, &error);
        regel_result *as_text, *as_object;
        if (!record || regel_eval(s, line, (size_t)len, &as_text) != REGEL_OK ||
            regel_eval_jansson(s, record, &as_object) != REGEL_OK) {
            fprintf(stderr, "record %zu could not be decided\n", count + 1);
            return 1;
        }
        if (strcmp(regel_result_line(as_text, NULL), regel_result_line(as_object, NULL)) != 0) {
            fprintf(stderr, "record %zu:\n  as text:   %s\n  as object: %s\n", count + 1,
                    regel_result_line(as_text, NULL), regel_result_line(as_object, NULL));
            failures++;
        }
        regel_result_free(as_text);
        regel_result_free(as_object);
        json_decref(record);
        count++;
    }
    /* Not an object: the library answers with an error record, as for text. */
    json_t *array = json_array();
    regel_result *r = NULL;
    if (regel_eval_jansson(s, array, &r) != REGEL_OK || regel_result_outcome(r) != REGEL_REJECTED)
        failures++;
    regel_result_free(r);
    json_decref(array);
    if (regel_eval_jansson(s, NULL, &r) != REGEL_ERROR_ARGUMENT)
        failures++;
    free(line);
    fclose(f);
    regel_session_free(s);
    regel_ruleset_free(rs);
    if (count == 0 || failures) {
        fprintf(stderr, "%zu of %zu records differ\n", failures, count);
        return 1;
    }
    printf("%zu records decide the same as jansson objects and as text\n", count);
    return 0;
}
