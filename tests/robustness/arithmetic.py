#!/usr/bin/env python3
"""Exact arithmetic at its edges: a differential test against Python's fractions.

A small ruleset computes integer, decimal, duration and comparison results
from the record's own numbers; a seeded corpus drives them through overflow
(values near 2**63), division by zero, quotients and products with more than
six decimals, and durations that are not whole minutes. For every record:

- decided: the value is exactly the mathematical result;
- an error record: the result is not representable (not a whole number of
  its unit, more than six decimals, outside 64 bits), or an operand scaled to
  six decimals does not fit 64 bits; any other error is a failure;
- never a crash, and (in the sanitizer build) never undefined behaviour such
  as a signed overflow on the way.

usage: arithmetic.py REGEL
"""
import json
import os
import random
import subprocess
import sys
import tempfile
from decimal import Decimal
from fractions import Fraction

INT64 = 2 ** 63
SCALE = 10 ** 6

RULES = """version 2020-01-01
input case
  field id: text
  field day: date
  field op: integer
  field a: integer = 0
  field b: integer = 0
  field x: decimal = 0
  field y: decimal = 0
  field w: weekly = 0 min/week
  select version by day
output
  key id
  version version
  result i: integer
  result d: decimal
  result m: weekly
  result t: bool
  fired fired
  error error: field, message
rule ints "test"
  i = if op = 1 then a + b else if op = 2 then a - b else if op = 3 then a * b else if op = 5 then -a else if op = 6 then min(a, b) else if op = 7 then max(a, b, 0) else 0
rule decs "test"
  d = if op = 11 then x + y else if op = 12 then x - y else if op = 13 then x * y else if op = 14 then x / y else if op = 15 then a / y else if op = 16 then x + a * 1.0 else if op = 17 then x * a else if op = 18 then a / b else 0.0
rule weekly "test"
  m = if op = 21 then w * x else if op = 22 then w / x else if op = 23 then w * a else if op = 24 then w / a else if op = 25 then w + w else 0 min/week
rule compare "test"
  t = if op = 31 then x < a else if op = 32 then a = x else if op = 33 then w / w > x else false
"""

OPS = [1, 2, 3, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 31, 32, 33]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def fits(v):
    return -INT64 <= v < INT64


def scaled_fits(*values):
    return all(fits(Fraction(v) * SCALE) for v in values)


def expected(op, a, b, x, y, w):
    """(result name, exact value) or (name, None) when it must be an error;
    `lenient` when an error is allowed because an operand scaled to six
    decimals leaves 64 bits."""
    if op < 10:
        v = {1: a + b, 2: a - b, 3: a * b, 5: -a, 6: min(a, b), 7: max(a, b, 0)}[op]
        return "i", v if fits(v) else None, False
    if op < 20:
        try:
            v = {11: lambda: x + y, 12: lambda: x - y, 13: lambda: x * y, 14: lambda: x / y,
                 15: lambda: Fraction(a) / y, 16: lambda: x + a, 17: lambda: x * a,
                 18: lambda: Fraction(a) / b}[op]()
        except ZeroDivisionError:
            return "d", None, False
        ok = (v * SCALE).denominator == 1 and fits(v * SCALE)
        return "d", v if ok else None, not scaled_fits(x, y, a, b)
    if op < 30:
        try:
            v = {21: lambda: w * x, 22: lambda: w / x, 23: lambda: Fraction(w * a), 24: lambda: Fraction(w, a),
                 25: lambda: Fraction(2 * w)}[op]()
        except ZeroDivisionError:
            return "m", None, False
        ok = v.denominator == 1 and fits(v)
        return "m", v if ok else None, not scaled_fits(x, a, w)
    try:
        v = {31: lambda: x < a, 32: lambda: a == x, 33: lambda: Fraction(1) > x}[op]()
    except ZeroDivisionError:
        return "t", None, False
    if op == 33 and w == 0:
        return "t", None, False
    return "t", v, not scaled_fits(x, a, w)


def main():
    regel = sys.argv[1]
    rnd = random.Random(20261124)
    ints = [0, 1, -1, 2, 3, 7, 10, 1000, -1000, INT64 - 1, -INT64, INT64 // 2, -(INT64 // 2), 3037000499,
            3037000500, 9223372036854, 9223372036855, -9223372036855]
    decs = ["0", "1", "-1", "0.5", "0.000001", "-0.000001", "0.333333", "2.5", "3", "1000000", "123456.789012",
            "8999999999999.999999", "-8999999999999.999999", "4611686018427.387904", "0.1", "7"]
    weeks = [0, 1, 2, 3, 60, 100, 10080, 2 ** 62, INT64 - 1]
    lines, cases = [], []
    for n in range(4000):
        op = rnd.choice(OPS)
        a, b = rnd.choice(ints), rnd.choice(ints)
        if rnd.random() < 0.3:
            a, b = rnd.randint(-10 ** 6, 10 ** 6), rnd.randint(-50, 50)
        x, y = rnd.choice(decs), rnd.choice(decs)
        w = rnd.choice(weeks) if rnd.random() < 0.6 else rnd.randint(0, 20000)
        rec = '{"id":"%d","day":"2021-01-01","op":%d,"a":%d,"b":%d,"x":%s,"y":%s,"w":%d}' % (n, op, a, b, x, y, w)
        lines.append(rec)
        cases.append((op, a, b, Fraction(Decimal(x)), Fraction(Decimal(y)), w))
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "r"))
        with open(os.path.join(tmp, "r", "2020-01-01.regel"), "w") as f:
            f.write(RULES)
        p = subprocess.run([regel, "eval", os.path.join(tmp, "r"), "-"], input=("\n".join(lines) + "\n").encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        fail("exit %d: %s" % (p.returncode, p.stderr[-2000:]))
    out = [json.loads(x, parse_float=Decimal) for x in p.stdout.decode().splitlines()]
    if len(out) != len(cases):
        fail("%d results for %d records" % (len(out), len(cases)))
    decided = errors = 0
    for line, r, (op, a, b, x, y, w) in zip(lines, out, cases):
        name, want, lenient = expected(op, a, b, x, y, w)
        if "error" in r:
            errors += 1
            if r["error"]["field"] is not None:
                fail("%s: the record was not read: %r" % (line, r))
            if want is not None and not lenient:
                fail("%s: error %r, expected %s = %s" % (line, r["error"]["message"], name, want))
        else:
            decided += 1
            got = r[name]
            got = Fraction(got) if not isinstance(got, bool) else got
            if want is None or got != want:
                fail("%s: %s = %s, expected %s" % (line, name, r[name], "an error" if want is None else want))
    if decided < 1000 or errors < 500:
        fail("the corpus lost its edge: %d decided, %d errors" % (decided, errors))
    print("exact arithmetic: %d records, %d decided exactly, %d refused" % (len(cases), decided, errors))


if __name__ == "__main__":
    main()
