/*
 * Calendar dates as day numbers. Legal results (ages, entitlement periods,
 * month boundaries) rest on these, so every rule is the real proleptic
 * Gregorian calendar computed in integers: no floating point and no libc time
 * functions, whose behaviour depends on time zones and locale.
 */
#ifndef REGEL_CALENDAR_H
#define REGEL_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Days since 1970-01-01 (negative before). 0001-01-01 is -719162 and
 * 9999-12-31 is 2932896. */
typedef int32_t cal_day;

enum { CAL_MIN_YEAR = 1, CAL_MAX_YEAR = 9999 };

/* Days from 1970-01-01 back to 0000-03-01, the epoch the conversions count
 * from: starting the year in March puts the leap day last, so month lengths
 * follow a fixed pattern. */
enum { CAL_SHIFT = 719468, CAL_DAYS_PER_ERA = 146097 };

/* Accepted years are 1..9999, the years a YYYY-MM-DD text can hold. */
bool cal_valid_ymd(int y, int m, int d);
/* Precondition: cal_valid_ymd(y, m, d). */
cal_day cal_from_ymd(int y, int m, int d);
/* Any day number converts; days outside years 1..9999 give proleptic years
 * (0 and negative years included). */
void cal_to_ymd(cal_day day, int *y, int *m, int *d);

/* Strict: exactly 10 ASCII chars YYYY-MM-DD, digits only, a real calendar day
 * (2023-02-30, 2023-13-01, 2023-00-10, 0000-01-01 rejected). Returns false
 * otherwise and leaves *out untouched. `len` is authoritative: s need not be
 * NUL-terminated.
 *
 * Three dates or more are read for every case record, so this is inline and
 * the whole of cal_valid_ymd and days_from_civil for the one form
 * "YYYY-MM-DD", in unsigned arithmetic. The first eight bytes are checked at once, against
 * "0000-00-" and "9999-99-" a byte at a time in one word: a byte with its
 * top bit set is at least any of the bounds' ASCII bytes, so the
 * subtractions never borrow from a neighbour, in either byte order; only
 * ASCII digits are dates (not isdigit(), which depends on the locale). */
static inline bool cal_parse(const char *s, size_t len, cal_day *out)
{
    if (s == NULL || len != 10) {
        return false;
    }
    static const char low_bytes[8] = {'0', '0', '0', '0', '-', '0', '0', '-'};
    static const char high_bytes[8] = {'9', '9', '9', '9', '-', '9', '9', '-'};
    uint64_t w, low, high;
    const uint64_t tops = 0x8080808080808080u;
    memcpy(&w, s, 8);
    memcpy(&low, low_bytes, 8);
    memcpy(&high, high_bytes, 8);
    const unsigned char *u = (const unsigned char *)s;
    unsigned d0 = u[8] - 48u, d1 = u[9] - 48u;
    if ((w & tops) || (((w | tops) - low) & tops) != tops || (((high | tops) - w) & tops) != tops || d0 > 9 ||
        d1 > 9) {
        return false;
    }
    unsigned y = (u[0] - 48u) * 1000 + (u[1] - 48u) * 100 + (u[2] - 48u) * 10 + (u[3] - 48u);
    unsigned m = (u[5] - 48u) * 10 + (u[6] - 48u), d = d0 * 10 + d1;
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < CAL_MIN_YEAR || m < 1 || m > 12 || d < 1 ||
        d > month_days[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 1u : 0u)) {
        return false;
    }
    /* Days before each month of a year that starts in March. */
    static const unsigned short before[12] = {306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275};
    y -= m <= 2;
    /* days_from_civil's eras folded into one count of leap days, as the
     * year is never negative here. */
    unsigned days = y * 365 + y / 4 - y / 100 + y / 400 + before[m - 1] + d - 1;
    *out = (cal_day)((int32_t)days - CAL_SHIFT);
    return true;
}

/* Writes "YYYY-MM-DD" and a NUL. A day outside years 1..9999 is written as
 * "0000-00-00", which cal_parse rejects, so it cannot pass as a real date. */
void cal_format(cal_day day, char out[11]);

int cal_year(cal_day day);
int cal_month(cal_day day);
cal_day cal_start_of_month(cal_day day);
cal_day cal_end_of_month(cal_day day);
bool cal_is_leap(int y);

/* Age in whole years on `on` of someone born on `birth`: the largest n such
 * that cal_birthday(birth, n) <= on. Someone born on 29 February reaches each
 * new age on 28 February in common years (lag 1930:173 1 §).
 * When on < birth the result is the negative count by the same rule: -1 on
 * every day from cal_birthday(birth, -1) up to the day before birth, -2 in the
 * year before that, and so on; never 0 before birth. Callers that must reject
 * such dates check on < birth themselves. */
int cal_age_years(cal_day birth, cal_day on);
/* The age "reached in the month" of `on`: year(on) - year(birth), less one
 * when month(on) < month(birth). The whole month in which a child turns N
 * counts as age N. When on < birth the same formula applies (0 in the month
 * of birth, negative before it). */
int cal_age_in_month(cal_day birth, cal_day on);
/* The date on which someone born on `birth` reaches `years` years: the same
 * month and day `years` later, 29 February becoming 28 February in common
 * years. Precondition: the resulting year lies in 1..9999. */
cal_day cal_birthday(cal_day birth, int years);
/* cal_birthday(birth, years) into *out when |years| <= 9000 and the year it
 * falls in lies in 1..9999; else false. */
bool cal_birthday_within(cal_day birth, int64_t years, cal_day *out);
/* Same day of the month `months` later (or earlier, when negative), clamped
 * to the end of a shorter month: 31 Jan + 1 month = 28/29 Feb, 31 Mar - 1
 * month = 28/29 Feb. Precondition: the resulting year lies in 1..9999. */
cal_day cal_add_months(cal_day day, int months);

#endif
