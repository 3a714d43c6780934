/*
 * Unit tests of the JSON reader (one line of JSON Lines to a generic tree, or
 * the positions of its tokens for the direct record reader).
 * Trees are compared through a canonical dump that shows every byte of keys
 * and strings, so lengths and embedded NULs are checked too. Every line is
 * parsed from a fresh buffer, with several different padding contents (the
 * reader must not depend on them), and the buffer is scribbled over before
 * the tree is inspected (the tree must not point into the line).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json_reader.h"

typedef struct fixture {
    jr_reader *r;
    arena *a;
} fixture;

static int setup_depth(void **state, size_t max_depth)
{
    fixture *f = malloc(sizeof *f);
    if (!f)
        return -1;
    f->r = jr_reader_new(max_depth);
    f->a = arena_new();
    *state = f;
    return f->r && f->a ? 0 : -1;
}

static int setup(void **state) { return setup_depth(state, 8); }
static int setup_depth3(void **state) { return setup_depth(state, 3); }
static int setup_depth0(void **state) { return setup_depth(state, 0); }
static int setup_unbounded(void **state) { return setup_depth(state, SIZE_MAX); }

static int teardown(void **state)
{
    fixture *f = *state;
    jr_reader_free(f->r);
    arena_free(f->a);
    free(f);
    return 0;
}

/* ---- a canonical dump of a tree */

typedef struct dumpbuf {
    char text[4096];
    size_t len;
} dumpbuf;

static void put(dumpbuf *d, const char *s, size_t n)
{
    if (d->len + n >= sizeof d->text)
        fail_msg("dump too long");
    memcpy(d->text + d->len, s, n);
    d->len += n;
    d->text[d->len] = '\0';
}

static void put_str(dumpbuf *d, const char *s) { put(d, s, strlen(s)); }

/* Printable ASCII as is, every other byte (and " and \) as \xHH. */
static void put_quoted(dumpbuf *d, const char *s, size_t n)
{
    assert_non_null(s);
    assert_int_equal(s[n], '\0');
    put_str(d, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            char hex[8];
            snprintf(hex, sizeof hex, "\\x%02X", c);
            put_str(d, hex);
        } else {
            put(d, s + i, 1);
        }
    }
    put_str(d, "\"");
}

static void dump_value(dumpbuf *d, const jr_value *v)
{
    switch (v->kind) {
    case JR_NULL: put_str(d, "null"); break;
    case JR_FALSE: put_str(d, "false"); break;
    case JR_TRUE: put_str(d, "true"); break;
    case JR_NUMBER:
        assert_non_null(v->text);
        assert_int_equal(v->text[v->len], '\0');
        assert_int_equal(strlen(v->text), v->len);
        put(d, v->text, v->len);
        break;
    case JR_STRING: put_quoted(d, v->text, v->len); break;
    case JR_ARRAY:
        put_str(d, "[");
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                put_str(d, ",");
            dump_value(d, &v->items[i]);
        }
        put_str(d, "]");
        break;
    case JR_OBJECT:
        put_str(d, "{");
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                put_str(d, ",");
            put_quoted(d, v->members[i].key, v->members[i].key_len);
            put_str(d, ":");
            dump_value(d, v->members[i].value);
        }
        put_str(d, "}");
        break;
    default: fail_msg("bad kind %d", (int)v->kind);
    }
}

/* ---- parsing helpers */

static const char PADS[] = {' ', '}', ']', ',', '"', '\0', 'x', '1', '\\', '{', '['};

static jr_status parse_padded(fixture *f, const char *text, size_t len, char pad, jr_value **out)
{
    char *buf = malloc(len + JR_PADDING);
    assert_non_null(buf);
    if (len)
        memcpy(buf, text, len);
    memset(buf + len, pad, JR_PADDING);
    arena_reset(f->a);
    *out = NULL;
    jr_status s = jr_parse(f->r, buf, len, f->a, out);
    memset(buf, '#', len + JR_PADDING);
    free(buf);
    return s;
}

/* The status, the same under every padding, and the dump when it is JR_OK. */
static jr_status parse_dump(fixture *f, const char *text, size_t len, dumpbuf *d)
{
    jr_status first = JR_OK;
    dumpbuf first_dump = {{0}, 0};
    for (size_t p = 0; p < sizeof PADS; p++) {
        jr_value *root;
        jr_status s = parse_padded(f, text, len, PADS[p], &root);
        d->len = 0;
        d->text[0] = '\0';
        if (s == JR_OK) {
            assert_non_null(root);
            dump_value(d, root);
        }
        if (p == 0) {
            first = s;
            first_dump = *d;
        } else if (s != first || strcmp(d->text, first_dump.text) != 0) {
            fail_msg("[%.*s]: padding %d gives %d %s, padding ' ' gives %d %s", (int)len, text, PADS[p], (int)s,
                     d->text, (int)first, first_dump.text);
        }
    }
    return first;
}

