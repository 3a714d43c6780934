#!/usr/bin/env python3
"""The benchmark of issue 6: how fast `regel eval` decides LSS caseloads, beside the peers.

    python3 bench/run.py [--regel build/regel] [--baseline OTHER/regel] [--quick] [--work DIR]

On seeded corpora in the spec's format (bench/gen_cases.py) it measures, process start to
finish, wall and CPU time and peak memory of:

  - `regel eval` on the LSS ruleset (single thread, and with -j when the build has it; with
    --trace and --log when the build has them, to state their overhead);
  - the same for a second build given with --baseline, so that two builds can be compared;
  - the hand-written C program (bench/handwritten/lss_decide.c, plain ifs over jansson) and
    jansson parsing alone;
  - the floor: a parse-only pass with simdjson's On-Demand API that touches every field of
    every record (bench/floor/floor.cpp), built with Debian's default flags and with
    -march=haswell, and once with stage 1 forced to simdjson's scalar kernel;
  - the peers, installed here from npm when it is reachable: the GoRules ZEN engine
    (bench/peers/zen/lss.jdm.json) and json-rules-engine (bench/peers/json-rules-engine/).

All of them run on the same comparison corpus (200,000 records) in the same run; regel,
the hand-written program and the floor also on 100,000 and 1,000,000 records and on a
corpus of about 1 MB, to show that memory stays flat. It also times compiling the ruleset
(`regel check`) and deciding a single record (`regel eval` on one line, compile included),
and checks that every other program agrees with regel on the comparison corpus, naming
the reason of each known difference. It prints the tables and writes them, with the
machine's description, to WORK/results.md and WORK/results.json.

Fast C programs run --repeat times (default 3), in rounds that run each of them once, and
each one's fastest run counts; the peers run once. Output goes to /dev/null in timed runs, to files in the untimed agreement runs.
Corpora, built helpers and npm packages are kept in WORK (default $TMPDIR/regel-bench)
between runs. --quick uses 20,000 records for the comparison and 100,000 for scaling.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RULESET = os.path.join(ROOT, "rulesets", "lss-personlig-assistans")
COMPARE = os.path.join(ROOT, "tests", "e2e", "compare.py")

# Differences from regel that are known and explained, by what the input record holds.
# A number spelled with more significant digits than a double keeps (jansson, JSON.parse).
FINE_NUMBER = re.compile(rb'"longest_break_hours"\s*:\s*-?[0-9]*\.?[0-9]{17,}')
EXPLANATIONS = [(FINE_NUMBER, "longest_break_hours spelled finer than a double")]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ measuring

MEASURE = None  # the launcher bench/measure.c, built into WORK/bin


def measure(cmd, env=None, stdout=None):
    """Runs cmd once; wall and CPU seconds and peak resident memory (KiB) of that process alone."""
    out = open(stdout, "wb") if stdout else open(os.devnull, "wb")
    err = tempfile.TemporaryFile()
    fd, report = tempfile.mkstemp(prefix="measure-")
    os.close(fd)
    try:
        subprocess.run([MEASURE, report] + list(cmd), stdout=out, stderr=err,
                       env=dict(os.environ, **(env or {})))
        with open(report) as f:
            fields = f.read().split()
    finally:
        os.unlink(report)
        out.close()
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    err.close()
    if len(fields) != 5:
        raise RuntimeError("could not run %s: %s" % (" ".join(cmd), stderr[-2000:]))
    wall, user, system = float(fields[0]), float(fields[1]), float(fields[2])
    return {"wall": wall, "user": user, "sys": system, "cpu": user + system, "maxrss_kb": int(fields[3]),
            "status": int(fields[4]), "stderr": stderr}


def best_of_rounds(entries, repeat, ok=(0, 1)):
    """Runs every entry (name, cmd, env, prepare) once per round, `repeat` rounds, and keeps
    each one's fastest run. Interleaved, a spell of load on this shared machine slows one
    run of every program rather than every run of one, so the ratios between programs,
    which the targets are, move less than the figures themselves. An entry that fails is
    reported and left out of the later rounds and of the result."""
    runs = {name: [] for name, _, _, _ in entries}
    for round_no in range(repeat):
        for name, cmd, env, prepare in entries:
            if runs[name] is None:
                continue
            log("  %s (round %d of %d) ..." % (name, round_no + 1, repeat))
            if prepare:
                prepare()
            try:
                m = measure(cmd, env)
                if m["status"] not in ok:
                    raise RuntimeError("exited %d: %s" % (m["status"], m["stderr"][-2000:]))
            except RuntimeError as e:
                log("  %s failed: %s" % (name, e))
                runs[name] = None
                continue
            runs[name].append(m)
    best = {}
    for name, rs in runs.items():
        if rs:
            b = dict(min(rs, key=lambda r: r["wall"]))
            b["wall_median"] = statistics.median(r["wall"] for r in rs)
            b["runs"] = len(rs)
            best[name] = b
    return best


# ------------------------------------------------------------------------------ inputs

def corpus(work, seed, count, bad_share):
    path = os.path.join(work, "corpus-s%d-n%d-b%g.jsonl" % (seed, count, bad_share))
    if not os.path.exists(path):
        log("generating %s ..." % os.path.basename(path))
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_cases.py"), "--seed", str(seed),
                            "--count", str(count), "--bad-share", str(bad_share)], stdout=f, check=True)
        os.rename(tmp, path)
    return path


def corpus_of_bytes(work, seed, target_bytes, bad_share):
    """A corpus of about target_bytes: the first records of a larger one."""
    big = corpus(work, seed, 100000, bad_share)
    path = os.path.join(work, "corpus-s%d-%dbytes-b%g.jsonl" % (seed, target_bytes, bad_share))
    if not os.path.exists(path):
        with open(big, "rb") as f, open(path, "wb") as out:
            n = 0
            for line in f:
                out.write(line)
                n += len(line)
                if n >= target_bytes:
                    break
    return path


def record_lines(path):
    with open(path, "rb") as f:
        return [line.rstrip(b"\n").rstrip(b"\r") for line in f
                if line.rstrip(b"\n").strip(b" \t\r")]


def count_records(path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip(b" \t\r\n"):
                n += 1
    return n


# ------------------------------------------------------------------------------ helpers built here

def newer(src, dst):
    return not os.path.exists(dst) or os.path.getmtime(src) > os.path.getmtime(dst)


def build(work, name, cmd_for, src):
    out = os.path.join(work, "bin", name)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if newer(src, out):
        cmd = cmd_for(out)
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            log("cannot build %s (%s):\n%s" % (name, " ".join(cmd), r.stderr[-3000:]))
            return None
    return out


def pkg_config(*args):
    try:
        return subprocess.run(["pkg-config"] + list(args), capture_output=True, text=True,
                              check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def build_helpers(work):
    global MEASURE
    tools = {}
    src = os.path.join(HERE, "measure.c")
    MEASURE = build(work, "measure", lambda o: [os.environ.get("CC", "cc"), "-O2", src, "-o", o], src)
    if not MEASURE:
        sys.exit("cannot build bench/measure.c")
    sj = pkg_config("--cflags", "--libs", "simdjson") or ["-lsimdjson"]
    floor_src = os.path.join(HERE, "floor", "floor.cpp")
    cxx = os.environ.get("CXX", "c++")
    cc = os.environ.get("CC", "cc")
    tools["floor"] = build(work, "floor", lambda o: [cxx, "-O2", "-std=c++17", floor_src, "-o", o] + sj,
                           floor_src)
    if "avx2" in cpu_flags():
        tools["floor_haswell"] = build(work, "floor-haswell", lambda o: [
            cxx, "-O2", "-std=c++17", "-march=haswell", floor_src, "-o", o] + sj, floor_src)
    hw_src = os.path.join(HERE, "handwritten", "lss_decide.c")
    tools["handwritten"] = build(work, "lss_decide", lambda o: [
        cc, "-O2", "-std=c11", hw_src, "-o", o, "-ljansson"], hw_src)
    if not tools["handwritten"]:
        log("the hand-written program needs jansson: apt-get install libjansson-dev")
    return tools


def install_peers(work):
    """npm packages into WORK/node; returns the NODE_PATH, or None when npm is out of reach."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        log("node or npm not found: the peers are left out")
        return None
    dest = os.path.join(work, "node")
    os.makedirs(dest, exist_ok=True)
    pkg = os.path.join(HERE, "peers", "package.json")
    stamp = os.path.join(dest, "package.json")
    modules = os.path.join(dest, "node_modules")
    if newer(pkg, stamp) or not os.path.isdir(modules):
        shutil.copyfile(pkg, stamp)
        log("installing the peers from npm ...")
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=dest,
                           capture_output=True, text=True)
        if r.returncode != 0:
            log("npm install failed, the peers are left out:\n" + r.stderr[-2000:])
            os.remove(stamp)
            return None
    return modules


