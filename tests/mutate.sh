#!/bin/sh
# Mutation testing of the rule tests: makes every one-token mutant of the rule
# files of a ruleset (a number, a date, a comparison operator, and/or, not, a
# boolean, a unit, an enum member, a builtin, a table column, an arithmetic
# operator, an input field read in place of another of the same record and
# type), runs `regel test` with the ruleset's tests on each, and reports
# the kill rate and the mutants that survived. A mutant the checker rejects
# is stillborn: it is counted apart and not in the rate.
#
#   tests/mutate.sh [-j JOBS] [--regel PATH] [--ruleset DIR] [--list] [--only FILE]
#
# Slow by design (one `regel test` per mutant), so not a ctest test.
# Exit status: 0 when the kill rate reaches --min-rate (default 95), else 1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 - "$here/.." "$@" <<'PYTHON'
import argparse
import concurrent.futures
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

root = sys.argv[1]
ap = argparse.ArgumentParser(prog="tests/mutate.sh")
ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
ap.add_argument("--regel", default=os.path.join(root, "build", "regel"))
ap.add_argument("--ruleset", default=os.path.join(root, "rulesets", "lss-personlig-assistans"))
ap.add_argument("--only", help="mutate only this rule file (its name, e.g. 2023-01-01.regel)")
ap.add_argument("--list", action="store_true", help="list the mutants and stop")
ap.add_argument("--min-rate", type=float, default=95.0)
ap.add_argument("-v", "--verbose", action="store_true", help="print every mutant's outcome")
args = ap.parse_args(sys.argv[2:])

# ---------------------------------------------------------------- the tokens of a rule file
# Mirrors grammar/lexer.l: units belong to their number, so "2.5 h/day" is one token.
NUM = r"[0-9]+(?:\.[0-9]+)?"
SP = r"[ \t]*"
TIMEUNIT = r"(?:h|hours?|min|minutes?)"
TOKEN = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    rf"|(?P<qty>(?P<qnum>{NUM}){SP}(?P<unit>{TIMEUNIT})(?P<extra>[ \t]+{NUM}{SP}(?:min|minutes?))?"
    rf"(?:(?P<rsp>{SP}/{SP})(?P<rate>day|week))?(?![A-Za-z0-9_]))"
    rf"|(?P<yqty>(?P<ynum>{NUM}){SP}(?:years?|kr|SEK|öre)(?![A-Za-z0-9_]))"
    rf"|(?P<num>{NUM})"
    r"|(?P<ident>[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*)"
    r"|(?P<op><=|>=|!=|=>|\.\.|[=<>+\-*/().,:\[\]])"
)
DECL_KEYWORDS = {"version", "enum", "record", "input", "output", "const", "table", "rule", "check",
                 "replace", "remove", "add"}
COMPARISONS = ["=", "!=", "<", "<=", ">", ">="]
BUILTIN_SWAPS = {"age": "age_in_month", "age_in_month": "age", "min": "max", "max": "min"}


def tokens(text):
    """(kind, start, end, match) for every token outside strings, comments and law text."""
    out = []
    pos = 0
    line_start = True
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == "\n":
            pos += 1
            line_start = True
            continue
        if c in " \t\r":
            pos += 1
            continue
        if line_start and c == ">":
            while pos < n and text[pos] != "\n":
                pos += 1
            continue
        line_start = False
        if c == "#":
            while pos < n and text[pos] != "\n":
                pos += 1
            continue
        if c == '"':
            end = pos + 1
            while end < n and text[end] not in '"\n':
                end += 2 if text[end] == "\\" else 1
            out.append(("string", pos, end + 1, None))
            pos = end + 1
            continue
        m = TOKEN.match(text, pos)
        if not m:
            pos += 1
            continue
        kind = next(k for k in ("date", "qty", "yqty", "num", "ident", "op") if m.group(k) is not None)
        out.append((kind, m.start(), m.end(), m))
        pos = m.end()
    return out


def lines_of(toks, text):
    """Groups tokens by source line."""
    groups = {}
    for t in toks:
        groups.setdefault(text.count("\n", 0, t[1]), []).append(t)
    return [groups[k] for k in sorted(groups)]


def bump(number, delta):
    """number +- one unit of its last written digit; None when it would go negative."""
    if "." in number:
        decimals = len(number.split(".")[1])
        scaled = int(number.replace(".", "")) + delta
        if scaled < 0:
            return None
        s = str(scaled).rjust(decimals + 1, "0")
        return s[:-decimals] + "." + s[-decimals:]
    value = int(number) + delta
    return None if value < 0 else str(value)


def shift_date(date, days):
    d = datetime.date.fromisoformat(date) + datetime.timedelta(days=days)
    return d.isoformat()


