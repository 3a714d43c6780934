#!/bin/sh
# Runs one golden case of `regel test` or `regel diff`: cases/NAME.sh runs in
# this directory with $REGEL set, printing what the commands write and their
# exit status; all of it must equal cases/NAME.expected.
#   tests/ruletest/run.sh REGEL NAME
set -u
regel=$1 name=$2
cd "$(dirname "$0")" || exit 2
actual=$(REGEL=$regel NO_COLOR=1 sh "cases/$name.sh" 2>&1)
if [ "$actual" != "$(cat "cases/$name.expected")" ]; then
    printf '%s\n' "$actual" | diff -u "cases/$name.expected" -
    exit 1
fi
