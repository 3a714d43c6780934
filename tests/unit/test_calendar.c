/*
 * Unit tests for the calendar. Expected day numbers were taken from an
 * independent implementation (Python's datetime); the day-by-day walks check
 * the closed-form conversions against a plain calendar counter that shares no
 * code with them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

static cal_day D(int y, int m, int d)
{
    assert_true(cal_valid_ymd(y, m, d));
    return cal_from_ymd(y, m, d);
}

static void assert_ymd(cal_day day, int y, int m, int d)
{
    int ay = -1, am = -1, ad = -1;
    cal_to_ymd(day, &ay, &am, &ad);
    assert_int_equal(ay, y);
    assert_int_equal(am, m);
    assert_int_equal(ad, d);
}

static void assert_date(cal_day day, const char *expected)
{
    char buf[11];
    cal_format(day, buf);
    assert_string_equal(buf, expected);
}

/* Independent of the code under test: a table and the textbook leap rule. */
static int ref_days_in_month(int y, int m)
{
    static const int t[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 400 == 0) || (y % 4 == 0 && y % 100 != 0);
    return m == 2 && leap ? 29 : t[m];
}

static void ref_next_day(int *y, int *m, int *d)
{
    if (*d < ref_days_in_month(*y, *m)) {
        (*d)++;
    } else if (*m < 12) {
        (*m)++;
        *d = 1;
    } else {
        (*y)++;
        *m = 1;
        *d = 1;
    }
}

static bool parse_str(const char *s, cal_day *out)
{
    return cal_parse(s, strlen(s), out);
}

/* ---- leap years --------------------------------------------------------- */

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(cal_is_leap(1900));
    assert_true(cal_is_leap(2000));
    assert_true(cal_is_leap(2024));
    assert_false(cal_is_leap(2023));
    assert_false(cal_is_leap(2100));
    assert_false(cal_is_leap(2200));
    assert_false(cal_is_leap(2300));
    assert_true(cal_is_leap(2400));
    assert_true(cal_is_leap(1600));
    assert_true(cal_is_leap(4));
    assert_false(cal_is_leap(1));
    assert_true(cal_is_leap(9996));
    assert_false(cal_is_leap(9999));
}

/* ---- known day numbers -------------------------------------------------- */

static void test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(cal_from_ymd(1970, 1, 1), 0);
    assert_int_equal(cal_from_ymd(1969, 12, 31), -1);
    assert_int_equal(cal_from_ymd(2000, 1, 1), 10957);
    assert_int_equal(cal_from_ymd(2000, 2, 29), 11016);
    assert_int_equal(cal_from_ymd(2024, 2, 29), 19782);
    assert_int_equal(cal_from_ymd(1900, 1, 1), -25567);
    assert_int_equal(cal_from_ymd(2100, 12, 31), 47846);
    assert_int_equal(cal_from_ymd(1600, 3, 1), -135080);
    assert_int_equal(cal_from_ymd(1, 1, 1), -719162);
    assert_int_equal(cal_from_ymd(9999, 12, 31), 2932896);

    assert_ymd(0, 1970, 1, 1);
    assert_ymd(-1, 1969, 12, 31);
    assert_ymd(11016, 2000, 2, 29);
    assert_ymd(-719162, 1, 1, 1);
    assert_ymd(2932896, 9999, 12, 31);
}

/* ---- round trips -------------------------------------------------------- */

static void walk_and_check(int y0, int y1, bool full_checks)
{
    int y = y0, m = 1, d = 1;
    cal_day first = cal_from_ymd(y0, 1, 1);
    cal_day last = cal_from_ymd(y1, 12, 31);
    long count = 0;
    for (cal_day day = first; day <= last; day++, count++) {
        int ty, tm, td;
        cal_to_ymd(day, &ty, &tm, &td);
        if (ty != y || tm != m || td != d) {
            fail_msg("day %ld: got %d-%d-%d, want %d-%d-%d", (long)day, ty, tm, td, y, m, d);
        }
        if (cal_from_ymd(y, m, d) != day) {
            fail_msg("from_ymd(%d-%d-%d) != %ld", y, m, d, (long)day);
        }
        if (!cal_valid_ymd(y, m, d)) {
            fail_msg("valid_ymd(%d-%d-%d) false", y, m, d);
        }
        if (full_checks) {
            char want[48], got[11];
            snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
            cal_format(day, got);
            assert_string_equal(got, want);
            cal_day parsed = INT32_MIN;
            assert_true(cal_parse(got, 10, &parsed));
            assert_int_equal(parsed, day);
            assert_int_equal(cal_year(day), y);
            assert_int_equal(cal_month(day), m);
            assert_int_equal(cal_start_of_month(day), day - (d - 1));
            assert_int_equal(cal_end_of_month(day), day + (ref_days_in_month(y, m) - d));
            if (d == ref_days_in_month(y, m)) {
                assert_false(cal_valid_ymd(y, m, d + 1));
            }
        }
        ref_next_day(&y, &m, &d);
    }
    assert_int_equal(y, y1 + 1);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    assert_int_equal(count, (long)last - (long)first + 1);
}

