#!/usr/bin/env python3
"""`regel eval -o FILE`: complete, or not at all; and the same bytes every run.

1. Interrupted: regel reads a large batch from a pipe; once it has written
   results (its temporary file has grown), it is killed with SIGKILL while it
   waits for more input. FILE must not exist: a half-written result file that
   looks whole is the failure this guards against.
2. Completed: the same batch with the pipe closed gives FILE with one result
   per record, and no temporary file is left beside it.
3. Deterministic: runs on the same input give byte-identical output, on
   any number of threads.
4. Results that cannot be written (a missing directory, a directory in the
   way, a full disk on standard output) and a missing input are exit 2 with
   a message, and leave nothing behind.

No step depends on timing: the kill waits for a condition (the temporary
file has content), and regel is then blocked reading the pipe.

usage: output_file.py REGEL RULESET
"""
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def batch(ruleset, count):
    """`count` records: the shipped examples over and over, each with its own id."""
    lines = []
    for name in ("spec-decided.jsonl", "spec-errors.jsonl"):
        with open(os.path.join(ruleset, "examples", name), "rb") as f:
            lines += [x.rstrip(b"\r\n") for x in f if x.strip()]
    out = []
    for i in range(count):
        line = lines[i % len(lines)]
        # A fresh id keeps the lines apart; the rest of the record is unchanged.
        out.append(line.replace(b'"id":"', b'"id":"%d-' % i, 1) if b'"id":"' in line else line)
    return b"\n".join(out) + b"\n"


def main():
    regel, ruleset = sys.argv[1], sys.argv[2]
    data = batch(ruleset, 40000)  # well over regel's 1 MiB read block
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "results.jsonl")

        # 1. Interrupted mid-run.
        proc = subprocess.Popen([regel, "eval", "-o", target, ruleset, "-"], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL)
        half = data[: len(data) // 2]
        proc.stdin.write(half[: half.rindex(b"\n") + 1])
        proc.stdin.flush()
        deadline = time.monotonic() + 120  # a guard against a hang, not a timed assertion
        temps = []
        while time.monotonic() < deadline:
            temps = [t for t in glob.glob(target + ".*") if os.path.getsize(t) > 0]
            if temps or proc.poll() is not None:
                break
            time.sleep(0.05)
        if not temps:
            proc.kill()
            fail("regel wrote no results to a temporary file (exit %s)" % proc.poll())
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        if os.path.exists(target):
            fail("an interrupted run left %s" % target)
        for t in temps:
            os.unlink(t)

        # 2. Completed.
        done = subprocess.run([regel, "eval", "-o", target, ruleset, "-"], input=data, stdout=subprocess.PIPE)
        if done.returncode != 1:  # the examples hold bad records
            fail("a complete run exited %d" % done.returncode)
        with open(target, "rb") as f:
            written = f.read()
        if written.count(b"\n") != data.count(b"\n"):
            fail("%d results for %d records" % (written.count(b"\n"), data.count(b"\n")))
        if os.listdir(tmp) != ["results.jsonl"]:
            fail("left behind: %s" % os.listdir(tmp))

        # 3. Deterministic: the same bytes again, and on standard output.
        for jobs in ("1", "2", "3"):
            again = subprocess.run([regel, "eval", "-j", jobs, ruleset, "-"], input=data, stdout=subprocess.PIPE)
            if again.stdout != written:
                fail("a run with -j %s gave different bytes" % jobs)
        # 4. A result that cannot be written is a failure (exit 2), never a silent loss.
        def usage_error(cmd, what, **kw):
            p = subprocess.run(cmd, input=data[:2000], stdout=kw.get("stdout", subprocess.PIPE), stderr=subprocess.PIPE)
            if p.returncode != 2:
                fail("%s: exit %d, expected 2" % (what, p.returncode))
            return p
        usage_error([regel, "eval", "-o", os.path.join(tmp, "no", "such", "dir.jsonl"), ruleset, "-"], "-o into a missing directory")
        os.mkdir(os.path.join(tmp, "a-directory"))
        usage_error([regel, "eval", "-o", os.path.join(tmp, "a-directory"), ruleset, "-"], "-o onto a directory")
        with open("/dev/full", "wb") as full:
            p = usage_error([regel, "eval", ruleset, "-"], "standard output full", stdout=full)
            if b"cannot write" not in p.stderr:
                fail("a full disk was not reported: %r" % p.stderr)
        usage_error([regel, "eval", ruleset, os.path.join(tmp, "missing.jsonl")], "a missing input file")
        usage_error([regel, "eval"], "no ruleset")
        usage_error([regel, "eval", "--no-such-option", ruleset], "an unknown option")
        left = sorted(os.listdir(tmp))
        if left != ["a-directory", "results.jsonl"] or os.listdir(os.path.join(tmp, "a-directory")):
            fail("failed runs left files behind: %s" % left)
    print("interrupted run left no file; complete runs agree byte for byte (%d records)" % data.count(b"\n"))


if __name__ == "__main__":
    main()
