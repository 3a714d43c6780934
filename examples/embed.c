/*
 * embed: how a case system embeds regel. It loads a ruleset, decides the case
 * records of a JSON Lines file, writes each result line to standard output
 * (the same lines `regel eval` writes) and a one-line summary of each record
 * to standard error, taken from the result's fields.
 *
 * Build against an installed regel:
 *     cc $(pkg-config --cflags --libs regel) -o embed examples/embed.c
 *     ./embed /usr/local/share/regel/rulesets/lss-personlig-assistans cases.jsonl
 */
#define _POSIX_C_SOURCE 200809L

#include <regel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rule-file errors arrive here while the ruleset loads; print them as `regel check` does. */
static void print_diagnostic(void *context, const regel_diagnostic *d)
{
    (void)context;
    size_t len = regel_diagnostic_format(d, NULL, 0);
    char *text = malloc(len + 1);
    if (text && regel_diagnostic_format(d, text, len + 1) == len)
        fputs(text, stderr);
    else
        fprintf(stderr, "%s:%u:%u: %s\n", regel_diagnostic_path(d) ? regel_diagnostic_path(d) : "regel",
                regel_diagnostic_line(d), regel_diagnostic_column(d), regel_diagnostic_message(d));
    free(text);
}

/* One line of the summary: the key, then the decision or the error. */
static void summarise(const regel_result *r)
{
    const char *key = regel_result_key(r);
    fprintf(stderr, "%s: ", key ? key : "(no id)");
    if (regel_result_outcome(r) == REGEL_REJECTED) {
        const char *field = regel_result_error_field(r);
        fprintf(stderr, "rejected: %s%s%s\n", field ? field : "", field ? ": " : "", regel_result_error_message(r));
        return;
    }
    fprintf(stderr, "decided under the rules of %s by %zu rules", regel_result_rules_version(r),
            regel_result_fired_count(r));
    /* The result fields are whatever the ruleset's output declaration names;
     * print the true ones and the whole numbers as examples of reading them. */
    const regel_value *object = regel_result_object(r);
    for (size_t i = 0; i < regel_value_count(object); i++) {
        const regel_value *v = regel_value_item(object, i);
        int flag;
        int64_t number;
        if (regel_value_bool(v, &flag) == REGEL_OK && flag)
            fprintf(stderr, "; %s", regel_value_key(object, i));
        else if (regel_value_int(v, &number) == REGEL_OK)
            fprintf(stderr, "; %s %lld", regel_value_key(object, i), (long long)number);
    }
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: embed RULESET CASES.jsonl\n");
        return 2;
    }
    regel_ruleset *rules;
    regel_status st = regel_ruleset_load(argv[1], print_diagnostic, NULL, &rules);
    if (st != REGEL_OK) {
        fprintf(stderr, "embed: %s: %s\n", argv[1], regel_status_message(st));
        return 2;
    }
    fprintf(stderr, "libregel %s, %zu rule versions, the newest of %s\n", regel_version(),
            regel_ruleset_version_count(rules),
            regel_ruleset_version_date(rules, regel_ruleset_version_count(rules) - 1));
    FILE *in = fopen(argv[2], "r");
    regel_session *session = NULL;
    if (!in || regel_session_new(rules, &session) != REGEL_OK) {
        fprintf(stderr, "embed: cannot read %s or out of memory\n", argv[2]);
        if (in)
            fclose(in);
        regel_ruleset_free(rules);
        return 2;
    }
    int status = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        regel_result *result;
        st = regel_eval(session, line, (size_t)len, &result);
        if (st != REGEL_OK) {
            fprintf(stderr, "embed: %s\n", regel_status_message(st));
            status = 2;
            break;
        }
        size_t n;
        const char *text = regel_result_line(result, &n);
        fwrite(text, 1, n, stdout);
        fputc('\n', stdout);
        summarise(result);
        if (regel_result_outcome(result) == REGEL_REJECTED && status == 0)
            status = 1;
        regel_result_free(result);
    }
    free(line);
    fclose(in);
    regel_session_free(session);
    regel_ruleset_free(rules);
    return status;
}