static void test_round_trip_1900_2100(void **state)
{
    (void)state;
    /* 201 years: 73,414 days, every one formatted, parsed and converted. */
    walk_and_check(1900, 2100, true);
}

static void test_round_trip_all_years(void **state)
{
    (void)state;
    /* Every day of years 1..9999 through to_ymd/from_ymd. */
    walk_and_check(1, 9999, false);
}

static void test_out_of_range_days(void **state)
{
    (void)state;
    /* Just outside the accepted years: proleptic conversion still works,
     * formatting refuses to produce a parsable date. */
    assert_ymd(-719163, 0, 12, 31);
    assert_ymd(2932897, 10000, 1, 1);
    assert_date(-719163, "0000-00-00");
    assert_date(2932897, "0000-00-00");
    assert_date(INT32_MIN, "0000-00-00");
    assert_date(INT32_MAX, "0000-00-00");
    cal_day sink;
    assert_false(parse_str("0000-00-00", &sink));

    int y, m, d;
    cal_to_ymd(INT32_MAX, &y, &m, &d);
    assert_true(y > 5000000);
    assert_int_equal(cal_from_ymd(1, 1, 1) - 1, -719163);
    cal_to_ymd(INT32_MIN, &y, &m, &d);
    assert_true(y < -5000000);
    assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
}

/* ---- validity and parsing ----------------------------------------------- */

static void test_valid_ymd(void **state)
{
    (void)state;
    assert_true(cal_valid_ymd(1, 1, 1));
    assert_true(cal_valid_ymd(9999, 12, 31));
    assert_false(cal_valid_ymd(0, 1, 1));
    assert_false(cal_valid_ymd(10000, 1, 1));
    assert_false(cal_valid_ymd(-1, 1, 1));
    assert_false(cal_valid_ymd(INT_MIN, 1, 1));
    assert_false(cal_valid_ymd(INT_MAX, 1, 1));
    assert_false(cal_valid_ymd(2023, 0, 1));
    assert_false(cal_valid_ymd(2023, 13, 1));
    assert_false(cal_valid_ymd(2023, -1, 1));
    assert_false(cal_valid_ymd(2023, 1, 0));
    assert_false(cal_valid_ymd(2023, 1, 32));
    assert_false(cal_valid_ymd(2023, 1, -1));
    assert_false(cal_valid_ymd(2023, 2, 29));
    assert_true(cal_valid_ymd(2024, 2, 29));
    assert_false(cal_valid_ymd(2024, 2, 30));
    assert_false(cal_valid_ymd(1900, 2, 29));
    assert_true(cal_valid_ymd(2000, 2, 29));
    assert_false(cal_valid_ymd(2023, 4, 31));
    assert_false(cal_valid_ymd(2023, 6, 31));
    assert_false(cal_valid_ymd(2023, 9, 31));
    assert_false(cal_valid_ymd(2023, 11, 31));
    assert_true(cal_valid_ymd(2023, 12, 31));
}

