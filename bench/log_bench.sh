#!/bin/sh
# Benchmark of the decision log (issue 3): decisions per second of
# `regel eval --log`, traces included, against the target of 50,000 a second,
# beside plain `regel eval` and `regel eval --trace` (one thread each) on the
# same corpus. Not a test: the numbers depend on the machine and its load;
# each figure is the best of three runs, with CPU time beside wall time (the
# log writes on a thread of its own, so with two free cores the wall time is
# below the CPU time; on a loaded machine it is above it).
#
#   sh bench/log_bench.sh [REGEL] [COUNT]      (defaults: build/regel, 200000)
set -eu
cd "$(dirname "$0")/.."
regel=${1:-build/regel}
count=${2:-200000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/gen_cases.py --seed 1 --count "$count" > "$dir/cases.jsonl"
exec python3 - "$regel" "$count" "$dir" <<'PY'
import os, resource, subprocess, sys, time
regel, count, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rules = "rulesets/lss-personlig-assistans"
cases = os.path.join(tmp, "cases.jsonl")
db = os.path.join(tmp, "log.sqlite")

def best(args):
    runs = []
    for _ in range(3):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        r = subprocess.run(args, stdout=subprocess.DEVNULL)
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode not in (0, 1):
            sys.exit("%s failed: %d" % (" ".join(args), r.returncode))
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        runs.append((wall, cpu))
    return min(runs)

for label, args in [("regel eval", [regel, "eval", "-j", "1", rules, cases]),
                    ("regel eval --trace", [regel, "eval", "-j", "1", "--trace", rules, cases]),
                    ("regel eval --log (traces included)", [regel, "eval", "--log", db, rules, cases])]:
    wall, cpu = best(args)
    print("%-34s %7.2f s wall %7.2f s cpu  %9.0f decisions/s  (%6.0f per cpu second)"
          % (label, wall, cpu, count / wall, count / cpu))
    last, last_cpu = count / wall, count / cpu
size = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
print("log: %.0f MiB for %d decisions; load average %.1f" % (size / 2**20, count, os.getloadavg()[0]))
print("target of 50000 decisions/s with logging: %s" % ("met" if last >= 50000 else "NOT met"))
# On a loaded machine the wall time says more about the load than about regel;
# decisions per CPU second is what one core alone would give.
print("on one core alone (cpu time): %s" % ("met" if last_cpu >= 50000 else "NOT met"))
PY
