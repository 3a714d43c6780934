#!/usr/bin/env python3
"""The trace of issue 3, end to end, on a generated LSS corpus and on the amendment fixture.

    python3 tests/audit/trace_check.py REGEL REPO_ROOT COUNT

For every traced result of a seeded corpus:
  - it validates against docs/trace-schema.json (schema_check.py);
  - without `trace_schema` and `trace` it is, byte for byte, the untraced result line;
  - every id in `fired` has a trace entry that fired, in the same order of first firing,
    whose `at` names an existing rule file (from the repository root) and a line on
    which that rule is defined (`rule ID` or `replace rule ID`), and whose `cites` is
    not empty; every entry of the trace points at its rule likewise;
  - `ruleset_hash` is the hash `regel version` lists for its rules_version.
Then the amendment fixture (tests/audit/amended): a rule replaced in 2023 is traced to the
2023 file on and after 2023-01-01 and to the 2020 file before; a rule left alone stays in
the 2020 file; table rows are traced to the table in force. And the shipped LSS rules: the
schablon rules added in 2023 and the 2025 table are traced to their files.
Prints `N passed, N failed`.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tally import finish, ok  # noqa: E402
import schema_check  # noqa: E402




def run(args, **kw):
    return subprocess.run(args, capture_output=True, **kw)


def versions(regel, ruleset):
    out = run([regel, "version", ruleset], check=True).stdout.decode()
    return dict(re.findall(r"^(\d{4}-\d{2}-\d{2})  (sha256:[0-9a-f]{64})$", out, re.M))


def defines(root, at, rule, cache={}):
    path, line = at.rsplit(":", 1)
    full = os.path.join(root, path)
    if full not in cache:
        if not os.path.isfile(full):
            return False
        with open(full, encoding="utf-8") as f:
            cache[full] = f.read().split("\n")
    lines = cache[full]
    n = int(line)
    return 1 <= n <= len(lines) and re.match(r"^(replace |add )?rule %s\b" % re.escape(rule), lines[n - 1]) is not None


def check_corpus(regel, root, count):
    lss = os.path.join(root, "rulesets", "lss-personlig-assistans")
    with open(os.path.join(root, "docs", "trace-schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    schema_check.self_test(schema)
    hashes = versions(regel, lss)
    ok(len(hashes) == 4, "regel version lists the four LSS versions")
    with tempfile.TemporaryDirectory() as tmp:
        cases = os.path.join(tmp, "cases.jsonl")
        with open(cases, "wb") as f:
            subprocess.run([sys.executable, os.path.join(root, "bench", "gen_cases.py"), "--seed", "3",
                            "--count", str(count), "--bad-share", "0.1"], stdout=f, check=True)
        plain = run([regel, "eval", lss, cases]).stdout.split(b"\n")
        traced = run([regel, "eval", "--trace", lss, cases]).stdout.split(b"\n")
    ok(len(plain) == len(traced) and len(plain) > count // 2, "as many lines with and without --trace")
    decided = 0
    for raw, bare in zip(traced, plain):
        if not raw:
            continue
        r = json.loads(raw)
        if "trace" not in r:
            ok(raw == bare, "an error record is the same with --trace: %r" % raw[:80])
            continue
        decided += 1
        rid = r.get("id")
        suffix = b',"trace_schema":"urn:regel:trace-schema:1","trace":'
        at = raw.find(suffix)
        ok(at > 0 and raw[:at] + b"}" == bare, "%s: the traced line is the plain line plus its trace" % rid)
        try:
            schema_check.check(schema, r, schema, "$")
            ok(True, "")
        except schema_check.Invalid as e:
            ok(False, "%s: schema: %s" % (rid, e))
        ok(r["ruleset_hash"] == hashes.get(r["rules_version"]), "%s: ruleset_hash is that of its version" % rid)
        first_fired = []
        for step in r["trace"]:
            if step["fired"] and step["rule"] not in first_fired:
                first_fired.append(step["rule"])
            ok(step["cites"] != "", "%s: %s cites a statute" % (rid, step["rule"]))
            ok(defines(root, step["at"], step["rule"]), "%s: %s is at %s" % (rid, step["rule"], step["at"]))
        ok(first_fired == r["fired"], "%s: the fired entries of the trace, in order, are `fired`" % rid)
    ok(decided > count // 2, "most records decided (%d)" % decided)


def check_amended(regel, root):
    fixture = os.path.join(root, "tests", "audit", "amended")
    out = run([regel, "eval", "--trace", fixture, os.path.join(fixture, "cases.jsonl")]).stdout.decode()
    results = {r["id"]: r for r in map(json.loads, out.splitlines())}
    old, new, adult = results["old"], results["new"], results["adult"]

    def steps(r, rule):
        return [s for s in r["trace"] if s["rule"] == rule]

    ok(steps(old, "big")[0]["at"] == "tests/audit/amended/2020-01-01.regel:51", "before 2023, big is the 2020 rule")
    ok(steps(new, "big")[0]["at"] == "tests/audit/amended/2023-01-01.regel:5", "from 2023, big is the replacing rule")
    ok(steps(new, "big")[0]["cites"] == "§ 4 (2023)", "the replacing rule's citation")
    ok(steps(adult, "big")[0]["fired"] is False and steps(adult, "big")[0]["values"] == {"limit": 420, "total": 20},
       "a rule that did not fire is traced with what it read")
    ok(steps(new, "total")[0]["at"].startswith("tests/audit/amended/2020-01-01.regel:"), "an unchanged rule stays in 2020")
    ok(steps(new, "total")[0]["values"] == {"items[0].counted": 600, "items[1].counted": 100, "total": 700},
       "values read through an aggregate are named by item")
    per_item = steps(new, "red_counts_double")
    ok([s.get("item") for s in per_item] == ["items[0]", "items[1]"], "a rule of each item has an entry per item")
    ok(steps(old, "band")[0]["lookups"] == [{"table": "bands", "key": 7, "row": 0,
                                             "at": "tests/audit/amended/2020-01-01.regel:65"}], "the 2020 table row")
    ok(steps(adult, "band")[0]["lookups"] == [{"table": "bands", "key": 33, "row": "otherwise",
                                               "at": "tests/audit/amended/2023-01-01.regel:15"}], "the 2023 otherwise row")
    lss = os.path.join(root, "rulesets", "lss-personlig-assistans")
    out = run([regel, "eval", "--trace", lss, os.path.join(lss, "examples", "spec-decided.jsonl")]).stdout.decode()
    results = {r["id"]: r for r in map(json.loads, out.splitlines())}
    child = results["child-4-2024"]
    schablon = [s for s in child["trace"] if s["rule"] == "schablon_deduction_basic"][0]
    ok(schablon["at"].startswith("rulesets/lss-personlig-assistans/2023-01-01.regel:"), "schablon rule in the 2023 file")
    ok(defines(root, schablon["at"], "schablon_deduction_basic"), "at the line of its id")
    ok(schablon["lookups"][0]["at"].startswith("rulesets/lss-personlig-assistans/2023-01-01.regel:"),
       "the 2023 table in 2024")
    halved = results["child-4-2025-halved"]
    schablon = [s for s in halved["trace"] if s["rule"] == "schablon_deduction_basic"][0]
    ok(schablon["lookups"][0]["at"].startswith("rulesets/lss-personlig-assistans/2025-01-01.regel:"),
       "the replaced table of 2025 in 2025")


def main():
    regel, root, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    check_corpus(regel, root, count)
    check_amended(regel, root)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
