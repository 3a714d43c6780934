/*
 * Exact numbers. Amounts, hours and thresholds in rules decide legal results,
 * so number text (JSON number tokens and rule-file literals) is converted
 * straight to scaled integers and all arithmetic is checked integer
 * arithmetic: no floating point anywhere, no silent rounding, no overflow.
 *
 * Accepted text is the JSON number grammar, for literals as well:
 *   -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * No leading '+', no leading zeros, no surrounding space. `len` is
 * authoritative: text need not be NUL-terminated, and a NUL inside the first
 * `len` bytes is a syntax error.
 */
#ifndef REGEL_EXACT_H
#define REGEL_EXACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { EX_OK, EX_NOT_INTEGER, EX_OUT_OF_RANGE, EX_SYNTAX } ex_status;

/* Integers. Checks in this order: grammar (EX_SYNTAX), then any fraction or
 * exponent makes it EX_NOT_INTEGER even when its value is whole ("60.0",
 * "6e1"), then a value outside [lo, hi] is EX_OUT_OF_RANGE however many digits
 * it has (a 30- or 10,000-digit number, either sign). "-0" is 0.
 * *out is written only on EX_OK. */
ex_status ex_parse_int(const char *text, size_t len, int64_t lo, int64_t hi, int64_t *out);

/* Decimals are int64 scaled by EX_SCALE (6 fractional digits). Fraction and
 * exponent are accepted ("2.5", "1e1", "2.5E-3", "-0.0" which is 0).
 *
 * Values with at most 6 fractional digits are represented exactly. Beyond
 * that the value is rounded to odd: truncated toward zero and, if anything
 * non-zero was dropped, the last kept digit forced odd (one unit away from
 * zero when it was even). An inexact value therefore never lands on an even
 * unit count, which keeps every comparison against a value with at most 5
 * fractional digits (or an even 6th) exact: 12.0000001 > 12, 11.9999999 < 12,
 * 0.0000001 > 0. It does not separate a 7+-digit value from the odd 6-digit
 * value it truncates to: 12.0000011 parses to exactly 12.000001.
 *
 * |x| >= 9e12 ("9e12", "1e400") is EX_OUT_OF_RANGE; a tiny non-zero value
 * ("1e-400") becomes +-0.000001. Time is linear in len whatever the exponent.
 * *out is written only on EX_OK. */
#define EX_SCALE 1000000
ex_status ex_parse_decimal(const char *text, size_t len, int64_t *out);

/* Writes the shortest exact text of a scaled decimal plus a NUL: 2500000 ->
 * "2.5", 12000000 -> "12", -500000 -> "-0.5", 0 -> "0". Every int64 value is
 * accepted. Returns the length without the NUL; 32 bytes is always enough
 * (the longest, INT64_MIN, takes 21 plus the NUL). The text parses back with
 * ex_parse_decimal to the same value whenever |scaled| < 9e18, i.e. whenever
 * the value is one ex_parse_decimal can produce. */
size_t ex_format_decimal(int64_t scaled, char *out);

/* Checked arithmetic: false on overflow, *out then left untouched. */
bool ex_add(int64_t a, int64_t b, int64_t *out);
bool ex_sub(int64_t a, int64_t b, int64_t *out);
bool ex_mul(int64_t a, int64_t b, int64_t *out);

/* Multiplies a scaled decimal by an integer and returns true only if the
 * product is a whole number that fits in int64, stored in *whole_out
 * (2.5 * 420 = 1050). False, *whole_out untouched, when the product has a
 * fraction (0.3333 * 60 = 19.998) or overflows. No intermediate overflows
 * where the result itself fits (0.000001 * 9e18 = 9e12). */
bool ex_decimal_times_int_exact(int64_t scaled, int64_t factor, int64_t *whole_out);

#endif
