#!/bin/sh
# Bug story: `regel eval -o /dev/null` renamed its temporary file over
# /dev/null and replaced the device with a regular file. Output to something
# that is not a regular file (a device, a pipe) must be written in place.
set -u
regel=$1 ruleset=$2 cases=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/pipe"
cat "$dir/pipe" > "$dir/got" &
reader=$!
"$regel" eval -j 1 -o "$dir/pipe" "$ruleset" "$cases"
status=$?
wait "$reader"
[ "$status" -eq 0 ] || { echo "regel eval exited $status"; exit 1; }
[ -p "$dir/pipe" ] || { echo "the pipe was replaced by a file"; exit 1; }
want=$(grep -c . "$cases")
got=$(wc -l < "$dir/got")
[ "$got" -eq "$want" ] || { echo "got $got result lines through the pipe, expected $want"; exit 1; }
# And a regular file is still replaced atomically, whole.
"$regel" eval -o "$dir/out.jsonl" "$ruleset" "$cases" || exit 1
[ "$(wc -l < "$dir/out.jsonl")" -eq "$want" ] || { echo "short result file"; exit 1; }
ls "$dir" | grep -q tmp- && { echo "a temporary file was left behind"; exit 1; }
exit 0