static void expect_tree(fixture *f, const char *text, size_t len, const char *expected)
{
    dumpbuf d;
    jr_status s = parse_dump(f, text, len, &d);
    if (s != JR_OK)
        fail_msg("[%.*s]: status %d, expected JR_OK", (int)len, text, (int)s);
    if (strcmp(d.text, expected) != 0)
        fail_msg("[%.*s]: got %s, expected %s", (int)len, text, d.text, expected);
}

static void expect_status(fixture *f, const char *text, size_t len, jr_status expected)
{
    dumpbuf d;
    jr_status s = parse_dump(f, text, len, &d);
    if (s != expected)
        fail_msg("[%.*s]: status %d (%s), expected %d", (int)len, text, (int)s, d.text, (int)expected);
}

/* Literals through sizeof, so that embedded NULs count. */
#define TREE(lit, expected) expect_tree(f, lit, sizeof(lit) - 1, expected)
#define STATUS(lit, expected) expect_status(f, lit, sizeof(lit) - 1, expected)
#define NOT_JSON(lit) STATUS(lit, JR_NOT_JSON)

/* A value in three places: the root, an array item, an object member. */
static void not_json_anywhere(fixture *f, const char *token)
{
    char line[256];
    expect_status(f, token, strlen(token), JR_NOT_JSON);
    snprintf(line, sizeof line, "[%s]", token);
    expect_status(f, line, strlen(line), JR_NOT_JSON);
    snprintf(line, sizeof line, "[1, %s ,2]", token);
    expect_status(f, line, strlen(line), JR_NOT_JSON);
    snprintf(line, sizeof line, "{\"a\":%s}", token);
    expect_status(f, line, strlen(line), JR_NOT_JSON);
    snprintf(line, sizeof line, "{\"a\": %s , \"b\":1}", token);
    expect_status(f, line, strlen(line), JR_NOT_JSON);
}

/* ---- tests */

static void objects_with_nested_arrays(void **state)
{
    fixture *f = *state;
    TREE("{\"id\":\"c-1\",\"items\":[1,[2,\"x\"],{\"b\":null},[]],\"ok\":true,\"no\":false,\"empty\":{}}",
         "{\"id\":\"c-1\",\"items\":[1,[2,\"x\"],{\"b\":null},[]],\"ok\":true,\"no\":false,\"empty\":{}}");
    TREE(" { \"a\" : [ 1 , 2 ] , \"b\" : { \"c\" : [ { } ] } } ", "{\"a\":[1,2],\"b\":{\"c\":[{}]}}");
    TREE("\t{\"a\":\t1}\t", "{\"a\":1}");

    /* The structure itself, not only its dump. */
    jr_value *root;
    assert_int_equal(parse_padded(f, "{\"k\":[10,{\"m\":\"v\"}],\"z\":null}", 29, ' ', &root), JR_OK);
    assert_int_equal(root->kind, JR_OBJECT);
    assert_int_equal(root->count, 2);
    assert_int_equal(root->members[0].key_len, 1);
    assert_string_equal(root->members[0].key, "k");
    const jr_value *k = root->members[0].value;
    assert_int_equal(k->kind, JR_ARRAY);
    assert_int_equal(k->count, 2);
    assert_int_equal(k->items[0].kind, JR_NUMBER);
    assert_int_equal(k->items[0].len, 2);
    assert_string_equal(k->items[0].text, "10");
    assert_int_equal(k->items[1].kind, JR_OBJECT);
    assert_int_equal(k->items[1].count, 1);
    assert_string_equal(k->items[1].members[0].key, "m");
    assert_int_equal(k->items[1].members[0].value->kind, JR_STRING);
    assert_string_equal(k->items[1].members[0].value->text, "v");
    assert_int_equal(k->items[1].members[0].value->len, 1);
    assert_string_equal(root->members[1].key, "z");
    assert_int_equal(root->members[1].value->kind, JR_NULL);
    assert_null(root->members[1].value->text);

    /* Empty containers have no storage. */
    assert_int_equal(parse_padded(f, "[{},[]]", 7, ' ', &root), JR_OK);
    assert_int_equal(root->count, 2);
    assert_int_equal(root->items[0].kind, JR_OBJECT);
    assert_int_equal(root->items[0].count, 0);
    assert_null(root->items[0].members);
    assert_int_equal(root->items[1].kind, JR_ARRAY);
    assert_int_equal(root->items[1].count, 0);
    assert_null(root->items[1].items);
}

