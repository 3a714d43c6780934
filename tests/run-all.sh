#!/bin/sh
# Builds regel and runs every test (unit, end to end, diagnostics, robustness)
# with ctest twice: in the release build, then in build-asan, built with
# AddressSanitizer and UndefinedBehaviorSanitizer (REGEL_SANITIZE), where any
# sanitizer report fails the test that caused it. The valgrind test runs in
# the release build only: valgrind cannot run a sanitized binary.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

# A report must not pass for an expected status: regel's own exit codes are
# 0, 1 and 2, and several tests accept 1, so the sanitizers abort instead
# (status 134), leaks included.
ASAN_OPTIONS=abort_on_error=1:halt_on_error=1:detect_leaks=1:exitcode=86
UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1:exitcode=86
export ASAN_OPTIONS UBSAN_OPTIONS
# The sanitizer build also runs the evaluator's portable dispatch (the release
# build and the fuzzers run the threaded one).
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREGEL_SANITIZE=ON -DREGEL_SWITCH_DISPATCH=ON >/dev/null
cmake --build build-asan -j "$jobs"
ctest --test-dir build-asan --output-on-failure -j "$jobs" -E '^valgrind_'