def mutants_of(name, text, enum_members, columns, same_type):
    """Every one-token mutant: (description, start, end, replacement)."""
    toks = tokens(text)
    result = []

    def add(desc, start, end, new):
        result.append((desc, start, end, new))

    block = None  # the declaration keyword the current line belongs to
    for line in lines_of(toks, text):
        first = line[0]
        first_text = text[first[1]:first[2]]
        if first[0] == "ident" and first_text in DECL_KEYWORDS:
            block = first_text if first_text not in ("replace", "add") else (
                text[line[1][1]:line[1][2]] if len(line) > 1 else first_text)
        # Where the expression starts: after `when`/`require`, or after the `=` of a
        # definition (NAME = ..., let NAME = ..., const NAME ["cite"] = ...).
        expr_from = None
        if first[0] == "ident" and first_text in ("when", "require"):
            expr_from = 1
        else:
            for i, t in enumerate(line):
                if t[0] == "op" and text[t[1]:t[2]] == "=":
                    head = [text[x[1]:x[2]] for x in line[:i] if x[0] != "string"]
                    if block in ("rule", "const") and (len(head) == 1 or head[0] in ("let", "const", "replace")):
                        expr_from = i + 1
                    break
        for i, (kind, start, end, m) in enumerate(line):
            tok = text[start:end]
            in_expr = expr_from is not None and i >= expr_from
            where = f"{name}:{text.count(chr(10), 0, start) + 1}:{start - text.rfind(chr(10), 0, start)}"
            if kind == "date":
                for d in (-1, 1):
                    add(f"{where}: date {tok} -> {shift_date(tok, d)}", start, end, shift_date(tok, d))
            elif kind in ("qty", "yqty", "num"):
                num_group = {"qty": "qnum", "yqty": "ynum", "num": "num"}[kind]
                ns, ne = m.start(num_group), m.end(num_group)
                number = text[ns:ne]
                for d in (1, -1):
                    new = bump(number, d)
                    if new is not None:
                        add(f"{where}: number {tok} -> {new}{text[ne:end]}", ns, ne, new)
                if kind == "qty" and float(number) != 0 and not m.group("extra"):
                    unit = m.group("unit")
                    other = "min" if unit.startswith("h") else "h"
                    add(f"{where}: unit {tok} -> {number}{text[ne:m.start('unit')]}{other}{text[m.end('unit'):end]}",
                        m.start("unit"), m.end("unit"), other)
                    if m.group("rate"):
                        rate = "week" if m.group("rate") == "day" else "day"
                        add(f"{where}: unit {tok} -> {text[start:m.start('rate')]}{rate}",
                            m.start("rate"), m.end("rate"), rate)
            elif kind == "op" and tok in COMPARISONS and (tok != "=" or in_expr):
                for other in COMPARISONS:
                    if other != tok:
                        add(f"{where}: operator {tok} -> {other}", start, end, other)
            elif kind == "op" and in_expr and tok in "+-*/" and len(tok) == 1:
                other = {"+": "-", "-": "+", "*": "/", "/": "*"}[tok]
                add(f"{where}: operator {tok} -> {other}", start, end, other)
            elif kind == "ident" and tok in ("and", "or"):
                other = "or" if tok == "and" else "and"
                add(f"{where}: {tok} -> {other}", start, end, other)
            elif kind == "ident" and tok in ("true", "false"):
                other = "false" if tok == "true" else "true"
                add(f"{where}: {tok} -> {other}", start, end, other)
            elif kind == "ident" and tok == "not" and (i == 0 or text[line[i - 1][1]:line[i - 1][2]] != "explain"):
                add(f"{where}: `not` removed", start, line[i + 1][1] if i + 1 < len(line) else end, "")
            elif kind == "ident" and in_expr and tok in BUILTIN_SWAPS and i + 1 < len(line) \
                    and text[line[i + 1][1]:line[i + 1][2]] == "(":
                add(f"{where}: {tok}() -> {BUILTIN_SWAPS[tok]}()", start, end, BUILTIN_SWAPS[tok])
            elif kind == "ident" and in_expr and i > 0 and text[line[i - 1][1]:line[i - 1][2]] == "." \
                    and tok in columns:
                for other in columns[tok]:
                    add(f"{where}: column .{tok} -> .{other}", start, end, other)
            elif kind == "ident" and in_expr and tok in same_type and (i == 0 or text[line[i - 1][1]:line[i - 1][2]] != "."):
                for other in same_type[tok]:
                    add(f"{where}: field {tok} -> {other}", start, end, other)
            elif kind == "ident" and block != "enum" and tok in enum_members:
                members = enum_members[tok]
                other = members[(members.index(tok) + 1) % len(members)]
                add(f"{where}: {tok} -> {other}", start, end, other)
    return result


