#!/usr/bin/env python3
"""The decision log of issue 3: `regel eval --log`, `regel audit` and `regel replay`.

    python3 tests/audit/log_check.py REGEL REPO_ROOT

Logs the shipped examples and a generated corpus in small batches, twice, and checks:
the results written are the same as without --log; the schema (tables, columns,
indexes, schema version) is the one docs/audit.md documents; the file passes
PRAGMA integrity_check; every batch is whole; `audit --id` gives a case's history;
`audit --rule` gives exactly the decisions whose `fired` holds the rule; the logged
traces read back as exactly what `eval --trace` writes; `replay` with the same rules
finds nothing, and with a changed rule file finds the decisions it changes and names
the hashes of then and now. Prints `N passed, N failed`.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tally import finish, ok  # noqa: E402

BATCH = 7

SCHEMA = {
    "meta": ["key", "value"],
    "run": ["id", "started_at", "regel_version", "ruleset_path", "input", "batch_size"],
    "ruleset": ["id", "hash", "rules_version", "files"],
    "rule": ["id", "name"],
    "decision": ["id", "run", "batch", "line", "case_id", "version_date", "evaluated_at", "outcome", "ruleset",
                 "input", "result", "trace"],
    "fired": ["rule", "first_decision", "bits"],
    "trace_symbol": ["run", "id", "text"],
}
INDEXES = {"decision_by_case": ("decision", ["case_id"]), "decision_by_date": ("decision", ["version_date"])}



def run(args, **kw):
    return subprocess.run(args, capture_output=True, **kw)


def main():
    regel, root = sys.argv[1], sys.argv[2]
    lss = os.path.join(root, "rulesets", "lss-personlig-assistans")
    with tempfile.TemporaryDirectory() as tmp:
        cases = os.path.join(tmp, "cases.jsonl")
        with open(cases, "wb") as f:
            for name in ("spec-decided.jsonl", "spec-errors.jsonl"):
                with open(os.path.join(lss, "examples", name), "rb") as g:
                    f.write(g.read())
            f.flush()
            subprocess.run([sys.executable, os.path.join(root, "bench", "gen_cases.py"), "--seed", "11",
                            "--count", "300", "--bad-share", "0.1"], stdout=f, check=True)
        db = os.path.join(tmp, "decisions.sqlite")
        plain = run([regel, "eval", lss, cases])
        traced = run([regel, "eval", "--trace", lss, cases]).stdout.decode().splitlines()
        for attempt in range(2):
            logged = run([regel, "eval", "--log", db, "--log-batch", str(BATCH), lss, cases])
            ok(logged.stdout == plain.stdout and logged.returncode == plain.returncode == 1,
               "run %d: the results with --log are those without" % attempt)
        lines = plain.stdout.decode().splitlines()
        con = sqlite3.connect(db)
        ok(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check")
        ok(con.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "the log is in WAL mode")
        ok(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1", "schema version 1")
        for table, columns in SCHEMA.items():
            have = [r[1] for r in con.execute("PRAGMA table_info(%s)" % table)]
            ok(have == columns, "table %s has columns %s (has %s)" % (table, columns, have))
        for index, (table, columns) in INDEXES.items():
            row = con.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
            have = [r[2] for r in con.execute("PRAGMA index_info(%s)" % index)]
            ok(row is not None and row[0] == table and have == columns, "index %s on %s%s" % (index, table, columns))
        with open(os.path.join(root, "docs", "audit.md"), encoding="utf-8") as f:
            doc = f.read()
        documented = sqlite3.connect(":memory:")
        documented.executescript(doc.split("```sql\n", 1)[1].split("```", 1)[0])
        for table in list(SCHEMA) + ["decision_view"]:
            ok(list(documented.execute("PRAGMA table_info(%s)" % table)) == list(con.execute("PRAGMA table_info(%s)" % table)),
               "docs/audit.md documents table %s as it is" % table)
        for index in INDEXES:
            ok(list(documented.execute("PRAGMA index_info(%s)" % index)) == list(con.execute("PRAGMA index_info(%s)" % index)),
               "docs/audit.md documents index %s as it is" % index)
        documented.close()
        ok(con.execute("SELECT count(*) FROM run").fetchone()[0] == 2, "two runs")
        n = con.execute("SELECT count(*) FROM decision").fetchone()[0]
        ok(n == 2 * len(lines), "every result line logged, twice (%d for %d)" % (n, len(lines)))
        for run_id, size in con.execute("SELECT id, batch_size FROM run"):
            counts = [c for _, c in con.execute("SELECT batch, count(*) FROM decision WHERE run = ? GROUP BY batch "
                                                "ORDER BY batch", (run_id,))]
            ok(size == BATCH and all(c == BATCH for c in counts[:-1]) and 0 < counts[-1] <= BATCH,
               "run %d: whole batches of %d" % (run_id, BATCH))
        stored = [r[0] for r in con.execute("SELECT result FROM decision WHERE run = 1 ORDER BY id")]
        ok(stored == lines, "the stored results are the lines written")
        ok(con.execute("SELECT count(*) FROM decision WHERE (outcome = 'decided') != (trace IS NOT NULL)").fetchone()[0]
           == 0, "a trace for every decided record and none for errors")
        ok(con.execute("SELECT count(*) FROM decision d JOIN ruleset s ON s.id = d.ruleset "
                       "WHERE d.outcome = 'decided' AND d.result NOT LIKE '%' || s.hash || '%'").fetchone()[0] == 0,
           "each decision refers to the ruleset whose hash its result carries")
        con.close()

        results = [json.loads(l) for l in lines]
        decided = [r for r in results if "error" not in r]
        some = decided[5]
        history = [json.loads(l) for l in run([regel, "audit", db, "--id", some["id"]]).stdout.decode().splitlines()]
        ok(len(history) == 2 and all(h["result"] == some for h in history), "audit --id: the case's two decisions")
        ok(all(h["ruleset_hash"] == some["ruleset_hash"] and h["rules_version"] == some["rules_version"]
               and h["outcome"] == "decided" and h["regel_version"] for h in history), "audit --id names rules and regel")
        missing = run([regel, "audit", db, "--id", "no-such-case"])
        ok(missing.returncode == 1 and missing.stdout == b"", "audit --id of an unknown case")
        for rule in ("state_pays", "schablon_deduction_basic", "double_assistance", "age_limit_kept_at_65"):
            want = sum(1 for r in decided if rule in r["fired"])
            got = [json.loads(l) for l in run([regel, "audit", db, "--rule", rule]).stdout.decode().splitlines()]
            ok(len(got) == 2 * want and all(rule in g["result"]["fired"] for g in got),
               "audit --rule %s: %d decisions, expected %d" % (rule, len(got), 2 * want))
        with_trace = run([regel, "audit", "--trace", db, "--rule", "entitled"]).stdout.decode().splitlines()
        by_id = {}
        for l in traced:
            r = json.loads(l)
            if "trace" in r:
                by_id[r["id"]] = json.dumps(r["trace"])
        ok(len(with_trace) > 0 and all(json.dumps(json.loads(l)["trace"]) == by_id[json.loads(l)["case_id"]]
                                       for l in with_trace), "logged traces read back as eval --trace writes them")

        same = run([regel, "replay", db, lss])
        ok(same.returncode == 0 and same.stdout.decode().endswith(": 0 differ\n"), "replay with the same rules: %r"
           % same.stdout[-200:])
        changed = os.path.join(tmp, "changed")
        shutil.copytree(lss, changed)
        path = os.path.join(changed, "2020-07-01.regel")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert 'const assistance_threshold "SFB 51 kap. 3 §" = 20 h/week' in text
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace('const assistance_threshold "SFB 51 kap. 3 §" = 20 h/week',
                                 'const assistance_threshold "SFB 51 kap. 3 §" = 30 h/week'))
        new_hashes = run([regel, "version", changed]).stdout.decode()
        replay = run([regel, "replay", db, changed])
        report = replay.stdout.decode()
        flips = sum(1 for r in decided if r["payer"] == "forsakringskassan" and r["basic_minutes"] <= 1800)
        ok(replay.returncode == 1 and flips > 0, "replay with changed rules exits 1 (%d payers change)" % flips)
        differ = [l for l in report.splitlines() if l.startswith("decision ")]
        ok(len(differ) > 0 and all(l.count("sha256:") == 2 and "rules then " in l and ", now " in l for l in differ),
           "each difference names the hashes then and now: %r" % [l for l in differ if l.count("sha256:") != 2][:2])
        ok(any(h in report for h in new_hashes.split() if h.startswith("sha256:")), "the new hash is named")
        # Every decision whose payer flips is reported, and nothing is reported that cannot differ.
        ok(len(differ) >= 2 * flips, "replay reports the %d changed payers of each run (%d lines)" % (flips, len(differ)))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
