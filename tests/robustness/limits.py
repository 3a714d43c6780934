#!/usr/bin/env python3
"""Every limit of `regel eval` has a default, a flag and a test.

- --max-line-bytes: a line longer than the bound gets the error record
  {"id":null,"error":{"field":null,"message":"line too long"}} and the batch
  goes on; a line of exactly the bound is decided; the reader holds no more
  than the bound of a longer line (peak memory stays far below a 50 MB line).
- --max-depth: JSON records nested deeper than the bound are "not JSON:
  nested too deeply"; as deep as the bound is read.
- --max-steps: a record that needs more evaluation steps gets an error
  record naming the limit (even when the limit is reached inside a check).
- --max-nesting: rule files whose expressions nest deeper than the bound are
  rejected with a diagnostic; 100,000 nested parentheses or a chain of
  100,000 additions give a diagnostic, never a stack overflow; a chain of
  definitions that only the evaluator walks end to end gives an error record.
- Bad flag values are usage errors (exit 2).

usage: limits.py REGEL RULESET
"""
import json
import os
import subprocess
import sys
import tempfile

MB = 1 << 20


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run(cmd, data=b""):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def results(proc):
    return [json.loads(x) for x in proc.stdout.split(b"\n") if x]


def error_message(r):
    return r.get("error", {}).get("message") if isinstance(r.get("error"), dict) else None


