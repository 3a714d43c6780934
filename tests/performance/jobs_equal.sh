#!/bin/sh
# `regel eval -j N` writes the same bytes and exits the same way for any N
# (issue 6): a seeded corpus with bad records of every kind, lines cut off by
# --max-line-bytes, and with --trace, decided on 1, 2, 3 and 4 threads and read
# from a file and from a pipe. The corpus spans several chunks per worker
# (interpreter/parallel.c queues 64 KiB at a time).
set -u
regel=$1 ruleset=$2
here=$(dirname "$0")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$here/../../bench/gen_cases.py" --seed 606 --count 4000 --bad-share 0.2 > "$dir/cases.jsonl" || exit 1
[ "$(wc -c < "$dir/cases.jsonl")" -gt 1500000 ] || { echo "corpus too small to span the chunks"; exit 1; }
fail=0
run() { # NAME ARGS... : decide into $dir/NAME.out, keep the exit status in $dir/NAME.rc
    name=$1
    shift
    "$@" > "$dir/$name.out" 2> "$dir/$name.err"
    echo $? > "$dir/$name.rc"
}
for variant in plain cut trace; do
    case $variant in
        plain) opts= ;;
        cut) opts="--max-line-bytes 700" ;;
        trace) opts=--trace ;;
    esac
    for j in 1 2 3 4; do
        # shellcheck disable=SC2086
        run "$variant-$j" "$regel" eval -j "$j" $opts "$ruleset" "$dir/cases.jsonl"
    done
    # shellcheck disable=SC2086
    run "$variant-pipe" sh -c "cat '$dir/cases.jsonl' | '$regel' eval -j 2 $opts '$ruleset' -"
    [ "$(cat "$dir/$variant-1.rc")" = 1 ] || { echo "$variant -j 1: exit $(cat "$dir/$variant-1.rc"), want 1"; fail=1; }
    [ -s "$dir/$variant-1.out" ] || { echo "$variant -j 1: no output"; fail=1; }
    for other in 2 3 4 pipe; do
        if ! cmp -s "$dir/$variant-1.out" "$dir/$variant-$other.out"; then
            echo "$variant: -j 1 and -j $other differ"
            cmp "$dir/$variant-1.out" "$dir/$variant-$other.out" | head -3
            fail=1
        fi
        if [ "$(cat "$dir/$variant-1.rc")" != "$(cat "$dir/$variant-$other.rc")" ]; then
            echo "$variant: exit status $(cat "$dir/$variant-1.rc") with -j 1, $(cat "$dir/$variant-$other.rc") with -j $other"
            fail=1
        fi
    done
done
lines=4000 # gen_cases.py writes --count record lines (and some blank ones, which get no result)
[ "$(wc -l < "$dir/plain-1.out")" -eq "$lines" ] || { echo "expected $lines result lines"; fail=1; }
[ "$(grep -c '"line too long"' "$dir/cut-1.out")" -gt 0 ] || { echo "--max-line-bytes cut no line"; fail=1; }
[ $fail -eq 0 ] && echo "-j 1, 2, 3, 4 and a pipe agree byte for byte ($lines records, 3 variants)"
exit $fail
