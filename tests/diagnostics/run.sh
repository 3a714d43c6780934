#!/bin/sh
# Golden test of diagnostics: `regel check CASE` must print exactly
# CASE.expected on standard error (no colour) and exit as expected.
# CASE is NAME.regel, or a directory NAME of rule files (a ruleset with
# several versions) with NAME.expected beside it. A case file (any file of a
# directory case) may hold directives:
#   # regel-test-args: --strict            extra arguments of `regel check`
#   # regel-test-exit: 0                   the exit status (default 2)
set -u
regel=$1 case=${2%/}
cd "$(dirname "$case")" || exit 1
name=$(basename "$case" .regel)
target=$(basename "$case")
if [ -d "$target" ]; then files=$(ls "$target"/*.regel); else files=$target; fi
args=$(sed -n 's/^# regel-test-args: //p' $files | head -n 1)
want_status=$(sed -n 's/^# regel-test-exit: //p' $files | head -n 1)
want_status=${want_status:-2}
# shellcheck disable=SC2086 # the arguments are words
actual=$(NO_COLOR=1 "$regel" check $args "$target" 2>&1 >/dev/null)
status=$?
if [ "$status" -ne "$want_status" ]; then
    echo "regel check exited $status, expected $want_status"
    printf '%s\n' "$actual"
    exit 1
fi
{ [ -z "$actual" ] || printf '%s\n' "$actual"; } | diff -u "$name.expected" - || exit 1