static void test_parse_valid(void **state)
{
    (void)state;
    cal_day day = 12345;
    assert_true(parse_str("1970-01-01", &day));
    assert_int_equal(day, 0);
    assert_true(parse_str("2024-02-29", &day));
    assert_int_equal(day, 19782);
    assert_true(parse_str("2000-02-29", &day));
    assert_int_equal(day, 11016);
    assert_true(parse_str("0001-01-01", &day));
    assert_int_equal(day, -719162);
    assert_true(parse_str("9999-12-31", &day));
    assert_int_equal(day, 2932896);

    /* len is authoritative: a prefix of a longer text is a date... */
    const char *stamp = "2023-05-17T08:00:00";
    assert_true(cal_parse(stamp, 10, &day));
    assert_int_equal(day, D(2023, 5, 17));
    /* ...but the whole text is not. */
    assert_false(cal_parse(stamp, strlen(stamp), &day));
    /* No terminating NUL is needed. */
    const char raw[10] = {'2', '0', '2', '3', '-', '0', '5', '-', '1', '7'};
    assert_true(cal_parse(raw, sizeof raw, &day));
    assert_int_equal(day, D(2023, 5, 17));
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* not calendar days */
        "2023-02-30", "2023-02-29", "2024-02-30", "1900-02-29", "2100-02-29",
        "2023-04-31", "2023-06-31", "2023-09-31", "2023-11-31", "2023-01-32",
        "2023-00-10", "2023-13-01", "2023-99-01", "2023-01-00", "0000-01-01",
        "0000-00-00",
        /* wrong shape or length */
        "", "2023", "2023-1-01", "2023-01-1", "2023-1-1", "23-01-01", "20230-01-01",
        "2023-001-1", "2023-0101-", "20230101", "2023-01-011", "02023-01-01",
        "2023/01/01", "2023.01.01", "2023-01/01", "2023_01_01", "01-01-2023",
        /* non-digits in digit positions */
        "202a-01-01", "2023-0a-01", "2023-01-0a", "2023-01-1a", "+023-01-01",
        "-023-01-01", "2023--1-01", "2023-01--1", "2023-+1-01", "2023-01-+1",
        "2023-0x-01", "2023-o1-01", "2O23-01-01", "2023-01-0:", "2023-01-0/",
        /* surrounding or inner space */
        " 2023-01-01", "2023-01-01 ", " 023-01-01", "2023-01-1 ", "2023-01- 1",
        "2023 -01-01", "2023-01-01\n", "\t2023-01-01", "2023-01-01\r",
        /* non-ASCII digits: full-width (3 bytes each), and 10-byte texts with
         * Arabic-Indic one U+0661, superscript one, a Latin-1 superscript and
         * bytes >= 0x80 where digits belong */
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x93-01-01",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x93-\xef\xbc\x90\xef\xbc\x91-\xef\xbc\x90\xef\xbc\x91",
        "2023-01-\xd9\xa1", "2023-01-\xc2\xb9", "2023-01-1\xb9", "2023-\xb9\xb9-01",
        "\xb2\xb0\xb2\xb3-01-01", "2023-01-0\xff", "2023-01-0\x80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cal_day day = 777;
        if (parse_str(bad[i], &day)) {
            fail_msg("accepted \"%s\"", bad[i]);
        }
        assert_int_equal(day, 777); /* untouched on failure */
    }

    /* Ten bytes with an embedded NUL. */
    cal_day day = 777;
    assert_false(cal_parse("2023-01-0\0", 10, &day));
    assert_false(cal_parse("2023-\0001-01", 10, &day));
    assert_false(cal_parse(NULL, 10, &day));
    assert_false(cal_parse("2023-01-01", 9, &day));
    assert_false(cal_parse("2023-01-01", 0, &day));
    assert_int_equal(day, 777);
}

/* cal_parse has its own arithmetic for speed: it must say what
 * cal_valid_ymd and cal_from_ymd say for every year, every month and day
 * number 0 to 13 and 0 to 32 (wrong ones included). */
static void test_parse_agrees_with_ymd(void **state)
{
    (void)state;
    char s[16];
    for (int y = 0; y <= 9999; y++)
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++) {
                snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
                cal_day day = 777;
                bool ok = cal_parse(s, 10, &day);
                if (ok != cal_valid_ymd(y, m, d) || (ok && day != cal_from_ymd(y, m, d)))
                    fail_msg("cal_parse(\"%s\") disagrees", s);
            }
}

/* cal_parse checks eight bytes in one word: every byte at every position
 * of a valid date, the neighbours of '0', '9' and '-' and the bytes with the
 * top bit set among them, must be judged as a byte-by-byte reading would. */
