#!/bin/sh
# The direct reader (record.c, rec_read_direct) reads a well-formed record
# straight from the JSON walk and leaves every other line to the general path
# (jr_parse, rec_read_indexed). direct_reader.jsonl holds, one a line, records
# on either side of that boundary: the selector after other fields, last,
# escaped, twice, not a string, not a date, too early, absent; the key
# escaped, not a string, absent, with escapes in its value; -0, 60.0, 1e400,
# 18 and 19 digits, a range's edge and one past it, a decimal finer than a
# double; an unknown field, a duplicate key, a non-object item, a list that is
# not an array, an empty list, a list of eleven items; a syntax error after a
# field error, text after the record, nesting too deep inside an unknown
# field, a control character, a lone surrogate, a missing required field,
# null for a field with a default, a root array; then (dr-37 on) what the
# reader over stage 1's tokens must check itself: blanks around every token,
# escapes in a text and in an enum value, a number or a key with something
# glued to it, "tr ue", an extra quote, trailing commas, an empty key, a key
# with a blank inside its quotes, a decimal, UTF-8 in a text, the selector
# only inside an item, a missing comma, a line cut short, an empty list;
# and (dr-55 on) where the reader leans on the line's last token being its
# '}': a key or a colon with no value before it, blanks before it, and lists
# of four and five items (the items' blocks are zeroed four at a time);
# and (dr-60 on) records dated before the oldest version, which the reader
# reads by the newest version's declaration as the general path does: a
# failed check, a field out of range, no key.
# direct_reader.expected.jsonl is what the general path alone wrote for them
# (for dr-37 on, the build before this reader, which wrote the same); the results
# must be the same bytes (but for ruleset_hash, which names the rule files
# rather than the reader), on one thread and on two.
set -u
regel=$1 ruleset=$2
here=$(dirname "$0")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
for j in 1 2; do
    "$regel" eval -j "$j" "$ruleset" "$here/direct_reader.jsonl" > "$out"
    status=$?
    if [ "$status" -ne 1 ]; then
        echo "-j $j: regel eval exited $status, expected 1 (some records are errors)"
        fail=1
    fi
    if ! sed -E 's/,"ruleset_hash":"sha256:[0-9a-f]{64}"//' "$out" | cmp -s - "$here/direct_reader.expected.jsonl"; then
        echo "-j $j: the results differ from direct_reader.expected.jsonl:"
        sed -E 's/,"ruleset_hash":"sha256:[0-9a-f]{64}"//' "$out" | diff "$here/direct_reader.expected.jsonl" - | head -20
        fail=1
    fi
done
exit $fail
