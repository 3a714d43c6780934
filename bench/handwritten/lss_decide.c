/*
 * The hand-written baseline of the benchmark: the LSS rules of
 * shared/spec/lss-cases.md decided with plain ifs over jansson, the way a C
 * programmer would write them without regel. It reads the same JSON Lines,
 * validates the same fields and writes the same result lines (without
 * `fired`: a hand-written program has no rule ids to report), so its rate
 * can be set beside `regel eval` on the same corpus.
 *
 *   lss_decide [--parse-only] [FILE|-]
 *
 * --parse-only parses every line with jansson and touches every field but
 * decides nothing: the floor of this program, as bench/floor is regel's.
 *
 * This file is deliberately what regel exists to replace: every date, age
 * limit and table of the law is a constant in C, and a new rule version is a
 * change to this code. It lives in bench/ only as a point of comparison.
 *
 * Where it differs from regel, as such a program would: numbers are read by
 * jansson, so `longest_break_hours` is a double (a spelling finer than a
 * double, such as 12.000000000000000000000000000001, compares as 12), an
 * integer too large for 64 bits makes the whole line "not JSON", and a
 * duplicate key is a parse error of the whole line (field null).
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ dates */

typedef struct ymd {
    int y, m, d;
} ymd;

static bool is_leap(int y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

static bool parse_date(const char *s, size_t len, ymd *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *out = (ymd){y, m, d};
    return true;
}

static int cmp_date(ymd a, ymd b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return (a.d > b.d) - (a.d < b.d);
}

/* Whole years on `day`; someone born on 29 February has birthdays on 28 February in common years. */
static int age_on(ymd birth, ymd day)
{
    int bd = birth.d;
    if (birth.m == 2 && birth.d == 29 && !is_leap(day.y))
        bd = 28;
    int before = day.m < birth.m || (day.m == birth.m && day.d < bd);
    return day.y - birth.y - before;
}

/* The age reached in the month of `day` (förordning 1993:1091 4 a §). */
static int month_age(ymd birth, ymd day)
{
    return day.y - birth.y - (day.m < birth.m);
}

/* ------------------------------------------------------------------ the record */

enum { MAX_NEEDS = 256 };

enum kind {
    ANDNING, PERSONLIG_HYGIEN, MALTIDER, PAKLADNING, KOMMUNIKATION, PSYKISK_SKADA, MEDICINSKT_TILLSTAND,
    FORFLYTTNING, MATLAGNING, INKOP, STAD_TVATT, FRITID, BOENDE, TRANING, MEDICINERING, OVRIGT, KIND_COUNT
};
static const char *const kind_names[KIND_COUNT] = {
    "andning", "personlig_hygien", "maltider", "pakladning", "kommunikation", "psykisk_skada",
    "medicinskt_tillstand", "forflyttning", "matlagning", "inkop", "stad_tvatt", "fritid", "boende",
    "traning", "medicinering", "ovrigt"};

typedef struct need {
    enum kind kind;
    long minutes, assistants;
    bool integrity_sensitive, tube_feeding, special_knowledge, activation_motivation, documented_risk, exempt_related;
    double longest_break_hours;
} need;

typedef struct lss_case {
    const char *id;
    ymd decision, application, birth;
    long personkrets;
    bool lasting, insured, mental, double_investigated;
    long granted_before, share_basic, share_other;
    need needs[MAX_NEEDS];
    size_t need_count;
} lss_case;

typedef struct problem {
    char field[96];
    const char *message;
} problem;

static bool fail(problem *p, const char *field, const char *message)
{
    snprintf(p->field, sizeof p->field, "%s", field);
    p->message = message;
    return false;
}

static bool get_bool(json_t *v, const char *path, bool *out, problem *p)
{
    if (!json_is_boolean(v))
        return fail(p, path, "expected a boolean");
    *out = json_is_true(v);
    return true;
}

static bool get_int(json_t *v, const char *path, long lo, long hi, long *out, problem *p)
{
    if (!json_is_integer(v))
        return fail(p, path, "expected an integer");
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi)
        return fail(p, path, "out of range");
    *out = (long)n;
    return true;
}

static bool get_date(json_t *v, const char *path, ymd *out, problem *p)
{
    if (!json_is_string(v))
        return fail(p, path, "expected a string");
    if (!parse_date(json_string_value(v), json_string_length(v), out))
        return fail(p, path, "not a valid date");
    return true;
}

