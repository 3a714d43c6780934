#!/bin/sh
# `regel diff OLD NEW` must report exactly the records whose `regel eval`
# results differ between OLD and NEW, in input order, each changed field with
# the values eval gave on each side and the rules that fired on one side
# only. NEW is a copy of the ruleset with one sed expression applied to one
# rule file (none: the ruleset against itself, which must change nothing).
# The corpus is a seeded generated caseload plus the shipped examples.
#
#   diff_matches_eval.sh REGEL RULESET [FILE SED_EXPR]
#
# Compared as `regel diff` defines a change: every result field but the key,
# the version and `fired`, which counts as a set; `ruleset_hash` names the
# rule files, not a result, and differs between any two trees.
set -u
regel=$1 ruleset=$2 file=${3:-} expr=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/new"
cp "$ruleset"/*.regel "$dir/new/"
if [ -n "$file" ]; then
    sed "$expr" "$ruleset/$file" > "$dir/new/$file"
    if cmp -s "$ruleset/$file" "$dir/new/$file"; then
        echo "the expression '$expr' changes nothing in $file"
        exit 1
    fi
fi
python3 "$here/../../bench/gen_cases.py" --seed 4 --count 1500 --bad-share 0.1 > "$dir/cases.jsonl" || exit 1
cat "$ruleset"/examples/*.jsonl >> "$dir/cases.jsonl"
"$regel" eval "$ruleset" "$dir/cases.jsonl" > "$dir/old.jsonl"
[ $? -le 1 ] || { echo "regel eval failed on the old side"; exit 1; }
"$regel" eval "$dir/new" "$dir/cases.jsonl" > "$dir/new.jsonl"
[ $? -le 1 ] || { echo "regel eval failed on the new side"; exit 1; }
"$regel" diff "$ruleset" "$dir/new" "$dir/cases.jsonl" > "$dir/diff.jsonl" 2> "$dir/summary.txt"
status=$?
exec python3 - "$dir" "$status" "$file" <<'PYTHON'
import json
import sys

d, status, changed_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
SKIP = {"id", "rules_version", "fired", "ruleset_hash"}


def lines(name):
    with open(f"{d}/{name}", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


old, new, reported = lines("old.jsonl"), lines("new.jsonl"), lines("diff.jsonl")
if len(old) != len(new):
    sys.exit(f"eval gave {len(old)} and {len(new)} lines")
expected = []
for a, b in zip(old, new):
    changes = {k: {"old": a.get(k), "new": b.get(k)}
               for k in sorted((set(a) | set(b)) - SKIP) if a.get(k) != b.get(k)}
    fa, fb = a.get("fired", []), b.get("fired", [])
    old_only = [r for r in fa if r not in fb]
    new_only = [r for r in fb if r not in fa]
    if changes or old_only or new_only:
        expected.append((a.get("id"), changes, old_only, new_only))

failures = []
if len(reported) != len(expected):
    failures.append(f"diff reported {len(reported)} changed records, eval differs on {len(expected)}")
for got, (id_, changes, old_only, new_only) in zip(reported, expected):
    got_changes = {k: v for k, v in got["changed"].items()}
    got_fired = got.get("fired", {"old_only": [], "new_only": []})
    if got.get("id") != id_ or got_changes != changes or got_fired["old_only"] != old_only \
            or got_fired["new_only"] != new_only:
        failures.append(f"record {id_!r}: diff says {json.dumps(got)}, eval says "
                        f"{json.dumps({'changed': changes, 'old_only': old_only, 'new_only': new_only})}")
    if "cause" not in got:
        failures.append(f"record {id_!r}: no cause")
want_status = 1 if expected else 0
if status != want_status:
    failures.append(f"regel diff exited {status}, expected {want_status}")
if changed_file and not expected:
    failures.append("the change made no record differ: the test shows nothing")
summary = open(f"{d}/summary.txt", encoding="utf-8").read()
if f"records compared: {len(old)}\nrecords changed: {len(expected)}\n" not in summary:
    failures.append("the summary does not say " + f"{len(old)} compared, {len(expected)} changed:\n" + summary)
for f in failures[:20]:
    print(f)
print(f"{len(old)} records, {len(expected)} changed; {len(failures)} problems")
sys.exit(1 if failures else 0)
PYTHON