static void test_parse_each_byte(void **state)
{
    (void)state;
    const char *valid[] = {"2024-02-29", "0001-01-01", "9999-12-31", "1999-09-09"};
    for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++)
        for (int at = 0; at < 10; at++)
            for (int b = 0; b < 256; b++) {
                char s[11];
                memcpy(s, valid[v], 11);
                s[at] = (char)b;
                bool dash = at == 4 || at == 7;
                bool want = dash ? b == '-' : b >= '0' && b <= '9';
                int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
                want = want && cal_valid_ymd(y, m, d);
                cal_day day = 777;
                bool ok = cal_parse(s, 10, &day);
                if (ok != want || (ok && day != cal_from_ymd(y, m, d)) || (!ok && day != 777))
                    fail_msg("cal_parse of %s with byte %d at %d", valid[v], b, at);
            }
}

static void test_format(void **state)
{
    (void)state;
    assert_date(0, "1970-01-01");
    assert_date(D(2024, 2, 29), "2024-02-29");
    assert_date(D(1, 1, 1), "0001-01-01");
    assert_date(D(999, 9, 9), "0999-09-09");
    assert_date(D(9999, 12, 31), "9999-12-31");
    char buf[11];
    memset(buf, 'x', sizeof buf);
    cal_format(D(2023, 5, 7), buf);
    assert_int_equal(buf[10], '\0');
    assert_int_equal(strlen(buf), 10);
}

/* ---- month boundaries --------------------------------------------------- */

static void test_start_end_of_month(void **state)
{
    (void)state;
    assert_int_equal(cal_start_of_month(D(2024, 2, 15)), D(2024, 2, 1));
    assert_int_equal(cal_end_of_month(D(2024, 2, 15)), D(2024, 2, 29));
    assert_int_equal(cal_end_of_month(D(2023, 2, 15)), D(2023, 2, 28));
    assert_int_equal(cal_end_of_month(D(1900, 2, 1)), D(1900, 2, 28));
    assert_int_equal(cal_end_of_month(D(2000, 2, 1)), D(2000, 2, 29));
    assert_int_equal(cal_end_of_month(D(2100, 2, 28)), D(2100, 2, 28));
    assert_int_equal(cal_start_of_month(D(2024, 2, 29)), D(2024, 2, 1));
    assert_int_equal(cal_end_of_month(D(2024, 2, 29)), D(2024, 2, 29));
    assert_int_equal(cal_start_of_month(D(2024, 3, 1)), D(2024, 3, 1));
    assert_int_equal(cal_end_of_month(D(2023, 4, 10)), D(2023, 4, 30));
    assert_int_equal(cal_end_of_month(D(2023, 1, 1)), D(2023, 1, 31));
    assert_int_equal(cal_start_of_month(D(2023, 12, 31)), D(2023, 12, 1));
    assert_int_equal(cal_end_of_month(D(2023, 12, 1)), D(2023, 12, 31));
    assert_int_equal(cal_start_of_month(D(1, 1, 17)), D(1, 1, 1));
    assert_int_equal(cal_end_of_month(D(9999, 12, 5)), D(9999, 12, 31));
    assert_int_equal(cal_start_of_month(D(1969, 12, 31)), D(1969, 12, 1));
}

static void test_year_month(void **state)
{
    (void)state;
    assert_int_equal(cal_year(D(2023, 12, 31)), 2023);
    assert_int_equal(cal_month(D(2023, 12, 31)), 12);
    assert_int_equal(cal_year(D(2024, 1, 1)), 2024);
    assert_int_equal(cal_month(D(2024, 1, 1)), 1);
    assert_int_equal(cal_year(-1), 1969);
    assert_int_equal(cal_month(D(2024, 2, 29)), 2);
}

