/*
 * Proleptic Gregorian calendar arithmetic on day numbers. Ages and period
 * boundaries decide legal outcomes, so everything is integer arithmetic with
 * closed-form conversions (H. Hinnant's days_from_civil / civil_from_days),
 * independent of time zones, locale and the C library's time functions.
 */
#include "calendar.h"

#include <string.h>


bool cal_is_leap(int y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2) {
        /* int64 so that years reached by add_months cannot wrap; the rule is
         * the same as cal_is_leap. */
        return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28;
    }
    return days[m - 1];
}

/* int64 throughout: the era arithmetic must not overflow for any year the
 * month arithmetic can produce, even outside the accepted range. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * CAL_DAYS_PER_ERA + doe - CAL_SHIFT;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += CAL_SHIFT;
    int64_t era = (z >= 0 ? z : z - (CAL_DAYS_PER_ERA - 1)) / CAL_DAYS_PER_ERA;
    int64_t doe = z - era * CAL_DAYS_PER_ERA;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool cal_valid_ymd(int y, int m, int d)
{
    if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR || m < 1 || m > 12 || d < 1) {
        return false;
    }
    return d <= days_in_month(y, m);
}

cal_day cal_from_ymd(int y, int m, int d)
{
    return (cal_day)days_from_civil(y, m, d);
}

void cal_to_ymd(cal_day day, int *y, int *m, int *d)
{
    int64_t year;
    civil_from_days(day, &year, m, d);
    /* An int32 day number spans under 6 million years, well within int. */
    *y = (int)year;
}

static void put_digits(char *out, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

void cal_format(cal_day day, char out[11])
{
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR) {
        y = m = d = 0;
    }
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

int cal_year(cal_day day)
{
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    return y;
}

int cal_month(cal_day day)
{
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    return m;
}

cal_day cal_start_of_month(cal_day day)
{
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    return (cal_day)(day - (d - 1));
}

cal_day cal_end_of_month(cal_day day)
{
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    return (cal_day)(day + (days_in_month(y, m) - d));
}

/* The month count is widened before multiplying or adding so that no int
 * argument can overflow on the way; only the final day number is narrowed. */
static cal_day add_months_wide(cal_day day, int64_t months)
{
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    int64_t index = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = index >= 0 ? index / 12 : -((-index + 11) / 12);
    int nm = (int)(index - ny * 12) + 1;
    int dim = days_in_month(ny, nm);
    /* Lag 1930:173: a period ending on a day the month lacks ends on the
     * month's last day, which is also how a 29 February birthday falls. */
    return (cal_day)days_from_civil(ny, nm, d < dim ? d : dim);
}

cal_day cal_add_months(cal_day day, int months)
{
    return add_months_wide(day, months);
}

/* civil_from_days and days_from_civil for the days from 0000-03-01 on (every
 * date a rule can hold, and far beyond), in unsigned arithmetic, where each
 * division is by a constant with no sign to correct: the ages the rules
 * compute for every case cost a fraction of what the general functions do.
 * The day is split into centuries of the March-based calendar (four of
 * 146097 days, the last a day longer), then, after C. Neri and L. Schneider
 * ("Euclidean affine functions and their application to calendar
 * algorithms", 2023), the year of the century and the day of the year from
 * the high and low halves of one 64-bit product (2939745 / 2^32 is just
 * above 4 / 1461, the fraction of a four-year cycle a day is), and the
 * month and day from one affine function (2141 / 65536 just above 5 / 153,
 * months of 153 days per five). Both agree with the general functions on
 * every day. */
static void ymd_of(cal_day day, int *y, int *m, int *d)
{
    uint32_t n = (uint32_t)((int64_t)day + CAL_SHIFT);
    if (day < -CAL_SHIFT || n >= (1u << 29)) {
        cal_to_ymd(day, y, m, d);
        return;
    }
    uint32_t centuries = (4 * n + 3) / CAL_DAYS_PER_ERA;
    uint64_t p = (uint64_t)2939745 * ((4 * n + 3) % CAL_DAYS_PER_ERA | 3);
    uint32_t years = (uint32_t)(p >> 32);
    uint32_t of_year = (uint32_t)p / 2939745 / 4;
    uint32_t md = 2141 * of_year + 197913;
    bool next = of_year >= 306; /* January or February: the year after the one it began in */
    *d = (int)((md & 0xFFFF) / 2141 + 1);
    *m = (int)((md >> 16) - (next ? 12 : 0));
    *y = (int)(100 * centuries + years + next);
}

static int64_t day_of(int64_t y, int m, int d)
{
    if (y < 1 || y > 1000000)
        return days_from_civil(y, m, d);
    uint32_t ys = (uint32_t)y - (m <= 2);
    uint32_t era = ys / 400;
    uint32_t yoe = ys - era * 400;
    uint32_t doy = (153 * (uint32_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (uint32_t)d - 1;
    uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * CAL_DAYS_PER_ERA + doe - CAL_SHIFT;
}

/* The birthday in year ny of someone born on m-d (add_months_wide(birth,
 * years * 12): the same month, `years` on). */
static cal_day birthday_in(int64_t ny, int m, int d)
{
    int dim = days_in_month(ny, m);
    /* Lag 1930:173: a 29 February birthday falls on the 28th in a common year. */
    return (cal_day)day_of(ny, m, d < dim ? d : dim);
}

cal_day cal_birthday(cal_day birth, int years)
{
    int y, m, d;
    ymd_of(birth, &y, &m, &d);
    return birthday_in((int64_t)y + years, m, d);
}

bool cal_birthday_within(cal_day birth, int64_t years, cal_day *out)
{
    int y, m, d;
    ymd_of(birth, &y, &m, &d);
    if (years < -9000 || years > 9000 || y + years < CAL_MIN_YEAR || y + years > CAL_MAX_YEAR)
        return false;
    *out = birthday_in(y + years, m, d);
    return true;
}

int cal_age_years(cal_day birth, cal_day on)
{
    int by, bm, bd, oy, om, od;
    ymd_of(birth, &by, &bm, &bd);
    ymd_of(on, &oy, &om, &od);
    /* The birthday this calendar year decides: before it, one year less. It
     * falls as cal_birthday has it (29 February on the 28th in a common
     * year), and within one year comparing months and days is comparing
     * dates, without converting the birthday back to a day number. */
    int birthday = bd == 29 && bm == 2 && !cal_is_leap(oy) ? 28 : bd;
    return oy - by - (om < bm || (om == bm && od < birthday));
}

int cal_age_in_month(cal_day birth, cal_day on)
{
    int by, bm, bd, oy, om, od;
    ymd_of(birth, &by, &bm, &bd);
    ymd_of(on, &oy, &om, &od);
    return oy - by - (om < bm);
}
