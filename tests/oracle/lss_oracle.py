#!/usr/bin/env python3
"""Reference implementation (test oracle) of the LSS case format.

This file is written from /work/shared/spec/lss-cases.md alone, independently of the C
interpreter, so that the two can be compared on any corpus:

    python3 tests/oracle/lss_oracle.py < cases.jsonl > expected.jsonl

It reads JSON Lines as bytes on stdin and writes one result line per non-blank input line,
in input order, as the spec's Result section says, but without `fired` (the rule ids belong
to the ruleset, not to the format). Like the engine, it exits 0 when every record was
decided and 1 when at least one error line was written. Standard library only; no float
touches a legal value: integers are Python ints, `longest_break_hours` a Decimal.

Readings of the spec chosen here (the spec leaves them open or implicit):

 1. Lines. A line ends at LF; one CR right before the LF is dropped (any other CR is JSON
    whitespace). A final line without LF counts like any other. A line of spaces, tabs and
    CRs only is blank: no result. Anything else (a form feed, a NUL, a UTF-8 BOM) makes a
    non-blank line, and a line that the strict JSON grammar (RFC 8259) does not accept is
    "not JSON": invalid UTF-8, NaN/Infinity, leading zeros, trailing commas, a control
    character inside a string, text after the value, a BOM. Nesting is limited by Python's
    recursion limit (about 1000 levels); deeper lines are "not JSON". The tests only use
    depths that every reader accepts or lines that are not JSON at any depth.
 2. A lone UTF-16 surrogate escape (`"\\ud800"`) is accepted: the JSON grammar allows it.
    The tests avoid it.
 3. One error per record. The first problem found in this order is reported:
    (a) the top-level members in document order; for each member: duplicate key, then
        unknown field, then type, then range / date validity / unknown kind; `needs` is
        checked at its own place, item by item in document order, and inside an item its
        members in document order, then the item's missing required fields (`kind`, then
        `minutes_per_week`);
    (b) missing required top-level fields, in the order of the spec table (`id`,
        `decision_date`, `application_date`, `birth_date`, `personkrets`, `lasting`,
        `needs`);
    (c) date order: `application_date` after `decision_date` (field `application_date`),
        then `birth_date` after `application_date` (field `birth_date`); equal dates are in
        order;
    (d) `decision_date` before 2020-07-01.
    A duplicate key is reported at its second occurrence, so a first occurrence with a bad
    value is reported as that value's problem.
 4. The `id` echoed is the value of the first `id` member when that is a string, whatever
    else is wrong (also when a later duplicate `id` follows); otherwise null.
 5. `null` is a value, not an omission: `"insured_in_sweden": null` is "expected a
    boolean", `"id": null` is "expected a string".
 6. Integers: a JSON number with neither fraction nor exponent; `-0` is 0. `60.0`, `6e1`,
    `true`, `"60"` are "expected an integer". Any integer outside the range, of any number of
    digits, is "out of range". `longest_break_hours` takes any JSON number (fraction and
    exponent allowed, compared exactly; `-0.0` is 0); a non-number is "expected a number".
 7. Dates: exactly 10 characters `YYYY-MM-DD`, ASCII digits, a day of the proleptic
    Gregorian calendar in the years 0001-9999 (year 0000 is not a calendar year; the tests
    avoid it). A non-string date is "expected a string"; a malformed or impossible one is
    "not a valid date".
 8. Age in whole years on a day D: D.year - birth year, less one when D comes before that
    year's birthday, where a 29 February birthday falls on 28 February in common years.
    "Turned N before 2023-01-01" means the age on 2022-12-31 is at least N (the N:th
    birthday is on or before 2022-12-31); likewise for 66 and 2026-01-01.
 9. Age limit met: age on `application_date` is under the person's limit, or
    `granted_minutes_before` > 0 ("with a grant before, the person stays eligible").
    The cap: see `apply_age_cap` below.
10. `exempt_related` exempts any item counted as other needs, of any kind, in every version
    (it is the case system's assessment; the spec's note on what it meant before 2023 is
    not a further condition). A basic `maltider` item with `tube_feeding` is exempt even
    when it is also `integrity_sensitive`.
11. Before 2023-01-01, "a child under 18" is the whole-year age on `decision_date` (with the
    29 February rule); from 2023-01-01 the table uses the month age of the spec.
12. The deduction actually taken is min(deduction, remaining non-exempt minutes), per side;
    the minute fields include exempt minutes.
"""

import datetime
import json
import sys
from decimal import Decimal