static void test_add_months(void **state)
{
    (void)state;
    assert_int_equal(cal_add_months(D(2023, 1, 31), 1), D(2023, 2, 28));
    assert_int_equal(cal_add_months(D(2024, 1, 31), 1), D(2024, 2, 29));
    assert_int_equal(cal_add_months(D(2024, 3, 31), -1), D(2024, 2, 29));
    assert_int_equal(cal_add_months(D(2023, 3, 31), -1), D(2023, 2, 28));
    assert_int_equal(cal_add_months(D(2023, 5, 31), 1), D(2023, 6, 30));
    assert_int_equal(cal_add_months(D(2023, 8, 31), 1), D(2023, 9, 30));
    assert_int_equal(cal_add_months(D(2023, 1, 30), 1), D(2023, 2, 28));
    assert_int_equal(cal_add_months(D(2023, 1, 28), 1), D(2023, 2, 28));
    assert_int_equal(cal_add_months(D(2023, 1, 15), 1), D(2023, 2, 15));
    assert_int_equal(cal_add_months(D(2023, 1, 15), 0), D(2023, 1, 15));
    assert_int_equal(cal_add_months(D(2023, 1, 31), 0), D(2023, 1, 31));
    assert_int_equal(cal_add_months(D(2023, 1, 15), 12), D(2024, 1, 15));
    assert_int_equal(cal_add_months(D(2023, 12, 15), 1), D(2024, 1, 15));
    assert_int_equal(cal_add_months(D(2024, 1, 15), -1), D(2023, 12, 15));
    assert_int_equal(cal_add_months(D(2024, 1, 15), -13), D(2022, 12, 15));
    assert_int_equal(cal_add_months(D(2024, 1, 15), -12), D(2023, 1, 15));
    assert_int_equal(cal_add_months(D(2023, 11, 30), 3), D(2024, 2, 29));
    assert_int_equal(cal_add_months(D(2023, 1, 31), 13), D(2024, 2, 29));
    assert_int_equal(cal_add_months(D(2024, 2, 29), 12), D(2025, 2, 28));
    assert_int_equal(cal_add_months(D(2024, 2, 29), 48), D(2028, 2, 29));
    assert_int_equal(cal_add_months(D(1899, 12, 31), 2), D(1900, 2, 28));
    /* Clamping loses the day: month by month is not the same as at once. */
    assert_int_equal(cal_add_months(cal_add_months(D(2023, 1, 31), 1), 1), D(2023, 3, 28));
    assert_int_equal(cal_add_months(D(2023, 1, 31), 2), D(2023, 3, 31));
    /* The ends of the accepted range. */
    assert_int_equal(cal_add_months(D(1, 1, 1), 9998 * 12 + 11), D(9999, 12, 1));
    assert_int_equal(cal_add_months(D(9999, 12, 31), -(9998 * 12 + 11)), D(1, 1, 31));
    assert_int_equal(cal_add_months(D(9999, 3, 31), -(9998 * 12 + 1)), D(1, 2, 28));
}

/* ---- ages --------------------------------------------------------------- */

static void test_age_around_birthday(void **state)
{
    (void)state;
    cal_day b = D(2000, 6, 15);
    assert_int_equal(cal_age_years(b, D(2010, 6, 14)), 9);
    assert_int_equal(cal_age_years(b, D(2010, 6, 15)), 10);
    assert_int_equal(cal_age_years(b, D(2010, 6, 16)), 10);
    assert_int_equal(cal_age_years(b, D(2011, 6, 14)), 10);
    assert_int_equal(cal_age_years(b, b), 0);
    assert_int_equal(cal_age_years(b, D(2001, 6, 14)), 0);
    assert_int_equal(cal_age_years(b, D(2001, 6, 15)), 1);
    assert_int_equal(cal_age_years(b, D(2018, 6, 14)), 17);
    assert_int_equal(cal_age_years(b, D(2018, 6, 15)), 18);

    /* Year ends. */
    cal_day nye = D(2000, 12, 31);
    assert_int_equal(cal_age_years(nye, D(2001, 12, 30)), 0);
    assert_int_equal(cal_age_years(nye, D(2001, 12, 31)), 1);
    assert_int_equal(cal_age_years(nye, D(2002, 1, 1)), 1);
    cal_day ny = D(2001, 1, 1);
    assert_int_equal(cal_age_years(ny, D(2001, 12, 31)), 0);
    assert_int_equal(cal_age_years(ny, D(2002, 1, 1)), 1);

    /* Neighbours of the leap day are not moved. */
    cal_day feb28 = D(2000, 2, 28);
    assert_int_equal(cal_age_years(feb28, D(2004, 2, 27)), 3);
    assert_int_equal(cal_age_years(feb28, D(2004, 2, 28)), 4);
    assert_int_equal(cal_age_years(feb28, D(2003, 2, 28)), 3);
    cal_day mar1 = D(2000, 3, 1);
    assert_int_equal(cal_age_years(mar1, D(2001, 2, 28)), 0);
    assert_int_equal(cal_age_years(mar1, D(2001, 3, 1)), 1);
    assert_int_equal(cal_age_years(mar1, D(2004, 2, 29)), 3);
    assert_int_equal(cal_age_years(mar1, D(2004, 3, 1)), 4);
}