static bool read_need(json_t *item, size_t index, need *n, problem *p)
{
    char path[96];
    if (!json_is_object(item)) {
        snprintf(path, sizeof path, "needs[%zu]", index);
        return fail(p, path, "expected an object");
    }
    *n = (need){.kind = KIND_COUNT, .minutes = -1, .assistants = 1, .longest_break_hours = 24};
    const char *key;
    json_t *v;
    json_object_foreach(item, key, v) {
        snprintf(path, sizeof path, "needs[%zu].%s", index, key);
        bool ok;
        if (strcmp(key, "kind") == 0) {
            if (!json_is_string(v))
                return fail(p, path, "expected a string");
            int k = 0;
            while (k < KIND_COUNT && strcmp(kind_names[k], json_string_value(v)) != 0)
                k++;
            if (k == KIND_COUNT || strlen(json_string_value(v)) != json_string_length(v))
                return fail(p, path, "unknown kind");
            n->kind = (enum kind)k;
            ok = true;
        } else if (strcmp(key, "minutes_per_week") == 0)
            ok = get_int(v, path, 0, 10080, &n->minutes, p);
        else if (strcmp(key, "assistants") == 0)
            ok = get_int(v, path, 1, 4, &n->assistants, p);
        else if (strcmp(key, "integrity_sensitive") == 0)
            ok = get_bool(v, path, &n->integrity_sensitive, p);
        else if (strcmp(key, "tube_feeding") == 0)
            ok = get_bool(v, path, &n->tube_feeding, p);
        else if (strcmp(key, "special_knowledge") == 0)
            ok = get_bool(v, path, &n->special_knowledge, p);
        else if (strcmp(key, "activation_motivation") == 0)
            ok = get_bool(v, path, &n->activation_motivation, p);
        else if (strcmp(key, "documented_risk") == 0)
            ok = get_bool(v, path, &n->documented_risk, p);
        else if (strcmp(key, "exempt_related") == 0)
            ok = get_bool(v, path, &n->exempt_related, p);
        else if (strcmp(key, "longest_break_hours") == 0) {
            if (!json_is_number(v))
                return fail(p, path, "expected a number");
            n->longest_break_hours = json_number_value(v);
            if (n->longest_break_hours < 0 || n->longest_break_hours > 24)
                return fail(p, path, "out of range");
            ok = true;
        } else
            return fail(p, path, "unknown field");
        if (!ok)
            return false;
    }
    if (n->kind == KIND_COUNT) {
        snprintf(path, sizeof path, "needs[%zu].kind", index);
        return fail(p, path, "missing required field");
    }
    if (n->minutes < 0) {
        snprintf(path, sizeof path, "needs[%zu].minutes_per_week", index);
        return fail(p, path, "missing required field");
    }
    return true;
}

static bool read_case(json_t *root, lss_case *c, problem *p)
{
    enum { ID = 1, DECISION = 2, APPLICATION = 4, BIRTH = 8, KRETS = 16, LASTING = 32, NEEDS = 64 };
    unsigned seen = 0;
    c->insured = true;
    c->mental = c->double_investigated = false;
    c->granted_before = c->share_basic = c->share_other = 0;
    c->need_count = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        bool ok;
        if (strcmp(key, "id") == 0) {
            if (!json_is_string(v))
                return fail(p, key, "expected a string");
            c->id = json_string_value(v);
            ok = true;
            seen |= ID;
        } else if (strcmp(key, "decision_date") == 0) {
            ok = get_date(v, key, &c->decision, p);
            seen |= DECISION;
        } else if (strcmp(key, "application_date") == 0) {
            ok = get_date(v, key, &c->application, p);
            seen |= APPLICATION;
        } else if (strcmp(key, "birth_date") == 0) {
            ok = get_date(v, key, &c->birth, p);
            seen |= BIRTH;
        } else if (strcmp(key, "personkrets") == 0) {
            ok = get_int(v, key, 0, 3, &c->personkrets, p);
            seen |= KRETS;
        } else if (strcmp(key, "lasting") == 0) {
            ok = get_bool(v, key, &c->lasting, p);
            seen |= LASTING;
        } else if (strcmp(key, "insured_in_sweden") == 0)
            ok = get_bool(v, key, &c->insured, p);
        else if (strcmp(key, "mental_disability") == 0)
            ok = get_bool(v, key, &c->mental, p);
        else if (strcmp(key, "granted_minutes_before") == 0)
            ok = get_int(v, key, 0, 40320, &c->granted_before, p);
        else if (strcmp(key, "double_assistance_investigated") == 0)
            ok = get_bool(v, key, &c->double_investigated, p);
        else if (strcmp(key, "parental_share_basic_minutes") == 0)
            ok = get_int(v, key, 0, 10080, &c->share_basic, p);
        else if (strcmp(key, "parental_share_other_minutes") == 0)
            ok = get_int(v, key, 0, 10080, &c->share_other, p);
        else if (strcmp(key, "needs") == 0) {
            if (!json_is_array(v))
                return fail(p, key, "expected an array");
            if (json_array_size(v) > MAX_NEEDS)
                return fail(p, key, "too many needs");
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) {
                if (!read_need(item, i, &c->needs[i], p))
                    return false;
            }
            c->need_count = json_array_size(v);
            ok = true;
            seen |= NEEDS;
        } else
            return fail(p, key, "unknown field");
        if (!ok)
            return false;
    }
    static const struct {
        unsigned bit;
        const char *name;
    } required[] = {{ID, "id"}, {DECISION, "decision_date"}, {APPLICATION, "application_date"}, {BIRTH, "birth_date"},
                    {KRETS, "personkrets"}, {LASTING, "lasting"}, {NEEDS, "needs"}};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!(seen & required[i].bit))
            return fail(p, required[i].name, "missing required field");
    if (cmp_date(c->application, c->decision) > 0)
        return fail(p, "application_date", "after the decision date");
    if (cmp_date(c->birth, c->application) > 0)
        return fail(p, "birth_date", "after the application date");
    if (cmp_date(c->decision, (ymd){2020, 7, 1}) < 0)
        return fail(p, "decision_date", "before the oldest rule version");
    return true;
}