def declarations(texts):
    """Enum members (each mapped to its enum's list), table columns (each to its siblings) and
    input fields (each to the other fields of its record with the same type)."""
    enum_members, columns, fields = {}, {}, {}
    for text in texts:
        toks = tokens(text)
        # enum blocks: from `enum NAME` up to the next declaration keyword at a line start
        block, members = None, []
        for line in lines_of(toks, text) + [[("ident", 0, 0, None)]]:
            first = text[line[0][1]:line[0][2]] if line[0][2] else "end"
            if line[0][0] == "ident" and (first in DECL_KEYWORDS or first == "end"):
                if block == "enum" and members:
                    for mname in members:
                        enum_members[mname] = members
                block, members = None, []
                if first == "enum" or (first in ("replace", "add") and len(line) > 1
                                       and text[line[1][1]:line[1][2]] == "enum"):
                    block = "enum"
                    idents = [text[t[1]:t[2]] for t in line if t[0] == "ident"]
                    members = idents[3:] if first != "enum" else idents[2:]
                continue
            if block == "enum":
                members += [text[t[1]:t[2]] for t in line if t[0] == "ident"]
        # table columns: `value NAME:` lines
        table_cols = []
        for line in lines_of(toks, text):
            words = [text[t[1]:t[2]] for t in line]
            if words[:1] == ["table"] or words[:2] == ["replace", "table"]:
                if len(table_cols) > 1:
                    for c in table_cols:
                        columns[c] = [o for o in table_cols if o != c]
                table_cols = []
            if len(words) >= 3 and words[0] == "value" and words[2] == ":":
                table_cols.append(words[1])
        if len(table_cols) > 1:
            for c in table_cols:
                columns[c] = [o for o in table_cols if o != c]
        # input fields by record and type: `field NAME: TYPE` in record and input blocks
        record = None
        for line in lines_of(toks, text):
            words = [text[t[1]:t[2]] for t in line if t[0] != "string"]
            if words and words[0] in DECL_KEYWORDS:
                head = words[1:] if words[0] in ("replace", "add") else words
                record = head[1] if len(head) > 1 and head[0] in ("record", "input") else None
            if record and len(words) >= 4 and words[0] == "field" and words[2] == ":":
                names = fields.setdefault((record, words[3]), [])
                if words[1] not in names:
                    names.append(words[1])
    same_type = {}
    for names in fields.values():
        for n in names:
            same_type[n] = [o for o in names if o != n]
    return enum_members, columns, same_type


# ---------------------------------------------------------------- running

if not os.access(args.regel, os.X_OK):
    sys.exit(f"no regel at {args.regel}: build it first, or give --regel PATH")
ruleset = os.path.abspath(args.ruleset)
rule_files = sorted(f for f in os.listdir(ruleset) if f.endswith(".regel"))
texts = {f: open(os.path.join(ruleset, f), encoding="utf-8").read() for f in rule_files}
test_dir = os.path.join(ruleset, "tests")
test_files = sorted(os.path.join(test_dir, f) for f in os.listdir(test_dir) if f.endswith(".regeltest"))
enum_members, columns, same_type = declarations(texts.values())

mutants = []
for f in rule_files:
    if args.only and f != args.only:
        continue
    for desc, start, end, new in mutants_of(f, texts[f], enum_members, columns, same_type):
        mutants.append((f, desc, start, end, new))

if args.list:
    for f, desc, *_ in mutants:
        print(desc)
    print(f"{len(mutants)} mutants")
    sys.exit(0)


def run(mutated_file, new_text):
    with tempfile.TemporaryDirectory(prefix="regel-mutant-") as d:
        for f in rule_files:
            with open(os.path.join(d, f), "w", encoding="utf-8") as out:
                out.write(new_text if f == mutated_file else texts[f])
        try:
            p = subprocess.run([args.regel, "test", d] + test_files, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120)
        except subprocess.TimeoutExpired:
            return "killed", "timed out"
    if p.returncode == 0:
        return "survived", ""
    if p.returncode == 1:
        last = p.stdout.decode("utf-8", "replace").strip().splitlines()
        return "killed", last[-1] if last else ""
    if p.returncode == 2:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return "stillborn", err[0] if err else ""
    return "killed", f"crashed ({p.returncode})"


baseline, why = run(None, "")
if baseline != "survived":
    print(f"the unmutated ruleset does not pass its tests ({baseline}: {why}); fix that first", file=sys.stderr)
    sys.exit(2)


def job(m):
    f, desc, start, end, new = m
    text = texts[f]
    return m, run(f, text[:start] + new + text[end:])


counts = {"killed": 0, "survived": 0, "stillborn": 0}
survivors, stillborn = [], []
with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
    for (f, desc, start, end, new), (outcome, detail) in pool.map(job, mutants):
        counts[outcome] += 1
        if args.verbose:
            print(f"{outcome:9}  {desc}  {detail}")
        if outcome == "survived":
            survivors.append(desc)
        elif outcome == "stillborn":
            stillborn.append(f"{desc}  ({detail})")

scored = counts["killed"] + counts["survived"]
rate = 100.0 * counts["killed"] / scored if scored else 100.0
print(f"{len(mutants)} mutants of {len(rule_files)} rule files, {len(test_files)} test files")
print(f"  killed:    {counts['killed']}")
print(f"  survived:  {counts['survived']}")
print(f"  stillborn: {counts['stillborn']} (rejected by the front end or the checker; not scored)")
print(f"kill rate: {rate:.1f}% ({counts['killed']}/{scored})")
if survivors:
    print("survivors:")
    for s in survivors:
        print("  " + s)
sys.exit(0 if rate >= args.min_rate else 1)
PYTHON
