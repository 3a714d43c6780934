/*
 * Exact conversion of number text to scaled integers, and checked integer
 * arithmetic on them. Legal thresholds (an hour limit, an amount, an age) must
 * compare the same way on every machine, so nothing here goes through binary
 * floating point: digits are consumed one at a time into integers, values
 * too large for the result are detected before they can overflow, and a value
 * too precise for the scale is rounded to odd so that it still compares
 * correctly against coarser thresholds.
 */
#include "exact.h"

/* Decimal magnitudes must stay below 9e12, i.e. scaled below 9e18: a round
 * bound under INT64_MAX (about 9.22e18) that leaves room for rounding up by
 * one unit and for sums of a few values to be checked rather than wrap. */
#define EX_SCALED_LIMIT UINT64_C(9000000000000000000)

/* Exponents are saturated here while being read. No text that fits in memory
 * has enough digits to bring a larger exponent back into range, so the
 * result is the same as with the exact exponent, and the position arithmetic
 * below stays far from int64 overflow. */
#define EX_EXPONENT_CAP INT64_C(100000000000000000)

/* Texts longer than this cannot exist in memory; refusing them keeps digit
 * counts representable in int64 next to the saturated exponent. */
#define EX_MAX_TEXT (UINT64_C(1) << 60)

/* The pieces of a syntactically valid JSON number token. */
typedef struct {
    bool negative;
    const char *digits; /* integer digits followed by fraction digits, the '.' skipped */
    size_t int_len;
    size_t frac_len;
    bool has_frac;
    bool has_exp;
    int64_t exponent; /* saturated at +-EX_EXPONENT_CAP */
} ex_number;

static bool is_digit(char c)
{
    /* Not isdigit(): that is locale-dependent and undefined for negative char. */
    return c >= '0' && c <= '9';
}

static bool scan_number(const char *text, size_t len, ex_number *n)
{
    size_t i = 0;
    if (text == NULL || len == 0 || (uint64_t)len > EX_MAX_TEXT) {
        return false;
    }
    n->negative = false;
    n->has_frac = false;
    n->has_exp = false;
    n->frac_len = 0;
    n->exponent = 0;

    if (text[i] == '-') {
        n->negative = true;
        i++;
    }
    if (i == len || !is_digit(text[i])) {
        return false;
    }
    n->digits = text + i;
    if (text[i] == '0') {
        i++;
    } else {
        while (i < len && is_digit(text[i])) {
            i++;
        }
    }
    n->int_len = (size_t)(text + i - n->digits);

    if (i < len && text[i] == '.') {
        i++;
        size_t start = i;
        while (i < len && is_digit(text[i])) {
            i++;
        }
        if (i == start) {
            return false;
        }
        n->has_frac = true;
        n->frac_len = i - start;
    }

    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        bool exp_negative = false;
        i++;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            exp_negative = text[i] == '-';
            i++;
        }
        size_t start = i;
        int64_t e = 0;
        while (i < len && is_digit(text[i])) {
            if (e < EX_EXPONENT_CAP) {
                e = e * 10 + (text[i] - '0');
            }
            i++;
        }
        if (i == start) {
            return false;
        }
        if (e > EX_EXPONENT_CAP) {
            e = EX_EXPONENT_CAP;
        }
        n->has_exp = true;
        n->exponent = exp_negative ? -e : e;
    }
    return i == len;
}

/* The digit at index i of the combined digit string, skipping the '.'. */
static int digit_at(const ex_number *n, size_t i)
{
    size_t offset = i < n->int_len ? i : i + 1;
    return n->digits[offset] - '0';
}

ex_status ex_parse_int(const char *text, size_t len, int64_t lo, int64_t hi, int64_t *out)
{
    ex_number n;
    if (!scan_number(text, len, &n)) {
        return EX_SYNTAX;
    }
    if (n.has_frac || n.has_exp) {
        return EX_NOT_INTEGER;
    }
    /* The magnitude is accumulated unsigned so that INT64_MIN's magnitude,
     * 2^63, is representable; anything beyond it is out of every int64 range
     * and stops the accumulation before it can wrap. */
    const uint64_t max_magnitude = (uint64_t)INT64_MAX + 1;
    uint64_t magnitude = 0;
    for (size_t i = 0; i < n.int_len; i++) {
        uint64_t d = (uint64_t)digit_at(&n, i);
        if (magnitude > (max_magnitude - d) / 10) {
            return EX_OUT_OF_RANGE;
        }
        magnitude = magnitude * 10 + d;
    }
    int64_t value;
    if (n.negative) {
        value = magnitude == max_magnitude ? INT64_MIN : -(int64_t)magnitude;
    } else {
        if (magnitude > (uint64_t)INT64_MAX) {
            return EX_OUT_OF_RANGE;
        }
        value = (int64_t)magnitude;
    }
    if (value < lo || value > hi) {
        return EX_OUT_OF_RANGE;
    }
    *out = value;
    return EX_OK;
}