def peak_rss_kb(cmd, data):
    """Peak resident memory of `cmd` alone, measured in a fresh interpreter."""
    probe = ("import resource, subprocess, sys\n"
             "p = subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe] + cmd, input=data, stdout=subprocess.PIPE, check=True)
    status, kb = out.stdout.split()
    return int(status), int(kb)


def line_length(regel, ruleset, good):
    n = len(good)
    # Exactly the bound is decided; one byte more is too long, and the next line is still decided.
    ok = run([regel, "eval", "--max-line-bytes", str(n), ruleset, "-"], good + b"\n" + good + b"\n")
    if ok.returncode != 0 or len(results(ok)) != 2:
        fail("a line of exactly --max-line-bytes was not decided: %r" % ok.stdout[:300])
    tight = run([regel, "eval", "--max-line-bytes", str(n - 1), ruleset, "-"],
                good + b" \n" + b" " * (n + 10) + b"\n" + b"{}\n")
    got = results(tight)
    want = {"id": None, "error": {"field": None, "message": "line too long"}}
    if tight.returncode != 1 or len(got) != 2 or got[0] != want or error_message(got[1]) == "line too long":
        fail("--max-line-bytes %d: %r (a long blank line gets no result; the next line goes on)" % (n - 1, tight.stdout))
    # The default bound: 16 MiB. A line just over it is too long, a line just under it is read.
    pad = lambda size: b'{"pad":"' + b"x" * (size - 10) + b'"}'
    over = run([regel, "eval", ruleset, "-"], pad(16 * MB + 1) + b"\n" + pad(16 * MB) + b"\n")
    got = results(over)
    if len(got) != 2 or got[0] != want or error_message(got[1]) == "line too long":
        fail("the default bound is not 16 MiB: %r" % over.stdout[:300])
    # Memory: a 50 MB line with a 1 MiB bound is dropped as it streams past.
    huge = pad(50 * MB) + b"\n" + good + b"\n"
    status, kb = peak_rss_kb([regel, "eval", "--max-line-bytes", str(MB), ruleset, "-"], huge)
    if status != 1:
        fail("the 50 MB line: exit %d" % status)
    if kb > 40 * 1024:
        fail("reading a 50 MB line with a 1 MiB bound took %d KiB of memory" % kb)
    return kb


def json_depth(regel, ruleset):
    def nested(depth):
        # The root object is depth 1; "x" holds arrays nested to make `depth` levels in all.
        return b'{"id":"deep","x":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"
    for bound in (5, 64, 1024):
        flag = [] if bound == 64 else ["--max-depth", str(bound)]
        got = results(run([regel, "eval"] + flag + [ruleset, "-"], nested(bound) + b"\n" + nested(bound + 1) + b"\n"))
        if len(got) != 2 or error_message(got[0]) == "not JSON: nested too deeply" or got[0].get("id") != "deep":
            fail("depth %d with bound %d was not read: %r" % (bound, bound, got[:1]))
        if got[1] != {"id": None, "error": {"field": None, "message": "not JSON: nested too deeply"}}:
            fail("depth %d with bound %d: %r" % (bound + 1, bound, got[1]))


def steps(regel, ruleset, good):
    few = results(run([regel, "eval", "--max-steps", "3", ruleset, "-"], good + b"\n"))
    if len(few) != 1 or error_message(few[0]) != "the evaluation takes too many steps" or few[0]["error"]["field"]:
        fail("--max-steps 3: %r" % few)
    enough = run([regel, "eval", "--max-steps", "100000", ruleset, "-"], good + b"\n")
    if enough.returncode != 0 or "error" in results(enough)[0]:
        fail("--max-steps 100000 did not decide: %r" % enough.stdout)
    # Find the least budget that decides, and check one less is refused: the count is exact.
    lo, hi = 1, 100000
    while lo < hi:
        mid = (lo + hi) // 2
        if "error" in results(run([regel, "eval", "--max-steps", str(mid), ruleset, "-"], good + b"\n"))[0]:
            lo = mid + 1
        else:
            hi = mid
    if lo < 10:
        fail("a record decided in %d steps" % lo)
    return lo


RULES = """version 2020-01-01
input case
  field id: text
  field day: date
  select version by day
output
  key id
  version version
  result total: integer
  fired fired
  error error: field, message
%s
rule total "test"
  total = %s
"""


def nesting(regel, tmp):
    def ruleset(name, consts, total):
        path = os.path.join(tmp, name)
        os.makedirs(path)
        with open(os.path.join(path, "2020-01-01.regel"), "w") as f:
            f.write(RULES % (consts, total))
        return path

    record = b'{"id":"n","day":"2021-01-01"}\n'
    cases = {
        "parens": ("", "(" * 100000 + "1" + ")" * 100000),
        "chain": ("", " + ".join(["1"] * 100000)),
        "nots": ("", "if " + "not " * 100000 + "true then 1 else 0"),
        "negs": ("", "-" * 100000 + "1"),
    }
    for name, (consts, total) in cases.items():
        path = ruleset(name, consts, total)
        for cmd in ([regel, "check", path], [regel, "eval", path, "-"]):
            p = run(cmd, record)
            if p.returncode != 2 or b"nests too deeply" not in p.stderr or p.stdout.strip() and cmd[1] == "eval":
                fail("%s (%s): exit %d, %r" % (name, cmd[1], p.returncode, p.stderr[-400:]))
    # 300 nested `not`: past the default (256), within --max-nesting 400.
    path = ruleset("nots300", "", "if " + "not " * 300 + "true then 1 else 0")
    if run([regel, "eval", path, "-"], record).returncode != 2:
        fail("300 nested `not` passed the default bound of 256")
    p = run([regel, "eval", "--max-nesting", "400", path, "-"], record)
    if p.returncode != 0 or results(p)[0].get("total") != 1:
        fail("--max-nesting 400: %r %r" % (p.stdout, p.stderr[-300:]))
    # A chain of 300 definitions, each shallow: the checker compiles them one at
    # a time, but the evaluator walks the whole chain for the result.
    consts = "\n".join(["const c0 \"test\" = 1"] + ["const c%d \"test\" = c%d + 1" % (i, i - 1) for i in range(1, 300)])
    path = ruleset("definitions", consts, "c299")
    p = run([regel, "eval", path, "-"], record)
    got = results(p)
    if p.returncode != 1 or len(got) != 1 or error_message(got[0]) != "the evaluation nests too deeply":
        fail("the chain of definitions: exit %d, %r" % (p.returncode, p.stdout))
    p = run([regel, "eval", "--max-nesting", "1024", path, "-"], record)
    if p.returncode != 0 or results(p)[0].get("total") != 300:
        fail("the chain of definitions with --max-nesting 1024: %r %r" % (p.stdout, p.stderr[-300:]))
    # At the cap, as deep as the checker and the evaluator may go, on worker
    # threads too: the cap must fit a thread's stack (in the sanitizer build, too).
    consts = "\n".join(["const c0 \"test\" = 1"] + ["const c%d \"test\" = c%d + 1" % (i, i - 1) for i in range(1, 500)])
    path = ruleset("cap", consts, "c499 + " + "-" * 1020 + "1")
    for jobs in ("1", "2"):
        p = run([regel, "eval", "-j", jobs, "--max-nesting", "1024", path, "-"], record)
        if p.returncode != 0 or results(p)[0].get("total") != 501:
            fail("at the cap (-j %s): exit %d, %r %r" % (jobs, p.returncode, p.stdout, p.stderr[-300:]))


def bad_flags(regel, ruleset):
    for flag, value in (("--max-line-bytes", "0"), ("--max-line-bytes", "-5"), ("--max-depth", "0"),
                        ("--max-depth", "1025"), ("--max-steps", "x"), ("--max-steps", "0"),
                        ("--max-nesting", "1025"), ("--max-nesting", "")):
        p = run([regel, "eval", flag, value, ruleset, "-"], b"{}\n")
        if p.returncode != 2 or p.stdout:
            fail("%s %r: exit %d" % (flag, value, p.returncode))


def main():
    regel, ruleset = sys.argv[1], sys.argv[2]
    with open(os.path.join(ruleset, "examples", "spec-decided.jsonl"), "rb") as f:
        good = f.readline().rstrip(b"\r\n")
    kb = line_length(regel, ruleset, good)
    json_depth(regel, ruleset)
    least = steps(regel, ruleset, good)
    with tempfile.TemporaryDirectory() as tmp:
        nesting(regel, tmp)
    bad_flags(regel, ruleset)
    print("limits hold: a 50 MB line read in %d KiB; the first example needs %d steps" % (kb, least))


if __name__ == "__main__":
    main()
