#!/bin/sh
# Line and branch coverage of grammar/ and interpreter/ over the whole test
# suite: builds build-coverage with REGEL_COVERAGE (gcc --coverage, -O0), runs
# every ctest there, and reports with gcovr (Debian's gcovr). The scanner and
# parser are counted against grammar/lexer.l and grammar/parser.y through the
# #line directives flex and bison write; the tables and skeleton code they
# generate are not ours to test and are left out.
#   tests/coverage.sh [BUILD_DIR]    (a report in BUILD_DIR/coverage.txt, an HTML one beside it)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-coverage}
command -v gcovr >/dev/null || { echo "coverage.sh: gcovr is not installed (apt-get install gcovr)" >&2; exit 2; }
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DREGEL_COVERAGE=ON >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
find "$build" -name '*.gcda' -delete
# Failures are reported but do not stop the report: coverage of a red suite is still worth reading.
# Left out: valgrind (slow, and adds nothing here) and the installed-library embed test, whose
# program is built outside CMake against the instrumented library and would need libgcov.
ctest --test-dir "$build" -j "$(nproc)" -E '^(valgrind_|library_installed_embed$)' >"$build/ctest.log" 2>&1 || {
    echo "coverage.sh: some tests failed (see $build/ctest.log)" >&2
    grep -E 'tests passed|Failed|\*\*\*' "$build/ctest.log" >&2 || true
}
# Only our sources: the generated lexer.c/parser.c map back to the .l/.y files.
set -- -r . --object-directory "$build" \
    --filter 'grammar/' --filter 'interpreter/' \
    --exclude-unreachable-branches --exclude-throw-branches \
    --gcov-ignore-parse-errors
gcovr "$@" --txt "$build/coverage.txt" --html-details "$build/coverage.html" --print-summary
gcovr "$@" --branches --txt "$build/coverage-branches.txt" >/dev/null
echo "per-file report: $build/coverage.txt (lines), $build/coverage-branches.txt (branches), $build/coverage.html"
