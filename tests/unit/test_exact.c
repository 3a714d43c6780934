/*
 * Unit tests for exact number conversion and checked arithmetic. Every
 * expected value is written out as an integer; where a sweep is used, the
 * reference is built from integer text manipulation, never from floating
 * point.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact.h"

#define SENTINEL INT64_C(-4242424242)

static ex_status pint(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    *out = SENTINEL;
    return ex_parse_int(s, strlen(s), lo, hi, out);
}

static ex_status pint64(const char *s, int64_t *out)
{
    return pint(s, INT64_MIN, INT64_MAX, out);
}

static ex_status pdec(const char *s, int64_t *out)
{
    *out = SENTINEL;
    return ex_parse_decimal(s, strlen(s), out);
}

static void assert_int_text(const char *s, int64_t want)
{
    int64_t v;
    ex_status st = pint64(s, &v);
    if (st != EX_OK || v != want) {
        fail_msg("ex_parse_int(\"%s\"): status %d value %" PRId64 ", want %" PRId64, s, (int)st, v,
                 want);
    }
}

static void assert_int_status(const char *s, int64_t lo, int64_t hi, ex_status want)
{
    int64_t v;
    ex_status st = pint(s, lo, hi, &v);
    if (st != want) {
        fail_msg("ex_parse_int(\"%.60s\"): status %d, want %d", s, (int)st, (int)want);
    }
    assert_true(v == SENTINEL); /* untouched on failure */
}

static void assert_dec(const char *s, int64_t want)
{
    int64_t v;
    ex_status st = pdec(s, &v);
    if (st != EX_OK || v != want) {
        fail_msg("ex_parse_decimal(\"%.60s\"): status %d value %" PRId64 ", want %" PRId64, s,
                 (int)st, v, want);
    }
}

static void assert_dec_status(const char *s, ex_status want)
{
    int64_t v;
    ex_status st = pdec(s, &v);
    if (st != want) {
        fail_msg("ex_parse_decimal(\"%.60s\"): status %d, want %d", s, (int)st, (int)want);
    }
    assert_true(v == SENTINEL);
}