/* ------------------------------------------------------------------ the rules */

typedef struct result {
    const char *version;
    bool eligible;
    const char *payer;
    long basic, other, deduction_basic, deduction_other, granted;
} result;

static bool is_basic(const lss_case *c, const need *n, bool from_2023)
{
    bool activation = from_2023 && n->activation_motivation && c->mental;
    switch (n->kind) {
    case ANDNING: return n->documented_risk;
    case PERSONLIG_HYGIEN:
    case PAKLADNING: return n->integrity_sensitive || activation;
    case MALTIDER: return n->tube_feeding || n->integrity_sensitive || activation;
    case KOMMUNIKATION: return n->special_knowledge || activation;
    case PSYKISK_SKADA: return c->mental && n->documented_risk;
    case MEDICINSKT_TILLSTAND: return from_2023 && n->documented_risk && n->longest_break_hours <= 12;
    default: return false;
    }
}

static bool is_exempt(const need *n, bool basic)
{
    if (basic)
        return n->kind == ANDNING || n->kind == MEDICINSKT_TILLSTAND || (n->kind == MALTIDER && n->tube_feeding);
    return n->exempt_related;
}

static void decide(const lss_case *c, result *r)
{
    bool from_2023 = cmp_date(c->decision, (ymd){2023, 1, 1}) >= 0;
    bool from_2025 = cmp_date(c->decision, (ymd){2025, 1, 1}) >= 0;
    bool from_2026 = cmp_date(c->decision, (ymd){2026, 1, 1}) >= 0;
    r->version = from_2026 ? "2026-01-01" : from_2025 ? "2025-01-01" : from_2023 ? "2023-01-01" : "2020-07-01";

    long basic_exempt = 0, basic_rest = 0, other_exempt = 0, other_rest = 0;
    for (size_t i = 0; i < c->need_count; i++) {
        const need *n = &c->needs[i];
        long minutes = n->minutes * (c->double_investigated ? n->assistants : 1);
        bool basic = is_basic(c, n, from_2023), exempt = is_exempt(n, basic);
        if (basic)
            *(exempt ? &basic_exempt : &basic_rest) += minutes;
        else
            *(exempt ? &other_exempt : &other_rest) += minutes;
    }

    long claim_basic = 0, claim_other = 0;
    if (!from_2023) {
        if (age_on(c->birth, c->decision) < 18) {
            claim_basic = c->share_basic;
            claim_other = c->share_other;
        }
    } else {
        int age = month_age(c->birth, c->decision);
        int halve = from_2025 ? 2 : 1;
        if (age <= 0) {
            claim_basic = 5040 / halve;
        } else if (age <= 6) {
            claim_basic = 1050 / halve;
            claim_other = 210 / halve;
        } else if (age <= 11) {
            claim_basic = 420 / halve;
            claim_other = 420 / halve;
        } else if (age <= 17) {
            claim_other = 420 / halve;
        }
    }
    r->deduction_basic = claim_basic < basic_rest ? claim_basic : basic_rest;
    r->deduction_other = claim_other < other_rest ? claim_other : other_rest;
    r->basic = basic_exempt + basic_rest - r->deduction_basic;
    r->other = other_exempt + other_rest - r->deduction_other;

    int limit = 65;
    if (from_2023 && age_on(c->birth, (ymd){2022, 12, 31}) < 65)
        limit = from_2026 && age_on(c->birth, (ymd){2025, 12, 31}) < 66 ? 67 : 66;
    bool age_ok = age_on(c->birth, c->application) < limit || c->granted_before > 0;

    r->eligible = c->personkrets >= 1 && c->personkrets <= 3 && c->lasting && age_ok && r->basic > 0;
    r->payer = !r->eligible ? "none" : r->basic > 1200 && c->insured ? "forsakringskassan" : "kommun";
    r->granted = r->eligible ? r->basic + r->other : 0;
    if (r->eligible && age_on(c->birth, c->decision) >= limit && c->granted_before > 0 && r->granted > c->granted_before)
        r->granted = c->granted_before;
}

