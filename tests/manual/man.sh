#!/bin/sh
# The manual page: it renders with man(1) and groff without a single
# warning, and it documents every command of `regel --help` (a section
# `.SS "regel NAME ...`) and every long option of `regel NAME --help`, so a
# new command or option cannot be added without its manual entry.
set -u
regel=$1 page=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

LC_ALL=C.UTF-8 grep -q '[^ -~]' "$page" && fail "$page holds characters outside ASCII; use groff escapes such as \\(sc"
if command -v man > /dev/null; then
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" > "$tmp/rendered" 2> "$tmp/warnings"
    [ -s "$tmp/warnings" ] && { cat "$tmp/warnings"; fail "man -l $page warns"; }
    grep -q "EXIT STATUS" "$tmp/rendered" || fail "man -l $page rendered no EXIT STATUS section"
else
    fail "man is not installed (.ci/install-deps installs man-db)"
fi
groff -man -ww -z "$page" 2> "$tmp/warnings"
[ -s "$tmp/warnings" ] && { cat "$tmp/warnings"; fail "groff -man -ww warns on $page"; }

# The page with its escapes undone, for looking up names.
sed -e 's/\\-/-/g' -e 's/\\e/\\/g' "$page" > "$tmp/plain"
commands=$("$regel" --help | sed -n '/^commands:/,/^$/p' | awk 'NF >= 2 { print $1 }')
[ -n "$commands" ] || fail "regel --help lists no commands"
for command in $commands; do
    grep -q "^\.SS \"regel $command[ \"]" "$tmp/plain" || fail "no section .SS \"regel $command ...\" in $page"
    "$regel" "$command" --help > "$tmp/help" 2>&1 || fail "regel $command --help exited $?"
    for option in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
        [ "$option" = "--help" ] && continue
        grep -q -- "$option" "$tmp/plain" || fail "$page does not document $option of regel $command"
    done
done
for code in 0 1 2; do
    sed -n '/^\.SH "EXIT STATUS"/,/^\.SH /p' "$tmp/plain" | grep -qx "\.B $code" || fail "exit status $code is not documented"
done
[ "$status" -eq 0 ] && echo "$page renders without warnings and documents $(echo $commands | wc -w) commands and their options"
exit $status
