#!/bin/sh
# Do two builds of regel decide alike? For a change that must not change a
# single byte of output (a faster reader, evaluator or writer), this runs both
# binaries over the same seeded corpus, with a share of bad records, under the
# options that take different paths through the code, and compares stdout,
# stderr and the exit status of each pair.
#
#   bench/same_output.sh OLD/regel NEW/regel [RECORDS]   (default 30000)
#
# Step limits and nesting bounds make every record stop at some step, so they
# check that a change stops at the very step the old build stopped at.
# Exits 0 when every pair matches, 1 at the first difference (shown).
set -eu
old=$1
new=$2
count=${3:-30000}
here=$(cd "$(dirname "$0")" && pwd)
ruleset="$here/../rulesets/lss-personlig-assistans"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$here/gen_cases.py" --seed 11 --count "$count" --bad-share 0.3 >"$work/corpus.jsonl"
cat "$here/../tests/e2e/lss-bad-records.jsonl" "$here/../tests/e2e/lss-boundaries.jsonl" \
    "$here/../tests/performance/direct_reader.jsonl" >>"$work/corpus.jsonl"
head -n 2000 "$work/corpus.jsonl" >"$work/small.jsonl"

runs=0
compare() { # label, then the options; the corpus is the last argument
    label=$1
    shift
    set +e
    "$old" eval "$@" >"$work/old.out" 2>"$work/old.err"
    old_status=$?
    "$new" eval "$@" >"$work/new.out" 2>"$work/new.err"
    new_status=$?
    set -e
    runs=$((runs + 1))
    if [ "$old_status" != "$new_status" ] || ! cmp -s "$work/old.out" "$work/new.out" ||
        ! cmp -s "$work/old.err" "$work/new.err"; then
        echo "DIFFERENT: $label (exit $old_status vs $new_status)"
        diff "$work/old.out" "$work/new.out" | head -n 6 || true
        diff "$work/old.err" "$work/new.err" | head -n 6 || true
        exit 1
    fi
}

compare "plain -j1" -j 1 "$ruleset" "$work/corpus.jsonl"
compare "plain -j2" -j 2 "$ruleset" "$work/corpus.jsonl"
compare "trace -j1" -j 1 --trace "$ruleset" "$work/corpus.jsonl"
compare "trace -j2" -j 2 --trace "$ruleset" "$work/small.jsonl"
compare "max-depth 2" -j 1 --max-depth 2 "$ruleset" "$work/small.jsonl"
for steps in 1 2 3 5 8 13 21 34 55 89 144; do
    compare "max-steps $steps" -j 1 --max-steps "$steps" "$ruleset" "$work/small.jsonl"
    compare "max-steps $steps, trace" -j 1 --trace --max-steps "$steps" "$ruleset" "$work/small.jsonl"
done
nesting=1
while [ "$nesting" -le 40 ]; do
    compare "max-nesting $nesting" -j 1 --max-nesting "$nesting" "$ruleset" "$work/small.jsonl"
    compare "max-nesting $nesting, trace" -j 1 --trace --max-nesting "$nesting" "$ruleset" "$work/small.jsonl"
    nesting=$((nesting + 1))
done
echo "same output: $runs runs over $(wc -l <"$work/corpus.jsonl") lines"
