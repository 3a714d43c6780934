#!/usr/bin/env python3
"""A small JSON Schema validator (the subset docs/trace-schema.json uses), so the
trace schema can be checked without a package beyond python3.

    python3 tests/audit/schema_check.py SCHEMA.json RESULTS.jsonl

Checks every line that has a `trace` against SCHEMA; lines without one (error
records) are skipped but counted. Keywords: type, required, properties,
additionalProperties, propertyNames, items, enum, const, pattern, minLength,
minimum, oneOf, $ref (to #/$defs/...). Any other keyword is an error, so the
schema cannot lean on one this checker would silently skip. Prints
`N passed, N failed` and exits 1 on any failure.
"""

import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


class Invalid(Exception):
    pass


def check(schema, value, root, path):
    for key, arg in schema.items():
        if key in ANNOTATIONS:
            continue
        if key == "$ref":
            assert arg.startswith("#/$defs/"), arg
            check(root["$defs"][arg[len("#/$defs/"):]], value, root, path)
        elif key == "type":
            kinds = arg if isinstance(arg, list) else [arg]
            if not any(TYPES[k](value) for k in kinds):
                raise Invalid("%s: %r is not %s" % (path, value, "/".join(kinds)))
        elif key == "required":
            for name in arg:
                if isinstance(value, dict) and name not in value:
                    raise Invalid("%s: missing %s" % (path, name))
        elif key == "properties":
            if isinstance(value, dict):
                for name, sub in arg.items():
                    if name in value:
                        check(sub, value[name], root, "%s.%s" % (path, name))
        elif key == "additionalProperties":
            if isinstance(value, dict):
                known = schema.get("properties", {})
                for name, v in value.items():
                    if name in known:
                        continue
                    if arg is False:
                        raise Invalid("%s: unexpected member %s" % (path, name))
                    if isinstance(arg, dict):
                        check(arg, v, root, "%s.%s" % (path, name))
        elif key == "propertyNames":
            if isinstance(value, dict):
                for name in value:
                    check(arg, name, root, "%s[name %s]" % (path, name))
        elif key == "items":
            if isinstance(value, list):
                for i, v in enumerate(value):
                    check(arg, v, root, "%s[%d]" % (path, i))
        elif key == "enum":
            if value not in arg:
                raise Invalid("%s: %r not in %r" % (path, value, arg))
        elif key == "const":
            if value != arg or type(value) is not type(arg):
                raise Invalid("%s: %r is not %r" % (path, value, arg))
        elif key == "pattern":
            if isinstance(value, str) and not re.search(arg, value):
                raise Invalid("%s: %r does not match %s" % (path, value, arg))
        elif key == "minLength":
            if isinstance(value, str) and len(value) < arg:
                raise Invalid("%s: %r is shorter than %d" % (path, value, arg))
        elif key == "minimum":
            if TYPES["number"](value) and value < arg:
                raise Invalid("%s: %r is below %r" % (path, value, arg))
        elif key == "oneOf":
            matched = 0
            for sub in arg:
                try:
                    check(sub, value, root, path)
                    matched += 1
                except Invalid:
                    pass
            if matched != 1:
                raise Invalid("%s: %r matches %d of oneOf" % (path, value, matched))
        else:
            raise Invalid("the checker does not know the keyword %r" % key)


def self_test(schema):
    """The checker must reject what the schema forbids, or a pass means nothing."""
    good = {"rules_version": "2023-01-01", "fired": ["a"], "ruleset_hash": "sha256:" + "0" * 64,
            "trace_schema": schema["$id"],
            "trace": [{"rule": "a", "cites": "x", "at": "r/2023-01-01.regel:3", "fired": True,
                       "values": {"needs[0].basic": True, "n": 1},
                       "lookups": [{"table": "t", "key": 4, "row": "otherwise", "at": "r/x.regel:9"}]}]}
    check(schema, good, schema, "$")
    bad = [
        lambda d: d["trace"][0].pop("at"),
        lambda d: d["trace"][0].__setitem__("at", "nowhere"),
        lambda d: d["trace"][0].__setitem__("extra", 1),
        lambda d: d["trace"][0]["values"].__setitem__("x", [1]),
        lambda d: d["trace"][0]["lookups"][0].__setitem__("row", -1),
        lambda d: d.__setitem__("ruleset_hash", "md5:00"),
        lambda d: d.__setitem__("trace_schema", "urn:other"),
    ]
    for i, spoil in enumerate(bad):
        d = json.loads(json.dumps(good))
        spoil(d)
        try:
            check(schema, d, schema, "$")
        except Invalid:
            continue
        raise SystemExit("self-test %d: a spoilt result passed the schema" % i)


def main():
    schema_path, results_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    self_test(schema)
    passed = failed = skipped = 0
    with open(results_path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            record = json.loads(raw)
            if "trace" not in record:
                skipped += 1
                continue
            try:
                check(schema, record, schema, "$")
                passed += 1
            except Invalid as e:
                failed += 1
                if failed <= 10:
                    print("line %d (%s): %s" % (n, record.get("id"), e))
    if passed == 0:
        print("no traced result to check")
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
