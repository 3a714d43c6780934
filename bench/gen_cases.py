#!/usr/bin/env python3
"""Seeded generator of LSS case corpora (JSON Lines) for benchmarks and differential tests.

    python3 bench/gen_cases.py --seed 42 --count 10000 [--bad-share 0.1] > cases.jsonl

Writes `--count` record lines (lines that get a result) plus some blank lines (which get
none), as bytes: the same seed and arguments always give the same bytes. The expected
results come from the oracle, not from here:

    python3 tests/oracle/lss_oracle.py < cases.jsonl > expected.jsonl

Good records are realistic cases across the four rule versions (decision dates
2020-07-01..2027-12-31, and a few before 2020-07-01, which are errors), with scenarios
weighted towards the boundaries of the rules: children in every föräldraavdrag age band and
in the month of their birthday, 29 February births, people whose 65th, 66th or 67th
birthday falls the day before, of or after the application or decision date or the
transitions of 2023-01-01 and 2026-01-01, basic needs of 1199/1200/1201 minutes, double
assistance, every need kind with each flag on and off, optional fields omitted or given,
unusual but valid number and string spellings (`-0`, `1.2e1`, `\\u0069d`).

A share `--bad-share` of the records is bad, each with exactly ONE problem so that the
expected error `field` does not depend on the order in which an implementation checks:
not JSON, truncated JSON, non-object JSON, invalid UTF-8, wrong types, out-of-range and huge
integers, `60.0`-style integers, impossible dates, unknown fields and kinds, duplicate keys
(top level and in needs), missing fields, an `id` that is not a string, date order errors.
Some lines end in CRLF, and the last line may lack its LF.
"""

import argparse
import datetime
import json
import random
import sys

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

BASIC_KINDS = ["andning", "personlig_hygien", "maltider", "pakladning", "kommunikation",
               "psykisk_skada", "medicinskt_tillstand"]
OTHER_KINDS = ["forflyttning", "matlagning", "inkop", "stad_tvatt", "fritid", "boende",
               "traning", "medicinering", "ovrigt"]
ALL_KINDS = BASIC_KINDS + OTHER_KINDS
NEED_FLAGS = ["integrity_sensitive", "tube_feeding", "special_knowledge",
              "activation_motivation", "documented_risk", "exempt_related"]
# The flag that makes each basic kind qualify (for scenarios that want a basic need).
QUALIFYING = {"andning": ["documented_risk"], "personlig_hygien": ["integrity_sensitive"],
              "maltider": ["tube_feeding"], "pakladning": ["integrity_sensitive"],
              "kommunikation": ["special_knowledge"]}

OLDEST = D(2020, 7, 1)
LATEST = D(2027, 12, 31)
VERSION_EDGES = [D(2020, 7, 1), D(2022, 12, 31), D(2023, 1, 1), D(2024, 12, 31),
                 D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1)]


# ---------------------------------------------------------------------------------------
# A record is a list of [key, value] members (so that keys can repeat and keep their order);
# Raw text is written verbatim, which is how odd or broken spellings get in.


class Raw(str):
    pass


class Obj(list):
    pass


