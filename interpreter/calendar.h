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

/* Days since 1970-01-01 (negative before). 0001-01-01 is -719162 and
 * 9999-12-31 is 2932896. */
typedef int32_t cal_day;

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
 * NUL-terminated. */
bool cal_parse(const char *s, size_t len, cal_day *out);
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
