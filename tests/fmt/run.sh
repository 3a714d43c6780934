#!/bin/sh
# Golden test of the formatter on one case, cases/NAME.regel:
# - `regel fmt -` turns it into exactly cases/NAME.expected, and that is a
#   fixed point (formatting twice changes nothing);
# - `regel fmt --check` exits 1 and names a copy of the input when it would
#   change, 0 on the expected file; `regel fmt FILE` rewrites the copy in place;
# - a case named broken-* does not parse: exit 2, nothing on standard output,
#   the file left as it was.
set -u
regel=$1 case=$2
name=$(basename "$case" .regel)
dir=$(dirname "$case")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($name): $*"; exit 1; }

cp "$case" "$tmp/input.regel"
case $name in
broken-*)
    "$regel" fmt - < "$case" > "$tmp/out" 2> "$tmp/err"
    [ $? -eq 2 ] || fail "formatting a file that does not parse should exit 2"
    [ -s "$tmp/out" ] && fail "formatting a file that does not parse wrote output"
    grep -q "error:" "$tmp/err" || fail "no diagnostic for a file that does not parse"
    "$regel" fmt "$tmp/input.regel" 2> /dev/null
    [ $? -eq 2 ] || fail "regel fmt FILE on a broken file should exit 2"
    cmp -s "$case" "$tmp/input.regel" || fail "a broken file was changed"
    echo "ok: $name is refused and left alone"
    exit 0
    ;;
esac

expected=$dir/$name.expected
"$regel" fmt - < "$case" > "$tmp/out" || fail "regel fmt - exited $?"
diff -u "$expected" "$tmp/out" || fail "output differs from $name.expected"
"$regel" fmt - < "$expected" > "$tmp/again" || fail "regel fmt - on the expected output exited $?"
cmp -s "$expected" "$tmp/again" || { diff -u "$expected" "$tmp/again"; fail "formatting twice changes the file"; }

cp "$expected" "$tmp/expected.regel"
"$regel" fmt --check "$tmp/expected.regel" > "$tmp/listed" || fail "--check on a formatted file exited $?"
[ -s "$tmp/listed" ] && fail "--check listed a formatted file"
if cmp -s "$case" "$expected"; then
    want=0
else
    want=1
fi
"$regel" fmt --check "$tmp/input.regel" > "$tmp/listed" 2> /dev/null
status=$?
[ "$status" -eq "$want" ] || fail "--check exited $status, expected $want"
if [ "$want" -eq 1 ]; then
    grep -qx "$tmp/input.regel" "$tmp/listed" || fail "--check did not name the file"
    cmp -s "$case" "$tmp/input.regel" || fail "--check changed the file"
fi
"$regel" fmt "$tmp/input.regel" || fail "regel fmt FILE exited $?"
cmp -s "$expected" "$tmp/input.regel" || fail "regel fmt FILE did not write the expected layout"
echo "ok: $name"