static void test_age_before_birth(void **state)
{
    (void)state;
    /* Documented: the negative count, never 0 before birth. */
    cal_day b = D(2000, 6, 15);
    assert_int_equal(cal_age_years(b, D(2000, 6, 14)), -1);
    assert_int_equal(cal_age_years(b, D(2000, 1, 1)), -1);
    assert_int_equal(cal_age_years(b, D(1999, 6, 15)), -1);
    assert_int_equal(cal_age_years(b, D(1999, 6, 14)), -2);
    assert_int_equal(cal_age_years(b, D(1990, 6, 15)), -10);
    assert_int_equal(cal_age_years(b, D(1990, 6, 14)), -11);
}

static void test_age_leap_day_birth(void **state)
{
    (void)state;
    cal_day b = D(2024, 2, 29);
    assert_int_equal(cal_age_years(b, b), 0);
    assert_int_equal(cal_age_years(b, D(2025, 2, 27)), 0);
    assert_int_equal(cal_age_years(b, D(2025, 2, 28)), 1); /* lag 1930:173 */
    assert_int_equal(cal_age_years(b, D(2025, 3, 1)), 1);
    assert_int_equal(cal_age_years(b, D(2026, 2, 27)), 1);
    assert_int_equal(cal_age_years(b, D(2026, 2, 28)), 2);
    assert_int_equal(cal_age_years(b, D(2027, 2, 28)), 3);
    assert_int_equal(cal_age_years(b, D(2028, 2, 28)), 3); /* leap year: waits */
    assert_int_equal(cal_age_years(b, D(2028, 2, 29)), 4);
    assert_int_equal(cal_age_years(b, D(2028, 3, 1)), 4);
    assert_int_equal(cal_age_years(b, D(2100, 2, 27)), 75); /* 2100 is common */
    assert_int_equal(cal_age_years(b, D(2100, 2, 28)), 76);
    assert_int_equal(cal_age_years(b, D(2400, 2, 28)), 375);
    assert_int_equal(cal_age_years(b, D(2400, 2, 29)), 376);
    assert_int_equal(cal_age_years(b, D(2024, 2, 28)), -1);
    assert_int_equal(cal_age_years(b, D(2023, 2, 28)), -1);
    assert_int_equal(cal_age_years(b, D(2023, 2, 27)), -2);

    cal_day b2000 = D(2000, 2, 29);
    assert_int_equal(cal_age_years(b2000, D(2001, 2, 28)), 1);
    assert_int_equal(cal_age_years(b2000, D(2018, 2, 27)), 17);
    assert_int_equal(cal_age_years(b2000, D(2018, 2, 28)), 18);
}

/* Independent definition of the age rule, compared with cal_age_years for
 * every day of 2019..2031 and a handful of awkward birth dates. */
static int ref_age(int by, int bm, int bd, int oy, int om, int od)
{
    if (bm == 2 && bd == 29 && ref_days_in_month(oy, 2) == 28) {
        bd = 28;
    }
    int age = oy - by;
    if (om < bm || (om == bm && od < bd)) {
        age--;
    }
    return age;
}

static void test_age_sweep(void **state)
{
    (void)state;
    static const int births[][3] = {
        {2020, 2, 29}, {2019, 2, 28}, {2019, 3, 1}, {2018, 12, 31},
        {2019, 1, 1},  {2021, 6, 15}, {2016, 2, 29}, {2012, 6, 28},
    };
    for (size_t i = 0; i < sizeof births / sizeof births[0]; i++) {
        int by = births[i][0], bm = births[i][1], bd = births[i][2];
        cal_day b = D(by, bm, bd);
        for (cal_day on = D(2019, 1, 1); on <= D(2031, 12, 31); on++) {
            int oy, om, od;
            cal_to_ymd(on, &oy, &om, &od);
            int age = cal_age_years(b, on);
            int want = ref_age(by, bm, bd, oy, om, od);
            if (age != want) {
                fail_msg("born %d-%d-%d on %d-%d-%d: %d, want %d", by, bm, bd, oy, om, od, age,
                         want);
            }
            /* The age is bracketed by consecutive birthdays. */
            assert_true(cal_birthday(b, age) <= on);
            assert_true(on < cal_birthday(b, age + 1));
            int in_month = oy - by - (om < bm ? 1 : 0);
            assert_int_equal(cal_age_in_month(b, on), in_month);
        }
    }
}