def regel_features(regel):
    """What the build offers, from `regel eval --help`."""
    r = subprocess.run([regel, "eval", "--help"], capture_output=True, text=True)
    text = r.stdout + r.stderr
    return {"jobs": bool(re.search(r"(^|\s)-j\b|--jobs", text)),
            "trace": "--trace" in text,
            "log": bool(re.search(r"--log\b", text))}


# ------------------------------------------------------------------------------ agreement

# The result fields of the case format; regel may write more (`fired`, and whatever else a
# build adds), which the other programs do not have.
SPEC_RESULT = {"id", "rules_version", "eligible", "payer", "basic_minutes", "other_minutes",
               "parental_deduction_basic_minutes", "parental_deduction_other_minutes",
               "granted_minutes", "error"}


def extra_keys(regel_path):
    keys = {"fired"}
    with open(regel_path, "rb") as f:
        for i, line in enumerate(f):
            keys |= set(json.loads(line)) - SPEC_RESULT
            if i > 1000:
                break
    return ",".join(sorted(keys))


def disagreements(other_path, regel_path):
    """Record numbers (1-based) where the two differ, as compare.py reports them. regel's
    results are the "actual" side so that the keys the others lack are ignored."""
    r = subprocess.run([sys.executable, COMPARE, other_path, regel_path, "--ignore", extra_keys(regel_path),
                        "--skip", "error.message", "--max-report", "100000000"],
                       capture_output=True, text=True)
    failed = [int(m.group(1)) for m in re.finditer(r"^record (\d+) ", r.stdout, re.M)]
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr
    m = re.match(r"(\d+) passed, (\d+) failed", last)
    if not m:
        return None, failed, last
    return int(m.group(1)) + int(m.group(2)), failed, last