static void assert_format(int64_t scaled, const char *want)
{
    char buf[32];
    memset(buf, 'x', sizeof buf);
    size_t n = ex_format_decimal(scaled, buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

/* A text of `count` copies of `fill` between prefix and suffix, on the heap. */
static char *repeat(const char *prefix, char fill, size_t count, const char *suffix)
{
    size_t pl = strlen(prefix), sl = strlen(suffix);
    char *s = malloc(pl + count + sl + 1);
    assert_non_null(s);
    memcpy(s, prefix, pl);
    memset(s + pl, fill, count);
    memcpy(s + pl + count, suffix, sl + 1);
    return s;
}

/* ---- integers ----------------------------------------------------------- */

static void test_int_basic(void **state)
{
    (void)state;
    assert_int_text("60", 60);
    assert_int_text("0", 0);
    assert_int_text("-0", 0);
    assert_int_text("-60", -60);
    assert_int_text("1", 1);
    assert_int_text("123456789", 123456789);
    assert_int_text("9223372036854775807", INT64_MAX);
    assert_int_text("-9223372036854775808", INT64_MIN);
    assert_int_text("-9223372036854775807", -INT64_MAX);

    /* "-0" is plain zero, also as a range bound. */
    int64_t v;
    assert_int_equal(pint("-0", 0, 10, &v), EX_OK);
    assert_true(v == 0);
}

static void test_int_not_integer(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "60.0", "6e1", "6E1", "6e+1", "6e-0", "60e0", "1.5", "-60.0", "-0.0",
        "0.0", "0e0", "-0e0", "1.0e1", "600e-1", "60.00000", "6.0E1",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_status(cases[i], INT64_MIN, INT64_MAX, EX_NOT_INTEGER);
    }
    /* NOT_INTEGER wins over range: the form is wrong whatever the value. */
    assert_int_status("1e400", 0, 10, EX_NOT_INTEGER);
    assert_int_status("99999999999999999999999999.5", 0, 10, EX_NOT_INTEGER);
}

static void test_int_ranges(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(pint("10", 10, 20, &v), EX_OK);
    assert_true(v == 10);
    assert_int_equal(pint("20", 10, 20, &v), EX_OK);
    assert_true(v == 20);
    assert_int_equal(pint("15", 15, 15, &v), EX_OK);
    assert_true(v == 15);
    assert_int_status("9", 10, 20, EX_OUT_OF_RANGE);
    assert_int_status("21", 10, 20, EX_OUT_OF_RANGE);
    assert_int_status("-1", 0, 100, EX_OUT_OF_RANGE);
    assert_int_status("-0", 1, 100, EX_OUT_OF_RANGE);
    assert_int_status("0", -100, -1, EX_OUT_OF_RANGE);
    assert_int_status("5", 10, 0, EX_OUT_OF_RANGE); /* empty range */
    assert_int_equal(pint("-5", -10, -1, &v), EX_OK);
    assert_true(v == -5);
    /* Hours in a week, minutes in a day. */
    assert_int_equal(pint("168", 0, 168, &v), EX_OK);
    assert_true(v == 168);
    assert_int_status("169", 0, 168, EX_OUT_OF_RANGE);
    assert_int_status("1440", 0, 1439, EX_OUT_OF_RANGE);
}

static void test_int_int64_bounds(void **state)
{
    (void)state;
    assert_int_status("9223372036854775808", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("-9223372036854775809", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("9223372036854775810", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("18446744073709551615", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("18446744073709551616", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("-18446744073709551616", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    /* A value that would wrap to a small one in 64 bits: 2^64 + 5. */
    assert_int_status("18446744073709551621", 0, 10, EX_OUT_OF_RANGE);
    assert_int_status("-18446744073709551621", -10, 0, EX_OUT_OF_RANGE);
    /* INT64_MIN is in range only when lo allows it. */
    assert_int_status("-9223372036854775808", INT64_MIN + 1, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("9223372036854775807", INT64_MIN, INT64_MAX - 1, EX_OUT_OF_RANGE);
}

static void test_int_many_digits(void **state)
{
    (void)state;
    assert_int_status("999999999999999999999999999999", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("-999999999999999999999999999999", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("100000000000000000000000000000", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("-99999999999999999999999999", INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    assert_int_status("-99999999999999999999999999", -100, 100, EX_OUT_OF_RANGE);

    char *big = repeat("1", '0', 10000, "");
    assert_int_status(big, INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    free(big);
    char *neg = repeat("-9", '9', 10000, "");
    assert_int_status(neg, INT64_MIN, INT64_MAX, EX_OUT_OF_RANGE);
    free(neg);
}

static const char *const syntax_errors[] = {
    "", "-", "+1", "+0", "01", "-01", "00", "007", "1.", "-1.", ".5", "-.5", "1e", "1E",
    "1e+", "1e-", "1.e1", "--1", "- 1", " 1", "1 ", "\t1", "1\n", "0x10", "1a", "a1", "1,5",
    "1_000", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e1.5", "1e1e1", "1..5", "1.5.5",
    "e1", "1e+-1", "1ee1", "\xef\xbc\x91", "\xd9\xa1", "1\xc2\xa0", "1/2", "1-", "0-",
};

static void test_int_syntax(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof syntax_errors / sizeof syntax_errors[0]; i++) {
        assert_int_status(syntax_errors[i], INT64_MIN, INT64_MAX, EX_SYNTAX);
    }
    int64_t v = SENTINEL;
    assert_int_equal(ex_parse_int(NULL, 0, 0, 10, &v), EX_SYNTAX);
    assert_int_equal(ex_parse_int("12", 0, 0, 100, &v), EX_SYNTAX);
    /* An embedded NUL inside len is not the end of the text. */
    assert_int_equal(ex_parse_int("1\0002", 3, 0, 1000, &v), EX_SYNTAX);
    assert_true(v == SENTINEL);
    /* len is authoritative: a prefix of a longer buffer parses alone. */
    assert_int_equal(ex_parse_int("1234,", 4, 0, 10000, &v), EX_OK);
    assert_true(v == 1234);
    assert_int_equal(ex_parse_int("60.0", 2, 0, 100, &v), EX_OK);
    assert_true(v == 60);
}

/* ---- decimals ----------------------------------------------------------- */

static void test_decimal_basic(void **state)
{
    (void)state;
    assert_dec("2.5", 2500000);
    assert_dec("12", 12000000);
    assert_dec("24", 24000000);
    assert_dec("0", 0);
    assert_dec("-0", 0);
    assert_dec("-0.0", 0);
    assert_dec("0.0", 0);
    assert_dec("-0e5", 0);
    assert_dec("-2.5", -2500000);
    assert_dec("1e1", 10000000);
    assert_dec("1E1", 10000000);
    assert_dec("1e+1", 10000000);
    assert_dec("2.5e1", 25000000);
    assert_dec("2.5E-3", 2500);
    assert_dec("25e-1", 2500000);
    assert_dec("0.25e1", 2500000);
    assert_dec("2500000e-6", 2500000);
    assert_dec("0.000001", 1);
    assert_dec("-0.000001", -1);
    assert_dec("1e-6", 1);
    assert_dec("0.1", 100000);
    assert_dec("0.123456", 123456);
    assert_dec("123456789e-3", 123456789000);
    assert_dec("1e006", 1000000000000); /* leading zeros are allowed in exponents */
    assert_dec("60.0", 60000000);
    assert_dec("6e1", 60000000);
    assert_dec("0.3333", 333300);
    assert_dec("12.000000", 12000000);
    assert_dec("12.000000000000000000000000", 12000000); /* zeros dropped: exact */
}

static void test_decimal_round_to_odd(void **state)
{
    (void)state;
    int64_t v;
    /* The two threshold cases: just above and just below 12. */
    assert_int_equal(pdec("12.0000001", &v), EX_OK);
    assert_true(v == 12000001);
    assert_true(v > 12 * (int64_t)EX_SCALE);
    assert_int_equal(pdec("11.9999999", &v), EX_OK);
    assert_true(v == 11999999);
    assert_true(v < 12 * (int64_t)EX_SCALE);
    assert_int_equal(pdec("-12.0000001", &v), EX_OK);
    assert_true(v == -12000001);
    assert_true(v < -12 * (int64_t)EX_SCALE);
    assert_int_equal(pdec("-11.9999999", &v), EX_OK);
    assert_true(v == -11999999);
    assert_true(v > -12 * (int64_t)EX_SCALE);

    /* Truncate, then force odd only when something non-zero was dropped. */
    assert_dec("0.0000001", 1);
    assert_dec("0.0000005", 1);
    assert_dec("0.0000009", 1);
    assert_dec("0.0000015", 1);
    assert_dec("0.0000025", 3);
    assert_dec("0.0000020000001", 3);
    assert_dec("0.0000020000000", 2);
    assert_dec("-0.0000025", -3);
    assert_dec("-0.0000035", -3);
    assert_dec("2.50000000000000000000001", 2500001);
    assert_dec("2.49999999999999999999999", 2499999);
    assert_dec("1.23456789", 1234567);
    assert_dec("1.23456889", 1234569);
    assert_dec("0.00000000000000000001e14", 1);
    assert_dec("1234567e-7", 123457);
    assert_dec("1234568e-7", 123457);
    assert_dec("1234560e-7", 123456);
    /* The documented limit: a 7th digit is not separated from the odd
     * 6-digit value it truncates to. */
    assert_dec("12.0000011", 12000001);
    assert_dec("12.000001", 12000001);

    /* Comparisons against a threshold with at most 5 fractional digits keep
     * the exact order, for every 7-digit value around it. */
    for (int64_t k = -2000; k <= 2000; k++) {
        char text[64];
        int64_t exact7 = 120000000 + k; /* units of 1e-7, around 12 */
        snprintf(text, sizeof text, "%" PRId64 ".%07" PRId64, exact7 / 10000000,
                 exact7 % 10000000);
        assert_int_equal(pdec(text, &v), EX_OK);
        for (int64_t t = 11999900; t <= 12000100; t += 10) { /* 5-digit thresholds */
            int64_t t7 = t * 10;
            bool above = exact7 > t7, below = exact7 < t7;
            if ((v > t) != above || (v < t) != below) {
                fail_msg("%s vs %" PRId64 ": parsed %" PRId64, text, t, v);
            }
        }
    }
}

static void test_decimal_tiny_and_huge(void **state)
{
    (void)state;
    assert_dec_status("1e400", EX_OUT_OF_RANGE);
    assert_dec_status("-1e400", EX_OUT_OF_RANGE);
    assert_dec_status("1E400", EX_OUT_OF_RANGE);
    assert_dec("1e-400", 1);
    assert_dec("-1e-400", -1);
    assert_dec("0e400", 0);
    assert_dec("0.000e999999999999999999999999999999", 0);
    assert_dec("-0e-999999999999999999999999999999", 0);
    assert_dec_status("1e999999999999999999999999999999999999999", EX_OUT_OF_RANGE);
    assert_dec("1e-999999999999999999999999999999999999999", 1);
    assert_dec_status("1e9223372036854775807", EX_OUT_OF_RANGE);
    assert_dec_status("1e9223372036854775808", EX_OUT_OF_RANGE);
    assert_dec("5e-9223372036854775808", 1);
    assert_dec("-5e-18446744073709551616", -1);
    assert_dec("0.0000001e-400", 1);

    /* The 9e12 bound. */
    assert_dec("8999999999999.999999", INT64_C(8999999999999999999));
    assert_dec("-8999999999999.999999", -INT64_C(8999999999999999999));
    assert_dec("8999999999999.9999999", INT64_C(8999999999999999999));
    assert_dec("8999999999999.9999989", INT64_C(8999999999999999999));
    assert_dec("8999999999999.9999979", INT64_C(8999999999999999997));
    assert_dec("8999999999999", INT64_C(8999999999999000000));
    assert_dec_status("9000000000000", EX_OUT_OF_RANGE);
    assert_dec_status("-9000000000000", EX_OUT_OF_RANGE);
    assert_dec_status("9e12", EX_OUT_OF_RANGE);
    assert_dec_status("-9e12", EX_OUT_OF_RANGE);
    assert_dec_status("9000000000000.000001", EX_OUT_OF_RANGE);
    assert_dec_status("9223372036854.775807", EX_OUT_OF_RANGE);
    assert_dec_status("18446744073709.551616", EX_OUT_OF_RANGE);
    assert_dec_status("1e13", EX_OUT_OF_RANGE);
    assert_dec_status("1e19", EX_OUT_OF_RANGE);
    assert_dec_status("1e20", EX_OUT_OF_RANGE);
    assert_dec_status("0.9e13", EX_OUT_OF_RANGE);
    assert_dec("0.8999999999999999999e13", INT64_C(8999999999999999999));
    assert_dec("1e12", INT64_C(1000000000000000000));
    assert_dec("8.999999999999999999e12", INT64_C(8999999999999999999));
    /* A value that would wrap 64 bits to something small: 2^64 + 5 units. */
    assert_dec_status("18446744073709.551621", EX_OUT_OF_RANGE);
    assert_dec_status("0.000018446744073709551621e18", EX_OUT_OF_RANGE);
}

static void test_decimal_long_texts(void **state)
{
    (void)state;
    /* 10,000 digits, every combination of where they sit. */
    char *s = repeat("1", '0', 10000, "");
    assert_dec_status(s, EX_OUT_OF_RANGE);
    free(s);
    s = repeat("-1", '0', 10000, "");
    assert_dec_status(s, EX_OUT_OF_RANGE);
    free(s);
    s = repeat("1", '0', 10000, "e-10000");
    assert_dec(s, 1000000);
    free(s);
    s = repeat("1", '0', 10006, "e-10012");
    assert_dec(s, 1);
    free(s);
    s = repeat("1", '0', 10006, "e-10013");
    assert_dec(s, 1); /* 0.0000001 rounds to odd */
    free(s);
    s = repeat("0.", '0', 10000, "1");
    assert_dec(s, 1);
    free(s);
    s = repeat("-0.", '0', 10000, "1");
    assert_dec(s, -1);
    free(s);
    s = repeat("0.", '0', 10000, "1e10001");
    assert_dec(s, 1000000);
    free(s);
    s = repeat("0.", '0', 10000, "");
    assert_dec(s, 0);
    free(s);
    s = repeat("2.5", '0', 10000, "");
    assert_dec(s, 2500000);
    free(s);
    s = repeat("2.5", '0', 10000, "1");
    assert_dec(s, 2500001);
    free(s);
    s = repeat("2.4", '9', 10000, "");
    assert_dec(s, 2499999);
    free(s);
    s = repeat("1.", '0', 100000, "1e400");
    assert_dec_status(s, EX_OUT_OF_RANGE);
    free(s);
    /* A 10,000-digit exponent. */
    s = repeat("1e", '9', 10000, "");
    assert_dec_status(s, EX_OUT_OF_RANGE);
    free(s);
    s = repeat("1e-", '9', 10000, "");
    assert_dec(s, 1);
    free(s);
}

static void test_decimal_syntax(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof syntax_errors / sizeof syntax_errors[0]; i++) {
        assert_dec_status(syntax_errors[i], EX_SYNTAX);
    }
    int64_t v = SENTINEL;
    assert_int_equal(ex_parse_decimal(NULL, 0, &v), EX_SYNTAX);
    assert_int_equal(ex_parse_decimal("2.5", 0, &v), EX_SYNTAX);
    assert_int_equal(ex_parse_decimal("2.5\0", 4, &v), EX_SYNTAX);
    assert_true(v == SENTINEL);
    assert_int_equal(ex_parse_decimal("2.5}", 3, &v), EX_OK);
    assert_true(v == 2500000);
    assert_int_equal(ex_parse_decimal("2.5e1", 3, &v), EX_OK);
    assert_true(v == 2500000);
    assert_int_equal(ex_parse_decimal("2.5e1", 4, &v), EX_SYNTAX);
}

/* The same value written with the point and the exponent moved about must
 * parse to the same result, exact or rounded. */
static void test_decimal_equivalent_spellings(void **state)
{
    (void)state;
    static const char *const mantissas[] = {
        "25", "1", "123456789", "120000001", "119999999", "5", "1000001", "999999999999",
    };
    for (size_t i = 0; i < sizeof mantissas / sizeof mantissas[0]; i++) {
        const char *m = mantissas[i];
        size_t n = strlen(m);
        for (int e = -14; e <= 3; e++) {
            char plain[64], shifted[64];
            int64_t a, b;
            snprintf(plain, sizeof plain, "%se%d", m, e);
            ex_status sa = pdec(plain, &a);
            /* Move the point to after the first digit: m = d.ddd * 10^(n-1). */
            if (n > 1) {
                snprintf(shifted, sizeof shifted, "%c.%se%d", m[0], m + 1, e + (int)n - 1);
            } else {
                snprintf(shifted, sizeof shifted, "%se%d", m, e);
            }
            ex_status sb = pdec(shifted, &b);
            if (sa != sb || (sa == EX_OK && a != b)) {
                fail_msg("%s (%d, %" PRId64 ") vs %s (%d, %" PRId64 ")", plain, (int)sa, a,
                         shifted, (int)sb, b);
            }
            /* And with a leading "0." and the exponent raised by n. */
            snprintf(shifted, sizeof shifted, "0.%se%d", m, e + (int)n);
            sb = pdec(shifted, &b);
            if (sa != sb || (sa == EX_OK && a != b)) {
                fail_msg("%s vs %s", plain, shifted);
            }
        }
    }
    int64_t v;
    assert_int_equal(pdec("123456789e-14", &v), EX_OK);
    assert_true(v == 1); /* 0.00000123456789 -> 0.000001 truncated, odd */
    assert_int_equal(pdec("123456789e-12", &v), EX_OK);
    assert_true(v == 123); /* 0.000123456789 -> 123 units, odd already */
    assert_int_equal(pdec("123456789e-11", &v), EX_OK);
    assert_true(v == 1235); /* 0.00123456789 -> 1234 even -> 1235 */
}

/* ---- formatting --------------------------------------------------------- */

static void test_format_values(void **state)
{
    (void)state;
    assert_format(2500000, "2.5");
    assert_format(12000000, "12");
    assert_format(-500000, "-0.5");
    assert_format(0, "0");
    assert_format(1, "0.000001");
    assert_format(-1, "-0.000001");
    assert_format(10, "0.00001");
    assert_format(100000, "0.1");
    assert_format(1000001, "1.000001");
    assert_format(-1000000, "-1");
    assert_format(1234567, "1.234567");
    assert_format(120000000, "120");
    assert_format(333300, "0.3333");
    assert_format(INT64_C(8999999999999999999), "8999999999999.999999");
    assert_format(INT64_MAX, "9223372036854.775807");
    assert_format(INT64_MIN, "-9223372036854.775808");
    assert_format(INT64_MIN + 1, "-9223372036854.775807");
}

/* Independent reference: fixed six places, then trimmed. */
static void ref_format(int64_t scaled, char *out, size_t size)
{
    uint64_t mag = scaled < 0 ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    snprintf(out, size, "%s%" PRIu64 ".%06" PRIu64, scaled < 0 ? "-" : "", mag / 1000000,
             mag % 1000000);
    size_t n = strlen(out);
    while (out[n - 1] == '0') {
        out[--n] = '\0';
    }
    if (out[n - 1] == '.') {
        out[--n] = '\0';
    }
}

static void test_format_round_trip(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 200000; i++) {
        /* xorshift; spread the magnitudes over every scale from 1 to 9e18. */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t mod = 1;
        for (int digits = i % 19; digits > 0; digits--) {
            mod *= 10;
        }
        mod = mod == 1 ? 9 : mod;
        int64_t v = (int64_t)(x % mod % UINT64_C(9000000000000000000));
        if (x & 1) {
            v = -v;
        }
        char got[32], want[48];
        size_t n = ex_format_decimal(v, got);
        ref_format(v, want, sizeof want);
        if (strcmp(got, want) != 0 || n != strlen(want)) {
            fail_msg("format %" PRId64 ": \"%s\", want \"%s\"", v, got, want);
        }
        int64_t back;
        if (ex_parse_decimal(got, n, &back) != EX_OK || back != v) {
            fail_msg("round trip %" PRId64 " -> \"%s\" failed", v, got);
        }
    }
    static const int64_t edges[] = {
        0, 1, -1, 999999, 1000000, 1000001, -999999, INT64_C(8999999999999999999),
        -INT64_C(8999999999999999999), INT64_C(8999999999999000000),
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        char buf[32];
        int64_t back;
        size_t n = ex_format_decimal(edges[i], buf);
        assert_int_equal(ex_parse_decimal(buf, n, &back), EX_OK);
        assert_true(back == edges[i]);
    }
    /* Beyond the parse limit the text is still exact, it just does not parse. */
    char buf[32];
    size_t n = ex_format_decimal(INT64_C(9000000000000000000), buf);
    assert_string_equal(buf, "9000000000000");
    int64_t back = SENTINEL;
    assert_int_equal(ex_parse_decimal(buf, n, &back), EX_OUT_OF_RANGE);
}

/* ---- checked arithmetic ------------------------------------------------- */

static void test_add_sub(void **state)
{
    (void)state;
    int64_t r = SENTINEL;
    assert_true(ex_add(2, 3, &r));
    assert_true(r == 5);
    assert_true(ex_add(INT64_MAX, 0, &r));
    assert_true(r == INT64_MAX);
    assert_true(ex_add(INT64_MAX, INT64_MIN, &r));
    assert_true(r == -1);
    assert_true(ex_add(INT64_MIN, 0, &r));
    assert_true(r == INT64_MIN);
    assert_true(ex_add(INT64_MAX - 1, 1, &r));
    assert_true(r == INT64_MAX);
    r = SENTINEL;
    assert_false(ex_add(INT64_MAX, 1, &r));
    assert_false(ex_add(1, INT64_MAX, &r));
    assert_false(ex_add(INT64_MIN, -1, &r));
    assert_false(ex_add(INT64_MIN, INT64_MIN, &r));
    assert_false(ex_add(INT64_MAX, INT64_MAX, &r));
    assert_true(r == SENTINEL);

    assert_true(ex_sub(2, 3, &r));
    assert_true(r == -1);
    assert_true(ex_sub(-1, INT64_MIN, &r));
    assert_true(r == INT64_MAX);
    assert_true(ex_sub(INT64_MIN, -1, &r));
    assert_true(r == INT64_MIN + 1);
    assert_true(ex_sub(0, INT64_MAX, &r));
    assert_true(r == -INT64_MAX);
    r = SENTINEL;
    assert_false(ex_sub(0, INT64_MIN, &r));
    assert_false(ex_sub(INT64_MIN, 1, &r));
    assert_false(ex_sub(INT64_MAX, -1, &r));
    assert_false(ex_sub(-2, INT64_MAX, &r));
    assert_true(r == SENTINEL);
}

static void test_mul(void **state)
{
    (void)state;
    int64_t r = SENTINEL;
    assert_true(ex_mul(6, 7, &r));
    assert_true(r == 42);
    assert_true(ex_mul(-6, 7, &r));
    assert_true(r == -42);
    assert_true(ex_mul(0, INT64_MIN, &r));
    assert_true(r == 0);
    assert_true(ex_mul(INT64_MIN, 0, &r));
    assert_true(r == 0);
    assert_true(ex_mul(INT64_MIN, 1, &r));
    assert_true(r == INT64_MIN);
    assert_true(ex_mul(1, INT64_MIN, &r));
    assert_true(r == INT64_MIN);
    assert_true(ex_mul(-1, INT64_MAX, &r));
    assert_true(r == -INT64_MAX);
    assert_true(ex_mul(INT64_C(3037000499), INT64_C(3037000499), &r));
    assert_true(r == INT64_C(9223372030926249001));
    assert_true(ex_mul(INT64_C(-4611686018427387904), 2, &r));
    assert_true(r == INT64_MIN);
    assert_true(ex_mul(2, INT64_C(-4611686018427387904), &r));
    assert_true(r == INT64_MIN);
    r = SENTINEL;
    assert_false(ex_mul(INT64_MIN, -1, &r));
    assert_false(ex_mul(-1, INT64_MIN, &r));
    assert_false(ex_mul(INT64_MAX, 2, &r));
    assert_false(ex_mul(INT64_C(3037000500), INT64_C(3037000500), &r));
    assert_false(ex_mul(INT64_C(-3037000500), INT64_C(3037000500), &r));
    assert_false(ex_mul(INT64_C(4611686018427387904), 2, &r));
    assert_false(ex_mul(INT64_C(-4611686018427387904), -2, &r));
    assert_false(ex_mul(INT64_MIN, INT64_MIN, &r));
    assert_false(ex_mul(INT64_MIN, 2, &r));
    assert_true(r == SENTINEL);
}

static void test_decimal_times_int(void **state)
{
    (void)state;
    int64_t w = SENTINEL;
    assert_true(ex_decimal_times_int_exact(2500000, 420, &w));
    assert_true(w == 1050);
    assert_true(ex_decimal_times_int_exact(-2500000, 4, &w));
    assert_true(w == -10);
    assert_true(ex_decimal_times_int_exact(2500000, -4, &w));
    assert_true(w == -10);
    assert_true(ex_decimal_times_int_exact(-2500000, -4, &w));
    assert_true(w == 10);
    assert_true(ex_decimal_times_int_exact(500000, 4, &w));
    assert_true(w == 2);
    assert_true(ex_decimal_times_int_exact(12000000, 7, &w));
    assert_true(w == 84);
    assert_true(ex_decimal_times_int_exact(0, INT64_MAX, &w));
    assert_true(w == 0);
    assert_true(ex_decimal_times_int_exact(2500000, 0, &w));
    assert_true(w == 0);
    assert_true(ex_decimal_times_int_exact(1, 1000000, &w));
    assert_true(w == 1);
    assert_true(ex_decimal_times_int_exact(1000001, 1000000, &w));
    assert_true(w == 1000001);
    assert_true(ex_decimal_times_int_exact(250000, 60, &w)); /* 0.25 h in minutes */
    assert_true(w == 15);
    assert_true(ex_decimal_times_int_exact(1500, 2000, &w)); /* 0.0015 * 2000 */
    assert_true(w == 3);
    /* The naive product scaled * factor would overflow; the result fits. */
    assert_true(ex_decimal_times_int_exact(1, INT64_C(9000000000000000000), &w));
    assert_true(w == INT64_C(9000000000000));
    assert_true(ex_decimal_times_int_exact(500000, INT64_MIN, &w));
    assert_true(w == INT64_MIN / 2);
    assert_true(ex_decimal_times_int_exact(1000000, INT64_MIN, &w));
    assert_true(w == INT64_MIN);
    assert_true(ex_decimal_times_int_exact(-1000000, INT64_MAX, &w));
    assert_true(w == -INT64_MAX);
    assert_true(ex_decimal_times_int_exact(INT64_C(-9223372036854000000), 1, &w));
    assert_true(w == INT64_C(-9223372036854));
    assert_true(ex_decimal_times_int_exact(INT64_MIN, 15625, &w)); /* 2^63 = 2^57 * 10^6 / 15625 */
    assert_true(w == INT64_C(-144115188075855872));
    assert_true(ex_decimal_times_int_exact(2, INT64_C(9000000000000000000), &w));
    assert_true(w == INT64_C(18000000000000));
    assert_true(ex_decimal_times_int_exact(INT64_C(8999999999999999999), 1000000, &w));
    assert_true(w == INT64_C(8999999999999999999));

    w = SENTINEL;
    assert_false(ex_decimal_times_int_exact(333300, 60, &w)); /* 19.998 */
    assert_false(ex_decimal_times_int_exact(500000, 3, &w));  /* 1.5 */
    assert_false(ex_decimal_times_int_exact(-500000, 3, &w)); /* -1.5 */
    assert_false(ex_decimal_times_int_exact(1, 999999, &w));
    assert_false(ex_decimal_times_int_exact(1, -999999, &w));
    assert_false(ex_decimal_times_int_exact(1, INT64_MAX, &w));
    assert_false(ex_decimal_times_int_exact(INT64_MIN, 1, &w)); /* ...854.775808 */
    assert_false(ex_decimal_times_int_exact(INT64_MAX, 1, &w));
    /* Whole but too large. */
    assert_false(ex_decimal_times_int_exact(INT64_C(9000000000000000000), 2000000, &w));
    assert_false(ex_decimal_times_int_exact(-1000000, INT64_MIN, &w));
    assert_false(ex_decimal_times_int_exact(2000000, INT64_MIN, &w));
    assert_false(ex_decimal_times_int_exact(1500000, INT64_C(8000000000000000000), &w));
    assert_true(w == SENTINEL);

    /* Against the definition, for small operands where scaled * factor fits. */
    for (int64_t s = -3000000; s <= 3000000; s += 1237) {
        for (int64_t f = -2000; f <= 2000; f += 7) {
            int64_t p = s * f;
            bool whole = p % EX_SCALE == 0;
            int64_t got = SENTINEL;
            bool ok = ex_decimal_times_int_exact(s, f, &got);
            if (ok != whole || (ok && got != p / EX_SCALE)) {
                fail_msg("%" PRId64 " * %" PRId64 ": %d %" PRId64, s, f, (int)ok, got);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_basic),
        cmocka_unit_test(test_int_not_integer),
        cmocka_unit_test(test_int_ranges),
        cmocka_unit_test(test_int_int64_bounds),
        cmocka_unit_test(test_int_many_digits),
        cmocka_unit_test(test_int_syntax),
        cmocka_unit_test(test_decimal_basic),
        cmocka_unit_test(test_decimal_round_to_odd),
        cmocka_unit_test(test_decimal_tiny_and_huge),
        cmocka_unit_test(test_decimal_long_texts),
        cmocka_unit_test(test_decimal_syntax),
        cmocka_unit_test(test_decimal_equivalent_spellings),
        cmocka_unit_test(test_format_values),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul),
        cmocka_unit_test(test_decimal_times_int),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
