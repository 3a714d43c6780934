#!/usr/bin/env python3
"""Nothing lost: `regel eval` on hostile input.

Feeds one batch holding every kind of hostile line the robustness issue names
(invalid UTF-8, NUL bytes, a 50 MB line made on the fly, deeply nested arrays,
duplicate keys, 1e400 and -0, CRLF line ends, blank lines, no newline at the
end) and checks that every non-blank input line gets exactly one result line,
in input order, carrying the input's id when it can be read; that the good
records are decided exactly as when they come alone; and that the exit status
is 1, on one thread and on two. The same batch through -o must give the same bytes in the file.

usage: hostile.py REGEL RULESET
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


def main():
    regel, ruleset = sys.argv[1], sys.argv[2]
    with open(os.path.join(ruleset, "examples", "spec-decided.jsonl"), "rb") as f:
        good = json.loads(f.readline())

    def record(id_, **changes):
        r = dict(good, id=id_)
        r.update(changes)
        return json.dumps(r).encode()

    plain = dict(good)
    plain.pop("granted_minutes_before", None)

    def with_field(id_, raw_field):
        # A field spelled exactly as given (1e400, -0), which json.dumps cannot write.
        return json.dumps(dict(plain, id=id_)).encode()[:-1] + b"," + raw_field + b"}"
    # (bytes of the line, the line ending, expected id or None, decided?)
    lines = [
        (record("first"), b"\n", "first", True),
        (b'{"id":"bad-utf8","note":"\xff\xfe"}', b"\n", None, False),
        (b'{"id":"overlong-utf8","note":"\xc0\xaf"}', b"\n", None, False),
        (b'{"id":"nul-raw","note":"a\x00b"}', b"\n", None, False),
        (b'\x00\x00\x00', b"\n", None, False),
        (b'{"id":"nul-escaped","bad\\u0000key":1}', b"\n", "nul-escaped", False),
        (b"", b"\n", None, None),  # blank: no result
        (b' \t ', b"\r\n", None, None),
        (b'{"id":"huge","pad":"' + b"x" * (50 * MB) + b'"}', b"\n", None, False),
        (b'{"id":"deep","needs":' + b"[" * 100000 + b"]" * 100000 + b"}", b"\n", None, False),
        (b"[" * 100000, b"\n", None, False),
        (b'{"id":"dup","id":"dup"}', b"\n", "dup", False),
        (record("dup-field")[:-1] + b',"lasting":true}', b"\n", "dup-field", False),
        (with_field("huge-number", b'"granted_minutes_before":1e400'), b"\n", "huge-number", False),
        (with_field("big-integer", b'"granted_minutes_before":' + b"9" * 400), b"\n", "big-integer", False),
        (with_field("minus-zero", b'"granted_minutes_before":-0'), b"\n", "minus-zero", True),
        (record("crlf"), b"\r\n", "crlf", True),
        (b"\r", b"\n", None, None),
        (b"not json at all", b"\r\n", None, False),
        (b'"id"', b"\n", None, False),
        (record("last-no-newline"), b"", "last-no-newline", True),
    ]
    data = b"".join(text + end for text, end, _, _ in lines)
    expected = [(id_, decided) for _, _, id_, decided in lines if decided is not None]

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "hostile.jsonl")
        with open(path, "wb") as f:
            f.write(data)
        # One thread and several take different paths through the reader: both must hold.
        outs = []
        for jobs in ("1", "2"):
            run = subprocess.run([regel, "eval", "-j", jobs, ruleset, path], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            if run.returncode != 1:
                fail("-j %s: exit status %d, expected 1; stderr: %s" % (jobs, run.returncode, run.stderr[-2000:]))
            outs.append(run.stdout)
        if outs[0] != outs[1]:
            fail("-j 1 and -j 2 gave different output")
        out = outs[0]
        if not out.endswith(b"\n"):
            fail("the output does not end with a newline")
        results = out.split(b"\n")[:-1]
        if len(results) != len(expected):
            fail("%d result lines for %d non-blank input lines" % (len(results), len(expected)))
        for n, (raw, (id_, decided)) in enumerate(zip(results, expected)):
            try:
                r = json.loads(raw)
            except ValueError:
                fail("result %d is not JSON: %r" % (n + 1, raw[:200]))
            if r.get("id") != id_:
                fail("result %d has id %r, expected %r (out of order?): %s" % (n + 1, r.get("id"), id_, raw[:300]))
            if decided != ("error" not in r):
                fail("result %d: expected %s, got %s" % (n + 1, "a decision" if decided else "an error", raw[:300]))
            if id_ == "huge" or (id_ is None and b"x" * 100 in raw):
                fail("the oversize line was echoed")
        # The good records are decided exactly as when each comes alone.
        for text, _, id_, decided in lines:
            if decided:
                alone = subprocess.run([regel, "eval", ruleset, "-"], input=text + b"\n", stdout=subprocess.PIPE)
                mine = [x for x in results if json.loads(x).get("id") == id_]
                if alone.returncode != 0 or [alone.stdout.rstrip(b"\n")] != mine:
                    fail("record %r is decided differently in the hostile batch" % id_)
        # -o writes the same bytes to the file, complete.
        target = os.path.join(tmp, "results.jsonl")
        to_file = subprocess.run([regel, "eval", "-o", target, ruleset, path], stdout=subprocess.PIPE)
        if to_file.returncode != 1 or to_file.stdout:
            fail("with -o: exit %d, %d bytes on stdout" % (to_file.returncode, len(to_file.stdout)))
        with open(target, "rb") as f:
            if f.read() != out:
                fail("-o wrote other bytes than standard output")
        if sorted(os.listdir(tmp)) != ["hostile.jsonl", "results.jsonl"]:
            fail("left behind: %s" % sorted(os.listdir(tmp)))
    print("hostile input: %d lines, %d results, one each, in order" % (len(lines), len(expected)))


if __name__ == "__main__":
    main()
