/*
 * The public API of the analyst's tools (include/regel.h): the rule tests
 * beside a ruleset (ruletest.c, `regel test`) and the canonical layout of
 * rule files (format.c, `regel fmt`).
 */
#include "regel_api.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "ruletest.h"

regel_status regel_test_run(const regel_ruleset *rs, const char *dir, const regel_test_options *options, FILE *out,
                            regel_test_totals *totals)
{
    if (totals)
        *totals = (regel_test_totals){0, 0, 0};
    regel_test_options given;
    const regel_test_options *o = &given;
    if (!rs || !api_options(&given, sizeof given, options) || !out || (o->file_count && !o->files))
        return REGEL_ERROR_ARGUMENT;
    char *own_dir = NULL;
    if (!dir) {
        const char *path = rs->rs->path;
        size_t n = strlen(path);
        if (!(own_dir = malloc(n + sizeof "/tests")))
            return REGEL_ERROR_MEMORY;
        snprintf(own_dir, n + sizeof "/tests", "%s%stests", path, n && path[n - 1] == '/' ? "" : "/");
        dir = own_dir;
    }
    api_forward f = {o->on_diagnostic, o->context};
    diag_sink sink = {.fn = api_forward_diagnostic, .ctx = &f, .cap = o->max_errors};
    rt_suite *suite = rt_load(rs->rs, dir, o->files, o->file_count, &sink);
    free(own_dir);
    if (!suite) {
        if (totals)
            totals->file_errors = sink.errors;
        return sink.errors ? REGEL_ERROR_RULESET : REGEL_ERROR_MEMORY;
    }
    rt_options opt = {.coverage = o->flags & REGEL_TEST_COVERAGE, .verbose = o->flags & REGEL_TEST_VERBOSE};
    ob_buf report = {0};
    rt_totals t = {0, 0};
    regel_status status = rt_run(suite, &opt, &report, &t) ? REGEL_OK : REGEL_ERROR_MEMORY;
    if (status == REGEL_OK && opt.coverage)
        rt_write_coverage(suite, &report);
    if (report.failed && status == REGEL_OK)
        status = REGEL_ERROR_MEMORY;
    if ((!ob_flush(&report, out) || fflush(out) != 0) && status == REGEL_OK)
        status = REGEL_ERROR_IO;
    ob_free(&report);
    rt_free(suite);
    if (totals)
        *totals = (regel_test_totals){t.passed, t.failed, 0};
    return status;
}

regel_status regel_format(const char *name, const char *text, size_t length, const regel_load_options *options,
                          regel_diagnostic_counts *counts, char **out, size_t *out_length)
{
    if (counts)
        *counts = (regel_diagnostic_counts){0, 0, 0};
    if (!out || !out_length)
        return REGEL_ERROR_ARGUMENT;
    *out = NULL;
    *out_length = 0;
    regel_load_options o = REGEL_LOAD_OPTIONS_INIT;
    if (!name || (!text && length) || (options && !api_options(&o, sizeof o, options)))
        return REGEL_ERROR_ARGUMENT;
    api_forward f = {o.on_diagnostic, o.context};
    diag_sink sink = {.fn = api_forward_diagnostic, .ctx = &f, .cap = o.max_errors};
    ob_buf formatted = {0};
    fmt_status st = fmt_format(name, text ? text : "", length, &sink, &formatted);
    api_counts(&sink, counts);
    if (st == FMT_OK && formatted.failed)
        st = FMT_NO_MEMORY;
    if (st != FMT_OK) {
        ob_free(&formatted);
        return st == FMT_NO_MEMORY ? REGEL_ERROR_MEMORY : REGEL_ERROR_RULESET;
    }
    /* The caller frees the text with regel_free, so it must be malloc's own
     * block: an empty file still gets one. */
    *out_length = formatted.len;
    *out = formatted.data ? formatted.data : malloc(1);
    if (!*out)
        return REGEL_ERROR_MEMORY;
    return REGEL_OK;
}
