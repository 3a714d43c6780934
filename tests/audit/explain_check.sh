#!/bin/sh
# Golden tests of `regel explain` (issue 3): the shipped LSS examples in Swedish and
# English, and the amendment fixture, against tests/audit/explain/*.expected. The
# ruleset hash in each header is masked, so that a change of a rule file elsewhere
# does not read as a change of the explanation. Regenerate a golden file with
#   REGEN=1 tests/audit/explain_check.sh build/regel .
set -u
regel=$1 root=$2
lss=$root/rulesets/lss-personlig-assistans
fixture=$root/tests/audit/amended
here=$root/tests/audit/explain
out=$(mktemp)
trap 'rm -f "$out"' EXIT
passed=0 failed=0
check() { # name, then the explain command's arguments
    name=$1
    shift
    "$regel" explain "$@" | sed 's/sha256:[0-9a-f]*…/sha256:…/' > "$out"
    if [ "${REGEN:-}" = 1 ]; then
        cp "$out" "$here/$name.expected"
    fi
    if diff -u "$here/$name.expected" "$out"; then
        passed=$((passed + 1))
    else
        echo "FAIL: regel explain $*: differs from $name.expected"
        failed=$((failed + 1))
    fi
}
check lss-decided-sv --lang sv "$lss" "$lss/examples/spec-decided.jsonl"
check lss-decided-en --lang en "$lss" "$lss/examples/spec-decided.jsonl"
check lss-one-case-en --lang en --id turned-65-in-2023-limit-66 "$lss" "$lss/examples/spec-decided.jsonl"
check fixture-sv "$fixture" "$fixture/cases.jsonl"
# Error records are told as errors, and the exit status says so.
"$regel" explain "$lss" "$lss/examples/spec-errors.jsonl" > "$out"
status=$?
if [ "$status" -eq 1 ] && grep -q "^Ärende bad-date: kunde inte avgöras: " "$out"; then
    passed=$((passed + 1))
else
    echo "FAIL: explain of error records (status $status)"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
