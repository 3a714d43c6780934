#!/bin/sh
# Builds one libFuzzer target with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs it for SECONDS:  tests/fuzz/run.sh rules|records SECONDS [libFuzzer options]
# The seed corpus comes from the shipped rule files and example records, the
# dictionary from the scanner's keywords and the ruleset's field and member
# names, so neither goes stale. The growing corpus and any crashing input stay
# in build-fuzz/work/TARGET/; copy a crash into tests/fuzz/regressions/TARGET/
# once it is fixed, and the replay ctest keeps it fixed.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 rules|records SECONDS [libFuzzer options]" >&2; exit 2; }
target=$1 seconds=$2
shift 2
case $target in rules|records) ;; *) echo "$0: unknown target '$target'" >&2; exit 2 ;; esac
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${REGEL_FUZZ_BUILD:-$root/build-fuzz}
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
# Two runs may start at once (both targets on two cores): only one configures and builds.
mkdir -p "$build"
(
  flock 9
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREGEL_FUZZ=ON \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >"$build/configure.log" || { cat "$build/configure.log" >&2; exit 1; }
  cmake --build "$build" --target "fuzz_$target" -j "$(nproc)" >"$build/build-$target.log" || { cat "$build/build-$target.log" >&2; exit 1; }
) 9>"$build/.lock"

work=$build/work/$target
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
lss=rulesets/lss-personlig-assistans
dict=$work/regel.dict
# Keywords and punctuation of the language, from the scanner's rules.
sed -n 's/^"\([^"]*\)".*/"\1"/p' grammar/lexer.l > "$dict"
# Field, enum member and other names of the ruleset, as words and as JSON keys.
# Names only: no law text (>), comments or strings.
grep -hv '^[[:space:]]*>' $lss/*.regel | sed 's/#.*//; s/"[^"]*"//g' | grep -o '[a-z_][a-z_0-9]*' | sort -u |
while read -r w; do
  printf '"%s"\n' "$w"
  if [ "$target" = records ]; then printf '"\\"%s\\":"\n' "$w"; fi
done >> "$dict"
if [ "$target" = rules ]; then
  cp $lss/*.regel tests/diagnostics/*.regel "$work/seeds/"
  printf '"%s"\n' ' h/day' ' min/week' ' years' ' kr' '2024-01-01' '=>' '..' >> "$dict"
else
  n=0
  cat $lss/examples/*.jsonl tests/e2e/lss-*records.jsonl tests/e2e/lss-boundaries.jsonl | while IFS= read -r line; do
    n=$((n + 1))
    printf '%s\n' "$line" > "$work/seeds/record-$n.json"
  done
  printf '"%s"\n' '{' '}' '[' ']' ',' ':' 'null' 'true' 'false' '-0' '1e400' '\\u0000' '2024-02-29' >> "$dict"
fi
cp tests/fuzz/regressions/$target/* "$work/seeds/" 2>/dev/null || true

echo "fuzz_$target: ${seconds}s, corpus $work/corpus" >&2
exec "$build/fuzz_$target" "$work/corpus" "$work/seeds" -dict="$dict" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@"
