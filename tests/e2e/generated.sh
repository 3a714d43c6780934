#!/bin/sh
# Differential test: a seeded corpus with a share of bad records of every kind
# is decided by regel and by the independent oracle written from the spec;
# every line must get exactly one result, in order, equal field by field.
set -u
regel=$1 ruleset=$2 count=$3
here=$(dirname "$0")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$here/../../bench/gen_cases.py" --seed 20261124 --count "$count" --bad-share 0.15 > "$dir/cases.jsonl" || exit 1
python3 "$here/../oracle/lss_oracle.py" < "$dir/cases.jsonl" > "$dir/expected.jsonl"
[ $? -le 1 ] || exit 1
"$regel" eval "$ruleset" "$dir/cases.jsonl" > "$dir/actual.jsonl"
[ $? -le 1 ] || { echo "regel eval failed"; exit 1; }
exec python3 "$here/compare.py" "$dir/expected.jsonl" "$dir/actual.jsonl" --ignore fired,ruleset_hash --skip error.message
