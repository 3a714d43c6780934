/*
 * regel fmt [--check] PATH...: rewrites rule files in the canonical layout
 * (format.c). A directory stands for the *.regel files under it; `-` formats
 * standard input to standard output, for editors. A file is rewritten only
 * when its layout changes, through a temporary file renamed into place, so
 * an interrupted run leaves every file either old or new. With --check
 * nothing is written: the files that are not formatted are listed on
 * standard output and the exit status is 1, for CI.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_diag.h"

static const char synopsis[] = "fmt [--check] FILE|DIRECTORY|-...";
static const char options[] =
    "Rewrites rule files in the canonical layout; a directory stands for the\n"
    "*.regel files under it, - for standard input (written to standard output).\n\n"
    "options:\n"
    "  --check               write nothing; list the files that are not formatted\n"
    "                        and exit 1 if there are any\n" CLI_DIAG_HELP
    "  -h, --help            show this help\n";

typedef struct fmt_run {
    bool check;
    unsigned unformatted, failed, files;
} fmt_run;

static char *read_all(FILE *in, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, in);
        if (n < cap)
            break;
        char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (!bigger) {
            free(buf);
            return NULL;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf && ferror(in)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Replaces `path` by `data`, keeping its permissions. */
static bool write_atomically(const char *path, const char *data, size_t len)
{
    struct stat st;
    size_t n = strlen(path) + 16;
    char *temp = malloc(n);
    if (!temp || stat(path, &st) != 0) {
        free(temp);
        return false;
    }
    snprintf(temp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(temp);
    FILE *out = fd < 0 ? NULL : fdopen(fd, "wb");
    bool ok = out && fchmod(fd, st.st_mode & 07777) == 0 && fwrite(data, 1, len, out) == len;
    if (out)
        ok = fclose(out) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    if (ok)
        ok = rename(temp, path) == 0;
    if (!ok && fd >= 0)
        unlink(temp);
    free(temp);
    return ok;
}

static void format_one(fmt_run *run, const char *path)
{
    bool from_stdin = strcmp(path, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(path, "rb");
    size_t len = 0;
    char *text = in ? read_all(in, &len) : NULL;
    if (in && !from_stdin)
        fclose(in);
    if (!text) {
        fprintf(stderr, "regel fmt: cannot read '%s': %s\n", path, in ? "read error or out of memory" : strerror(errno));
        run->failed++;
        return;
    }
    run->files++;
    regel_load_options o = REGEL_LOAD_OPTIONS_INIT;
    o.on_diagnostic = cli_print_diag;
    o.max_errors = CLI_MAX_ERRORS;
    regel_diagnostic_counts counts;
    char *out = NULL;
    size_t out_len = 0;
    const char *name = from_stdin ? "<stdin>" : path;
    regel_status st = regel_format(name, text, len, &o, &counts, &out, &out_len);
    if (st != REGEL_OK) {
        if (st == REGEL_ERROR_MEMORY)
            fprintf(stderr, "regel fmt: out of memory formatting '%s'\n", name);
        else
            cli_diag_summary(name, &counts);
        run->failed++;
    } else if (from_stdin && !run->check) {
        if (out_len != len || memcmp(out, text, len) != 0)
            run->unformatted++;
        if (fwrite(out, 1, out_len, stdout) != out_len) {
            fprintf(stderr, "regel fmt: cannot write the output\n");
            run->failed++;
        }
    } else if (out_len != len || memcmp(out, text, len) != 0) {
        run->unformatted++;
        if (run->check) {
            printf("%s\n", name);
        } else if (!write_atomically(path, out, out_len)) {
            fprintf(stderr, "regel fmt: cannot write '%s': %s\n", path, strerror(errno));
            run->failed++;
        }
    }
    regel_free(out);
    free(text);
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The *.regel files under a directory, in name order, depth first. */
static void format_directory(fmt_run *run, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "regel fmt: cannot open '%s': %s\n", dir, strerror(errno));
        run->failed++;
        return;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **more = realloc(names, cap * sizeof *names);
            if (!more)
                break;
            names = more;
        }
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[count] = malloc(n)))
            break;
        snprintf(names[count++], n, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
            format_directory(run, names[i]);
        else if (has_suffix(names[i], ".regel"))
            format_one(run, names[i]);
        free(names[i]);
    }
    free(names);
}

int cmd_fmt(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"check", no_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    fmt_run run = {0};
    if ((argc = cli_diag_option(argc, argv)) < 0)
        return EXIT_USAGE;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': run.check = true; break;
        case 'h': cli_usage(true, synopsis, options); return EXIT_OK;
        default: cli_usage(false, synopsis, options); return EXIT_USAGE;
        }
    }
    if (optind == argc) {
        cli_usage(false, synopsis, options);
        return EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            format_directory(&run, argv[i]);
        else
            format_one(&run, argv[i]);
    }
    if (run.check && run.unformatted)
        fprintf(stderr, "regel fmt: %u of %u file(s) not formatted; `regel fmt FILE...` formats them\n",
                run.unformatted, run.files);
    if (run.failed)
        return EXIT_USAGE;
    return run.check && run.unformatted ? EXIT_REJECTED : EXIT_OK;
}
