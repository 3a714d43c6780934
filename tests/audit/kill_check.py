#!/usr/bin/env python3
"""The decision log survives `kill -9` (issue 3).

    python3 tests/audit/kill_check.py REGEL REPO_ROOT

`regel eval --log` reads records from a pipe; this script feeds it whole batches and
part of one more, waits until the log holds committed batches, and kills it with
SIGKILL, at several points: while it waits for input in the middle of a batch, and
while it is busy writing a stream it has been given all at once. Each time the log
must open, pass PRAGMA integrity_check, hold only whole batches, and take further
runs. Waiting is bounded (a run that never commits fails), but no assertion is
about time. Prints `N passed, N failed`.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tally import finish, ok  # noqa: E402

BATCH = 50



def committed(db):
    """Decisions in the log, read as another process would; 0 while it cannot be read."""
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM decision").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def check(db, what):
    con = sqlite3.connect(db)
    ok(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "%s: integrity_check" % what)
    bad = con.execute("SELECT d.run, d.batch, count(*) FROM decision d GROUP BY d.run, d.batch "
                      "HAVING count(*) != ?", (BATCH,)).fetchall()
    # Only a run that ended normally may end in a short batch: its last.
    finished = {r for (r,) in con.execute("SELECT run FROM decision GROUP BY run")} if False else set()
    last = dict(con.execute("SELECT run, max(batch) FROM decision GROUP BY run").fetchall())
    stray = [b for b in bad if not (b[0] in finished and b[1] == last[b[0]])]
    ok(not stray, "%s: only whole batches (%r)" % (what, stray[:3]))
    ok(con.execute("SELECT count(*) FROM decision WHERE outcome = 'decided' AND trace IS NULL").fetchone()[0] == 0,
       "%s: no decision without its trace" % what)
    n = con.execute("SELECT count(*) FROM decision").fetchone()[0]
    con.close()
    return n


def main():
    regel, root = sys.argv[1], sys.argv[2]
    lss = os.path.join(root, "rulesets", "lss-personlig-assistans")
    gen = subprocess.run([sys.executable, os.path.join(root, "bench", "gen_cases.py"), "--seed", "5",
                          "--count", "1500"], capture_output=True, check=True).stdout
    lines = [l + b"\n" for l in gen.split(b"\n") if l.strip() and not l.startswith(b" ")]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "decisions.sqlite")
        before = 0
        # 1: killed while waiting for the rest of a batch.
        p = subprocess.Popen([regel, "eval", "--log", db, "--log-batch", str(BATCH), lss, "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p.stdin.write(b"".join(lines[:3 * BATCH + BATCH // 2]))
        p.stdin.flush()
        deadline = time.monotonic() + 120
        while committed(db) < 2 * BATCH and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.05)
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdin.close()
        n = check(db, "killed mid-batch")
        ok(n >= 2 * BATCH and n % BATCH == 0, "killed mid-batch: %d decisions, whole batches" % n)
        before = n
        # 2: killed at points while writing a long stream given all at once.
        for attempt in range(3):
            p = subprocess.Popen([regel, "eval", "--log", db, "--log-batch", str(BATCH), lss, "-"],
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                p.stdin.write(b"".join(lines) * 2)
                p.stdin.flush()
            except BrokenPipeError:
                pass
            deadline = time.monotonic() + 120
            target = before + (attempt + 1) * BATCH
            while committed(db) < target and time.monotonic() < deadline and p.poll() is None:
                time.sleep(0.01)
            p.send_signal(signal.SIGKILL)
            p.wait()
            try:
                p.stdin.close()
            except BrokenPipeError:
                pass
            n = check(db, "killed while writing (%d)" % attempt)
            ok(n >= target and n % BATCH == 0, "killed while writing (%d): %d decisions" % (attempt, n))
            before = n
        # The log takes further runs, and a run that ends normally commits its short last batch.
        done = subprocess.run([regel, "eval", "--log", db, "--log-batch", str(BATCH), lss, "-"],
                              input=b"".join(lines[:BATCH + 3]), capture_output=True)
        ok(done.returncode in (0, 1), "a run after the kills")
        con = sqlite3.connect(db)
        ok(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "after the kills: integrity_check")
        ok(con.execute("SELECT count(*) FROM decision").fetchone()[0] == before + BATCH + 3, "the last run is whole")
        con.close()
        replay = subprocess.run([regel, "replay", db, lss], capture_output=True)
        ok(replay.returncode == 0, "what survived replays the same")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
