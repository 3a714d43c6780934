#!/bin/sh
# The acceptance test of the library: a fresh `cmake --install` into an empty
# prefix, then examples/embed.c built with pkg-config against the installed
# copy only (shared, then static), and run on the installed ruleset's
# examples: its result lines must be exactly what `regel eval` writes.
set -u
cmake=$1 build=$2 source=$3 cc=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/x
fail() { echo "FAIL: $*"; exit 1; }

"$cmake" --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
pcdir=$(dirname "$(find "$prefix" -name regel.pc | head -n 1)")
[ -f "$pcdir/regel.pc" ] || fail "no regel.pc installed"
export PKG_CONFIG_PATH=$pcdir
for installed in bin/regel include/regel.h share/man/man1/regel.1 \
                 share/regel/rulesets/lss-personlig-assistans/examples/spec-decided.jsonl; do
    [ -e "$prefix/$installed" ] || fail "$installed was not installed"
done
libdir=$(pkg-config --variable=libdir regel)
[ -e "$libdir/libregel.so" ] && [ -e "$libdir/libregel.a" ] || fail "libregel.so and libregel.a are not in $libdir"
rules=$(pkg-config --variable=rulesetdir regel)/lss-personlig-assistans
[ -d "$rules" ] || fail "rulesetdir $rules does not exist"

# Built outside the source tree, so nothing but the installed header can be found.
cp "$source/examples/embed.c" "$tmp/embed.c"
cd "$tmp" || exit 1
# The command of the issue, as a user would type it (plus warnings as errors).
# REGEL_EMBED_CFLAGS: what the library was built with that a client needs too
# (the sanitizers of a REGEL_SANITIZE build, whose runtime must come first).
cc() { "$cc" ${REGEL_EMBED_CFLAGS:-} "$@"; }
cc $(pkg-config --cflags --libs regel) -Wall -Wextra -Werror -o embed embed.c || fail "building embed against libregel.so"
# and in the conventional order, libraries after sources
cc -Wall -Wextra -Werror -o embed-conventional embed.c $(pkg-config --cflags --libs regel) || fail "building embed, libraries last"
cc -Wall -Wextra -Werror -o embed-static embed.c $(pkg-config --cflags regel) "$libdir/libregel.a" \
    $(pkg-config --static --libs regel | sed 's/-Wl,--push-state,--no-as-needed -lregel -Wl,--pop-state//') \
    || fail "building embed against libregel.a"

cases=$rules/examples
cat "$cases/spec-decided.jsonl" "$cases/spec-errors.jsonl" > cases.jsonl
"$prefix/bin/regel" eval "$rules" cases.jsonl > expected.jsonl
[ -s expected.jsonl ] || fail "regel eval wrote nothing"
for program in embed embed-conventional embed-static; do
    LD_LIBRARY_PATH=$libdir "./$program" "$rules" cases.jsonl > "$program.jsonl" 2> "$program.log"
    status=$?
    [ "$status" -eq 1 ] || { cat "$program.log"; fail "$program exited $status, expected 1 (some records are errors)"; }
    diff -u expected.jsonl "$program.jsonl" || fail "$program's results differ from regel eval"
    grep -q "rejected" "$program.log" && grep -q "decided under the rules of" "$program.log" || fail "$program's summary"
done
# The static build must not need the shared library at all.
if command -v ldd > /dev/null; then
    ldd ./embed-static | grep -q libregel && fail "embed-static links libregel.so"
    LD_LIBRARY_PATH=$libdir ldd ./embed | grep -q "$libdir/libregel.so" || fail "embed does not use the installed libregel.so"
fi
echo "embed.c built against the installed library (shared and static) decides as regel eval"
