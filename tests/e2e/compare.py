#!/usr/bin/env python3
"""Compare two JSON Lines result files as JSON values, line by line.

    python3 tests/e2e/compare.py EXPECTED ACTUAL [--ignore fired[,other]] [--skip error.message]
                                 [--max-report N]

Line N of EXPECTED is compared with line N of ACTUAL as JSON values, so key order, spacing
and string escaping do not matter. Keys named by --ignore (repeatable or comma-separated)
are dropped from an ACTUAL object when the EXPECTED object lacks them, at the top level and
inside nested objects. Fields named by --skip (dotted paths such as `error.message`, whose
text the spec leaves free) are not compared at all, but must be present on both sides when
either has them. On a mismatch the line number, the id and each differing field
(expected vs actual) are printed. Every line is a record line (a result file has no blank
lines: a blank line in either file is "not JSON" and fails), except the empty rest after a
final LF. The last line is `N passed, N failed`, N counting record lines; a difference in
the number of record lines fails the comparison too. Exit status: 0 when all passed, 1 otherwise,
2 on a usage error.
"""

import argparse
import json
import sys

MISSING = object()


def read_records(path):
    """The lines of `path` as (line number, parsed value or parse error)."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    records = []
    for n, raw in enumerate(lines, start=1):
        try:
            value = json.loads(raw.decode("utf-8"), parse_constant=_bad_constant)
            records.append((n, value, None))
        except (ValueError, UnicodeDecodeError) as e:
            records.append((n, None, "not JSON: %s" % e))
    return records


def _bad_constant(name):
    raise ValueError("%s is not JSON" % name)


def strip_ignored(expected, actual, ignore):
    """`actual` without the ignored keys that `expected` lacks, recursively."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        return {k: strip_ignored(expected.get(k), v, ignore)
                for k, v in actual.items() if not (k in ignore and k not in expected)}
    return actual


def same(a, b):
    """JSON equality: bool is not a number, 1 == 1.0 as numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def differences(expected, actual, skip=frozenset(), path=""):
    """Yield (path, expected, actual) for each differing leaf field."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k in list(expected) + [k for k in actual if k not in expected]:
            sub = "%s.%s" % (path, k) if path else k
            e, a = expected.get(k, MISSING), actual.get(k, MISSING)
            if e is MISSING or a is MISSING:
                yield sub, e, a
            elif sub in skip:
                continue
            elif not same(e, a):
                yield from differences(e, a, skip, sub)
    elif not same(expected, actual):
        yield path or "(whole line)", expected, actual


def show(v):
    if v is MISSING:
        return "(missing)"
    return json.dumps(v, ensure_ascii=False)


def record_id(*values):
    for v in values:
        if isinstance(v, dict) and "id" in v:
            return show(v["id"])
    return "?"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--ignore", action="append", default=[],
                    help="key(s) to drop from ACTUAL when EXPECTED lacks them")
    ap.add_argument("--skip", action="append", default=[],
                    help="dotted path(s) of fields not to compare, e.g. error.message")
    ap.add_argument("--max-report", type=int, default=50,
                    help="print details of at most this many failing lines (default 50)")
    args = ap.parse_args(argv)
    ignore = {k for arg in args.ignore for k in arg.split(",") if k}
    skip = frozenset(k for arg in args.skip for k in arg.split(",") if k)

    expected = read_records(args.expected)
    actual = read_records(args.actual)
    passed = failed = 0
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else None
        a = actual[i] if i < len(actual) else None
        problems = []
        if e is None:
            problems.append("  unexpected extra line %d in ACTUAL: %s"
                            % (a[0], a[2] if a[2] is not None else show(a[1])))
        elif a is None:
            problems.append("  missing: ACTUAL has no line for EXPECTED line %d: %s"
                            % (e[0], e[2] if e[2] is not None else show(e[1])))
        elif e[2] is not None:
            problems.append("  EXPECTED line %d is %s" % (e[0], e[2]))
        elif a[2] is not None:
            problems.append("  ACTUAL line %d is %s" % (a[0], a[2]))
        else:
            av = strip_ignored(e[1], a[1], ignore)
            for path, ev, aval in differences(e[1], av, skip):
                problems.append("  %s: expected %s, actual %s" % (path, show(ev), show(aval)))
        if problems:
            failed += 1
            if failed <= args.max_report:
                n = e[0] if e is not None else a[0]
                rid = record_id(e[1] if e else None, a[1] if a else None)
                print("record %d (line %d), id %s:" % (i + 1, n, rid))
                print("\n".join(problems))
        else:
            passed += 1
    if failed > args.max_report:
        print("... %d more failing records not shown" % (failed - args.max_report))
    if len(expected) != len(actual):
        print("record count differs: EXPECTED has %d, ACTUAL has %d"
              % (len(expected), len(actual)))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and len(expected) == len(actual) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