ex_status ex_parse_decimal(const char *text, size_t len, int64_t *out)
{
    ex_number n;
    if (!scan_number(text, len, &n)) {
        return EX_SYNTAX;
    }
    /* The value is digits * 10^(exponent - frac_len); scaled by 10^6, the
     * digit at index i carries the power (int_len - 1 - i) + exponent + 6.
     * Digits with power >= 0 are kept, the rest are dropped. `kept_end` is
     * the index one past the last digit with power >= 0. */
    size_t total = n.int_len + n.frac_len;
    int64_t kept_end = (int64_t)n.int_len + n.exponent + 6;
    size_t kept = kept_end <= 0 ? 0 : (uint64_t)kept_end >= total ? total : (size_t)kept_end;

    /* Once the prefix reaches limit/10, one more digit or factor of ten
     * reaches the limit, so checking before multiplying never overflows. */
    const uint64_t guard = EX_SCALED_LIMIT / 10;
    uint64_t magnitude = 0;
    for (size_t i = 0; i < kept; i++) {
        int d = digit_at(&n, i);
        if (magnitude >= guard) {
            return EX_OUT_OF_RANGE;
        }
        magnitude = magnitude * 10 + (uint64_t)d;
    }
    /* Powers of ten past the last digit: at most 19 steps before a non-zero
     * magnitude reaches the limit, however large the exponent. */
    if (magnitude != 0 && kept_end > (int64_t)total) {
        for (int64_t z = kept_end - (int64_t)total; z > 0; z--) {
            if (magnitude >= guard) {
                return EX_OUT_OF_RANGE;
            }
            magnitude *= 10;
        }
    }

    bool dropped_nonzero = false;
    for (size_t i = kept; i < total && !dropped_nonzero; i++) {
        dropped_nonzero = digit_at(&n, i) != 0;
    }
    /* Round to odd: an inexact result never equals an even unit count, so its
     * order against any such threshold is the order of the exact value. */
    if (dropped_nonzero && magnitude % 2 == 0) {
        magnitude++;
    }
    /* magnitude < EX_SCALED_LIMIT here, so both signs fit int64. */
    *out = n.negative ? -(int64_t)magnitude : (int64_t)magnitude;
    return EX_OK;
}

size_t ex_format_decimal(int64_t scaled, char *out)
{
    /* Unsigned so that INT64_MIN has a magnitude too. */
    uint64_t magnitude = scaled < 0 ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    uint64_t whole = magnitude / EX_SCALE;
    uint64_t frac = magnitude % EX_SCALE;
    char digits[24];
    size_t nd = 0;
    size_t len = 0;

    if (scaled < 0) {
        out[len++] = '-';
    }
    do {
        digits[nd++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    while (nd > 0) {
        out[len++] = digits[--nd];
    }
    if (frac != 0) {
        int places = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            places--;
        }
        out[len++] = '.';
        for (int i = places - 1; i >= 0; i--) {
            out[len + (size_t)i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        len += (size_t)places;
    }
    out[len] = '\0';
    return len;
}

bool ex_add(int64_t a, int64_t b, int64_t *out)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) {
        return false;
    }
    *out = a + b;
    return true;
}

bool ex_sub(int64_t a, int64_t b, int64_t *out)
{
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)) {
        return false;
    }
    *out = a - b;
    return true;
}

bool ex_mul(int64_t a, int64_t b, int64_t *out)
{
    /* Each bound is computed by a division that cannot itself overflow. */
    if (a > 0) {
        if (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a) {
            return false;
        }
    } else if (a < 0) {
        if (b > 0 ? a < INT64_MIN / b : b < INT64_MAX / a) {
            return false;
        }
    }
    *out = a * b;
    return true;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b != 0) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

bool ex_decimal_times_int_exact(int64_t scaled, int64_t factor, int64_t *whole_out)
{
    /* scaled * factor / SCALE = q * factor + r * factor / SCALE, with q and r
     * of the same sign. The second term is whole exactly when factor is a
     * multiple of SCALE / gcd(r, SCALE), and can then be computed without
     * forming r * factor, which could overflow even when the result fits. */
    int64_t q = scaled / EX_SCALE;
    int64_t r = scaled % EX_SCALE;
    int64_t whole_part, frac_part = 0;
    if (!ex_mul(q, factor, &whole_part)) {
        return false;
    }
    if (r != 0) {
        int64_t g = gcd64(r < 0 ? -r : r, EX_SCALE);
        int64_t need = EX_SCALE / g;
        if (factor % need != 0) {
            return false;
        }
        if (!ex_mul(r / g, factor / need, &frac_part)) {
            return false;
        }
    }
    /* Both terms share the product's sign, so the sum overflows only if the
     * product does. */
    return ex_add(whole_part, frac_part, whole_out);
}