static void test_age_in_month(void **state)
{
    (void)state;
    cal_day b = D(2012, 6, 28);
    assert_int_equal(cal_age_in_month(b, D(2024, 6, 3)), 12);
    assert_int_equal(cal_age_in_month(b, D(2024, 5, 31)), 11);
    assert_int_equal(cal_age_in_month(b, D(2024, 6, 1)), 12);
    assert_int_equal(cal_age_in_month(b, D(2024, 6, 27)), 12);
    assert_int_equal(cal_age_years(b, D(2024, 6, 27)), 11); /* the difference */
    assert_int_equal(cal_age_in_month(b, D(2024, 6, 30)), 12);
    assert_int_equal(cal_age_in_month(b, D(2024, 7, 1)), 12);
    assert_int_equal(cal_age_in_month(b, D(2024, 12, 31)), 12);
    assert_int_equal(cal_age_in_month(b, D(2025, 1, 1)), 12);
    assert_int_equal(cal_age_in_month(b, D(2025, 5, 31)), 12);
    assert_int_equal(cal_age_in_month(b, D(2025, 6, 1)), 13);
    assert_int_equal(cal_age_in_month(b, D(2012, 6, 1)), 0);
    assert_int_equal(cal_age_in_month(b, b), 0);
    assert_int_equal(cal_age_in_month(b, D(2012, 5, 31)), -1);

    cal_day leap = D(2024, 2, 29);
    assert_int_equal(cal_age_in_month(leap, D(2025, 2, 1)), 1);
    assert_int_equal(cal_age_in_month(leap, D(2025, 1, 31)), 0);
}

static void test_birthday(void **state)
{
    (void)state;
    cal_day leap = D(2024, 2, 29);
    assert_int_equal(cal_birthday(leap, 0), leap);
    assert_int_equal(cal_birthday(leap, 1), D(2025, 2, 28));
    assert_int_equal(cal_birthday(leap, 3), D(2027, 2, 28));
    assert_int_equal(cal_birthday(leap, 4), D(2028, 2, 29));
    assert_int_equal(cal_birthday(leap, 76), D(2100, 2, 28));
    assert_int_equal(cal_birthday(leap, 376), D(2400, 2, 29));
    assert_int_equal(cal_birthday(leap, -1), D(2023, 2, 28));
    assert_int_equal(cal_birthday(leap, -4), D(2020, 2, 29));

    cal_day b = D(2012, 6, 28);
    assert_int_equal(cal_birthday(b, 18), D(2030, 6, 28));
    assert_int_equal(cal_birthday(b, 65), D(2077, 6, 28));
    assert_int_equal(cal_birthday(b, -2011), D(1, 6, 28));
    assert_int_equal(cal_birthday(b, 7987), D(9999, 6, 28));
    assert_int_equal(cal_birthday(D(2000, 12, 31), 1), D(2001, 12, 31));
    assert_int_equal(cal_birthday(D(2000, 1, 1), 100), D(2100, 1, 1));
    assert_int_equal(cal_birthday(D(2000, 2, 28), 1), D(2001, 2, 28));
    assert_int_equal(cal_birthday(D(2000, 3, 1), 1), D(2001, 3, 1));

    /* Within the calendar, the same day; outside it, or more than 9000 years on, none. */
    cal_day day = 0;
    assert_true(cal_birthday_within(leap, 1, &day));
    assert_int_equal(day, D(2025, 2, 28));
    assert_true(cal_birthday_within(b, 7987, &day));
    assert_int_equal(day, D(9999, 6, 28));
    assert_false(cal_birthday_within(b, 7988, &day));
    assert_true(cal_birthday_within(b, -2011, &day));
    assert_int_equal(day, D(1, 6, 28));
    assert_false(cal_birthday_within(b, -2012, &day));
    assert_true(cal_birthday_within(D(1, 1, 1), 9000, &day));
    assert_int_equal(day, D(9001, 1, 1));
    assert_false(cal_birthday_within(D(1, 1, 1), 9001, &day));
    assert_false(cal_birthday_within(D(9999, 1, 1), -9001, &day));
    assert_false(cal_birthday_within(b, INT64_MAX, &day));
    assert_false(cal_birthday_within(b, INT64_MIN, &day));
    for (int years = -100; years <= 100; years++) {
        assert_true(cal_birthday_within(leap, years, &day));
        assert_int_equal(day, cal_birthday(leap, years));
    }

    /* The birthday is the day the age changes. */
    cal_day bd18 = cal_birthday(b, 18);
    assert_int_equal(cal_age_years(b, bd18 - 1), 17);
    assert_int_equal(cal_age_years(b, bd18), 18);
}