/* ------------------------------------------------------------------ output */

static void put_string(FILE *out, const char *s)
{
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            putc('\\', out);
            putc(*p, out);
        } else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            putc(*p, out);
    }
    putc('"', out);
}

static void put_id(FILE *out, json_t *root)
{
    fputs("{\"id\":", out);
    json_t *id = json_is_object(root) ? json_object_get(root, "id") : NULL;
    if (json_is_string(id))
        put_string(out, json_string_value(id));
    else
        fputs("null", out);
}

static unsigned long long touched;

static void touch(json_t *v)
{
    const char *key;
    json_t *x;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        json_object_foreach(v, key, x) {
            touched += strlen(key);
            touch(x);
        }
        break;
    case JSON_ARRAY:
        json_array_foreach(v, i, x) touch(x);
        break;
    case JSON_STRING: touched += json_string_length(v); break;
    case JSON_INTEGER: touched += (unsigned long long)json_integer_value(v); break;
    case JSON_REAL: touched += (unsigned long long)json_real_value(v); break;
    case JSON_TRUE: touched++; break;
    default: break;
    }
}

/* One non-blank line; returns false when it got an error record. */
static bool decide_line(const char *line, size_t len, bool parse_only, FILE *out)
{
    json_error_t error;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &error);
    if (parse_only) {
        if (root)
            touch(root);
        json_decref(root);
        return root != NULL;
    }
    if (!root) {
        fputs("{\"id\":null,\"error\":{\"field\":null,\"message\":\"not JSON\"}}\n", out);
        return false;
    }
    if (!json_is_object(root)) {
        fputs("{\"id\":null,\"error\":{\"field\":null,\"message\":\"not a JSON object\"}}\n", out);
        json_decref(root);
        return false;
    }
    static lss_case c;
    problem p;
    c.id = NULL;
    bool ok = read_case(root, &c, &p);
    put_id(out, root);
    if (!ok) {
        fputs(",\"error\":{\"field\":", out);
        put_string(out, p.field);
        fputs(",\"message\":", out);
        put_string(out, p.message);
        fputs("}}\n", out);
    } else {
        result r;
        decide(&c, &r);
        fprintf(out,
                ",\"rules_version\":\"%s\",\"eligible\":%s,\"payer\":\"%s\",\"basic_minutes\":%ld,\"other_minutes\":%ld,"
                "\"parental_deduction_basic_minutes\":%ld,\"parental_deduction_other_minutes\":%ld,\"granted_minutes\":%ld}\n",
                r.version, r.eligible ? "true" : "false", r.payer, r.basic, r.other, r.deduction_basic,
                r.deduction_other, r.granted);
    }
    json_decref(root);
    return ok;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

int main(int argc, char **argv)
{
    bool parse_only = false;
    const char *path = "-";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--parse-only") == 0)
            parse_only = true;
        else
            path = argv[i];
    }
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        perror(path);
        return 2;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int status = 0;
    unsigned long long lines = 0;
    while ((got = getline(&line, &cap, in)) > 0) {
        size_t n = (size_t)got;
        if (line[n - 1] == '\n')
            n--;
        if (n && line[n - 1] == '\r')
            n--;
        if (blank(line, n))
            continue;
        lines++;
        if (!decide_line(line, n, parse_only, stdout))
            status = 1;
    }
    free(line);
    if (in != stdin)
        fclose(in);
    if (parse_only)
        fprintf(stderr, "lss_decide --parse-only: %llu lines, checksum %llu\n", lines, touched);
    return fflush(stdout) == 0 ? status : 2;
}