static void duplicate_keys_kept_in_order(void **state)
{
    fixture *f = *state;
    TREE("{\"k\":1,\"j\":2,\"k\":3}", "{\"k\":1,\"j\":2,\"k\":3}");
    TREE("{\"a\":{\"x\":1,\"x\":[2]},\"a\":\"again\"}", "{\"a\":{\"x\":1,\"x\":[2]},\"a\":\"again\"}");
    /* Spelled differently, the same key once unescaped. */
    TREE("{\"ab\":1,\"a\\u0062\":2}", "{\"ab\":1,\"ab\":2}");

    jr_value *root;
    assert_int_equal(parse_padded(f, "{\"k\":1,\"j\":2,\"k\":3}", 19, ' ', &root), JR_OK);
    assert_int_equal(root->count, 3);
    assert_string_equal(root->members[0].key, "k");
    assert_string_equal(root->members[0].value->text, "1");
    assert_string_equal(root->members[1].key, "j");
    assert_string_equal(root->members[1].value->text, "2");
    assert_string_equal(root->members[2].key, "k");
    assert_string_equal(root->members[2].value->text, "3");
}

static void escapes_and_nul_in_keys_and_strings(void **state)
{
    fixture *f = *state;
    TREE("{\"a\\u0000b\":\"x\\u0000y\"}", "{\"a\\x00b\":\"x\\x00y\"}");
    TREE("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[\"\\x22\\x5C/\\x08\\x0C\\x0A\\x0D\\x09\"]");
    /* U+00E9, U+20AC and U+1F600 (a surrogate pair) in UTF-8. */
    TREE("\"\\u00e9\\u20AC\\ud83d\\ude00\"", "\"\\xC3\\xA9\\xE2\\x82\\xAC\\xF0\\x9F\\x98\\x80\"");
    /* Raw UTF-8 passes through unchanged. */
    TREE("{\"n\xC3\xA4me\":\"\xE2\x82\xAC\"}", "{\"n\\xC3\\xA4me\":\"\\xE2\\x82\\xAC\"}");
    TREE("\"\"", "\"\"");
    TREE("{\"\":\"\"}", "{\"\":\"\"}");

    jr_value *root;
    assert_int_equal(parse_padded(f, "{\"\\u0000\":\"a\\u0000\\u0000\"}", 26, ' ', &root), JR_OK);
    assert_int_equal(root->members[0].key_len, 1);
    assert_memory_equal(root->members[0].key, "\0", 2);
    const jr_value *s = root->members[0].value;
    assert_int_equal(s->kind, JR_STRING);
    assert_int_equal(s->len, 3);
    assert_memory_equal(s->text, "a\0\0", 4);
}

static void bad_strings(void **state)
{
    fixture *f = *state;
    not_json_anywhere(f, "\"\\x\"");            /* unknown escape */
    not_json_anywhere(f, "\"\\u12\"");          /* short \u */
    not_json_anywhere(f, "\"\\u12G4\"");
    not_json_anywhere(f, "\"\\ud800\"");        /* lone surrogates cannot be UTF-8 */
    not_json_anywhere(f, "\"\\udc00\"");
    not_json_anywhere(f, "'x'");
    not_json_anywhere(f, "\"a\tb\"");           /* control characters must be escaped */
    not_json_anywhere(f, "\"a\x01" "b\"");
    not_json_anywhere(f, "\"a\rb\"");
    NOT_JSON("{\"a\\x\":1}");
    NOT_JSON("{\"a\tb\":1}");
    NOT_JSON("\"abc");                           /* unterminated */
    NOT_JSON("{\"a\":\"abc}");
    NOT_JSON("{\"a\":\"abc\\\"}");
    NOT_JSON("{\"abc:1}");
}

static void invalid_utf8(void **state)
{
    fixture *f = *state;
    not_json_anywhere(f, "\"\xFF\"");
    not_json_anywhere(f, "\"\xC0\xAF\"");         /* overlong '/' */
    not_json_anywhere(f, "\"\xED\xA0\x80\"");     /* an encoded surrogate */
    not_json_anywhere(f, "\"\xE2\x82\"");         /* truncated sequence */
    not_json_anywhere(f, "\"\x80\"");             /* lone continuation byte */
    not_json_anywhere(f, "\"\xF4\x90\x80\x80\""); /* above U+10FFFF */
    NOT_JSON("{\"\xFF\":1}");
    NOT_JSON("{\"a\":1}\xFF");
    NOT_JSON("{\"a\":1} \xC3");
}

