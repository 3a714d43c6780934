#!/bin/sh
# Benchmark of the decision log (issue 3): decisions per second of
# `regel eval --log`, traces included, against the target of 50,000 a second;
# beside it, plain `regel eval` and `regel eval --trace` on the same corpus.
# Not a test: the numbers depend on the machine. Prints one line per run.
#
#   sh bench/log_bench.sh [REGEL] [COUNT]      (defaults: build/regel, 200000)
set -eu
cd "$(dirname "$0")/.."
regel=${1:-build/regel}
count=${2:-200000}
rules=rulesets/lss-personlig-assistans
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/gen_cases.py --seed 1 --count "$count" > "$dir/cases.jsonl"

# The best of three runs of a command, in seconds.
best() {
    b=""
    for i in 1 2 3; do
        rm -f "$dir"/log.sqlite*
        s=$(date +%s.%N)
        "$@" > /dev/null || [ $? -eq 1 ]
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
    done
    echo "$b"
}
report() { # label, seconds
    printf '%-34s %8.2f s  %9.0f decisions/s\n' "$1" "$2" "$(echo "$count / $2" | bc -l)"
}
report "regel eval" "$(best "$regel" eval -j 1 "$rules" "$dir/cases.jsonl")"
report "regel eval --trace" "$(best "$regel" eval -j 1 --trace "$rules" "$dir/cases.jsonl")"
t=$(best "$regel" eval --log "$dir/log.sqlite" "$rules" "$dir/cases.jsonl")
report "regel eval --log (traces included)" "$t"
"$regel" eval --log "$dir/log.sqlite" "$rules" "$dir/cases.jsonl" > /dev/null || true
size=$(du -k "$dir/log.sqlite" | cut -f1)
echo "log: $((size / 1024)) MiB for $count decisions; target: 50000 decisions/s"
if [ "$(echo "$count / $t >= 50000" | bc)" -eq 1 ]; then echo "target met"; else echo "target NOT met"; fi