def agreement(name, regel_out, other_out, inputs):
    """How far `other_out` agrees with regel's results, with the known differences named."""
    total, failed, summary = disagreements(other_out, regel_out)
    if total is None:
        return {"engine": name, "text": "could not compare: " + summary}
    reasons = {}
    unexplained = []
    regel_lines = record_lines(regel_out)
    for n in failed:
        line = inputs[n - 1] if n - 1 < len(inputs) else b""
        why = next((text for rx, text in EXPLANATIONS if rx.search(line)), None)
        if why is None and n - 1 < len(regel_lines) and b'"error":' in regel_lines[n - 1]:
            why = "a record regel rejects (the peer validates less)"
        if why is None:
            unexplained.append(n)
        else:
            reasons[why] = reasons.get(why, 0) + 1
    text = "%d of %d records agree" % (total - len(failed), total)
    if reasons:
        text += "; explained: " + ", ".join("%s (%d)" % kv for kv in sorted(reasons.items()))
    if unexplained:
        text += "; UNEXPLAINED: %d (first records %s)" % (len(unexplained), unexplained[:5])
    return {"engine": name, "records": total, "agree": total - len(failed), "explained": reasons,
            "unexplained": unexplained[:20], "text": text}


# ------------------------------------------------------------------------------ report

def machine():
    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = "%.1f GiB" % (int(f.readline().split()[1]) / 1048576)
    except (OSError, ValueError):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "memory": mem, "kernel": platform.release(),
            "cc": first_line([os.environ.get("CC", "cc"), "--version"]),
            "simdjson": " ".join(pkg_config("--modversion", "simdjson") or ["?"]),
            "node": first_line(["node", "--version"]) if shutil.which("node") else "-",
            "commit": first_line(["git", "-C", ROOT, "describe", "--always", "--dirty"]),
            "load": " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"}


def fmt_rate(x):
    return "{:,.0f}".format(x) if x >= 100 else "%.1f" % x