# ---------------------------------------------------------------------------------------
# Versioned facts. Everything that changes with the law, keyed by effective date.

V2020 = datetime.date(2020, 7, 1)
V2023 = datetime.date(2023, 1, 1)
V2025 = datetime.date(2025, 1, 1)
V2026 = datetime.date(2026, 1, 1)
VERSIONS = [V2026, V2025, V2023, V2020]  # newest first

# Föräldraavdrag table (minutes/week): list of (min_age, max_age or None, basic, other).
TABLE_2023 = [(0, 0, 5040, 0), (1, 6, 1050, 210), (7, 11, 420, 420), (12, 17, 0, 420)]
TABLE_2025 = [(0, 0, 2520, 0), (1, 6, 525, 105), (7, 11, 210, 210), (12, 17, 0, 210)]

FK_THRESHOLD = 1200  # "mer än 20 timmar i veckan", SFB 51 kap. 3 §

BASIC_KINDS = ["andning", "personlig_hygien", "maltider", "pakladning", "kommunikation",
               "psykisk_skada", "medicinskt_tillstand"]
OTHER_KINDS = ["forflyttning", "matlagning", "inkop", "stad_tvatt", "fritid", "boende",
               "traning", "medicinering", "ovrigt"]
KINDS = set(BASIC_KINDS) | set(OTHER_KINDS)

# ---------------------------------------------------------------------------------------
# JSON reading that keeps what the spec needs and Python's json would lose.


class Num:
    """A JSON number as written: `is_int` when it has no fraction and no exponent."""
    __slots__ = ("text", "is_int")

    def __init__(self, text, is_int):
        self.text = text
        self.is_int = is_int

    def value(self):
        return Decimal(self.text)  # exact, any size


class Obj:
    """A JSON object as its list of (key, value) members in document order."""
    __slots__ = ("pairs",)

    def __init__(self, pairs):
        self.pairs = pairs


def _reject_constant(name):
    raise ValueError("not JSON: " + name)


_DECODER = json.JSONDecoder(
    object_pairs_hook=Obj,
    parse_int=lambda s: Num(s, True),
    parse_float=lambda s: Num(s, False),
    parse_constant=_reject_constant,
    strict=True,
)


def parse_line(raw):
    """Bytes of one line -> parsed value, or raise ValueError when it is not JSON."""
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8")
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ValueError("too deep")


# ---------------------------------------------------------------------------------------
# Validation.


class RecordError(Exception):
    def __init__(self, field, message):
        Exception.__init__(self, message)
        self.field = field
        self.message = message


def check_string(v, path):
    if not isinstance(v, str):
        raise RecordError(path, "expected a string")
    return v


def check_bool(v, path):
    if not isinstance(v, bool):
        raise RecordError(path, "expected a boolean")
    return v


def check_int(lo, hi):
    def check(v, path):
        if not isinstance(v, Num) or not v.is_int:
            raise RecordError(path, "expected an integer")
        d = v.value()
        if d < lo or d > hi:
            raise RecordError(path, "out of range")
        return int(d)
    return check


