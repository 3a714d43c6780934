#!/usr/bin/env python3
"""Identity of the rules (issue 3): `ruleset_hash` and `regel version`.

    python3 tests/audit/hash_check.py REGEL REPO_ROOT

The hash of each version is recomputed here from docs/audit.md's definition (SHA-256
over "regel ruleset hash 1\\n" and, for each file in force, oldest first, its name, its
length and its text with CRLF read as LF) and must be what `regel version` lists and
what results carry. It must not change when the ruleset is copied elsewhere under
another name or checked out with CRLF line ends, and it must change for exactly the
versions that have a changed file in force. Prints `N passed, N failed`.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tally import finish, ok  # noqa: E402




def listed(regel, ruleset):
    out = subprocess.run([regel, "version", ruleset], capture_output=True, check=True).stdout.decode()
    return dict(re.findall(r"^(\d{4}-\d{2}-\d{2})  (sha256:[0-9a-f]{64})$", out, re.M))


def expected(ruleset):
    """The hashes by docs/audit.md: a version's own file and the files it amends, transitively."""
    files = sorted(f for f in os.listdir(ruleset) if f.endswith(".regel"))
    texts, amends = {}, {}
    for name in files:
        with open(os.path.join(ruleset, name), "rb") as f:
            text = f.read().replace(b"\r\n", b"\n")
        texts[name[:-6]] = (name, text)
        m = re.search(rb"^version (\S+)(?: amends (\S+))?", text, re.M)
        amends[m.group(1).decode()] = m.group(2).decode() if m.group(2) else None
    out = {}
    for version in amends:
        chain, v = [], version
        while v:
            chain.append(v)
            v = amends[v]
        h = hashlib.sha256(b"regel ruleset hash 1\n")
        for v in reversed(chain):
            name, text = texts[v]
            h.update(name.encode() + b"\n" + str(len(text)).encode() + b"\n" + text)
        out[version] = "sha256:" + h.hexdigest()
    return out


def main():
    regel, root = sys.argv[1], sys.argv[2]
    lss = os.path.join(root, "rulesets", "lss-personlig-assistans")
    fixture = os.path.join(root, "tests", "audit", "amended")
    for ruleset in (lss, fixture):
        have = listed(regel, ruleset)
        ok(have == expected(ruleset), "%s: regel version lists the documented hashes" % ruleset)
    base = listed(regel, lss)
    ok(len(set(base.values())) == 4, "four versions, four hashes")
    results = subprocess.run([regel, "eval", lss, os.path.join(lss, "examples", "spec-decided.jsonl")],
                             capture_output=True).stdout.decode().splitlines()
    ok(all(json.loads(l)["ruleset_hash"] == base[json.loads(l)["rules_version"]] for l in results),
       "every result carries the hash of its version")
    with tempfile.TemporaryDirectory() as tmp:
        moved = os.path.join(tmp, "elsewhere-under-another-name")
        shutil.copytree(lss, moved)
        ok(listed(regel, moved) == base, "a copy elsewhere has the same hashes")
        for name in os.listdir(moved):
            path = os.path.join(moved, name)
            if name.endswith(".regel"):
                with open(path, "rb") as f:
                    text = f.read()
                with open(path, "wb") as f:
                    f.write(text.replace(b"\n", b"\r\n"))
        ok(listed(regel, moved) == base, "a checkout with CRLF line ends has the same hashes")
        path = os.path.join(moved, "2025-01-01.regel")
        with open(path, "ab") as f:
            f.write(b"\r\n# a comment is a change of the rule file\r\n")
        changed = listed(regel, moved)
        ok(changed["2020-07-01"] == base["2020-07-01"] and changed["2023-01-01"] == base["2023-01-01"],
           "versions without the changed file keep their hashes")
        ok(changed["2025-01-01"] != base["2025-01-01"] and changed["2026-01-01"] != base["2026-01-01"],
           "the changed version and the one amending it get new hashes")
        ok(changed == expected(moved), "the new hashes are the documented ones")
        long_chain(regel, fixture, tmp)
    return finish()


def long_chain(regel, fixture, tmp):
    """A version amending 69 others, each amending the one before: the hash
    covers all 70 files, and the decision log names all 70."""
    chain = os.path.join(tmp, "chain")
    os.mkdir(chain)
    with open(os.path.join(fixture, "2020-01-01.regel"), "rb") as f:
        first = f.read()
    dates = ["%04d-01-01" % year for year in range(1960, 2030)]
    with open(os.path.join(chain, dates[0] + ".regel"), "wb") as f:
        f.write(re.sub(rb"^version \S+", b"version " + dates[0].encode(), first, count=1, flags=re.M))
    for old, new in zip(dates, dates[1:]):
        with open(os.path.join(chain, new + ".regel"), "w") as f:
            f.write("version %s amends %s\n# amended in %s\n" % (new, old, new[:4]))
    have = listed(regel, chain)
    ok(len(have) == 70 and have == expected(chain), "a chain of 70 versions: the documented hashes")
    with open(os.path.join(chain, dates[0] + ".regel"), "ab") as f:
        f.write(b"# the oldest file changed\n")
    changed = listed(regel, chain)
    ok(all(changed[d] != have[d] for d in dates), "a change to the oldest file changes all 70 hashes")
    log = os.path.join(tmp, "chain.db")
    subprocess.run([regel, "eval", "--log", log, chain, "-"], input=b"", capture_output=True)
    files = sqlite3.connect(log).execute("SELECT files FROM ruleset WHERE rules_version = ?", (dates[-1],)).fetchone()
    ok(files is not None and len(files[0].split(" ")) == 70, "the decision log names the 70 files of the newest version")


if __name__ == "__main__":
    sys.exit(main())