static void numbers_returned_verbatim(void **state)
{
    fixture *f = *state;
    TREE("[0,-0,1.5,-12.25e+10,1E400,123456789012345678901234567890,0.0,60.0,1e-7,2E-0,-0.000]",
         "[0,-0,1.5,-12.25e+10,1E400,123456789012345678901234567890,0.0,60.0,1e-7,2E-0,-0.000]");
    TREE("{\"a\":1e400 , \"b\" :-123456789012345678901234567890\t}",
         "{\"a\":1e400,\"b\":-123456789012345678901234567890}");

    jr_value *root;
    assert_int_equal(parse_padded(f, "[ 60.0 ,7]", 10, ' ', &root), JR_OK);
    assert_int_equal(root->items[0].kind, JR_NUMBER);
    assert_int_equal(root->items[0].len, 4);
    assert_string_equal(root->items[0].text, "60.0");
    assert_int_equal(root->items[1].len, 1);
    assert_string_equal(root->items[1].text, "7");
}

static void bad_numbers(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {"01",  "-01", "00",  "1.",   ".5",       "+1",        "-",     "--1",
                                      "1e",  "1e+", "1E-", "1.e5", "1.5.",     "1e5.0",     "0x10",  "1x",
                                      "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "1_000", "１"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        not_json_anywhere(f, bad[i]);
}

static void exact_atoms(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {"tru", "nulll", "nul", "fals", "falsee", "truex", "True",
                                      "NULL", "null1", "t", "n", "f", "undefined", "none"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        not_json_anywhere(f, bad[i]);
    TREE("[true,false,null]", "[true,false,null]");
    TREE("{\"t\":true ,\"f\": false,\"n\":null }", "{\"t\":true,\"f\":false,\"n\":null}");
}

static void bad_structure(void **state)
{
    fixture *f = *state;
    NOT_JSON("{\"a\":1,}");
    NOT_JSON("[1,]");
    NOT_JSON("[,1]");
    NOT_JSON("[,]");
    NOT_JSON("{,}");
    NOT_JSON("{\"a\" 1}");
    NOT_JSON("{\"a\"::1}");
    NOT_JSON("{\"a\":}");
    NOT_JSON("{\"a\"}");
    NOT_JSON("{a:1}");
    NOT_JSON("{1:2}");
    NOT_JSON("{null:2}");
    NOT_JSON("[1 2]");
    NOT_JSON("{\"a\":1 \"b\":2}");
    NOT_JSON("{\"a\":1,,\"b\":2}");
    NOT_JSON("[1,,2]");
    NOT_JSON("{\"a\":[1}");
    NOT_JSON("{\"a\":{]}");
    NOT_JSON("[}");
    NOT_JSON("{]");
    NOT_JSON("}");
    NOT_JSON("]");
    NOT_JSON(":");
    NOT_JSON(",");
    NOT_JSON("{\"a\":1\x01}");
    NOT_JSON("[1,\x0c" "2]");                   /* form feed is not JSON whitespace */
    NOT_JSON("/* c */ {}");
}

static void empty_and_blank_lines(void **state)
{
    fixture *f = *state;
    NOT_JSON("");
    NOT_JSON(" ");
    NOT_JSON("\t \t");
    NOT_JSON("\r");
}

static void trailing_garbage(void **state)
{
    fixture *f = *state;
    NOT_JSON("{} x");
    NOT_JSON("{}{}");
    NOT_JSON("{} {}");
    NOT_JSON("{}}");
    NOT_JSON("{},");
    NOT_JSON("[]]");
    NOT_JSON("[][]");
    NOT_JSON("[] 1");
    NOT_JSON("{\"a\":1}\"x\"");
    NOT_JSON("\"x\" y");
    NOT_JSON("\"x\"\"y\"");
    NOT_JSON("\"x\",");
    NOT_JSON("\"x\"]");
    NOT_JSON("42 43");
    NOT_JSON("42,");
    NOT_JSON("42]");
    NOT_JSON("1\"x\"");
    NOT_JSON("1{}");
    NOT_JSON("null null");
    NOT_JSON("true x");
    NOT_JSON("false}");
    NOT_JSON("{}\0");
    NOT_JSON("{\"a\":1}\0{\"b\":2}");
    /* Trailing blanks are fine. */
    TREE("{}   ", "{}");
    TREE("42 \t ", "42");
    TREE("\"x\" ", "\"x\"");
}

/* Every proper prefix of a valid line is invalid, whatever follows in the padding. */
static void truncated_lines(void **state)
{
    fixture *f = *state;
    static const char *const lines[] = {
        "{\"id\":\"c-1\",\"n\":[1,2.5,{\"x\":null}],\"b\":true,\"s\":\"a\\u0041\\\"\"}",
        "[[1,[2,[3]]],{\"a\":{\"b\":{}}},\"\xE2\x82\xAC\",false]",
    };
    for (size_t l = 0; l < sizeof lines / sizeof *lines; l++) {
        size_t n = strlen(lines[l]);
        dumpbuf d;
        assert_int_equal(parse_dump(f, lines[l], n, &d), JR_OK);
        for (size_t k = 0; k < n; k++)
            expect_status(f, lines[l], k, JR_NOT_JSON);
    }
}

/* The reader takes JSON whitespace as JSON does; stripping a CRLF's \r is the caller's job. */
static void carriage_return_is_just_whitespace(void **state)
{
    fixture *f = *state;
    TREE("{\"a\":1}\r", "{\"a\":1}");
    TREE("42\r", "42");
    NOT_JSON("{\"a\":1}\r\n{}");
}

static void scalar_roots(void **state)
{
    fixture *f = *state;
    TREE("42", "42");
    TREE("-1.5e3", "-1.5e3");
    TREE("0", "0");
    TREE("  7  ", "7");
    TREE("\"x\"", "\"x\"");
    TREE("\"\"", "\"\"");
    TREE("null", "null");
    TREE("true", "true");
    TREE("false", "false");
    TREE("[]", "[]");
    TREE("{}", "{}");

    jr_value *root;
    assert_int_equal(parse_padded(f, "123456789012345678901234567890", 30, '9', &root), JR_OK);
    assert_int_equal(root->kind, JR_NUMBER);
    assert_int_equal(root->len, 30);
    assert_string_equal(root->text, "123456789012345678901234567890");
    assert_int_equal(parse_padded(f, " \"a\\u0000\" ", 11, '"', &root), JR_OK);
    assert_int_equal(root->kind, JR_STRING);
    assert_int_equal(root->len, 2);
    assert_memory_equal(root->text, "a\0", 3);
    assert_int_equal(parse_padded(f, "null", 4, 'l', &root), JR_OK);
    assert_int_equal(root->kind, JR_NULL);
    assert_int_equal(parse_padded(f, "true", 4, 'e', &root), JR_OK);
    assert_int_equal(root->kind, JR_TRUE);
}

static void nesting_up_to_max_depth(void **state)
{
    fixture *f = *state; /* max_depth 3 */
    TREE("[[[1]]]", "[[[1]]]");
    TREE("{\"a\":{\"b\":{\"c\":1}}}", "{\"a\":{\"b\":{\"c\":1}}}");
    TREE("[{\"a\":[]},{\"b\":{}}]", "[{\"a\":[]},{\"b\":{}}]");
    STATUS("[[[[1]]]]", JR_TOO_DEEP);
    STATUS("[[[[]]]]", JR_TOO_DEEP);
    STATUS("{\"a\":{\"b\":{\"c\":{}}}}", JR_TOO_DEEP);
    STATUS("[{\"a\":[{}]}]", JR_TOO_DEEP);
    STATUS("[1,[2,[3,[4]]]]", JR_TOO_DEEP);
    /* Too deep only in the last member. */
    STATUS("{\"ok\":[[1]],\"deep\":[[[1]]]}", JR_TOO_DEEP);

    /* Far beyond the limit: no recursion to match. */
    size_t n = 200000;
    char *line = malloc(2 * n);
    assert_non_null(line);
    memset(line, '[', n);
    memset(line + n, ']', n);
    jr_value *root;
    assert_int_equal(parse_padded(f, line, 2 * n, ' ', &root), JR_TOO_DEEP);
    free(line);

    /* The reader is still usable. */
    TREE("[[[2]]]", "[[[2]]]");
}

static void max_depth_zero_takes_scalars_only(void **state)
{
    fixture *f = *state;
    STATUS("{}", JR_TOO_DEEP);
    STATUS("[]", JR_TOO_DEEP);
    TREE("42", "42");
    TREE("\"s\"", "\"s\"");
}

static char *nested_arrays(size_t depth, size_t *len)
{
    char *line = malloc(2 * depth + 1);
    assert_non_null(line);
    memset(line, '[', depth);
    line[depth] = '7';
    memset(line + depth + 1, ']', depth);
    *len = 2 * depth + 1;
    return line;
}

static void huge_max_depth_is_capped(void **state)
{
    fixture *f = *state; /* max_depth SIZE_MAX */
    size_t len;
    jr_value *root;
    char *line = nested_arrays(JR_DEPTH_CAP, &len);
    assert_int_equal(parse_padded(f, line, len, ' ', &root), JR_OK);
    const jr_value *v = root;
    for (size_t i = 0; i < JR_DEPTH_CAP; i++) {
        assert_int_equal(v->kind, JR_ARRAY);
        assert_int_equal(v->count, 1);
        v = &v->items[0];
    }
    assert_int_equal(v->kind, JR_NUMBER);
    assert_string_equal(v->text, "7");
    free(line);

    line = nested_arrays(JR_DEPTH_CAP + 1, &len);
    assert_int_equal(parse_padded(f, line, len, ' ', &root), JR_TOO_DEEP);
    free(line);

    line = nested_arrays(1000000, &len);
    assert_int_equal(parse_padded(f, line, len, ' ', &root), JR_TOO_DEEP);
    free(line);
}

/* ---- jr_index: stage 1's token positions, for the direct record reader */

/* Indexes text (copied into a buffer padded with pad) and checks the offsets. */
static void index_is(fixture *f, const char *text, char pad, const uint32_t *want, size_t count)
{
    size_t len = strlen(text);
    char *buf = malloc(len + JR_PADDING);
    assert_non_null(buf);
    memcpy(buf, text, len);
    memset(buf + len, pad, JR_PADDING);
    jr_tokens t;
    assert_int_equal(jr_index(f->r, buf, len, &t), JR_OK);
    assert_int_equal(t.count, count);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(t.at[i], want[i]);
    assert_int_equal(t.at[count], len);
    assert_int_equal(t.at[count + 1], len);
    assert_int_equal(t.max_depth, 8);
    free(buf);
}

static jr_status index_status(fixture *f, const char *text, size_t len)
{
    char *buf = malloc(len + JR_PADDING);
    assert_non_null(buf);
    memcpy(buf, text, len);
    memset(buf + len, '"', JR_PADDING);
    jr_tokens t;
    jr_status s = jr_index(f->r, buf, len, &t);
    free(buf);
    return s;
}

static void token_positions(void **state)
{
    fixture *f = *state;
    /* Structural characters, opening quotes and the first byte of every other
     * token; nothing inside a string, and whatever the padding holds. */
    static const uint32_t obj[] = {0, 1, 5, 7, 8, 9, 11, 17, 18, 20, 23, 24, 27, 31};
    for (size_t p = 0; p < sizeof PADS; p++)
        index_is(f, "{\"ab\": [1, \"c,]}\"], \"d\":tr ue  }", PADS[p], obj, sizeof obj / sizeof obj[0]);
    /* Stage 1 does not judge the grammar: that is the reader's to do. */
    static const uint32_t loose[] = {0, 1, 2, 3};
    index_is(f, "}}x,", ' ', loose, 4);
}

/* jr_unescape of the string in `{"k":STRING}` agrees with the string jr_parse
 * reads there: the same bytes, or both refuse the escape. */
static bool unescape_agrees(fixture *f, const char *string)
{
    char line[256];
    int len = snprintf(line, sizeof line, "{\"k\":%s}", string);
    assert_true(len > 0 && (size_t)len + JR_PADDING <= sizeof line);
    memset(line + len, 'x', JR_PADDING);
    jr_tokens t;
    assert_int_equal(jr_index(f->r, line, (size_t)len, &t), JR_OK);
    char out[256 + JR_UNESCAPE_SLACK];
    size_t n = 0;
    bool unescaped = jr_unescape(f->r, line + 6, out, &n);
    jr_value *root;
    jr_status parsed = parse_padded(f, line, (size_t)len, ' ', &root);
    assert_int_equal(unescaped, parsed == JR_OK);
    if (unescaped) {
        assert_int_equal(n, root->members[0].value->len);
        assert_memory_equal(out, root->members[0].value->text, n);
    }
    return unescaped;
}

static void unescape_as_parse_does(void **state)
{
    fixture *f = *state;
    static const char *const strings[] = {
        "\"plain\"", "\"a\\\"b\"", "\"\\u0069d\"", "\"tab\\there\\n\"", "\"\\u00e5\\u00C4\"",
        "\"\\ud83d\\ude00 pair\"", "\"\\u0000nul\"", "\"\\/\\b\\f\\r\"",
        "\"a long string of more than thirty-two bytes, then \\u00e9 and more after it\"",
        /* refused alike */
        "\"\\x41\"", "\"\\ud83d alone\"", "\"\\ude00\"", "\"\\u12\"", "\"\\u12G4\"",
    };
    size_t accepted = 0;
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        accepted += unescape_agrees(f, strings[i]);
    assert_int_equal(accepted, 9);
}

static void index_rejects_what_stage1_sees(void **state)
{
    fixture *f = *state;
    assert_int_equal(index_status(f, "{\"a\":\"\xFF\"}", 9), JR_NOT_JSON);
    assert_int_equal(index_status(f, "{\"a\":1} \xC3", 9), JR_NOT_JSON);   /* after the root too */
    assert_int_equal(index_status(f, "{\"a\":\"b\tc\"}", 11), JR_NOT_JSON); /* a control character */
    assert_int_equal(index_status(f, "{\"a\":\"bc}", 9), JR_NOT_JSON);      /* unclosed */
    assert_int_equal(index_status(f, "  \t", 3), JR_NOT_JSON);
    assert_int_equal(index_status(f, "", 0), JR_NOT_JSON);
    /* Lines longer than JR_INDEX_MAX are left to jr_parse. */
    size_t n = (size_t)JR_INDEX_MAX + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    assert_int_equal(index_status(f, big, n), JR_NO_MEMORY);
    assert_int_equal(index_status(f, big + 1, n - 2), JR_NOT_JSON);
    big[1] = '{';
    assert_int_equal(index_status(f, big + 1, n - 1), JR_OK);
    free(big);
    /* The reader still parses. */
    dumpbuf d;
    assert_int_equal(parse_dump(f, "{\"a\":[1]}", 9, &d), JR_OK);
}

static void number_grammar(void **state)
{
    (void)state;
    static const char *const good[] = {"0", "-0", "7", "10", "1.5", "-0.0", "1e5", "1E+5", "1e-05", "60.0",
                                       "123456789012345678901234567890"};
    static const char *const bad[] = {"", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "1.5.", "0x1", "1 ",
                                      "Infinity", "NaN", "1,"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!jr_number(good[i], strlen(good[i])))
            fail_msg("%s was not a number", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (jr_number(bad[i], strlen(bad[i])))
            fail_msg("%s was a number", bad[i]);
}

static void large_string_line(void **state)
{
    fixture *f = *state;
    size_t n = 5u << 20;
    char *line = malloc(n + 64);
    assert_non_null(line);
    size_t len = 0;
    len += (size_t)sprintf(line, "{\"id\":\"big\",\"s\":\"");
    for (size_t i = 0; i < n; i++)
        line[len++] = (char)('a' + i % 26);
    memcpy(line + len, "\\u0000\"}", 8);
    len += 8;

    jr_value *root;
    assert_int_equal(parse_padded(f, line, len, '}', &root), JR_OK);
    assert_int_equal(root->kind, JR_OBJECT);
    assert_int_equal(root->count, 2);
    assert_string_equal(root->members[0].value->text, "big");
    const jr_value *s = root->members[1].value;
    assert_int_equal(s->kind, JR_STRING);
    assert_int_equal(s->len, n + 1);
    for (size_t i = 0; i < n; i++)
        if (s->text[i] != (char)('a' + i % 26))
            fail_msg("byte %zu differs", i);
    assert_int_equal(s->text[n], '\0');
    assert_int_equal(s->text[n + 1], '\0');

    /* Truncated, the same line is not JSON. */
    assert_int_equal(parse_padded(f, line, len - 1, '}', &root), JR_NOT_JSON);
    free(line);

    /* The grown parser still reads small lines. */
    TREE("{\"a\":[1]}", "{\"a\":[1]}");
}

static void large_containers(void **state)
{
    fixture *f = *state;
    size_t n = 300000;
    char *line = malloc(n * 32 + 16);
    assert_non_null(line);
    size_t len = 0;
    line[len++] = '[';
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(line + len, "%s{\"k%zu\":%zu}", i ? "," : "", i, i * 3);
    line[len++] = ']';

    jr_value *root;
    assert_int_equal(parse_padded(f, line, len, ' ', &root), JR_OK);
    assert_int_equal(root->kind, JR_ARRAY);
    assert_int_equal(root->count, n);
    for (size_t i = 0; i < n; i += 997) {
        char key[32], num[32];
        snprintf(key, sizeof key, "k%zu", i);
        snprintf(num, sizeof num, "%zu", i * 3);
        assert_int_equal(root->items[i].count, 1);
        assert_string_equal(root->items[i].members[0].key, key);
        assert_string_equal(root->items[i].members[0].value->text, num);
    }
    assert_string_equal(root->items[n - 1].members[0].key, "k299999");

    /* One object with many members, some repeated. */
    len = 0;
    line[len++] = '{';
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(line + len, "%s\"m%zu\":[%zu]", i ? "," : "", i % 1000, i);
    line[len++] = '}';
    assert_int_equal(parse_padded(f, line, len, ' ', &root), JR_OK);
    assert_int_equal(root->kind, JR_OBJECT);
    assert_int_equal(root->count, n);
    assert_string_equal(root->members[1001].key, "m1");
    assert_string_equal(root->members[1001].value->items[0].text, "1001");
    free(line);
}

/* One reader, one arena, good and bad lines interleaved: nothing carries over. */
static void reader_is_reusable(void **state)
{
    fixture *f = *state;
    for (int round = 0; round < 50; round++) {
        TREE("{\"a\":[1,{\"b\":2}]}", "{\"a\":[1,{\"b\":2}]}");
        NOT_JSON("{\"a\":[1,{\"b\":2}]");
        STATUS("[[[[[[[[[[1]]]]]]]]]]", JR_TOO_DEEP);
        NOT_JSON("{\"a\":[1,{\"b\":tru}]}");
        TREE("\"x\"", "\"x\"");
    }
}

/* ---- allocation failure */

static long allocations_left;

static void *failing_malloc(size_t size)
{
    if (allocations_left <= 0)
        return NULL;
    allocations_left--;
    return malloc(size);
}

static void out_of_memory_is_reported(void **state)
{
    (void)state;
    /* A tree much larger than the arena's first block, so the arena must grow. */
    char line[40000];
    size_t len = 0;
    line[len++] = '[';
    for (int i = 0; i < 2000; i++)
        len += (size_t)sprintf(line + len, "%s{\"k\":\"v%d\"}", i ? "," : "", i);
    line[len++] = ']';
    memset(line + len, ' ', JR_PADDING);

    bool succeeded = false;
    for (long budget = 0; budget < 200 && !succeeded; budget++) {
        jr_reader *r = jr_reader_new(8);
        arena *a = arena_new();
        assert_non_null(r);
        assert_non_null(a);
        allocations_left = budget;
        arena_set_allocator(failing_malloc);
        jr_value *root = NULL;
        jr_status s = jr_parse(r, line, len, a, &root);
        arena_set_allocator(NULL);
        if (s == JR_OK) {
            assert_int_equal(root->count, 2000);
            assert_string_equal(root->items[1999].members[0].value->text, "v1999");
            succeeded = true;
        } else {
            assert_int_equal(s, JR_NO_MEMORY);
        }
        /* After a failure the same reader and arena recover. */
        arena_reset(a);
        assert_int_equal(jr_parse(r, line, len, a, &root), JR_OK);
        assert_int_equal(root->count, 2000);
        jr_reader_free(r);
        arena_free(a);
    }
    assert_true(succeeded);

    allocations_left = 0;
    arena_set_allocator(failing_malloc);
    jr_reader *r = jr_reader_new(8);
    arena_set_allocator(NULL);
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(objects_with_nested_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_keys_kept_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(escapes_and_nul_in_keys_and_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(numbers_returned_verbatim, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(exact_atoms, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_and_blank_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(trailing_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(carriage_return_is_just_whitespace, setup, teardown),
        cmocka_unit_test_setup_teardown(scalar_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(nesting_up_to_max_depth, setup_depth3, teardown),
        cmocka_unit_test_setup_teardown(max_depth_zero_takes_scalars_only, setup_depth0, teardown),
        cmocka_unit_test_setup_teardown(huge_max_depth_is_capped, setup_unbounded, teardown),
        cmocka_unit_test_setup_teardown(token_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(index_rejects_what_stage1_sees, setup, teardown),
        cmocka_unit_test_setup_teardown(unescape_as_parse_does, setup, teardown),
        cmocka_unit_test(number_grammar),
        cmocka_unit_test_setup_teardown(large_string_line, setup, teardown),
        cmocka_unit_test_setup_teardown(large_containers, setup, teardown),
        cmocka_unit_test_setup_teardown(reader_is_reusable, setup, teardown),
        cmocka_unit_test(out_of_memory_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
