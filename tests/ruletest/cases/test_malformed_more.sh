# More mistakes in test files, each with its place: text after `defaults`,
# checks outside a case, a missing JSON value, an empty case name, a file
# without cases, a test file that cannot be read (a directory), and a ruleset
# whose tests/ directory holds no test files.
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rules" "$tmp/rules/tests" "$tmp/unreadable.regeltest"
cp mini/*.regel "$tmp/rules/"
cp malformed2.regeltest empty.regeltest "$tmp/"
cd "$tmp" || exit 2
"$REGEL" test rules malformed2.regeltest empty.regeltest unreadable.regeltest; echo "exit $?"
"$REGEL" test rules; echo "exit $?"
