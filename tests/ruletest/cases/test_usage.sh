# A ruleset without tests, a missing test file, and no arguments.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp mini/*.regel "$dir"
out=$("$REGEL" test "$dir" 2>&1); status=$?
printf '%s\n' "$out" | sed "s|$dir|RULESET|g"; echo "exit $status"
"$REGEL" test mini no-such.regeltest; echo "exit $?"
"$REGEL" test; echo "exit $?"
