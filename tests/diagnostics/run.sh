#!/bin/sh
# Golden test of diagnostics: `regel check NAME.regel` must print exactly
# NAME.expected on standard error (no colour) and exit 2.
set -u
regel=$1 case=$2
cd "$(dirname "$case")" || exit 1
name=$(basename "$case" .regel)
actual=$(NO_COLOR=1 "$regel" check "$name.regel" 2>&1 >/dev/null)
status=$?
if [ "$status" -ne 2 ]; then
    echo "regel check exited $status, expected 2"
    exit 1
fi
printf '%s\n' "$actual" | diff -u "$name.expected" - || exit 1
