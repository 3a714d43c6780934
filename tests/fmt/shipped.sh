#!/bin/sh
# The formatter on the shipped rule files: spoil their layout (whitespace
# only, tests/fmt/mess.py) under several seeds, format the spoiled copies, and
# expect the shipped files back byte for byte; the spoiled copies must decide
# the examples exactly as the shipped ruleset does, so the spoiling itself
# changed nothing but layout.
set -u
regel=$1 ruleset=$2
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The content hash of the rule files changes with their bytes; nothing else may.
decide() { "$regel" eval "$1" "$ruleset/examples/spec-decided.jsonl" | sed 's/,"ruleset_hash":"[^"]*"//'; }
decide "$ruleset" > "$tmp/want.jsonl"
[ -s "$tmp/want.jsonl" ] || fail "regel eval on the shipped ruleset decided nothing"
for seed in 1 2 3; do
    rm -rf "$tmp/copy"
    cp -R "$ruleset" "$tmp/copy"
    python3 "$here/mess.py" "$seed" "$tmp/copy" "$ruleset"/*.regel || fail "mess.py"
    cmp -s "$ruleset/$(ls "$ruleset" | grep '\.regel$' | head -n 1)" \
        "$tmp/copy/$(ls "$ruleset" | grep '\.regel$' | head -n 1)" && fail "mess.py changed nothing"
    decide "$tmp/copy" > "$tmp/got.jsonl" 2> "$tmp/err" || { cat "$tmp/err"; fail "seed $seed: the spoiled ruleset does not decide"; }
    cmp -s "$tmp/want.jsonl" "$tmp/got.jsonl" || fail "seed $seed: the spoiled ruleset decides differently"
    "$regel" fmt --check "$tmp/copy" > /dev/null 2>&1
    [ $? -eq 1 ] || fail "seed $seed: --check did not find the spoiled files"
    "$regel" fmt "$tmp/copy" || fail "seed $seed: regel fmt exited $?"
    for f in "$ruleset"/*.regel; do
        diff -u "$f" "$tmp/copy/$(basename "$f")" || fail "seed $seed: formatting the spoiled $(basename "$f") does not give it back"
    done
done
echo "the shipped rule files come back from 3 spoilings"
