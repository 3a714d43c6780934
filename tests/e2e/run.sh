#!/bin/sh
# Decides CASES with regel and compares every result field with EXPECTED
# (as JSON values; `fired` and the free-text error message are not compared).
# Checks the exit status too: 1 when any record was an error, else 0.
set -u
regel=$1 ruleset=$2 cases=$3 expected=$4
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$regel" eval "$ruleset" "$cases" > "$out"
status=$?
want=0
grep -q '"error"' "$expected" && want=1
if [ "$status" -ne "$want" ]; then
    echo "regel eval exited $status, expected $want"
    exit 1
fi
exec python3 "$(dirname "$0")/compare.py" "$expected" "$out" --ignore fired,ruleset_hash --skip error.message
