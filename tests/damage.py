#!/usr/bin/env python3
"""Breaks the shipped rule files in many seeded random ways and checks that
`regel check` points at the damage.

Each run copies the ruleset to a scratch directory, damages one file once
(delete a line, delete or insert a character, delete or insert a token, swap
two nearby lines), runs `regel check` on the copy and reads the first
diagnostic. The run is a hit when that diagnostic names the damaged file and a
line within two lines of the damage. Runs whose damage leaves a valid ruleset
(a deleted comment, a changed digit) print nothing and are counted apart: there
is nothing to point at. Every run must finish in time and exit 0 or 2: a crash
or a hang fails the script whatever the hit rate. With --valgrind N the first N
damaged rulesets are also checked under valgrind for leaks and memory errors.

usage: tests/damage.py REGEL RULESET [--runs N] [--seed S] [--min-percent P]
                       [--valgrind N] [--timeout SECONDS] [--show-misses]
Exit status 0 when the hit rate is at least P % and no run crashed, hung or
leaked; 1 otherwise.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TOKEN = re.compile(r'"[^"\n]*"|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]+(?:\.[0-9]+)?|[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*'
                   r'|=>|\.\.|!=|<=|>=|[=<>+\-*/().,:\[\]]')
KEYWORDS = ("version amends title source enum record input output field list of select by key result fired error "
            "check require otherwise reject const table value rule for each when let add replace remove before "
            "after if then else and or not in true false sum count any all where").split()
PUNCT = list("=<>+-*/().,:[]\"#") + ["=>", "..", "!=", "<=", ">="]
CHARS = "abcdefghijklmnopqrstuvwxyz_0123456789 ()[].,:=<>+-*/\"#'\t\n"
DIAG = re.compile(r'^(.*?):(\d+):(\d+): (error|warning): (.*)$')


def damage(rng, text, names):
    """Returns (new text, kind, damaged line numbers in the new text, 1-based)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    n = len(lines)
    kind = rng.choice(["delete line", "delete char", "insert char", "delete token", "insert token", "swap lines"])
    if kind == "delete line":
        i = rng.randrange(n)
        del lines[i]
        return "\n".join(lines) + "\n", kind, [i, i + 1]
    if kind == "swap lines":
        i = rng.randrange(n - 1)
        j = min(n - 1, i + rng.randint(1, 3))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines) + "\n", kind, [i + 1, j + 1]
    if kind in ("delete char", "insert char"):
        pos = rng.randrange(len(text))
        line = text.count("\n", 0, pos) + 1
        if kind == "delete char":
            return text[:pos] + text[pos + 1:], kind, [line]
        return text[:pos] + rng.choice(CHARS) + text[pos:], kind, [line]
    tokens = [m for m in TOKEN.finditer(text)]
    m = rng.choice(tokens)
    line = text.count("\n", 0, m.start()) + 1
    if kind == "delete token":
        return text[:m.start()] + text[m.end():], kind, [line]
    pick = rng.random()
    if pick < 0.4:
        tok = rng.choice(KEYWORDS)
    elif pick < 0.7:
        tok = rng.choice(names)
    elif pick < 0.85:
        tok = rng.choice(PUNCT)
    else:
        tok = rng.choice(["0", "12", "20 h", "2.5 h/day", "65 years", "2023-01-01", "1 h/week"])
    at = m.start() if rng.random() < 0.5 else m.end()
    return text[:at] + " " + tok + " " + text[at:], kind, [line]


def first_diagnostic(stderr):
    for line in stderr.splitlines():
        m = DIAG.match(line)
        if m:
            return m.group(1), int(m.group(2)), m.group(5)
        if line.startswith("regel:"):
            return None, 0, line
    return None, 0, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("regel")
    ap.add_argument("ruleset")
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-percent", type=float, default=90.0)
    ap.add_argument("--valgrind", type=int, default=0, metavar="N")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    files = sorted(f for f in os.listdir(args.ruleset) if f.endswith(".regel"))
    originals = {}
    for f in files:
        with open(os.path.join(args.ruleset, f), encoding="utf-8") as fh:
            originals[f] = fh.read()
    names = sorted({m.group(0) for t in originals.values() for m in re.finditer(r"[a-z_]{3,}", t)})
    weights = [originals[f].count("\n") + 1 for f in files]
    scratch = tempfile.mkdtemp(prefix="regel-damage-")
    counts = {"hit": 0, "miss": 0, "accepted": 0, "crash": 0, "hang": 0, "leak": 0}
    by_kind = {}
    failures = []
    try:
        run = 0
        while run < args.runs:
            f = rng.choices(files, weights)[0]
            text, kind, dlines = damage(rng, originals[f], names)
            if text == originals[f]:
                continue
            run += 1
            for g in files:
                with open(os.path.join(scratch, g), "w", encoding="utf-8") as fh:
                    fh.write(text if g == f else originals[g])
            cmd = [args.regel, "check", scratch]
            env = dict(os.environ, NO_COLOR="1")
            try:
                p = subprocess.run(cmd, capture_output=True, timeout=args.timeout, env=env)
            except subprocess.TimeoutExpired:
                counts["hang"] += 1
                failures.append(f"run {run}: hang ({kind} at {f}:{dlines})")
                continue
            err = p.stderr.decode("utf-8", "replace")
            if p.returncode not in (0, 2):
                counts["crash"] += 1
                failures.append(f"run {run}: exit {p.returncode} ({kind} at {f}:{dlines})\n{err[-2000:]}")
                continue
            if args.valgrind and run <= args.valgrind:
                v = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                                    "--errors-for-leak-kinds=all"] + cmd, capture_output=True, env=env,
                                   timeout=args.timeout * 30)
                if v.returncode == 99:
                    counts["leak"] += 1
                    failures.append(f"run {run}: valgrind ({kind} at {f}:{dlines})\n{v.stderr.decode()[-2000:]}")
            path, line, message = first_diagnostic(err)
            stats = by_kind.setdefault(kind, [0, 0, 0])
            if message is None:
                counts["accepted"] += 1
                stats[2] += 1
                continue
            hit = path is not None and os.path.basename(path) == f and any(abs(line - d) <= 2 for d in dlines)
            counts["hit" if hit else "miss"] += 1
            stats[0 if hit else 1] += 1
            if not hit and args.show_misses:
                print(f"--- miss, run {run}: {kind} at {f}:{dlines}; first diagnostic {path}:{line}: {message}")
                for d in dlines:
                    lo = max(0, d - 2)
                    for k, l in enumerate(text.split("\n")[lo:d + 1], lo + 1):
                        print(f"    {k:4} | {l}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    located = counts["hit"] + counts["miss"]
    percent = 100.0 * counts["hit"] / located if located else 0.0
    print(f"{args.runs} damaged rulesets (seed {args.seed}): {located} reported, "
          f"{counts['accepted']} still valid (nothing to report)")
    for kind, (h, m, a) in sorted(by_kind.items()):
        print(f"  {kind:13} {h:5} hit {m:4} miss {a:4} still valid")
    print(f"first diagnostic within two lines of the damage: {counts['hit']}/{located} = {percent:.1f} %")
    print(f"crashes {counts['crash']}, hangs {counts['hang']}, valgrind errors {counts['leak']}"
          + (f" (in {min(args.valgrind, args.runs)} runs under valgrind)" if args.valgrind else ""))
    for msg in failures[:20]:
        print(msg)
    ok = percent >= args.min_percent and not failures
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