def emit(v, spaced, ascii_only):
    if isinstance(v, Raw):
        return str(v)
    colon, comma = (": ", ", ") if spaced else (":", ",")
    if isinstance(v, Obj):
        return "{" + comma.join(emit(k, spaced, ascii_only) + colon + emit(x, spaced, ascii_only)
                                for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + comma.join(emit(x, spaced, ascii_only) for x in v) + "]"
    if isinstance(v, D):
        return json.dumps(v.isoformat())
    return json.dumps(v, ensure_ascii=ascii_only)


def get(obj, key):
    for k, v in obj:
        if k == key:
            return v
    return None


def put(obj, key, value):
    for member in obj:
        if member[0] == key:
            member[1] = value
            return
    obj.append([key, value])


def remove(obj, key):
    obj[:] = [m for m in obj if m[0] != key]


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def rand_date(rng, lo, hi):
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def years_before(day, n, rng):
    """A birth date whose n-th birthday is `day` (29 February births included)."""
    y = day.year - n
    if day.month == 2 and day.day == 29:
        return D(y, 2, 29) if is_leap(y) else None
    if day.month == 2 and day.day == 28 and not is_leap(day.year) and is_leap(y) \
            and rng.random() < 0.5:
        return D(y, 2, 29)  # reaches each new age on 28 February in common years
    return D(y, day.month, day.day)


# ---------------------------------------------------------------------------------------
# Good records.


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seed = seed

    # -- building blocks ----------------------------------------------------------------

    def need(self, kind=None, minutes=None, flags=None, extra=True):
        r = self.rng
        kind = kind or r.choice(ALL_KINDS)
        if minutes is None:
            minutes = r.choice([0, 10080, r.randint(0, 3000), 5 * r.randint(1, 400),
                                60 * r.randint(1, 40)])
        item = Obj([["kind", kind], ["minutes_per_week", minutes]])
        opts = []
        if extra and r.random() < 0.3:
            opts.append(["assistants", r.choice([1, 1, 2, 2, 3, 4])])
        for f in NEED_FLAGS:
            if flags and f in flags:
                opts.append([f, flags[f]])
            elif extra and r.random() < 0.35:
                opts.append([f, r.random() < 0.6])
        if kind == "medicinskt_tillstand" or (extra and r.random() < 0.1):
            if r.random() < 0.85:
                opts.append(["longest_break_hours", self.hours()])
        r.shuffle(opts)
        for o in opts:
            put(item, o[0], o[1])
        return item

    def hours(self):
        r = self.rng
        return r.choice([Raw("0"), Raw("-0.0"), Raw("6"), Raw("11.99"), Raw("12"),
                         Raw("12.0"), Raw("1.2e1"), Raw("12.000001"), Raw("12.5"),
                         Raw("13"), Raw("24"), Raw("24.0"), Raw("2.4E+1"), Raw("1e-400"),
                         Raw("12.000000000000000000000000000001"), Raw("0.12e2"),
                         Raw("11.999999999999999999999"), Raw("1200e-2"),
                         Raw(str(r.randint(0, 24))), Raw("%d.%d" % (r.randint(0, 23),
                                                                    r.randint(0, 99)))])

    def needs(self, n=None):
        n = self.rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6]) if n is None else n
        return [self.need() for _ in range(n)]

    def base(self, scenario, decision, application, birth, needs, **fields):
        """A record in the usual field order, optional fields sometimes given."""
        r = self.rng
        rec = Obj([["id", self.make_id(scenario)], ["decision_date", decision],
                   ["application_date", application], ["birth_date", birth],
                   ["personkrets", fields.pop("personkrets", r.choice([1, 1, 2, 3, 3, 0]))],
                   ["lasting", fields.pop("lasting", r.random() < 0.92)]])
        optional = {
            "insured_in_sweden": lambda: r.random() < 0.9,
            "mental_disability": lambda: r.random() < 0.3,
            "granted_minutes_before": lambda: r.choice([0, r.randint(1, 6000), 40320]),
            "double_assistance_investigated": lambda: r.random() < 0.5,
            "parental_share_basic_minutes": lambda: r.choice([0, r.randint(0, 2000)]),
            "parental_share_other_minutes": lambda: r.choice([0, r.randint(0, 1000)]),
        }
        for key, make in optional.items():
            if key in fields:
                value = fields.pop(key)
                if value is not None:
                    rec.append([key, value])
            elif r.random() < 0.3:
                rec.append([key, make()])
        assert not fields, fields
        rec.append(["needs", needs])
        if r.random() < 0.15:  # key order is free
            r.shuffle(rec)
        return rec

    def make_id(self, scenario):
        self.counter += 1
        r = self.rng
        ident = "s%d-%06d-%s" % (self.seed, self.counter, scenario)
        roll = r.random()
        if roll < 0.03:
            ident += "-ärende-åäö"
        elif roll < 0.04:
            ident += '-"quoted"\\slash/'
        elif roll < 0.045:
            ident += "-tab\tnewline\n"
        return ident

    def dates(self, lo=OLDEST, hi=LATEST):
        decision = rand_date(self.rng, lo, hi)
        application = decision - datetime.timedelta(days=self.rng.choice(
            [0, 1, self.rng.randint(0, 60), self.rng.randint(0, 400)]))
        return decision, application

    # -- scenarios ----------------------------------------------------------------------

    def adult(self):
        decision, application = self.dates()
        birth = rand_date(self.rng, D(1950, 1, 1), application - datetime.timedelta(days=18 * 366))
        return self.base("adult", decision, application, birth, self.needs())

    def child(self):
        r = self.rng
        decision, application = self.dates(D(2020, 7, 1) if r.random() < 0.3 else D(2023, 1, 1))
        age = r.randint(0, 19)
        where = r.choice(["birthday-month", "month-before", "month-after", "any"])
        if where == "birthday-month":
            month = decision.month
        elif where == "month-before":       # birthday next month: still the younger band
            month = decision.month % 12 + 1
        elif where == "month-after":        # birthday last month
            month = (decision.month - 2) % 12 + 1
        else:
            month = r.randint(1, 12)
        year = decision.year - age - (1 if decision.month < month else 0)
        day = r.randint(1, 28) if r.random() < 0.8 else r.choice([29, 30, 31, 1])
        try:
            birth = D(year, month, day)
        except ValueError:
            birth = D(year, month, 28)
        if birth > application:
            birth = application - datetime.timedelta(days=r.randint(0, 20))
        needs = self.needs(r.randint(1, 5))
        if r.random() < 0.6:
            needs.insert(0, self.need("personlig_hygien", r.choice([600, 1050, 1500, 2310, 5040,
                                                                     6000]),
                                      {"integrity_sensitive": True}))
        fields = {}
        if decision < D(2023, 1, 1) or r.random() < 0.2:
            fields["parental_share_basic_minutes"] = r.choice([0, 300, 1050, r.randint(0, 3000)])
            fields["parental_share_other_minutes"] = r.choice([0, 120, 420, r.randint(0, 1000)])
        return self.base("child-age%d-%s" % (age, where), decision, application, birth, needs,
                         personkrets=r.choice([1, 1, 1, 3]), **fields)

    def leap_birth(self):
        r = self.rng
        kind = r.choice(["child", "child", "adult18", "limit"])
        if kind == "child":
            birth = D(r.choice([2008, 2012, 2016, 2020, 2024]), 2, 29)
            decision = D(r.choice([y for y in range(2021, 2028) if D(y, 2, 1) > birth]), 2,
                         r.choice([1, 27, 28])) + datetime.timedelta(days=r.choice([0, 1, 2]))
        elif kind == "adult18":             # 18 on 2022-02-28: the pre-2023 parental share
            birth = D(2004, 2, 29)
            decision = D(2022, 2, 28) + datetime.timedelta(days=r.choice([-1, 0, 1]))
        else:                               # 65/66/67 on 28 February of a common year
            birth = D(r.choice([1956, 1960]), 2, 29)
            decision = D(r.choice([2021, 2022, 2023, 2025, 2026, 2027]), 2, 28) \
                + datetime.timedelta(days=r.choice([-1, 0, 1]))
        application = max(birth, decision - datetime.timedelta(days=r.choice([0, 1, 30, 300])))
        if r.random() < 0.5:
            application = decision
        needs = [self.need("andning", r.choice([1199, 1200, 1201, 2000]),
                           {"documented_risk": True})] + self.needs(r.randint(0, 2))
        fields = {"parental_share_basic_minutes": r.choice([0, 200])}
        return self.base("leap-birth-%s" % kind, decision, application, birth, needs,
                         personkrets=3, lasting=True, **fields)

    def age_limit(self):
        r = self.rng
        n = r.choice([65, 66, 67])
        anchor_kind = r.choice(["application", "decision", "transition"])
        offset = r.choice([-1, 0, 1])  # birthday the day before / of / after the anchor
        if anchor_kind == "transition":
            n = r.choice([65, 66])
            anchor = D(2023, 1, 1) if n == 65 else D(2026, 1, 1)
            anchor += datetime.timedelta(days=r.choice([-2, -1, 0, 1]))
            bday = anchor
            decision = rand_date(r, max(anchor, D(2023, 1, 1)) if r.random() < 0.8 else
                                 anchor - datetime.timedelta(days=200), D(2027, 12, 31))
            application = decision - datetime.timedelta(days=r.randint(0, 120))
        else:
            anchor = rand_date(r, D(2020, 8, 1), D(2027, 12, 31))
            bday = anchor + datetime.timedelta(days=offset)
            if anchor_kind == "application":
                application = anchor
                decision = min(LATEST, application + datetime.timedelta(
                    days=r.choice([0, 1, 30, 200])))
            else:
                decision = anchor
                application = decision - datetime.timedelta(days=r.choice([0, 1, 30, 200]))
                application = max(application, OLDEST - datetime.timedelta(days=30))
        birth = years_before(bday, n, r) or years_before(bday - ONE_DAY, n, r)
        needs = [self.need(r.choice(["andning", "personlig_hygien"]),
                           r.choice([900, 1300, 2000]),
                           {"documented_risk": True, "integrity_sensitive": True})]
        needs += self.needs(r.randint(0, 2))
        gb = r.choice([None, 0, 0, 1, 1000, 1300, 5000])
        return self.base("age-limit-%d-%s%+d" % (n, anchor_kind, offset), decision, application,
                         birth, needs, personkrets=r.choice([1, 3]), lasting=True,
                         granted_minutes_before=gb)

    def near_1200(self):
        r = self.rng
        target = r.choice([1199, 1200, 1201])
        decision, application = self.dates()
        da = r.random() < 0.3
        birth = rand_date(r, D(1965, 1, 1), D(2000, 1, 1))
        if da and target % 2 == 0:
            needs = [self.need("pakladning", target // 2,
                               {"integrity_sensitive": True, "exempt_related": False},
                               extra=False)]
            put(needs[0], "assistants", 2)
        else:
            a = r.randint(0, target)
            needs = [self.need("andning", a, {"documented_risk": True}, extra=False),
                     self.need("personlig_hygien", target - a, {"integrity_sensitive": True},
                               extra=False)]
        needs += [self.need(r.choice(OTHER_KINDS), flags={}, extra=False)
                  for _ in range(r.randint(0, 2))]
        r.shuffle(needs)
        return self.base("basic-%d" % target, decision, application, birth, needs,
                         personkrets=r.choice([1, 2, 3]), lasting=True,
                         insured_in_sweden=r.choice([None, True, False]),
                         double_assistance_investigated=da if da else r.choice([None, False]),
                         granted_minutes_before=None)

    def double(self):
        r = self.rng
        decision, application = self.dates()
        birth = rand_date(r, D(1960, 1, 1), D(2015, 1, 1))
        if birth > application:
            birth = application
        needs = [self.need(r.choice(ALL_KINDS), r.randint(100, 2000)) for _ in range(3)]
        for item in needs:
            put(item, "assistants", r.choice([1, 2, 3, 4]))
        return self.base("double", decision, application, birth, needs,
                         double_assistance_investigated=r.choice([True, False, None]))

    def flags(self):
        """One item of each kind in turn, each flag on or off at random, explicitly."""
        r = self.rng
        decision, application = self.dates()
        birth = rand_date(r, D(1955, 1, 1), D(2019, 1, 1))
        if birth > application:
            birth = application
        kinds = r.sample(ALL_KINDS, r.randint(1, 6))
        needs = [self.need(k, flags={f: r.random() < 0.5 for f in NEED_FLAGS}, extra=False)
                 for k in kinds]
        return self.base("flags", decision, application, birth, needs,
                         mental_disability=r.choice([True, False, None]))

    def version_edge(self):
        r = self.rng
        decision = r.choice(VERSION_EDGES)
        application = decision - datetime.timedelta(days=r.choice([0, 1, 100]))
        birth = rand_date(r, D(1950, 1, 1), application)
        return self.base("version-edge-%s" % decision.isoformat(), decision, application,
                         birth, self.needs(), personkrets=r.choice([1, 3]))

    def pre_oldest(self):
        """Decision before 2020-07-01: an error, the only problem of the record."""
        r = self.rng
        decision = r.choice([D(2020, 6, 30), rand_date(r, D(2018, 1, 1), D(2020, 6, 30))])
        application = decision - datetime.timedelta(days=r.randint(0, 100))
        birth = rand_date(r, D(1950, 1, 1), application)
        return self.base("before-oldest-version", decision, application, birth, self.needs())

    def odd_spelling(self):
        """Valid JSON spelled unusually: escaped keys and kinds, -0, spaces, exponents."""
        rec = self.adult()
        r = self.rng
        choice = r.randrange(5)
        if choice == 0:
            rec[:] = [[Raw('"\\u0069d"') if k == "id" else k, v] for k, v in rec]
        elif choice == 1:
            put(rec, "personkrets", Raw("-0"))
        elif choice == 2:
            needs = get(rec, "needs")
            needs.append(Obj([["kind", Raw('"andn\\u0069ng"')], ["minutes_per_week", 700],
                              ["documented_risk", True]]))
        elif choice == 3:
            needs = get(rec, "needs")
            needs.append(Obj([["kind", "medicinskt_tillstand"], ["minutes_per_week", Raw("-0")],
                              ["documented_risk", True], ["longest_break_hours", Raw("1.2E1")]]))
        else:
            put(rec, "id", get(rec, "id") + "-\u00e5\u00e4\u00f6-\U0001F600")
        return rec

    SCENARIOS = [("adult", 22), ("child", 20), ("leap_birth", 5), ("age_limit", 15),
                 ("near_1200", 8), ("double", 7), ("flags", 10), ("version_edge", 6),
                 ("pre_oldest", 2), ("odd_spelling", 5)]

    def good(self):
        names = [n for n, _ in self.SCENARIOS]
        weights = [w for _, w in self.SCENARIOS]
        return getattr(self, self.rng.choices(names, weights)[0])()

    def valid_for_bad(self):
        """A good record that is decidable (decision date in range), to break in one place."""
        r = self.rng
        decision, application = self.dates()
        birth = rand_date(r, D(1950, 1, 1), application)
        needs = self.needs(r.randint(1, 4))
        return self.base("bad", decision, application, birth, needs)

    # -- bad records: exactly one problem each --------------------------------------------

    def bad(self):
        r = self.rng
        kinds = [("not_json", 6), ("truncated", 6), ("non_object", 4), ("bad_utf8", 5),
                 ("wrong_type", 12), ("out_of_range", 10), ("float_int", 5), ("bad_date", 8),
                 ("unknown_field", 7), ("unknown_kind", 5), ("duplicate", 8), ("missing", 8),
                 ("id_not_string", 4), ("date_order", 6), ("bad_item", 3)]
        name = r.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        return getattr(self, "bad_" + name)()

    def line(self, rec, spaced=None, ascii_only=None):
        r = self.rng
        spaced = r.random() < 0.2 if spaced is None else spaced
        ascii_only = r.random() < 0.5 if ascii_only is None else ascii_only
        return emit(rec, spaced, ascii_only).encode("utf-8")

    def tag(self, rec, what):
        ident = get(rec, "id")
        if isinstance(ident, str) and not isinstance(ident, Raw):
            put(rec, "id", ident + "-" + what)

    def bad_not_json(self):
        r = self.rng
        good = self.line(self.valid_for_bad(), spaced=False, ascii_only=True)
        variants = [
            b"this is not JSON",
            b"{'id': 'single-quotes'}",
            b"{\"id\":\"trailing-comma\",}",
            b"{id: \"unquoted-key\"}",
            good.replace(b"\"personkrets\":", b"\"personkrets\":NaN,\"x\":", 1),
            good.replace(b"[", b"[Infinity,", 1),
            good.replace(b"[", b"[-Infinity,", 1),
            good.replace(b"\"personkrets\":", b"\"personkrets\":0", 1),   # leading zero
            good.replace(b"\"personkrets\":", b"\"personkrets\":+", 1),
            good.replace(b"\"personkrets\":", b"\"personkrets\":.", 1),
            good + b"}",
            good + b" {}",
            good.replace(b"\"id\":\"", b"\"id\":\"ctl\x01", 1),           # raw control char
            good.replace(b"\"id\":\"", b"\"id\":\"esc\\x", 1),             # invalid escape
            good.replace(b"\"id\":\"", b"\"id\":\"u\\u12", 1),
            good.replace(b"true", b"True", 1) if b"true" in good else b"True",
            good.replace(b"\"lasting\":", b"\"lasting\":tru", 1) + b"e",
            b"\x00",
            b"\x0c" + good,                                                # form feed
            b"[" * 10000,
            b"{\"id\":\"unclosed",
            b"{}" * 2,
            b"--",
        ]
        return r.choice(variants)

    def bad_truncated(self):
        good = self.line(self.valid_for_bad())
        return good[:self.rng.randint(1, len(good) - 1)]

    def bad_non_object(self):
        r = self.rng
        rec = self.valid_for_bad()
        return r.choice([b"[]", b"[" + self.line(rec) + b"]", b"\"a string\"", b"42", b"-0",
                         b"null", b"true", b"false", b"3.5", b"[{}]", b"\"{}\"", b"  7  "])

    def bad_bad_utf8(self):
        r = self.rng
        good = self.line(self.valid_for_bad(), ascii_only=False)
        junk = r.choice([b"\xff", b"\xfe", b"\xc3\x28", b"\xc0\xaf", b"\xe0\x80\xaf",
                         b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xe5\xe4\xf6",
                         b"\xc3"])
        where = r.choice(["id", "kind", "end"])
        if where == "id":
            return good.replace(b"\"id\":\"", b"\"id\":\"" + junk, 1).replace(
                b"\"id\": \"", b"\"id\": \"" + junk, 1)
        if where == "kind" and b"\"kind\"" in good:
            return good.replace(b"\"kind\":", b"\"kind\":\"" + junk + b"\",\"x\":", 1).replace(
                b"\"kind\": ", b"\"kind\": \"" + junk + b"\", \"x\": ", 1)
        return good + b" " + junk

    def wrong_value(self, typ):
        r = self.rng
        pool = {
            "string": [Raw("5"), Raw("null"), Raw("true"), Raw("[\"x\"]"), Raw("{\"a\":1}")],
            "date": [Raw("20230105"), Raw("null"), Raw("true"), Raw("[\"2023-01-05\"]"),
                     Raw("{}")],
            "int": [Raw("\"60\""), Raw("true"), Raw("null"), Raw("[60]"), Raw("{}"),
                    Raw("\"\"")],
            "bool": [Raw("\"true\""), Raw("1"), Raw("0"), Raw("null"), Raw("\"yes\""),
                     Raw("[]"), Raw("{}")],
            "number": [Raw("\"12\""), Raw("true"), Raw("null"), Raw("[12]"), Raw("{}")],
            "array": [Raw("{}"), Raw("\"[]\""), Raw("null"), Raw("5"), Raw("true")],
        }[typ]
        return r.choice(pool)

    TOP_TYPES = [("decision_date", "date"), ("application_date", "date"), ("birth_date", "date"),
                 ("personkrets", "int"), ("lasting", "bool"), ("insured_in_sweden", "bool"),
                 ("mental_disability", "bool"), ("granted_minutes_before", "int"),
                 ("double_assistance_investigated", "bool"),
                 ("parental_share_basic_minutes", "int"), ("parental_share_other_minutes", "int"),
                 ("needs", "array")]
    NEED_TYPES = [("kind", "string"), ("minutes_per_week", "int"), ("assistants", "int"),
                  ("integrity_sensitive", "bool"), ("tube_feeding", "bool"),
                  ("special_knowledge", "bool"), ("activation_motivation", "bool"),
                  ("documented_risk", "bool"), ("longest_break_hours", "number"),
                  ("exempt_related", "bool")]
    TOP_RANGES = {"personkrets": (0, 3), "granted_minutes_before": (0, 40320),
                  "parental_share_basic_minutes": (0, 10080),
                  "parental_share_other_minutes": (0, 10080)}
    NEED_RANGES = {"minutes_per_week": (0, 10080), "assistants": (1, 4)}

    def pick_item(self, rec):
        needs = get(rec, "needs")
        if not needs:
            needs.append(self.need())
        return self.rng.choice(needs)

    def bad_wrong_type(self):
        r = self.rng
        rec = self.valid_for_bad()
        if r.random() < 0.5:
            key, typ = r.choice(self.TOP_TYPES)
            self.tag(rec, "wrong-type-" + key)
            put(rec, key, self.wrong_value(typ))
        else:
            key, typ = r.choice(self.NEED_TYPES)
            self.tag(rec, "wrong-type-need-" + key)
            put(self.pick_item(rec), key, self.wrong_value(typ))
        return self.line(rec)

    def out_of_range_int(self, lo, hi):
        r = self.rng
        return Raw(r.choice([str(lo - 1), str(hi + 1), str(hi + r.randint(1, 10 ** 6)),
                             str(lo - r.randint(1, 10 ** 6)),
                             "9" * r.choice([19, 20, 21, 40, 400, 5000]),
                             "-" + "9" * r.choice([19, 20, 40]),
                             "18446744073709551616", "-9223372036854775809",
                             "9223372036854775808", "4294967296"]))

    def bad_out_of_range(self):
        r = self.rng
        rec = self.valid_for_bad()
        if r.random() < 0.55:
            key = r.choice(list(self.TOP_RANGES))
            self.tag(rec, "out-of-range-" + key)
            put(rec, key, self.out_of_range_int(*self.TOP_RANGES[key]))
        elif r.random() < 0.75:
            key = r.choice(list(self.NEED_RANGES))
            self.tag(rec, "out-of-range-need-" + key)
            put(self.pick_item(rec), key, self.out_of_range_int(*self.NEED_RANGES[key]))
        else:
            self.tag(rec, "out-of-range-longest_break_hours")
            put(self.pick_item(rec), "longest_break_hours",
                Raw(r.choice(["24.01", "25", "-0.5", "-1", "1e3", "1e400", "-1e400",
                              "24.000000000000000000001", "-1e-400", "2.41e1",
                              "-0.000000000000000000001"])))
        return self.line(rec)

    def bad_float_int(self):
        r = self.rng
        rec = self.valid_for_bad()
        spell = r.choice(["60.0", "6e1", "6E1", "6.0e1", "1.5", "0.0", "-0.0", "1e0", "3.00",
                          "1E+1", "2e-0"])
        if r.random() < 0.5:
            key = r.choice(list(self.TOP_RANGES))
            self.tag(rec, "float-int-" + key)
            put(rec, key, Raw(spell))
        else:
            key = r.choice(list(self.NEED_RANGES))
            self.tag(rec, "float-int-need-" + key)
            put(self.pick_item(rec), key, Raw(spell))
        return self.line(rec)

    def bad_bad_date(self):
        r = self.rng
        rec = self.valid_for_bad()
        key = r.choice(["decision_date", "application_date", "birth_date"])
        self.tag(rec, "bad-date-" + key)
        put(rec, key, r.choice([
            "2023-02-29", "2021-02-29", "1900-02-29", "2023-02-30", "2023-04-31", "2023-06-31",
            "2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32", "2023-1-5", "2023/01/05",
            "20230105", "2023-01-05T00:00", " 2023-01-05", "2023-01-05 ", "", "2023-01",
            "23-01-05", "\uff12\uff10\uff12\uff13-01-05", "2023-0a-05", "+2023-01-05",
            "2023\u201301\u201305", "12023-01-05", "2023-01-5x"]))
        return self.line(rec)

    def bad_unknown_field(self):
        r = self.rng
        rec = self.valid_for_bad()
        if r.random() < 0.5:
            key = r.choice(["integrity_sensitive", "kind", "comment", "Id", "ID", "needs_",
                            "decision-date", "personkrets ", "", "insured_in_swedan",
                            "granted_minutes", "fired", "lasting\u00e5"])
            self.tag(rec, "unknown-field")
            value = r.choice([True, 1, "x", None, Raw("[[[{}]]]")])
            pos = r.randint(0, len(rec))
            rec.insert(pos, [key, value])
        else:
            key = r.choice(["integrity_sensitiv", "minutes", "id", "personkrets",
                            "assistans", "Kind", "longest_break", "x"])
            self.tag(rec, "unknown-field-in-need")
            item = self.pick_item(rec)
            item.insert(r.randint(0, len(item)), [key, r.choice([True, 1, "x", None])])
        return self.line(rec)

    def bad_unknown_kind(self):
        r = self.rng
        rec = self.valid_for_bad()
        self.tag(rec, "unknown-kind")
        put(self.pick_item(rec), "kind", r.choice(
            ["dans", "Andning", "ANDNING", "personlig hygien", "personlig-hygien", "", " andning",
             "andning ", "måltider", "maltid", "annan_hjalp", "psykisk", "medicinskt"]))
        return self.line(rec)

    def bad_duplicate(self):
        """A key given twice; the second value is valid too, so the duplicate is the only
        problem (and a duplicate `id` repeats the same string, so the id echoed is clear)."""
        r = self.rng
        rec = self.valid_for_bad()
        if r.random() < 0.6:
            i = r.randrange(len(rec))
            key = rec[i][0]
            self.tag(rec, "duplicate-" + key)
            value = get(rec, key)
            if key == "needs":
                value = r.choice([[], value])
            elif isinstance(value, bool):
                value = r.choice([True, False])
            rec.insert(r.randint(i + 1, len(rec)), [key, value])
        else:
            self.tag(rec, "duplicate-in-need")
            item = self.pick_item(rec)
            i = r.randrange(len(item))
            key, value = item[i]
            if isinstance(value, bool):
                value = r.choice([True, False])
            elif key == "kind":
                value = r.choice([value, r.choice(ALL_KINDS)])
            item.insert(r.randint(i + 1, len(item)), [key, value])
        return self.line(rec)

    def bad_missing(self):
        r = self.rng
        rec = self.valid_for_bad()
        if r.random() < 0.7:
            key = r.choice(["id", "decision_date", "application_date", "birth_date",
                            "personkrets", "lasting", "needs"])
            self.tag(rec, "missing-" + key)
            remove(rec, key)
        else:
            self.tag(rec, "missing-need-field")
            remove(self.pick_item(rec), r.choice(["kind", "minutes_per_week"]))
        return self.line(rec)

    def bad_id_not_string(self):
        rec = self.valid_for_bad()
        put(rec, "id", self.wrong_value("string"))
        return self.line(rec)

    def bad_date_order(self):
        r = self.rng
        rec = self.valid_for_bad()
        decision = get(rec, "decision_date")
        application = get(rec, "application_date")
        if r.random() < 0.5:
            self.tag(rec, "application-after-decision")
            put(rec, "application_date", decision + datetime.timedelta(days=r.choice(
                [1, 2, r.randint(1, 500)])))
        else:
            self.tag(rec, "birth-after-application")
            put(rec, "birth_date", application + datetime.timedelta(days=r.choice(
                [1, 2, r.randint(1, 500)])))
        return self.line(rec)

    def bad_bad_item(self):
        r = self.rng
        rec = self.valid_for_bad()
        self.tag(rec, "need-not-an-object")
        needs = get(rec, "needs")
        needs.insert(r.randint(0, len(needs)), r.choice(
            [Raw("[]"), Raw("\"andning\""), Raw("5"), Raw("null"), Raw("true"),
             Raw("[{\"kind\":\"andning\",\"minutes_per_week\":60}]")]))
        return self.line(rec)

    # -- the corpus ---------------------------------------------------------------------

    def corpus(self, count, bad_share):
        r = self.rng
        self.counter = 0
        out = []
        for _ in range(count):
            if r.random() < 0.02:
                out.append(r.choice([b"", b" ", b"\t", b"  \t ", b"\r", b" \r\t"]))
            line = self.bad() if r.random() < bad_share else self.line(self.good())
            if r.random() < 0.05:
                line += b"\r"
            out.append(line)
        data = b"\n".join(out)
        if r.random() < 0.9 or not out or out[-1].strip(b" \t\r") == b"":
            data += b"\n"
        return data


def main(argv):
    ap = argparse.ArgumentParser(description="Generate a seeded LSS case corpus (JSON Lines).")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--count", type=int, default=1000, help="record lines (blank lines extra)")
    ap.add_argument("--bad-share", type=float, default=0.1,
                    help="share of records with exactly one problem (default 0.1)")
    args = ap.parse_args(argv)
    if args.count < 0 or not 0.0 <= args.bad_share <= 1.0:
        ap.error("--count must be >= 0 and --bad-share in [0, 1]")
    sys.stdout.buffer.write(Gen(args.seed).corpus(args.count, args.bad_share))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
