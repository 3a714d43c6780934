#!/usr/bin/env python3
"""The checker on `explain` clauses (issue 3): every {hole} must name a value the rule
can see, a table hole a table the rule looks up, each language once, and a language
is a code; each mistake is reported at its place as `file:line:col: error: ...`.

    python3 tests/audit/explain_errors.py REGEL REPO_ROOT

Each case adds one rule to a copy of tests/audit/amended/2020-01-01.regel and checks
`regel check`'s message and exit status. A correct clause, for contrast, checks clean.
Prints `N passed, N failed`.
"""

import os
import subprocess
import sys
import tempfile

CASES = [
    # (rule text, expected fragments of stderr; None: it must check clean)
    ('rule shown "§ 9"\n  shown = total\n  explain sv "summan {total}, gränsen {limit}",\n          en "sum {total}"\n',
     None),
    ('rule shown "§ 9"\n  shown = total\n  explain sv "summan {totl}"\n',
     [":3:22: error: unknown name 'totl'", "did you mean 'total'?"]),
    ('rule shown "§ 9"\n  for each item\n  shown = minutes\n  explain en "{minutes} of {colour} in {day}; {counted}"\n',
     None),
    ('rule shown "§ 9"\n  shown = total\n  explain en "{minutes}"\n',
     ["error: unknown name 'minutes'", "belongs to each item"]),
    ('rule shown "§ 9"\n  shown = total\n  explain en "{bands}"\n',
     ["error: rule 'shown' does not look up table 'bands'"]),
    ('rule shown "§ 9"\n  shown = total\n  explain en "a", en "b"\n',
     ["error: 'shown' already has an `explain` text in 'en'"]),
    ('rule shown "§ 9"\n  shown = total\n  explain english "a"\n',
     [":3:11: error: 'english' is not a language code"]),
    ('rule shown "§ 9"\n  shown = total\n  explain sv "{ total"\n',
     ["error: this text has a malformed {hole}"]),
    ('rule shown "§ 9"\n  shown = total\n  explain not sv "{items}"\n',
     ["error: 'items' is list of item, which a sentence cannot show"]),
]


def main():
    regel, root = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, "tests", "audit", "amended", "2020-01-01.regel"), encoding="utf-8") as f:
        base = f.read()
    passed = failed = 0
    for rule, want in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "2020-01-01.regel")
            with open(path, "w", encoding="utf-8") as f:
                f.write(base + "\n" + rule)
            first = base.count("\n") + 2  # the line of `rule shown`
            r = subprocess.run([regel, "check", tmp], capture_output=True, env=dict(os.environ, NO_COLOR="1"))
            err = r.stderr.decode()
            if want is None:
                good = r.returncode == 0 and ": error:" not in err
            else:
                fixed = [w.replace(":3:", ":%d:" % (first + 2)) for w in want]
                good = r.returncode == 2 and all(w in err for w in fixed)
            if good:
                passed += 1
            else:
                failed += 1
                print("FAIL: %r\n  status %d, stderr:\n%s" % (rule, r.returncode, err))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