def table(rows, records, ref_name):
    """One row per engine; the last column is the engine's wall time over regel's."""
    ref = next((r for r in rows if r["engine"] == ref_name), None)
    lines = ["| engine | wall s | CPU s | records/s (wall) | records/s (CPU) | peak MiB | time ÷ regel's |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        m = r["m"]
        lines.append("| %s | %.3f | %.3f | %s | %s | %.1f | %s |" % (
            r["engine"], m["wall"], m["cpu"], fmt_rate(records / m["wall"]),
            fmt_rate(records / m["cpu"]) if m["cpu"] > 0 else "-", m["maxrss_kb"] / 1024.0,
            "%.3g" % (m["wall"] / ref["m"]["wall"]) if ref else "-"))
    return "\n".join(lines)


def main(argv):
    global RULESET
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regel", default=os.path.join(ROOT, "build", "regel"))
    ap.add_argument("--baseline", help="another regel binary to compare with")
    ap.add_argument("--ruleset", default=RULESET, help="the LSS ruleset (default: the repository's)")
    ap.add_argument("--baseline-ruleset", help="the ruleset for --baseline (default: --ruleset)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "regel-bench"))
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--bad-share", type=float, default=0.0,
                    help="share of bad records in the corpora (default 0: a caseload of exports)")
    ap.add_argument("--compare-size", type=int, default=200000)
    ap.add_argument("--sizes", default="100000,1000000", help="scaling corpora (records)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="20,000 records to compare, 100,000 to scale")
    ap.add_argument("--no-peers", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.compare_size, args.sizes = 20000, "100000"
    sizes = [int(s) for s in args.sizes.split(",") if s]
    os.makedirs(args.work, exist_ok=True)
    RULESET = os.path.abspath(args.ruleset)
    BASE_RULESET = os.path.abspath(args.baseline_ruleset or args.ruleset)
    regel = os.path.abspath(args.regel)
    if not os.access(regel, os.X_OK):
        ap.error("no regel binary at %s (build it first, or give --regel)" % regel)
    feats = regel_features(regel)
    tools = build_helpers(args.work)
    node_path = None if args.no_peers else install_peers(args.work)
    info = machine()
    report = {"machine": info, "args": vars(args), "features": feats}
    md = ["# regel benchmark", "",
          "Machine: %(cpu)s, %(cores)d cores, %(memory)s, Linux %(kernel)s; %(cc)s; simdjson "
          "%(simdjson)s; node %(node)s; regel at %(commit)s; load average at start %(load)s." % info,
          ""]
    print(md[2])

    # -------------------------------------------------------------- the comparison corpus
    comp = corpus(args.work, args.seed, args.compare_size, args.bad_share)
    n = count_records(comp)
    rows = []

    timed = []

    def add(name, cmd, env=None, prepare=None):
        timed.append((name, cmd, env, prepare))

    single = [regel, "eval"] + (["-j", "1"] if feats["jobs"] else [])
    ref_name = "regel eval" + (" -j 1" if feats["jobs"] else "")
    log("comparison corpus: %d records, %s" % (n, comp))
    add(ref_name, single + [RULESET, comp])
    if feats["jobs"]:
        for j in sorted({2, os.cpu_count() or 1}):
            if j > 1:
                add("regel eval -j %d" % j, [regel, "eval", "-j", str(j), RULESET, comp])
    if feats["trace"]:
        add(ref_name + " --trace", single + ["--trace", RULESET, comp])
    if feats["log"]:
        decision_log = os.path.join(args.work, "decisions.log")

        def fresh_log():
            for suffix in ("", "-journal", "-wal", "-shm"):
                if os.path.exists(decision_log + suffix):
                    os.remove(decision_log + suffix)
        add(ref_name + " --log FILE", single + ["--log", decision_log, RULESET, comp], prepare=fresh_log)
    if args.baseline:
        bfeats = regel_features(args.baseline)
        add("baseline regel eval" + (" -j 1" if bfeats["jobs"] else ""),
            [os.path.abspath(args.baseline), "eval"] + (["-j", "1"] if bfeats["jobs"] else []) +
            [BASE_RULESET, comp])
    if tools.get("handwritten"):
        add("hand-written C over jansson", [tools["handwritten"], comp])
        add("jansson, parse only", [tools["handwritten"], "--parse-only", comp])
    if tools.get("floor"):
        add("floor: simdjson On-Demand, parse only", [tools["floor"], comp])
        if tools.get("floor_haswell"):
            add("floor built with -march=haswell", [tools["floor_haswell"], comp])
        add("floor, stage 1 forced to fallback", [tools["floor"], comp],
            env={"SIMDJSON_FORCE_IMPLEMENTATION": "fallback"})
        add("floor, iterate_many over 1 MiB blocks", [tools["floor"], "--many", comp])
    best = best_of_rounds(timed, args.repeat)
    rows += [{"engine": name, "cmd": cmd, "m": best[name]} for name, cmd, _, _ in timed if name in best]
    outs = os.path.join(args.work, "out")
    os.makedirs(outs, exist_ok=True)
    peer_outputs = {}
    if node_path:
        env = {"NODE_PATH": node_path, "RUST_BACKTRACE": "0"}
        for name, script in [("GoRules ZEN engine (Node)", "zen/run_zen.js"),
                             ("json-rules-engine (Node)", "json-rules-engine/run_jre.js")]:
            log("  %s (one run, writing its results) ..." % name)
            out = os.path.join(outs, os.path.basename(script) + ".jsonl")
            m = measure(["node", os.path.join(HERE, "peers", script), comp], env=env, stdout=out)
            if m["status"] in (0, 1):
                rows.append({"engine": name, "cmd": script, "m": m})
                peer_outputs[name] = out
            else:
                log("  %s failed: %s" % (name, m["stderr"][-2000:]))
    title = "## All engines on the same corpus: %s records (seed %d, bad share %g)" % (
        "{:,}".format(n), args.seed, args.bad_share)
    t = table(rows, n, ref_name)
    print("\n" + title + "\n\n" + t)
    md += [title, "", t, ""]
    report["comparison"] = {"records": n, "rows": [{"engine": r["engine"], **{
        k: v for k, v in r["m"].items() if k != "stderr"}} for r in rows]}

    # -------------------------------------------------------------- agreement with regel
    log("checking agreement with regel ...")
    regel_out = os.path.join(outs, "regel.jsonl")
    subprocess.run(single + [RULESET, comp], stdout=open(regel_out, "wb"))
    inputs = record_lines(comp)
    agree = []
    if tools.get("handwritten"):
        hw_out = os.path.join(outs, "handwritten.jsonl")
        subprocess.run([tools["handwritten"], comp], stdout=open(hw_out, "wb"))
        agree.append(agreement("hand-written C over jansson", regel_out, hw_out, inputs))
    if args.baseline:
        b_out = os.path.join(outs, "baseline.jsonl")
        subprocess.run([os.path.abspath(args.baseline), "eval", BASE_RULESET, comp], stdout=open(b_out, "wb"))
        agree.append(agreement("baseline regel", regel_out, b_out, inputs))
    for name, out in peer_outputs.items():
        agree.append(agreement(name, regel_out, out, inputs))
    md += ["## Agreement with regel on that corpus (fired and error messages not compared)", ""]
    print("\nAgreement with regel:")
    for a in agree:
        print("  %s: %s" % (a["engine"], a["text"]))
        md.append("- %s: %s" % (a["engine"], a["text"]))
    md.append("")
    report["agreement"] = agree

    # -------------------------------------------------------------- compile, one record
    one = os.path.join(args.work, "one.jsonl")
    with open(one, "wb") as f:
        f.write(inputs[0] + b"\n")
    startup = []
    for name, cmd in [("regel check (compile the ruleset)", [regel, "check", RULESET]),
                      ("regel eval, one record (compile + decide)", [regel, "eval", RULESET, one])]:
        runs = [measure(cmd) for _ in range(30)]
        walls = sorted(r["wall"] * 1000 for r in runs)
        startup.append({"what": name, "min_ms": walls[0], "median_ms": statistics.median(walls),
                        "maxrss_kb": max(r["maxrss_kb"] for r in runs)})
    md += ["## Start-up: 30 runs each, process start to finish", "",
           "| what | fastest ms | median ms | peak MiB |", "| --- | ---: | ---: | ---: |"]
    print("\nStart-up (30 runs):")
    for s in startup:
        line = "| %s | %.2f | %.2f | %.1f |" % (s["what"], s["min_ms"], s["median_ms"], s["maxrss_kb"] / 1024)
        md.append(line)
        print("  " + line)
    md.append("")
    report["startup"] = startup

    # -------------------------------------------------------------- scaling and memory
    scale_rows = []
    small = corpus_of_bytes(args.work, args.seed, 1 << 20, args.bad_share)
    for path in [small] + [corpus(args.work, args.seed, s, args.bad_share) for s in sizes]:
        recs = count_records(path)
        size_mb = os.path.getsize(path) / 1e6
        log("scaling: %d records (%.0f MB) ..." % (recs, size_mb))
        progs = [(ref_name, single + [RULESET, path])]
        if feats["jobs"] and (os.cpu_count() or 1) > 1:
            progs.append(("regel eval -j %d" % os.cpu_count(), [regel, "eval", "-j", str(os.cpu_count()),
                                                                RULESET, path]))
        if args.baseline:
            progs.append(("baseline regel eval", [os.path.abspath(args.baseline), "eval", BASE_RULESET, path]))
        if tools.get("handwritten"):
            progs.append(("hand-written C over jansson", [tools["handwritten"], path]))
        if tools.get("floor"):
            progs.append(("floor: simdjson parse only", [tools["floor"], path]))
        best = best_of_rounds([(name, cmd, None, None) for name, cmd in progs],
                              args.repeat if recs <= 200000 else max(1, args.repeat - 1))
        scale_rows += [{"engine": name, "records": recs, "mb": size_mb, "m": best[name]}
                       for name, _ in progs if name in best]
    md += ["## Scaling and memory", "",
           "| engine | records | input MB | wall s | records/s (wall) | records/s (CPU) | peak MiB |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    print("\nScaling:")
    for r in scale_rows:
        m = r["m"]
        line = "| %s | %s | %.1f | %.3f | %s | %s | %.1f |" % (
            r["engine"], "{:,}".format(r["records"]), r["mb"], m["wall"], fmt_rate(r["records"] / m["wall"]),
            fmt_rate(r["records"] / m["cpu"]) if m["cpu"] else "-", m["maxrss_kb"] / 1024)
        md.append(line)
        print("  " + line)
    md.append("")
    report["scaling"] = [{"engine": r["engine"], "records": r["records"], "mb": r["mb"],
                          **{k: v for k, v in r["m"].items() if k != "stderr"}} for r in scale_rows]

    # -------------------------------------------------------------- the targets
    def rate(name):
        r = next((r for r in rows if r["engine"] == name), None)
        return n / r["m"]["wall"] if r else None
    targets = []
    base = rate(ref_name)

    def target(what, value, goal, ok):
        targets.append({"target": what, "value": value, "goal": goal, "met": ok})
    def cpu_rate(name):
        r = next((r for r in rows if r["engine"] == name), None)
        return n / r["m"]["cpu"] if r and r["m"]["cpu"] > 0 else None
    base_cpu = cpu_rate(ref_name)
    for name, goal in [("hand-written C over jansson", 10), ("floor: simdjson On-Demand, parse only", 0.5),
                       ("GoRules ZEN engine (Node)", 100), ("json-rules-engine (Node)", 500)]:
        other = rate(name)
        if base and other:
            by_cpu = " (%.3g× by CPU time)" % (base_cpu / cpu_rate(name)) if base_cpu and cpu_rate(name) else ""
            target("regel single thread vs %s" % name, "%.3g×%s" % (base / other, by_cpu), "≥ %g×" % goal,
                   base / other >= goal)
    # The peers run as they run by default, ZEN's Rust core on threads of its own: beside the
    # single-thread ratio, the ratio to regel as it runs by default (-j = the cores).
    default_name = "regel eval -j %d" % (os.cpu_count() or 1)
    default = rate(default_name) if default_name != ref_name else None
    for name, goal in [("GoRules ZEN engine (Node)", 100), ("json-rules-engine (Node)", 500)]:
        other = rate(name)
        if default and other:
            target("%s (default -j %d) vs %s" % ("regel", os.cpu_count() or 1, name), "%.3g×" % (default / other),
                   "≥ %g×" % goal, default / other >= goal)
    par = rate("regel eval -j 2")
    if base and par:
        target("-j 2 vs single thread", "%.2f×" % (par / base), "≥ 1.8×", par / base >= 1.8)
    one_ms = startup[1]["median_ms"]
    target("compile the ruleset and decide one record", "%.2f ms (median)" % one_ms, "< 5 ms", one_ms < 5)
    big = [r for r in scale_rows if r["engine"] == ref_name and r["records"] >= 1000000]
    if big:
        mib = big[-1]["m"]["maxrss_kb"] / 1024
        target("peak memory on %s records" % "{:,}".format(big[-1]["records"]), "%.1f MiB" % mib, "< 32 MiB",
               mib < 32)
    for flag in ("--trace", "--log FILE"):
        other = rate(ref_name + " " + flag)
        if base and other:
            target("%s overhead" % flag, "%.0f %% slower" % (100 * (base / other - 1)), "stated", True)
    md += ["## The issue's targets", "", "| target | measured | goal | met |", "| --- | --- | --- | --- |"]
    print("\nTargets:")
    for t_ in targets:
        line = "| %s | %s | %s | %s |" % (t_["target"], t_["value"], t_["goal"], "yes" if t_["met"] else "NO")
        md.append(line)
        print("  " + line)
    report["targets"] = targets
    with open(os.path.join(args.work, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(report, f, indent=1, default=str)
    print("\nwritten: %s/results.md, results.json" % args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