def check_number(lo, hi):
    def check(v, path):
        if not isinstance(v, Num):
            raise RecordError(path, "expected a number")
        d = v.value()
        if d < lo or d > hi:
            raise RecordError(path, "out of range")
        return d
    return check


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def parse_date(s):
    """`YYYY-MM-DD`, ASCII digits, a real day; None otherwise."""
    if len(s) != 10 or s[4] != "-" or s[7] != "-":
        return None
    digits = s[0:4] + s[5:7] + s[8:10]
    if not all("0" <= c <= "9" for c in digits):
        return None
    y, m, d = int(s[0:4]), int(s[5:7]), int(s[8:10])
    if y < 1 or m < 1 or m > 12 or d < 1:
        return None
    mdays = [31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    if d > mdays:
        return None
    return datetime.date(y, m, d)


def check_date(v, path):
    check_string(v, path)
    d = parse_date(v)
    if d is None:
        raise RecordError(path, "not a valid date")
    return d


def check_kind(v, path):
    check_string(v, path)
    if v not in KINDS:
        raise RecordError(path, "unknown kind")
    return v


# (name, checker, required, default), in the order of the spec tables.
NEED_FIELDS = [
    ("kind", check_kind, True, None),
    ("minutes_per_week", check_int(0, 10080), True, None),
    ("assistants", check_int(1, 4), False, 1),
    ("integrity_sensitive", check_bool, False, False),
    ("tube_feeding", check_bool, False, False),
    ("special_knowledge", check_bool, False, False),
    ("activation_motivation", check_bool, False, False),
    ("documented_risk", check_bool, False, False),
    ("longest_break_hours", check_number(0, 24), False, Decimal(24)),
    ("exempt_related", check_bool, False, False),
]


def check_object(v, path, fields, prefix):
    """Members in document order, then missing required ones in table order."""
    if not isinstance(v, Obj):
        raise RecordError(path, "expected an object")
    spec = {name: (chk, req, dflt) for name, chk, req, dflt in fields}
    out = {}
    for key, val in v.pairs:
        kpath = prefix + key
        if key in out:
            raise RecordError(kpath, "duplicate key")
        if key not in spec:
            raise RecordError(kpath, "unknown field")
        out[key] = spec[key][0](val, kpath)
    for name, _chk, req, dflt in fields:
        if name not in out:
            if req:
                raise RecordError(prefix + name, "missing required field")
            out[name] = dflt
    return out


def check_needs(v, path):
    if not isinstance(v, list):
        raise RecordError(path, "expected an array")
    items = []
    for i, item in enumerate(v):
        ipath = "%s[%d]" % (path, i)
        items.append(check_object(item, ipath, NEED_FIELDS, ipath + "."))
    return items


CASE_FIELDS = [
    ("id", check_string, True, None),
    ("decision_date", check_date, True, None),
    ("application_date", check_date, True, None),
    ("birth_date", check_date, True, None),
    ("personkrets", check_int(0, 3), True, None),
    ("lasting", check_bool, True, None),
    ("insured_in_sweden", check_bool, False, True),
    ("mental_disability", check_bool, False, False),
    ("granted_minutes_before", check_int(0, 40320), False, 0),
    ("double_assistance_investigated", check_bool, False, False),
    ("parental_share_basic_minutes", check_int(0, 10080), False, 0),
    ("parental_share_other_minutes", check_int(0, 10080), False, 0),
    ("needs", check_needs, True, None),
]


def validate(obj):
    case = check_object(obj, None, CASE_FIELDS, "")
    if case["application_date"] > case["decision_date"]:
        raise RecordError("application_date", "after the decision date")
    if case["birth_date"] > case["application_date"]:
        raise RecordError("birth_date", "after the application date")
    if case["decision_date"] < VERSIONS[-1]:
        raise RecordError("decision_date", "before the oldest rule version")
    return case


# ---------------------------------------------------------------------------------------
# The rules.


def age_on(birth, day):
    """Whole years on `day`; a 29 February birthday is 28 February in common years."""
    bm, bd = birth.month, birth.day
    if bm == 2 and bd == 29 and not is_leap(day.year):
        bd = 28
    return day.year - birth.year - (1 if (day.month, day.day) < (bm, bd) else 0)


def month_age(birth, day):
    """The age reached in the month of `day` (förordning 1993:1091 4 a §)."""
    return day.year - birth.year - (1 if day.month < birth.month else 0)


def age_limit(version, birth):
    """LSS 9 b §, SFB 51 kap. 10 §, with the transitions of prop. 2021/22:181."""
    turned_65_before_2023 = age_on(birth, datetime.date(2022, 12, 31)) >= 65
    turned_66_before_2026 = age_on(birth, datetime.date(2025, 12, 31)) >= 66
    if version < V2023:
        return 65
    if turned_65_before_2023:
        return 65
    if version < V2026:
        return 66
    if turned_66_before_2026:
        return 66
    return 67


def is_basic(version, case, need):
    kind = need["kind"]
    from_2023 = version >= V2023
    act = from_2023 and need["activation_motivation"] and case["mental_disability"]
    if kind == "andning":
        return need["documented_risk"]
    if kind in ("personlig_hygien", "pakladning"):
        return need["integrity_sensitive"] or act
    if kind == "maltider":
        return need["tube_feeding"] or need["integrity_sensitive"] or act
    if kind == "kommunikation":
        return need["special_knowledge"] or act
    if kind == "psykisk_skada":
        return case["mental_disability"] and need["documented_risk"]
    if kind == "medicinskt_tillstand":
        return from_2023 and need["documented_risk"] and need["longest_break_hours"] <= 12
    return False


def is_exempt(basic, need):
    if basic:
        kind = need["kind"]
        return (kind in ("andning", "medicinskt_tillstand")
                or (kind == "maltider" and need["tube_feeding"]))
    return need["exempt_related"]


def deduction(version, case):
    """(basic, other) minutes/week to deduct before taking the remaining minutes into account."""
    birth, day = case["birth_date"], case["decision_date"]
    if version < V2023:
        if age_on(birth, day) < 18:
            return case["parental_share_basic_minutes"], case["parental_share_other_minutes"]
        return 0, 0
    table = TABLE_2025 if version >= V2025 else TABLE_2023
    age = month_age(birth, day)
    for lo, hi, basic, other in table:
        if lo <= age <= hi:
            return basic, other
    return 0, 0


def apply_age_cap(granted, age_at_decision, limit, granted_before):
    # READING (rule 4, which the spec leaves slightly open): the cap
    #   granted_minutes = min(granted, granted_minutes_before)
    # applies when the age on decision_date is at or over the limit AND there was a grant
    # before (granted_minutes_before > 0). Someone who applied under the limit with nothing
    # granted before, and is decided after reaching it, is decided normally (the old
    # "ansökan inkom före 65-årsdagen" rule).
    if age_at_decision >= limit and granted_before > 0:
        return min(granted, granted_before)
    return granted


def decide(case):
    version = next(v for v in VERSIONS if case["decision_date"] >= v)
    da = case["double_assistance_investigated"]

    basic_exempt = basic_rest = other_exempt = other_rest = 0
    for need in case["needs"]:
        minutes = need["minutes_per_week"] * (need["assistants"] if da else 1)
        basic = is_basic(version, case, need)
        exempt = is_exempt(basic, need)
        if basic and exempt:
            basic_exempt += minutes
        elif basic:
            basic_rest += minutes
        elif exempt:
            other_exempt += minutes
        else:
            other_rest += minutes

    ded_basic, ded_other = deduction(version, case)
    taken_basic = min(ded_basic, basic_rest)
    taken_other = min(ded_other, other_rest)
    basic_minutes = basic_exempt + basic_rest - taken_basic
    other_minutes = other_exempt + other_rest - taken_other

    limit = age_limit(version, case["birth_date"])
    age_app = age_on(case["birth_date"], case["application_date"])
    age_dec = age_on(case["birth_date"], case["decision_date"])
    gb = case["granted_minutes_before"]
    age_ok = age_app < limit or gb > 0

    eligible = (case["personkrets"] in (1, 2, 3) and case["lasting"] and age_ok
                and basic_minutes > 0)
    if not eligible:
        payer = "none"
    elif basic_minutes > FK_THRESHOLD and case["insured_in_sweden"]:
        payer = "forsakringskassan"
    else:
        payer = "kommun"
    granted = basic_minutes + other_minutes if eligible else 0
    granted = apply_age_cap(granted, age_dec, limit, gb)

    return {
        "id": case["id"],
        "rules_version": version.isoformat(),
        "eligible": eligible,
        "payer": payer,
        "basic_minutes": basic_minutes,
        "other_minutes": other_minutes,
        "parental_deduction_basic_minutes": taken_basic,
        "parental_deduction_other_minutes": taken_other,
        "granted_minutes": granted,
    }


# ---------------------------------------------------------------------------------------
# Driver.


def first_id(obj):
    for key, val in obj.pairs:
        if key == "id":
            return val if isinstance(val, str) else None
    return None


def process_line(raw):
    """One non-blank line (bytes, without LF / trailing CR) -> (result dict, is_error)."""
    try:
        obj = parse_line(raw)
    except ValueError:
        return {"id": None, "error": {"field": None, "message": "not JSON"}}, True
    if not isinstance(obj, Obj):
        return {"id": None, "error": {"field": None, "message": "not a JSON object"}}, True
    try:
        case = validate(obj)
    except RecordError as e:
        return {"id": first_id(obj), "error": {"field": e.field, "message": e.message}}, True
    return decide(case), False


def split_lines(data):
    """Yield the non-blank lines of a JSON Lines byte stream."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the LF ended the last line; nothing follows it
    for line in lines:
        if line.endswith(b"\r"):
            line = line[:-1]
        if line.strip(b" \t\r") == b"":
            continue
        yield line


def main():
    data = sys.stdin.buffer.read()
    out = sys.stdout.buffer
    any_error = False
    for line in split_lines(data):
        result, is_error = process_line(line)
        any_error = any_error or is_error
        out.write(json.dumps(result, separators=(",", ":")).encode("ascii") + b"\n")
    out.flush()
    return 1 if any_error else 0


if __name__ == "__main__":
    sys.exit(main())