/* Ages and birthdays take a shortcut through the day-to-date conversion for
 * the days from 0000-03-01 on; they agree with the general conversions
 * (cal_to_ymd, cal_add_months) across the whole calendar, and before and
 * after it, where the general ones are used. */
static void test_ages_agree_with_the_general_conversions(void **state)
{
    (void)state;
    const cal_day births[] = {D(2000, 2, 29), D(1, 1, 1),   D(1, 3, 1),         D(1999, 12, 31), D(2012, 6, 28),
                              D(9999, 12, 31), D(1600, 2, 29), -719468 /* 0000-03-01 */, -719469, -800000,
                              5000000, 536000000};
    for (size_t i = 0; i < sizeof births / sizeof *births; i++) {
        cal_day b = births[i];
        int by, bm, bd;
        cal_to_ymd(b, &by, &bm, &bd);
        for (cal_day on = D(1, 1, 1) - 2000; on <= D(9999, 12, 31) + 2000; on += 97) {
            int oy, om, od;
            cal_to_ymd(on, &oy, &om, &od);
            if (cal_age_years(b, on) != ref_age(by, bm, bd, oy, om, od) || cal_age_in_month(b, on) != oy - by - (om < bm))
                fail_msg("born %d-%d-%d on %d-%d-%d", by, bm, bd, oy, om, od);
        }
        for (int n = -120; n <= 120; n++)
            assert_int_equal(cal_birthday(b, n), cal_add_months(b, 12 * n));
    }
}

/* The shortcut's year, month and day of a birth (ymd_of, in calendar.c) and
 * its day number of a date (day_of), for every day of the calendar and two
 * thousand days on either side: the birthdays thirty years on and back
 * against the general month arithmetic, which sees a day misread, and the
 * ages on three fixed days against the general conversion, which see a
 * month or a year misread. */
static void test_ages_of_every_birth_day(void **state)
{
    (void)state;
    static const int on_days[][3] = {{5000, 1, 1}, {5000, 6, 15}, {5000, 12, 31}};
    cal_day on[3];
    for (size_t i = 0; i < 3; i++)
        on[i] = D(on_days[i][0], on_days[i][1], on_days[i][2]);
    for (cal_day b = D(1, 1, 1) - 2000; b <= D(9999, 12, 31) + 2000; b++) {
        int by, bm, bd;
        cal_to_ymd(b, &by, &bm, &bd);
        if (cal_birthday(b, 30) != cal_add_months(b, 360) || cal_birthday(b, -30) != cal_add_months(b, -360))
            fail_msg("born %d-%d-%d: birthdays 30 years on and back", by, bm, bd);
        for (size_t i = 0; i < 3; i++) {
            int oy = on_days[i][0], om = on_days[i][1], od = on_days[i][2];
            if (cal_age_years(b, on[i]) != ref_age(by, bm, bd, oy, om, od) ||
                cal_age_in_month(b, on[i]) != oy - by - (om < bm))
                fail_msg("born %d-%d-%d on %d-%d-%d", by, bm, bd, oy, om, od);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_round_trip_1900_2100),
        cmocka_unit_test(test_round_trip_all_years),
        cmocka_unit_test(test_out_of_range_days),
        cmocka_unit_test(test_valid_ymd),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_start_end_of_month),
        cmocka_unit_test(test_year_month),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_age_around_birthday),
        cmocka_unit_test(test_age_before_birth),
        cmocka_unit_test(test_age_leap_day_birth),
        cmocka_unit_test(test_age_sweep),
        cmocka_unit_test(test_age_in_month),
        cmocka_unit_test(test_birthday),
        cmocka_unit_test(test_parse_agrees_with_ymd),
        cmocka_unit_test(test_parse_each_byte),
        cmocka_unit_test(test_ages_agree_with_the_general_conversions),
        cmocka_unit_test(test_ages_of_every_birth_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
